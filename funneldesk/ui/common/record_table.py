"""How a page's list of records looks and behaves, the same on every page: whole rows
chosen, no grid, rows one line high, the header's titles on the left (the sort arrow on
the right never covers one), the last column stretched, Tab leaving the table."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QTreeView,
    QVBoxLayout,
)

T = TypeVar("T", bound=QTableView)


def set_up(table: T) -> T:
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setShowGrid(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    top = table.horizontalHeader()
    top.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    top.setStretchLastSection(True)
    top.setHighlightSections(False)
    top.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    return table


def empty_notice(table: QTableView) -> QLabel:
    """The grey sentence shown over an empty list (hidden until there is one to say)."""
    notice = QLabel()
    notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
    notice.setWordWrap(True)
    notice.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)  # clicks reach the list
    notice.setStyleSheet("color: palette(mid)")
    notice.hide()
    QVBoxLayout(table.viewport()).addWidget(notice)
    return notice


def page_hint(text: str) -> QLabel:
    """The grey line above a page's list that says what the page is for."""
    hint = QLabel(text)
    hint.setWordWrap(True)
    hint.setStyleSheet("color: palette(mid)")
    return hint


def fit_columns(view: QTableView | QTreeView, most: int = 40,
                narrow: dict[int, int] | None = None) -> None:
    """Each shown column as wide as its title and its widest cell, up to ``most``
    characters (``narrow`` gives some columns, such as names, less; a longer text is
    elided), so that a state or a sum is read whole. Once per view, when it first holds
    rows: a width the user chose afterwards stays through reloads."""
    model = view.model()
    if model is None or not model.rowCount() or view.property("fitted"):
        return  # the titles alone are no measure
    view.setProperty("fitted", True)
    header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
    char = view.fontMetrics().averageCharWidth()
    for column in range(header.count() - (1 if header.stretchLastSection() else 0)):
        if header.isSectionHidden(column):
            continue
        view.resizeColumnToContents(column)
        limit = (narrow or {}).get(column, most) * char
        if header.sectionSize(column) > limit:
            header.resizeSection(column, limit)
