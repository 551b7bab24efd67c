"""Follow-up plans of deals, and the activities entering a stage proposes (kept by
managers per stage)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from funneldesk.errors import InvalidInput, StaleEdit
from funneldesk.i18n import _
from funneldesk.models import (
    Activity,
    ActivityKind,
    ActivityState,
    AuditEntry,
    Deal,
    FollowUpPlan,
    Stage,
    StageKind,
    User,
)
from funneldesk.models import StagePlanStep as StepRow
from funneldesk.models.base import utcnow
from funneldesk.services.activities.deal_parts import part_to_change
from funneldesk.services.activities.plan_records import (
    MAX_DAYS,
    PLAN_TEXT_LIMIT,
    Cadence,
    PlanFields,
    PlanResult,
    PlanStep,
    Proposal,
    ProposedActivity,
)
from funneldesk.services.activities.plan_records import (
    FollowUpPlan as Plan,
)
from funneldesk.services.activities.records import TITLE_LIMIT, ActivityFields
from funneldesk.services.activities.records import Activity as Done
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.money import check_amount
from funneldesk.services.common.permissions import require_manager
from funneldesk.services.common.records import Actor, ChangeSet

MAX_STEPS = 20  # activities one stage may propose


def check_plan(fields: PlanFields) -> PlanFields:
    """The plan, trimmed, if it can be saved; raises InvalidInput naming the field."""
    if (fields.every_kind is None) != (fields.every_days is None):
        if fields.every_kind is None:
            raise InvalidInput("every_kind", _("Choose what the cadence repeats, or clear "
                                               "its days."))
        raise InvalidInput("every_days", _("Give how many days apart, or choose no "
                                           "cadence."))
    if fields.every_days is not None and not 1 <= fields.every_days <= MAX_DAYS:
        raise InvalidInput("every_days", _("Give a cadence from 1 to 365 days."))
    texts = {name: getattr(fields, name).strip() for name in ("agenda", "goal", "people")}
    for name, text in texts.items():
        if len(text) > PLAN_TEXT_LIMIT:
            raise InvalidInput(name, _("Keep it under 2,000 characters."))
    budget = None if fields.budget is None else check_amount(fields.budget, "budget")
    return PlanFields(fields.every_kind, fields.every_days, budget=budget, **texts)


def check_steps(steps: Sequence[PlanStep]) -> list[PlanStep]:
    """The steps, titles trimmed, if they can be saved; raises InvalidInput."""
    if len(steps) > MAX_STEPS:
        raise InvalidInput("steps", _("A stage can propose at most 20 activities."))
    checked = []
    for step in steps:
        title = step.title.strip()
        if len(title) > TITLE_LIMIT:
            raise InvalidInput("title", _("Keep the title under 300 characters."))
        if not 0 <= step.within_days <= MAX_DAYS:
            raise InvalidInput("within_days", _("Give a number of days from 0 to 365."))
        checked.append(PlanStep(ActivityKind(step.kind), title, step.within_days))
    return checked


class FollowUpService(Service):
    def check(self, deal_id: int, fields: PlanFields, *, expected_version: int | None,
              by: Actor) -> PlanFields:
        """Refuses, writing nothing, a plan that ``save_plan`` would refuse now (the deal
        form saves the deal and then its plan: a plan refused after the deal was saved
        would leave the form half saved)."""
        fields = check_plan(fields)
        with self.db.reading() as session:
            _plan_row(session, deal_id, expected_version, by)
        return fields

    # --- a deal's plan --------------------------------------------------------------
    def plan(self, deal_id: int, today: dt.date | None = None) -> Plan:
        """The deal's plan (an empty one, version None, when it has none yet)."""
        with self.db.reading() as session:
            deal = get_or_raise(session, Deal, deal_id, "deal")
            return _read(session, deal, today or dt.date.today())

    def save_plan(self, deal_id: int, fields: PlanFields, *, expected_version: int | None,
                  by: Actor) -> PlanResult:
        """Saves the deal's plan (``expected_version``: the version shown, None when it
        had none); an empty one clears it, kept as the row's next version."""
        fields = check_plan(fields)
        with self.db.session() as session:
            deal, row = _plan_row(session, deal_id, expected_version, by)
            previous = PlanFields() if row is None else _fields(row)
            if row is None:
                row = FollowUpPlan(deal_id=deal_id)
                session.add(row)
            cadence = (fields.every_kind, fields.every_days)
            if cadence != (previous.every_kind, previous.every_days):
                # a new cadence counts from today; any other edit leaves it where it was
                row.cadence_since = dt.date.today() if fields.every_kind else None
            row.every_kind, row.every_days = cadence
            row.agenda, row.goal, row.people = fields.agenda, fields.goal, fields.people
            row.budget, row.updated_at, row.updated_by_id = fields.budget, utcnow(), by.id
            session.flush()
            audit.record(session, by, "plan", "deal", deal_id, before=_audited(previous),
                         after=_audited(fields))
            return PlanResult(_read(session, deal, dt.date.today()), previous,
                              ChangeSet(frozenset({deal_id})))

    def next_by_plan(self, done: Done, today: dt.date | None = None
                     ) -> tuple[ActivityKind, dt.date, str] | None:
        """What the deal's cadence asks for once ``done`` (an activity of the deal being
        marked done) is: an activity of the cadence's kind that many days from
        ``today``, with what the plan says to talk about. None unless ``done`` is of
        that kind on an open deal with no other of that kind planned."""
        if done.deal_id is None:
            return None
        with self.db.reading() as session:
            row = session.scalars(select(FollowUpPlan).where(
                FollowUpPlan.deal_id == done.deal_id)).first()
            if (row is None or row.every_kind is None or row.every_days is None
                    or row.every_kind != done.kind):
                return None
            stage_kind = session.scalar(select(Stage.kind).join(Deal, Deal.stage_id == Stage.id)
                                        .where(Deal.id == done.deal_id))
            other = session.scalar(select(Activity.id).where(
                Activity.deal_id == done.deal_id, Activity.kind == row.every_kind,
                Activity.state == ActivityState.PLANNED, Activity.id != done.id).limit(1))
            if stage_kind is not StageKind.OPEN or other is not None:
                return None
            day = (today or dt.date.today()) + dt.timedelta(days=row.every_days)
            return row.every_kind, day, row.agenda

    # --- what entering a stage proposes --------------------------------------------
    def stage_steps(self, stage_id: int) -> list[PlanStep]:
        with self.db.reading() as session:
            return [PlanStep(r.kind, r.title, r.within_days)
                    for r in session.scalars(_steps_of(stage_id))]

    def set_stage_steps(self, stage_id: int, steps: Sequence[PlanStep], *, by: Actor,
                        seen: Sequence[PlanStep] | None = None) -> list[PlanStep]:
        """Replaces what entering the stage proposes (a manager's change); ``seen``:
        the steps the editor showed, refused as stale when another manager changed them
        since."""
        require_manager(by, _("Only a manager can change what a stage proposes."))
        steps = check_steps(steps)
        with self.db.session() as session:
            stage = get_or_raise(session, Stage, stage_id, "stage")
            if stage.kind is not StageKind.OPEN and steps:
                raise InvalidInput("steps", _("Only open stages propose activities."))
            now = [PlanStep(r.kind, r.title, r.within_days)
                   for r in session.scalars(_steps_of(stage_id))]
            if seen is not None and list(seen) != now:
                raise _steps_changed(session, stage_id)
            before = [_step_audit(step) for step in now]
            session.execute(delete(StepRow).where(StepRow.stage_id == stage_id))
            for position, step in enumerate(steps):
                session.add(StepRow(stage_id=stage_id, kind=step.kind, title=step.title,
                                    within_days=step.within_days, position=position))
            audit.record(session, by, "plan_steps", "stage", stage_id, before=before,
                         after=[_step_audit(s) for s in steps])
            return steps

    def proposal(self, deal_id: int, today: dt.date | None = None) -> Proposal | None:
        """What the deal's stage proposes for it, each due that many days from
        ``today``; None when its stage proposes nothing or the deal is closed."""
        today = today or dt.date.today()
        with self.db.reading() as session:
            deal = get_or_raise(session, Deal, deal_id, "deal")
            stage = session.get(Stage, deal.stage_id)
            if stage is None or stage.kind is not StageKind.OPEN:
                return None
            steps = [PlanStep(r.kind, r.title, r.within_days)
                     for r in session.scalars(_steps_of(stage.id))]
            if not steps:
                return None
            planned = {(kind, title.strip().casefold()) for kind, title in session.execute(
                select(Activity.kind, Activity.title).where(
                    Activity.deal_id == deal_id, Activity.state == ActivityState.PLANNED))}
            owner = session.get(User, deal.owner_id)
            return Proposal(deal_id, deal.title, stage.id, stage.name,
                            owner.display_name if owner else "", tuple(
                ProposedActivity(
                    step,
                    ActivityFields(step.kind, step.title,
                                   due_on=today + dt.timedelta(days=step.within_days),
                                   assignee_id=deal.owner_id, deal_id=deal.id,
                                   company_id=deal.company_id, contact_id=deal.contact_id),
                    (step.kind, step.title.casefold()) in planned)
                for step in steps))


