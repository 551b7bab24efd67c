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


def holds_words(words: str, *texts: str) -> bool:
    """Whether ``texts`` together hold every word of ``words`` (a page's search box:
    case aside, in any order, each word anywhere)."""
    text = " ".join(texts).casefold()
    return all(word in text for word in words.casefold().split())


def fit_columns(view: QTableView | QTreeView, most: int = 40,
                narrow: dict[int, int] | None = None) -> None:
    """Each shown column as wide as its title and its widest cell, up to ``most``
    characters (``narrow`` gives some columns, such as names, less; a longer text is
    elided), so that a state or a sum is read whole. Called on every fill: the columns
    follow what the rows hold (a step added, a longer name) until the user drags one
    wider or narrower; from then on the widths they chose stay."""
    model = view.model()
    if model is None or not model.rowCount() or view.property("user_sized"):
        return  # the titles alone are no measure
    header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
    if not view.property("watched"):
        view.setProperty("watched", True)

        def resized(column: int, _old: int, _new: int) -> None:
            # a width that changed while not fitting, and not the stretched column
            # following the window, is the user's
            if not view.property("fitting") and column != _stretched(header):
                view.setProperty("user_sized", True)

        header.sectionResized.connect(resized)
    view.setProperty("fitting", True)
    try:
        char, stretched = view.fontMetrics().averageCharWidth(), _stretched(header)
        for column in range(header.count()):
            if header.isSectionHidden(column) or column == stretched:
                continue
            view.resizeColumnToContents(column)
            limit = (narrow or {}).get(column, most) * char
            if header.sectionSize(column) > limit:
                header.resizeSection(column, limit)
    finally:
        view.setProperty("fitting", False)


def _stretched(header: QHeaderView) -> int:
    """The column that takes the room left: the last one shown, when the header stretches
    it (Qt stretches the last visible section, not the last one); -1 for none."""
    if not header.stretchLastSection():
        return -1
    shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
    return max(shown, key=header.visualIndex, default=-1)
