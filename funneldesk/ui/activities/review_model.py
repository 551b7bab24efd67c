"""The review view's table: one row per open deal that needs a look."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from funneldesk import formatting
from funneldesk.i18n import _, ngettext
from funneldesk.services.activities.review_records import (
    OVERDUE,
    ROTTED,
    ReviewRow,
    reason_label,
)
from funneldesk.ui.common.rows_model import Index, RowsModel

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the ReviewRow
LATE = QColor("#c62828")
REVIEWED = QColor("#8a94a1")


def _headers() -> tuple[str, ...]:
    return (_("Deal"), _("Company"), _("Stage"), _("Owner"), _("Why"), _("Last touched"),
            _("Last reviewed"), _("Expected close"), _("Next step"))


def days_ago(days: int) -> str:
    if days == 0:
        return _("today")
    return ngettext("{n} day ago", "{n} days ago", days).format(n=formatting.number(days))


class ReviewModel(RowsModel):
    rows: list[ReviewRow]

    def headers(self) -> tuple[str, ...]:
        return _headers()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4:
            return "\n".join(self._why(row, code) for code in row.reasons)
        if role == Qt.ItemDataRole.ForegroundRole:
            if index.column() == 7 and OVERDUE in row.reasons:
                return LATE
            if row.reviewed_lately:  # looked at already: greyed, at the end of the list
                return REVIEWED
        return None

    def _text(self, row: ReviewRow, column: int) -> str:
        if column == 4:
            return " · ".join(reason_label(code) for code in row.reasons)
        if column == 5:
            return days_ago(row.untouched_days)
        if column == 6:
            return formatting.date(row.reviewed_on) if row.reviewed_on else _("Never")
        if column == 7:
            return formatting.date(row.expected_close) if row.expected_close else "—"
        if column == 8:
            if not row.next_step and row.next_step_date is None:
                return _("Nothing planned")
            when = formatting.date_short(row.next_step_date) if row.next_step_date else ""
            return " · ".join(t for t in (when, row.next_step or _("Next step")) if t)
        return (row.title, row.company, row.stage, row.owner)[column]

    def _why(self, row: ReviewRow, code: str) -> str:
        if code == OVERDUE and row.expected_close is not None:
            return _("Expected to close on {date}, which has passed.").format(
                date=formatting.date(row.expected_close))
        if code == ROTTED:
            return ngettext("In its stage for {n} day (rotting from day {m}).",
                            "In its stage for {n} days (rotting from day {m}).",
                            row.days_in_stage).format(n=formatting.number(row.days_in_stage),
                                                      m=formatting.number(row.rot_days or 0))
        return ngettext("Nobody did anything on it for {n} day.",
                        "Nobody did anything on it for {n} days.",
                        row.untouched_days).format(n=formatting.number(row.untouched_days))
