"""What the Activities area hands out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from funneldesk import formatting
from funneldesk.enums import ActivityKind, ActivityState
from funneldesk.i18n import N_, _, ngettext, pgettext
from funneldesk.services.common.records import ChangeSet

# each with its context: "Email" the kind of activity (邮件) is not the field (邮箱)
_KIND_LABELS: dict[ActivityKind, Callable[[], str]] = {
    ActivityKind.CALL: lambda: pgettext("activity kind", "Call"),
    ActivityKind.VISIT: lambda: pgettext("activity kind", "Visit"),
    ActivityKind.MEETING: lambda: pgettext("activity kind", "Meeting"),
    ActivityKind.EMAIL: lambda: pgettext("activity kind", "Email"),
    ActivityKind.WECHAT: lambda: pgettext("activity kind", "WeChat message"),
    ActivityKind.DEMO: lambda: pgettext("activity kind", "Demo"),
    ActivityKind.OTHER: lambda: pgettext("activity kind", "Other"),
}
STATE_LABELS = {ActivityState.PLANNED: N_("Planned"), ActivityState.DONE: N_("Done"),
                ActivityState.CANCELLED: N_("Cancelled")}


MAX_MINUTES = 24 * 60  # the longest an activity may take
TITLE_LIMIT = 300  # characters of a title (the column's length)


def section_heading(section: str, count: int) -> str:
    """A reminders section's heading with its count: "Overdue (3)" (the Today pane and
    ``funneldesk reminders`` alike)."""
    n = formatting.number(count)
    if section == "overdue":
        return ngettext("Overdue ({n})", "Overdue ({n})", count).format(n=n)
    if section == "today":
        return ngettext("Today ({n})", "Today ({n})", count).format(n=n)
    return ngettext("Next 7 days ({n})", "Next 7 days ({n})", count).format(n=n)


def moment_text(moment: dt.datetime) -> str:
    """A day and time as this computer's clock shows them ("12/3/26 10:00")."""
    local = moment.astimezone()
    return _("{day} {time}").format(day=formatting.date_short(local.date()),
                                    time=formatting.time_short(local))


def kind_label(kind: ActivityKind) -> str:
    return _KIND_LABELS[kind]()


def state_label(state: ActivityState) -> str:
    return _(STATE_LABELS[state])


@dataclass(frozen=True, slots=True)
class ActivityFields:
    """What a user gives an activity. ``due_time`` None: all day (or no day yet)."""

    kind: ActivityKind
    title: str = ""
    agenda: str = ""
    due_on: dt.date | None = None
    due_time: dt.time | None = None
    minutes: int | None = None
    assignee_id: int | None = None  # None: whoever plans it
    deal_id: int | None = None
    company_id: int | None = None
    contact_id: int | None = None


@dataclass(frozen=True, slots=True)
class Activity:
    id: int
    kind: ActivityKind
    state: ActivityState
    title: str
    agenda: str
    outcome: str
    due_on: dt.date | None
    due_at: dt.datetime | None  # aware, when it has a time of day
    minutes: int | None
    assignee_id: int
    assignee: str
    deal_id: int | None
    deal: str
    company_id: int | None
    company: str
    contact_id: int | None
    contact: str
    closed_at: dt.datetime | None
    version: int

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def shown_title(self) -> str:
        """Its title, or its kind where it has none."""
        return self.title or self.kind_label

    @property
    def due_text(self) -> str:
        """Its day, and its time when it has one, as this computer's clock shows them
        ("12/3/26 10:00"); "" without a day."""
        if self.due_at is not None:
            return moment_text(self.due_at)
        return formatting.date_short(self.due_on) if self.due_on is not None else ""

    @property
    def record(self) -> tuple[str, int] | None:
        """What opening it opens: its deal, else its contact (an activity with a contact
        is that person's, their company named beside), else its company."""
        for kind, ident in (("deal", self.deal_id), ("contact", self.contact_id),
                            ("company", self.company_id)):
            if ident is not None:
                return kind, ident
        return None

    @property
    def summary(self) -> str:
        """Its kind and title ("Call: 回访报价"), as a calendar or a list names it."""
        if not self.title:
            return self.kind_label
        if self.kind is ActivityKind.OTHER:
            return self.title
        return _("{kind}: {title}").format(kind=self.kind_label, title=self.title)

    def fields(self) -> ActivityFields:
        local = self.due_at.astimezone() if self.due_at is not None else None
        return ActivityFields(self.kind, self.title, self.agenda, self.due_on,
                              local.time().replace(tzinfo=None) if local else None,
                              self.minutes, self.assignee_id, self.deal_id,
                              self.company_id, self.contact_id)


@dataclass(frozen=True, slots=True)
class ActivityResult:
    activity: Activity
    changes: ChangeSet
    next_activity: Activity | None = None  # planned by the same call (completing one)


@dataclass(frozen=True, slots=True)
class ActivitiesResult:
    activities: tuple[Activity, ...]
    changes: ChangeSet


@dataclass(frozen=True, slots=True)
class Reminders:
    """One user's planned activities: overdue, due today, and the next 7 days."""

    user_id: int
    user: str
    overdue: tuple[Activity, ...]
    today: tuple[Activity, ...]
    upcoming: tuple[Activity, ...]


@dataclass(frozen=True, slots=True)
class DueReminders:
    """One look of the reminders window (``ReminderService.take_due``)."""

    due: tuple[Activity, ...]  # fallen due now, stamped shown by the same look
    listed: tuple[Activity, ...]  # of those it lists already, the ones still planned
    next_at: dt.datetime | None  # when the next one falls due