def _plan_row(session: Session, deal_id: int, expected_version: int | None, by: Actor
              ) -> tuple[Deal, FollowUpPlan | None]:
    return part_to_change(session, FollowUpPlan, deal_id, expected_version, by,
                          _("Only the deal's owner or a manager can change its follow-up "
                            "plan."))


def _steps_changed(session: Session, stage_id: int) -> StaleEdit:
    """Who last changed what the stage proposes, and when."""
    entry = session.scalars(select(AuditEntry).where(
        AuditEntry.entity == "stage", AuditEntry.entity_id == stage_id,
        AuditEntry.action == "plan_steps").order_by(AuditEntry.id.desc()).limit(1)).first()
    who = session.get(User, entry.user_id) if entry is not None and entry.user_id else None
    return StaleEdit(who.display_name if who else None, entry.at if entry else None)


def _steps_of(stage_id: int) -> Select[StepRow]:
    return select(StepRow).where(StepRow.stage_id == stage_id).order_by(StepRow.position,
                                                                          StepRow.id)


def _fields(row: FollowUpPlan) -> PlanFields:
    return PlanFields(row.every_kind, row.every_days, row.agenda, row.goal, row.people,
                      row.budget)


def _audited(fields: PlanFields) -> dict[str, object]:
    return {"every_kind": fields.every_kind.value if fields.every_kind else None,
            "every_days": fields.every_days, "agenda": fields.agenda, "goal": fields.goal,
            "people": fields.people, "budget": fields.budget}


