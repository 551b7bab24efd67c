"""The Today pane's rows: a heading for overdue, today and the next 7 days, each followed
by its activities (one row each, painted by ``TodayDelegate`` on two lines)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from funneldesk import formatting
from funneldesk.i18n import _
from funneldesk.services.activities.records import Activity, Reminders, section_heading

Index = QModelIndex | QPersistentModelIndex
ActivityRole = Qt.ItemDataRole.UserRole + 1  # the row's Activity, None on a heading
PAD = 6
MUTED = QColor("#5f6b7a")
LATE = QColor("#c62828")


@dataclass(frozen=True, slots=True)
class TodayRow:
    heading: str = ""  # a section's title with its count; "" on an activity's row
    activity: Activity | None = None
    section: str = ""  # "overdue", "today" or "upcoming"


def when_text(activity: Activity, section: str) -> str:
    """A row's time: its hour today, its day otherwise (and hour, when it has one)."""
    if section != "today":
        return activity.due_text
    if activity.due_at is not None:
        return formatting.time_short(activity.due_at.astimezone())
    return _("All day")


def detail_text(activity: Activity) -> str:
    return " · ".join(n for n in (activity.deal, activity.company, activity.contact) if n)


def tool_tip(activity: Activity) -> str:
    """Its row's texts in full: what it is, what for, its agenda."""
    return "\n".join(p for p in (activity.summary, detail_text(activity), activity.agenda)
                     if p)


class TodayModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[TodayRow] = []
        self.reminders: Reminders | None = None

    def show(self, reminders: Reminders) -> None:
        self.beginResetModel()
        self.reminders = reminders
        self.rows = []
        for key, found in (("overdue", reminders.overdue), ("today", reminders.today),
                           ("upcoming", reminders.upcoming)):
            self.rows.append(TodayRow(section_heading(key, len(found)), section=key))
            self.rows.extend(TodayRow(activity=a, section=key) for a in found)
        self.endResetModel()

    def row_of(self, activity_id: int) -> int | None:
        for i, row in enumerate(self.rows):
            if row.activity is not None and row.activity.id == activity_id:
                return i
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid() or self.rows[index.row()].activity is None:
            return Qt.ItemFlag.ItemIsEnabled  # a heading is not chosen
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == ActivityRole:
            return row.activity
        if role == Qt.ItemDataRole.DisplayRole:
            if row.activity is None:
                return row.heading
            return f"{when_text(row.activity, row.section)} {row.activity.summary}"
        if role == Qt.ItemDataRole.ToolTipRole and row.activity is not None:
            return tool_tip(row.activity)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and row.activity is not None:
            return detail_text(row.activity)
        return None


class TodayDelegate(QStyledItemDelegate):
    """A heading in bold; an activity on two lines: its time (red when overdue) and
    summary, then what it is for, muted."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = option.fontMetrics.height()
        lines = 1 if index.data(ActivityRole) is None else 2
        return QSize(200, line * lines + PAD * (lines + 1))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        activity: Activity | None = index.data(ActivityRole)
        painter.save()
        rect = option.rect.adjusted(PAD, PAD, -PAD, -PAD)
        metrics = option.fontMetrics
        line = metrics.height()
        if activity is None:
            font = QFont(option.font)
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(option.palette.color(QPalette.ColorRole.WindowText))
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter, str(index.data()))
            painter.restore()
            return
        option.text = ""
        style = option.widget.style() if option.widget is not None else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter,
                                option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text = option.palette.color(QPalette.ColorRole.HighlightedText if selected
                                    else QPalette.ColorRole.Text)
        model = index.model()
        section = model.rows[index.row()].section if isinstance(model, TodayModel) else ""
        when = when_text(activity, section)
        width = metrics.horizontalAdvance(when) + PAD
        painter.setPen(text if selected or section != "overdue" else LATE)
        painter.drawText(QRect(rect.left(), rect.top(), width, line),
                         Qt.AlignmentFlag.AlignVCenter, when)
        painter.setPen(text)
        title = QRect(rect.left() + width, rect.top(), rect.width() - width, line)
        painter.drawText(title, Qt.AlignmentFlag.AlignVCenter, metrics.elidedText(
            activity.summary, Qt.TextElideMode.ElideRight, title.width()))
        painter.setPen(text if selected else MUTED)
        detail = QRect(rect.left(), rect.top() + line + PAD, rect.width(), line)
        painter.drawText(detail, Qt.AlignmentFlag.AlignVCenter, metrics.elidedText(
            detail_text(activity), Qt.TextElideMode.ElideRight, detail.width()))
        painter.restore()
