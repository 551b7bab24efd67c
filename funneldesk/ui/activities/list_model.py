"""The Activities page's item model: every activity the filters find, read in pages off
the GUI thread (ui/common/paged_model.py); an overdue one's day in red."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from funneldesk.enums import ActivityState
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _, pgettext
from funneldesk.services import Services
from funneldesk.services.activities.activity_list import ActivityColumn, ActivityQuery
from funneldesk.services.activities.records import Activity, state_label
from funneldesk.services.activities.reminders import is_overdue
from funneldesk.ui.activities.today_model import tool_tip
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.paged_model import PAGE, PagedTableModel, Runner

COLUMNS = tuple(ActivityColumn)
OVERDUE_COLOUR = QColor("#c0392b")


def header(column: ActivityColumn) -> str:
    return {ActivityColumn.DUE: lambda: _("Due"),
            ActivityColumn.KIND: lambda: pgettext("activity", "Kind"),
            ActivityColumn.TITLE: lambda: _("Title"),
            ActivityColumn.FOR: lambda: pgettext("activity", "For"),
            ActivityColumn.ASSIGNEE: lambda: _("Assignee"),
            ActivityColumn.STATE: lambda: _("State"),
            ActivityColumn.OUTCOME: lambda: _("Outcome")}[column]()


def for_text(activity: Activity) -> str:
    """What it hangs on: its deal, else its contact, else its company; and the customer
    beside a deal ("仓储系统 · 星辰科技")."""
    customer = activity.contact or activity.company
    if activity.deal and customer:
        return _("{deal} · {customer}").format(deal=activity.deal, customer=customer)
    return activity.deal or customer


def cell(activity: Activity, column: ActivityColumn) -> str:
    if column is ActivityColumn.DUE:
        return activity.due_text or _("No day")
    if column is ActivityColumn.KIND:
        return activity.kind_label
    if column is ActivityColumn.TITLE:
        return activity.shown_title  # untitled: its kind (muted)
    if column is ActivityColumn.FOR:
        return for_text(activity)
    if column is ActivityColumn.ASSIGNEE:
        return activity.assignee
    if column is ActivityColumn.STATE:
        return state_label(activity.state)
    return " ".join(activity.outcome.split())  # one line in the table


class ActivitiesTableModel(PagedTableModel[Activity, ActivityQuery]):
    def __init__(self, services: Services, failed: Callable[[FunnelDeskError], None],
                 run: Runner = run_in_background, query: ActivityQuery | None = None) -> None:
        super().__init__(query or ActivityQuery(), failed, run)
        self._list = services.activity_list
        self.now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)

    def read_first(self, query: ActivityQuery) -> tuple[int, tuple[Activity, ...]]:
        return self._list.count_and_page(query, 0, PAGE, self.now())

    def read_page(self, query: ActivityQuery, offset: int, limit: int
                  ) -> tuple[Activity, ...]:
        return self._list.page(query, offset, limit, self.now())

    def columns_shown(self) -> tuple[ActivityColumn, ...]:
        return COLUMNS

    def header_text(self, column: ActivityColumn) -> str:
        return header(column)

    def row_data(self, record: Activity, column: int, role: int) -> Any:
        shown = COLUMNS[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell(record, shown)
        if role == Qt.ItemDataRole.ToolTipRole:
            if shown is ActivityColumn.OUTCOME:
                return record.outcome or None
            return tool_tip(record)
        if role == Qt.ItemDataRole.ForegroundRole and shown is ActivityColumn.TITLE \
                and not record.title:
            return QBrush(QColor("gray"))
        if role == Qt.ItemDataRole.ForegroundRole and shown is ActivityColumn.DUE:
            if record.state is ActivityState.PLANNED and is_overdue(record, self.now()):
                return QBrush(OVERDUE_COLOUR)
            if record.due_on is None:
                return QBrush(QColor("gray"))
        return None

    def row_of(self, activity_id: int) -> int | None:
        return next((row for row, a in self.rows_held() if a.id == activity_id), None)
