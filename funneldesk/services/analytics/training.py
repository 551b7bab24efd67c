"""Training plans: what a manager plans for a rep (a need the coaching found, or their
own idea), what came of it, and the rep's figure at that stage in the 90 days before the
training and in the 90 days after it (to today, while those run), so that a manager sees
whether it helped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from funneldesk.errors import InvalidInput
from funneldesk.i18n import _
from funneldesk.models import Stage, TrainingPlan, User
from funneldesk.models.base import utcnow
from funneldesk.services.common import audit
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.permissions import require_manager
from funneldesk.services.common.records import Actor

WINDOW_DAYS = 90
KPIS = ("conversion", "days", "")


@dataclass(frozen=True)
class PlanFields:
    user_id: int
    stage_id: int | None
    kpi: str  # "conversion", "days" or "" (neither: the figure is not followed)
    topic: str
    planned_on: dt.date
    done_on: dt.date | None = None
    outcome: str = ""


@dataclass(frozen=True)
class Plan:
    id: int
    version: int
    fields: PlanFields
    rep: str
    stage: str


def read(session: Session) -> list[Plan]:
    rows = session.execute(
        select(TrainingPlan, User.display_name, Stage.name)
        .join(User, User.id == TrainingPlan.user_id)
        .outerjoin(Stage, Stage.id == TrainingPlan.stage_id)
        .order_by(TrainingPlan.planned_on.desc(), TrainingPlan.id.desc()))
    return [Plan(p.id, p.version, PlanFields(p.user_id, p.stage_id, p.kpi, p.topic,
                                             p.planned_on, p.done_on, p.outcome),
                 str(rep), str(stage or "")) for p, rep, stage in rows]


def save(session: Session, fields: PlanFields, by: Actor, plan_id: int | None = None,
         expected_version: int | None = None, today: dt.date | None = None) -> int:
    require_manager(by, _("Only a manager can plan training."))
    day = today or dt.date.today()
    topic = fields.topic.strip()
    if not topic:
        raise InvalidInput("topic", _("Write what the training is about."))
    if fields.kpi not in KPIS:
        raise InvalidInput("kpi", _("Choose the figure the training should move."))
    if fields.kpi and fields.stage_id is None:
        raise InvalidInput("stage", _("Choose the stage whose figure the training should "
                                      "move."))
    if fields.done_on is not None and fields.done_on > day:
        raise InvalidInput("done_on", _("The training cannot be done in the future."))
    get_or_raise(session, User, fields.user_id, "user")
    if fields.stage_id is not None:
        get_or_raise(session, Stage, fields.stage_id, "stage")
    if plan_id is None:
        plan = TrainingPlan(created_by_id=by.id)
        session.add(plan)
    else:
        plan = get_or_raise(session, TrainingPlan, plan_id, "training_plan")
        if expected_version is not None and plan.version != expected_version:
            from funneldesk.db.stale import last_change

            raise last_change(session, TrainingPlan, plan_id)
    names = ("user_id", "stage_id", "kpi", "topic", "planned_on", "done_on", "outcome")
    before = {n: getattr(plan, n) for n in names} if plan_id is not None else {}
    plan.user_id, plan.stage_id, plan.kpi, plan.topic = (fields.user_id, fields.stage_id,
                                                         fields.kpi, topic)
    plan.planned_on, plan.done_on = fields.planned_on, fields.done_on
    plan.outcome, plan.updated_at = fields.outcome.strip(), utcnow()
    session.flush()
    after = {n: getattr(plan, n) for n in names}
    audit.record(session, by, "save", "training_plan", plan.id,
                 **{n: [_plain(before.get(n)), _plain(v)] for n, v in after.items()
                    if before.get(n) != v})
    return plan.id


def remove(session: Session, plan_id: int, by: Actor) -> None:
    require_manager(by, _("Only a manager can plan training."))
    plan = get_or_raise(session, TrainingPlan, plan_id, "training_plan")
    audit.record(session, by, "delete", "training_plan", plan_id, topic=plan.topic)
    session.delete(plan)


def windows(plan: PlanFields, today: dt.date) -> tuple[tuple[dt.date, dt.date],
                                                        tuple[dt.date, dt.date] | None]:
    """The 90 days before the training and (once it is done) the 90 after it, to today."""
    pivot = plan.done_on or plan.planned_on
    before = (pivot - dt.timedelta(days=WINDOW_DAYS), pivot - dt.timedelta(days=1))
    if plan.done_on is None or plan.done_on > today:
        return before, None
    return before, (plan.done_on, min(today, plan.done_on + dt.timedelta(days=WINDOW_DAYS)))


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value
