"""The rows of the search palette (found records, actions, or one line that says why the
list is empty) and the delegate that paints them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QAction, QColor, QFont, QFontMetrics, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from funneldesk.i18n import _
from funneldesk.services.dto import SearchHit

Index = QModelIndex | QPersistentModelIndex
RowRole = Qt.ItemDataRole.UserRole + 1  # the PaletteRow
PAD = 8
MUTED = QColor("#5f6b7a")
MATCH = QColor("#1a56c4")
ARCHIVED = QColor("#8a6d00")


def action_text(action: QAction) -> str:
    """An action's text as a menu shows it: without the mnemonic's '&' ('&&' is one '&')."""
    return without_mnemonic(action.text())


def without_mnemonic(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def shortcut_text(action: QAction) -> str:
    return action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)


@dataclass(frozen=True)
class PaletteRow:
    """One row: exactly one of ``hit``, ``action`` and ``message`` is set."""

    hit: SearchHit | None = None
    action: QAction | None = None
    message: str = ""

    @property
    def choosable(self) -> bool:
        return self.hit is not None or (self.action is not None and self.action.isEnabled())

    @property
    def title(self) -> str:
        if self.hit is not None:
            return self.hit.title
        return action_text(self.action) if self.action is not None else self.message


class PaletteModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[PaletteRow] = []

    def set_rows(self, rows: list[PaletteRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_at(self, row: int) -> PaletteRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title
        if role == Qt.ItemDataRole.ToolTipRole and row.hit is not None:
            return row.hit.detail or None
        if role == RowRole:
            return row
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None or not row.choosable:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def _segments(text: str, spans: tuple[tuple[int, int], ...]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, matched) runs."""
    pieces, at = [], 0
    for start, length in spans:
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:start + length], True))
        at = start + length
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


class PaletteDelegate(QStyledItemDelegate):
    """A found record on two lines: its title (the matched part emphasised) with its kind on
    the right, marked when archived; its detail line muted below. An action on one line
    with its shortcut on the right; a disabled one greyed."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        row: PaletteRow | None = index.data(RowRole)
        lines = 2 if row is not None and row.hit is not None else 1
        line = option.fontMetrics.height()
        return QSize(max(option.rect.width(), 300), line * lines + PAD * (lines + 1))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        row: PaletteRow | None = index.data(RowRole)
        if row is None:
            return
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget is not None else None
        if style is not None and row.choosable:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter,
                                option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_color = palette.color(QPalette.ColorRole.HighlightedText if selected
                                   else QPalette.ColorRole.Text)
        painter.save()
        rect = option.rect.adjusted(PAD, PAD // 2, -PAD, -PAD // 2)
        line = option.fontMetrics.height()
        if row.message:
            painter.setPen(MUTED)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, row.message)
        elif row.action is not None:
            color = text_color if row.action.isEnabled() else palette.color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            right = shortcut_text(row.action)
            width = self._side(painter, rect, line, right, color if selected else MUTED,
                               option.font)
            painter.setPen(color)
            painter.drawText(QRect(rect.left(), rect.top(), rect.width() - width, line),
                             Qt.AlignmentFlag.AlignVCenter,
                             option.fontMetrics.elidedText(row.title, Qt.TextElideMode.ElideRight,
                                                           rect.width() - width))
        elif row.hit is not None:
            self._paint_hit(painter, option, row.hit, rect, line, text_color, selected)
        painter.restore()

    def _paint_hit(self, painter: QPainter, option: QStyleOptionViewItem, hit: SearchHit,
                   rect: QRect, line: int, text_color: QColor, selected: bool) -> None:
        side = (_("{kind} · archived").format(kind=hit.kind_label) if hit.archived
                else hit.kind_label)
        muted = text_color if selected else MUTED
        width = self._side(painter, rect, line, side,
                           muted if not hit.archived or selected else ARCHIVED, option.font)
        title = QRect(rect.left(), rect.top(), rect.width() - width, line)
        self._draw_runs(painter, title, hit.title, hit.title_spans, option.font, text_color,
                        text_color if selected else MATCH)
        detail = QRect(rect.left(), rect.top() + line + PAD // 2, rect.width(), line)
        self._draw_runs(painter, detail, hit.detail, hit.detail_spans, option.font, muted,
                        text_color if selected else MATCH)

    @staticmethod
    def _side(painter: QPainter, rect: QRect, line: int, text: str, color: QColor,
              font: QFont) -> int:
        """Draws ``text`` right-aligned on the first line; returns the width it takes."""
        if not text:
            return 0
        metrics = QFontMetrics(font)
        width = metrics.horizontalAdvance(text) + PAD * 2
        painter.setFont(font)
        painter.setPen(color)
        painter.drawText(QRect(rect.right() - width, rect.top(), width, line),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
        return width

    @staticmethod
    def _draw_runs(painter: QPainter, rect: QRect, text: str,
                   spans: tuple[tuple[int, int], ...], font: QFont, color: QColor,
                   emphasis: QColor) -> None:
        """Draws ``text`` left to right, the spans in bold and ``emphasis``, elided with
        '…' where the rect ends."""
        bold = QFont(font)
        bold.setBold(True)
        x, right = rect.left(), rect.right()
        for piece, matched in _segments(text, spans):
            metrics = QFontMetrics(bold if matched else font)
            room = right - x
            shown = piece
            if metrics.horizontalAdvance(piece) > room:
                shown = metrics.elidedText(piece, Qt.TextElideMode.ElideRight, room)
            painter.setFont(bold if matched else font)
            painter.setPen(emphasis if matched else color)
            advance = metrics.horizontalAdvance(shown)
            painter.drawText(QRect(x, rect.top(), advance + 1, rect.height()),
                             Qt.AlignmentFlag.AlignVCenter, shown)
            x += advance
            if shown != piece or x >= right:
                break
