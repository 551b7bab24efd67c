"""Paints a deal card; no widget per card (10,000 of them must stay light)."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from funneldesk import formatting
from funneldesk.i18n import _, language, ngettext
from funneldesk.services.activities.assessment_records import DealRating
from funneldesk.services.dto import Card, StepState
from funneldesk.ui.board.card_model import FaceRole, rating_text

CARD_HEIGHT = 100
PAD = 10
ROT_RED = QColor("#c62828")
SELECTED_BLUE = QColor("#1a73e8")
MUTED = QColor("#5f6b7a")
# the next step's line by where it stands (as Pipedrive marks a deal's activity): red when
# overdue, green when due today, plain when planned; amber when nothing is planned
STEP_COLORS = {"overdue": ROT_RED, "today": QColor("#2e7d32"), "planned": QColor("#1f2933")}
NOTHING_PLANNED = QColor("#b26a00")


# Painted card faces, most recently used last. After a move or a filter most cards on
# screen are ones just painted, only shifted: drawing a kept face costs a fraction of
# laying out its five lines of text again. Everything a face shows is in its key (the
# day count and the overdue mark come from the model, which keeps them live).
_faces: OrderedDict[tuple[object, ...], QPixmap] = OrderedDict()
FACES_KEPT = 160  # about four boards' worth of visible cards, some 16 MB


def _shown_of(card: Card) -> tuple[object, ...]:
    """What a card's face shows of its deal: a deal renumbered or saved again (a new
    position or version) keeps its face."""
    return (card.title, card.company, card.amount, card.currency, card.owner,
            card.next_step, card.next_step_date, card.closed_on, card.lost_reason)


def _card_rect(cell: QRect) -> QRect:
    """The card inside its row: a margin all round, so that cards stand apart."""
    return cell.adjusted(6, 4, -6, -4)


def age_text(owner: str, days: int, rotted: bool) -> str:
    """The owner and the days in stage, marked when the deal is rotting."""
    if rotted:
        text = ngettext("{owner} · ⚠ {n} day in stage", "{owner} · ⚠ {n} days in stage", days)
    else:
        text = ngettext("{owner} · {n} day in stage", "{owner} · {n} days in stage", days)
    return text.format(owner=owner, n=days)


class CardDelegate(QStyledItemDelegate):
    firstPainted = Signal()  # once, after this delegate has painted its first card

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._painted = False

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(max(option.rect.width(), 200), CARD_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        face_state: tuple[Card, int, bool, StepState, bool, DealRating | None] | None = \
            index.data(FaceRole)
        if face_state is None:
            return
        card, days, rotted, step, is_open, rating = face_state
        selected = bool(option.state & (QStyle.StateFlag.State_Selected
                                        | QStyle.StateFlag.State_HasFocus))
        ratio = painter.device().devicePixelRatioF()
        background = option.palette.color(QPalette.ColorRole.Base)
        size = option.rect.size()
        # no selection in the key: it is drawn over the face, so that selecting a card (as
        # every move does) paints no text again
        key = (_shown_of(card), rotted, days, step, is_open, rating, size.width(), size.height(),
               ratio, option.font.key(), background.rgba(), language())
        face = _faces.get(key)
        if face is None:
            face = QPixmap(size * ratio)
            face.setDevicePixelRatio(ratio)
            face.fill(background)  # opaque: text keeps the screen's subpixel antialiasing
            face_painter = QPainter(face)
            face_painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            rect = _card_rect(QRect(QPoint(0, 0), size))
            self._frame(face_painter, rect, rotted)
            self._text(face_painter, rect, card, days, rotted, option.font, is_open, step,
                       rating_text(rating) if is_open else "")
            face_painter.end()
            _faces[key] = face
            if len(_faces) > FACES_KEPT:
                _faces.popitem(last=False)
        else:
            _faces.move_to_end(key)
        painter.drawPixmap(option.rect.topLeft(), face)
        if selected:
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(SELECTED_BLUE, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(_card_rect(option.rect), 6, 6)
            painter.restore()
        if not self._painted:
            self._painted = True
            self.firstPainted.emit()

    @staticmethod
    def _frame(painter: QPainter, rect: QRect, rotted: bool) -> None:
        painter.setPen(QPen(QColor("#d5dbe3"), 1))
        painter.setBrush(QColor("#fff5f5") if rotted else QColor("#ffffff"))
        painter.drawRoundedRect(rect, 6, 6)
        if rotted:
            painter.fillRect(QRect(rect.left() + 1, rect.top() + 4, 4, rect.height() - 8), ROT_RED)

    @staticmethod
    def _text(painter: QPainter, rect: QRect, card: Card, days: int, rotted: bool,
              base: QFont, is_open: bool, step: StepState, rated: str) -> None:
        inner = rect.adjusted(PAD, 6, -PAD, -6)
        bold = QFont(base)
        bold.setBold(True)
        line = QFontMetrics(base).height() + 3
        value = formatting.money_short(card.amount, card.currency)
        bold_metrics = QFontMetrics(bold)
        value_width = bold_metrics.horizontalAdvance(value)
        painter.setFont(bold)
        painter.setPen(QColor("#1f2933"))
        title_rect = QRect(inner.left(), inner.top(), inner.width() - value_width - 8, line)
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         bold_metrics.elidedText(card.title, Qt.TextElideMode.ElideRight,
                                                 title_rect.width()))
        painter.drawText(QRect(inner.right() - value_width, inner.top(), value_width, line),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, value)
        metrics = QFontMetrics(base)
        painter.setFont(base)
        painter.setPen(MUTED)
        y = inner.top() + line

        def draw(text: str, color: QColor = MUTED) -> None:
            draw_with_date(text, "", color)

        def draw_with_date(text: str, date: str, color: QColor) -> None:
            """``text`` cut to the room the date leaves; the date whole at the right (an
            overdue or close date is what the line must show)."""
            nonlocal y
            date_width = metrics.horizontalAdvance(date) + 8 if date else 0
            painter.setPen(color)
            painter.drawText(QRect(inner.right() - date_width, y, date_width, line),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, date)
            painter.drawText(QRect(inner.left(), y, inner.width() - date_width, line),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(text, Qt.TextElideMode.ElideRight,
                                                inner.width() - date_width))
            y += line

        draw_with_date(card.company or _("(no company)"), rated, MUTED)
        if not is_open and card.closed_on:
            draw_with_date(card.owner, _("closed {date}").format(
                date=formatting.date_short(card.closed_on)), MUTED)
            if card.lost_reason:
                draw(card.lost_reason, QColor("#8d6e63"))
            return
        draw(age_text(card.owner, days, rotted), ROT_RED if rotted else MUTED)
        if step == "none":
            if is_open:  # a closed deal needs no next step
                draw(_("No next step planned"), NOTHING_PLANNED)
            return
        when = (_("Today") if step == "today" else formatting.date_short(card.next_step_date)
                if card.next_step_date else "")
        step_text = card.next_step or _("Next step")
        draw_with_date(f"→ {step_text}", when, STEP_COLORS[step])