def _step_audit(step: PlanStep) -> dict[str, object]:
    return {"kind": step.kind.value, "title": step.title, "within_days": step.within_days}


def _read(session: Session, deal: Deal, today: dt.date) -> Plan:
    row = session.scalars(select(FollowUpPlan).where(FollowUpPlan.deal_id == deal.id)).first()
    if row is None:
        return Plan(deal.id, PlanFields(), deal.currency, None, "", None, None)
    by = session.get(User, row.updated_by_id)
    return Plan(deal.id, _fields(row), deal.currency, row.version,
                by.display_name if by else "", row.updated_at, _cadence(session, row, today))


def _cadence(session: Session, row: FollowUpPlan, today: dt.date) -> Cadence | None:
    kind, days = row.every_kind, row.every_days
    if kind is None or days is None:
        return None
    of_kind = (Activity.deal_id == row.deal_id, Activity.kind == kind)
    # the day it was done, on this computer's calendar (not the day it was planned for)
    done_at = session.scalar(select(func.max(Activity.closed_at)).where(
        *of_kind, Activity.state == ActivityState.DONE))
    last = done_at.astimezone().date() if done_at is not None else None
    following = session.scalar(select(func.min(Activity.due_on)).where(
        *of_kind, Activity.state == ActivityState.PLANNED))
    # with none done yet, the cadence runs from the day it was set
    start = last or row.cadence_since or row.updated_at.astimezone().date()
    return Cadence(kind, days, last, following, start + dt.timedelta(days=days))
