"""Every activity (planned, done and cancelled) to CSV or XLSX: what
``funneldesk export activities`` writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from funneldesk.errors import InvalidInput
from funneldesk.i18n import N_, _
from funneldesk.models import Activity as ActivityRow
from funneldesk.services.activities import reads
from funneldesk.services.activities.activity_list import ActivityQuery, listed
from funneldesk.services.activities.records import Activity, kind_label, state_label
from funneldesk.services.common.base import Service
from funneldesk.services.common.tabular.writing import write_table

# field name, label, and the cell: codes by field name, words in the labels' language
_COLUMNS = (
    ("id", N_("ID")), ("kind", N_("Kind")), ("state", N_("State")), ("title", N_("Title")),
    ("due_on", N_("Due on")), ("due_time", N_("Time")), ("minutes", N_("Minutes")),
    ("assignee", N_("Assignee")), ("deal", N_("Deal")), ("company", N_("Company")),
    ("contact", N_("Contact")), ("agenda", N_("Agenda")), ("outcome", N_("Outcome")),
    ("closed_at", N_("Closed at")),
)


def _cells(activity: Activity, labels: bool) -> list[object]:
    local = activity.due_at.astimezone() if activity.due_at is not None else None
    closed = activity.closed_at.astimezone() if activity.closed_at is not None else None
    return [activity.id,
            kind_label(activity.kind) if labels else activity.kind.value,
            state_label(activity.state) if labels else activity.state.value,
            activity.title, activity.due_on,
            local.strftime("%H:%M") if local is not None else None, activity.minutes,
            activity.assignee, activity.deal, activity.company, activity.contact,
            activity.agenda, activity.outcome,
            closed.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
            if closed is not None else None]


class ActivityExportService(Service):
    def export(self, path: Path, *, labels: bool = False,
               query: ActivityQuery | None = None) -> int:
        """Writes every activity (but those of deals in the Trash), in the order they were
        planned, to ``path`` (.csv or .xlsx); the number written. Times are this
        computer's. ``query``: only those the Activities page lists, in its order."""
        if path.suffix.lower() not in (".csv", ".xlsx"):
            raise InvalidInput("file", _("Activities are written as .csv or .xlsx."))
        with self.db.reading() as session:
            found = reads.read_many(session, reads.activities_query().where(reads.alive())
                                     .order_by(ActivityRow.id)) if query is None \
                else listed(session, query, dt.datetime.now(dt.UTC))
        return write_table(path, [_(label) if labels else name for name, label in _COLUMNS],
                           (_cells(a, labels) for a in found))
