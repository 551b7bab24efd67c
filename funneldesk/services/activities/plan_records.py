"""What follow-up plans and stage plan templates hand out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from funneldesk import formatting
from funneldesk.enums import ActivityKind
from funneldesk.i18n import _, ngettext, pgettext
from funneldesk.services.activities.records import ActivityFields, kind_label
from funneldesk.services.common.records import ChangeSet

PLAN_TEXT_LIMIT = 2000  # characters of the agenda, the goal and the people each
MAX_DAYS = 365  # the longest cadence, and the furthest a proposed activity falls


def every_text(kind: ActivityKind, days: int) -> str:
    """"Visit every 14 days"."""
    return ngettext("{kind} every {n} day", "{kind} every {n} days", days).format(
        kind=kind_label(kind), n=formatting.number(days))


def within_text(days: int) -> str:
    """"today", "within 2 days"."""
    if days == 0:
        return pgettext("due", "today")
    return ngettext("within {n} day", "within {n} days", days).format(
        n=formatting.number(days))


@dataclass(frozen=True, slots=True)
class PlanFields:
    """What a rep writes in a deal's follow-up plan; all empty is no plan."""

    every_kind: ActivityKind | None = None  # the cadence: this kind ...
    every_days: int | None = None  # ... every so many days
    agenda: str = ""  # what to talk about, show or bring
    goal: str = ""
    people: str = ""  # who is needed: a demo engineer, the finance manager ...
    budget: Decimal | None = None  # in the deal's currency

    @property
    def empty(self) -> bool:
        return self == PlanFields()


@dataclass(frozen=True, slots=True)
class Cadence:
    """How the deal keeps to its plan's cadence."""

    kind: ActivityKind
    days: int
    last_done: dt.date | None  # the latest activity of that kind done on the deal
    next_planned: dt.date | None  # the earliest planned
    due: dt.date  # when the next one is due by the cadence

    def late(self, today: dt.date) -> bool:
        """Due by now, and none planned by then."""
        return self.due < today and (self.next_planned is None or self.next_planned > self.due)

    def text(self, today: dt.date) -> str:
        """"Last: 3/12/26 · Next by the plan: 17/12/26 (planned for 15/12/26)"."""
        due = formatting.date_short(self.due)
        if self.next_planned is not None:
            coming = _("Next by the plan: {day} (planned for {planned})").format(
                day=due, planned=formatting.date_short(self.next_planned))
        elif self.late(today):
            coming = _("Next by the plan: {day} (late: none planned)").format(day=due)
        else:
            coming = _("Next by the plan: {day} (none planned yet)").format(day=due)
        if self.last_done is None:
            return coming
        return _("Last: {day} · {coming}").format(
            day=formatting.date_short(self.last_done), coming=coming)


@dataclass(frozen=True, slots=True)
class FollowUpPlan:
    deal_id: int
    fields: PlanFields
    currency: str  # the budget's: the deal's
    version: int | None  # None: never saved
    updated_by: str
    updated_at: dt.datetime | None
    cadence: Cadence | None


@dataclass(frozen=True, slots=True)
class PlanResult:
    plan: FollowUpPlan
    previous: PlanFields  # what it held before (what undoing writes back)
    changes: ChangeSet


@dataclass(frozen=True, slots=True)
class PlanStep:
    """An activity that entering a stage proposes."""

    kind: ActivityKind
    title: str
    within_days: int

    @property
    def text(self) -> str:
        """"Call within 2 days: confirm the budget"."""
        head = _("{kind} {within}").format(kind=kind_label(self.kind),
                                          within=within_text(self.within_days))
        return _("{head}: {title}").format(head=head, title=self.title) if self.title else head


@dataclass(frozen=True, slots=True)
class ProposedActivity:
    step: PlanStep
    fields: ActivityFields  # planned for the deal's owner, due that many days from today
    planned_already: bool  # the deal has such an activity planned (same kind and title)


@dataclass(frozen=True, slots=True)
class Proposal:
    """What entering its stage proposes for a deal."""

    deal_id: int
    deal: str
    stage_id: int
    stage: str
    owner: str  # whom they are planned for
    activities: tuple[ProposedActivity, ...]

    @property
    def fresh(self) -> tuple[ProposedActivity, ...]:
        """Those not planned already."""
        return tuple(a for a in self.activities if not a.planned_already)
