"""What follows a signature: the deal moved to Won when the signed contract was all it
waited for, the return visits (回访) planned after delivery as activities, and what the
customer said on each, with the money and promises that a deal's and a customer's
views show."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, object_session

from funneldesk.errors import InvalidFields, InvalidInput, NotFound
from funneldesk.i18n import LANGUAGES, N_, _, ngettext, translated
from funneldesk.models import (
    Activity,
    ActivityKind,
    ActivityState,
    Company,
    Confidentiality,
    Contract,
    ContractMilestone,
    ContractPayment,
    ContractState,
    Deal,
    ReturnVisit,
    StageKind,
    User,
)
from funneldesk.models.base import utcnow
from funneldesk.services.activities.search import index_activities
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.permissions import may_change_deal
from funneldesk.services.common.records import Actor, ChangeSet
from funneldesk.services.common.sql import session_query
from funneldesk.services.contracts import reads
from funneldesk.services.contracts.records import AfterSales, Commitments, Money
from funneldesk.services.contracts.settings import contract_settings
from funneldesk.services.pipeline import next_step
from funneldesk.services.pipeline.criteria import missing_for_move, required_for_move
from funneldesk.services.pipeline.lookups import load_pipeline
from funneldesk.services.pipeline.moves import move_in
from funneldesk.services.pipeline.search import raw_connection


def win_on_signature(session: Session, deal: Deal, contract: Contract, day: dt.date,
                     by: Actor) -> bool:
    """Moves the deal to Won when a signed contract is a criterion of getting there,
    nothing else is missing, and the one who records the signature may move the deal;
    True if it moved. The won value is the contract's amount (in the deal's currency)."""
    if not may_change_deal(by, deal.owner_id) or contract.currency != deal.currency:
        # the deal's owner (or a manager) moves it, in its own currency: the criterion
        # shows as met, and the deal waits for them
        return False
    pipeline = load_pipeline(session, deal.pipeline_id)
    stages = {s.id: s for s in pipeline.stages}
    if not stages[deal.stage_id].is_open:
        return False
    won = next((s for s in pipeline.stages if s.kind is StageKind.WON), None)
    if won is None:
        return False
    needed = required_for_move(pipeline, deal.stage_id, won.id)
    if not any(c.rule for c in needed):
        return False  # this pipeline does not make the signature its Won criterion
    if missing_for_move(session, pipeline, deal.id, deal.stage_id, won.id):
        return False  # something else is still to do: the deal waits for it
    move_in(session, deal, won.id, None, by, won_on=day, final_value=contract.amount)
    return True


def _activities_changed(session: Session, activity_ids: list[int]) -> None:
    """Activities this area planned, moved, closed or renamed: found anew by search, and
    their deals' next step (the earliest planned activity, as anywhere) follows them."""
    index_activities(raw_connection(session), activity_ids)
    next_step.refresh(session, [d for d in session.scalars(select(Activity.deal_id).where(
        Activity.id.in_(activity_ids))) if d is not None])


def schedule_visits(session: Session, contract: Contract, deal: Deal, by: Actor) -> list[int]:
    """Plans a return visit on each of the team's days after delivery for the deal's
    owner (one already planned moves with a new delivery date; one done stays); returns
    the activities planned or moved."""
    assert contract.delivered_on is not None
    settings = contract_settings(session_query(session))
    segment = session.scalar(select(Company.segment).where(
        Company.id == deal.company_id)) if deal.company_id else ""
    questionnaire = settings.questionnaire(segment or "")
    existing = {v.after_days: v for v in session.scalars(
        select(ReturnVisit).where(ReturnVisit.contract_id == contract.id))}
    touched: list[int] = []
    for days in settings.visit_days:
        due = contract.delivered_on + dt.timedelta(days=days)
        visit = existing.get(days)
        if visit is not None:
            activity = session.get(Activity, visit.activity_id)
            if activity is not None and activity.state is ActivityState.PLANNED \
                    and activity.due_on != due:
                activity.due_on, activity.updated_at = due, utcnow()
                activity.sequence += 1
                touched.append(activity.id)
            continue
        activity = Activity(
            kind=ActivityKind.CALL, state=ActivityState.PLANNED,
            title=visit_title(contract, days),
            agenda=questionnaire, due_on=due, assignee_id=deal.owner_id, deal_id=deal.id,
            company_id=deal.company_id, contact_id=deal.contact_id, created_by_id=by.id,
            is_sample=contract.is_sample)
        session.add(activity)
        session.flush()
        session.add(ReturnVisit(contract_id=contract.id, activity_id=activity.id,
                                after_days=days, questionnaire=questionnaire))
        touched.append(activity.id)
    if touched:
        session.flush()
        _activities_changed(session, touched)
    return touched


def visit_title(contract: Contract, days: int,
                level: Confidentiality | None = None) -> str:
    """A return visit's activity title; a confidential contract's names no number (an
    activity is read by the whole team)."""
    if (level or contract.confidentiality) is Confidentiality.CONFIDENTIAL:
        return ngettext("Return visit, {days} day after delivery",
                        "Return visit, {days} days after delivery", days).format(days=days)
    return ngettext("Return visit, {days} day after delivery: {number}",
                    "Return visit, {days} days after delivery: {number}", days).format(
        days=days, number=contract.number)[:300]


def collection_title(contract: Contract, milestone: ContractMilestone,
                     level: Confidentiality | None = None) -> str:
    """A payment's collection title, with what is still owed on it (the whole amount
    once it is paid); a confidential contract's names no sum or number."""
    if (level or contract.confidentiality) is Confidentiality.CONFIDENTIAL:
        return _("Collect a payment (confidential contract)")
    session = object_session(milestone)
    owed = owed_on(session, milestone) if session is not None else milestone.amount
    return _("Collect payment: {label}, {amount} {currency} ({number})").format(
        label=milestone.label, amount=f"{owed if owed > 0 else milestone.amount:,.2f}",
        currency=contract.currency, number=contract.number)[:300]


def owed_on(session: Session, milestone: ContractMilestone) -> Decimal:
    """What is still owed on the milestone: its amount less the payments against it."""
    received = session.scalar(select(func.coalesce(func.sum(ContractPayment.amount), 0))
                              .where(ContractPayment.milestone_id == milestone.id))
    return milestone.amount - Decimal(received or 0)


def rename_activities(session: Session, contract: Contract, level: Confidentiality) -> None:
    """The contract's collections and visits titled anew for its new confidentiality
    (and a confidential one's visit results taken out of the activities' outcomes)."""
    changed = []
    for milestone, activity in session.execute(
            select(ContractMilestone, Activity)
            .join(Activity, Activity.id == ContractMilestone.reminder_activity_id)
            .where(ContractMilestone.contract_id == contract.id)).all():
        activity.title = collection_title(contract, milestone, level)
        changed.append(activity)
    for visit, activity in session.execute(
            select(ReturnVisit, Activity).join(Activity, Activity.id == ReturnVisit.activity_id)
            .where(ReturnVisit.contract_id == contract.id)).all():
        activity.title = visit_title(contract, visit.after_days, level)
        if visit.recorded_at is not None:
            activity.outcome = _visit_outcome(visit.satisfaction, visit.problems,
                                              visit.follow_up_needed, level)
        changed.append(activity)
    for activity in changed:
        activity.sequence += 1
    if changed:
        session.flush()
        _activities_changed(session, [a.id for a in changed])


def plan_collections(session: Session, contract: Contract, deal: Deal, by: Actor) -> list[int]:
    """Plans, for the deal's owner, an activity to collect each milestone on its due day
    (once the contract is signed): a milestone unpaid after that day is an overdue
    reminder in the Today pane and the tray like any other. Returns the activities."""
    planned: list[int] = []
    for milestone in session.scalars(select(ContractMilestone).where(
            ContractMilestone.contract_id == contract.id,
            ContractMilestone.reminder_activity_id.is_(None),
            ContractMilestone.due_on.is_not(None))):
        activity = Activity(
            kind=ActivityKind.CALL, state=ActivityState.PLANNED,
            title=collection_title(contract, milestone),
            due_on=milestone.due_on, assignee_id=deal.owner_id, deal_id=deal.id,
            company_id=deal.company_id, contact_id=deal.contact_id, created_by_id=by.id,
            is_sample=contract.is_sample)
        session.add(activity)
        session.flush()
        milestone.reminder_activity_id = activity.id
        planned.append(activity.id)
    if planned:
        _activities_changed(session, planned)
    return planned


PAID_IN_FULL = N_("Paid in full.")


def settle_collection(session: Session, milestone: ContractMilestone, by: Actor, *,
                      was_paid: bool = False) -> list[int]:
    """The milestone's collection after its payments changed: done once the milestone is
    paid in full, planned again when a take-back leaves it owed after it was paid (a part
    payment leaves the activity as the rep left it), and titled with what is still owed.
    An outcome the rep wrote stays; only the one written here goes. Returns the activity
    changed, if any."""
    milestone = session.get(ContractMilestone, milestone.id) or milestone  # this session's
    activity = session.get(Activity, milestone.reminder_activity_id or 0)
    if activity is None:
        return []
    paid = owed_on(session, milestone) == 0
    contract = session.get(Contract, milestone.contract_id)
    title = collection_title(contract, milestone) if contract else activity.title
    if paid and not was_paid and activity.state is ActivityState.PLANNED:
        activity.state, activity.closed_at, activity.closed_by_id = (
            ActivityState.DONE, utcnow(), by.id)
        activity.outcome = activity.outcome or _(PAID_IN_FULL)
    elif was_paid and not paid and activity.state is ActivityState.DONE:
        activity.state, activity.closed_at, activity.closed_by_id = (
            ActivityState.PLANNED, None, None)
        if activity.outcome in {translated(PAID_IN_FULL, lang) for lang in LANGUAGES}:
            activity.outcome = ""
    elif title == activity.title:
        return []
    activity.title = title
    activity.sequence += 1
    activity.updated_at = utcnow()
    session.flush()
    _activities_changed(session, [activity.id])
    return [activity.id]


def cancel_open_activities(session: Session, contract: Contract, by: Actor) -> list[int]:
    """A cancelled contract's collections and return visits still planned are cancelled."""
    ids = [i for i in session.scalars(select(ContractMilestone.reminder_activity_id).where(
        ContractMilestone.contract_id == contract.id)) if i is not None]
    ids += session.scalars(select(ReturnVisit.activity_id).where(
        ReturnVisit.contract_id == contract.id)).all()
    changed = []
    for activity in session.scalars(select(Activity).where(
            Activity.id.in_(ids), Activity.state == ActivityState.PLANNED)):
        activity.state, activity.closed_at, activity.closed_by_id = (
            ActivityState.CANCELLED, utcnow(), by.id)
        activity.sequence += 1
        changed.append(activity.id)
    if changed:
        session.flush()
        _activities_changed(session, changed)
    return changed


def money(session: Session, viewer: Actor, where: ColumnElement[bool],
          today: dt.date) -> tuple[Money, ...]:
    """Contracted, received and overdue amounts per currency, of the signed contracts
    that ``where`` picks (a condition on Contract joined to its Deal)."""
    contracted = dict(session.execute(
        select(Contract.currency, func.sum(Contract.amount))
        .join(Deal, Deal.id == Contract.deal_id)
        .where(Contract.state.in_(reads.OWING), reads.visible_to(viewer), where,
               Deal.deleted_at.is_(None))
        .group_by(Contract.currency)).all())
    overdue: dict[str, Decimal] = {}
    paid = dict(session.execute(
        select(Contract.currency, func.sum(ContractPayment.amount))
        .join(ContractMilestone, ContractMilestone.id == ContractPayment.milestone_id)
        .join(Contract, Contract.id == ContractMilestone.contract_id)
        .join(Deal, Deal.id == Contract.deal_id)
        .where(Contract.state.in_(reads.OWING), reads.visible_to(viewer), where,
               Deal.deleted_at.is_(None))
        .group_by(Contract.currency)).all())
    received = {k: Decimal(v) for k, v in paid.items()}
    # each contract's currency read with its id, not once more per contract
    currencies = dict(session.execute(
        select(Contract.id, Contract.currency).join(Deal, Deal.id == Contract.deal_id).where(
            Contract.state.in_(reads.OWING), reads.visible_to(viewer), where,
            Deal.deleted_at.is_(None))).all())
    for contract_id, views in reads.milestones_of(session, list(currencies), {}).items():
        late = sum((m.outstanding for m in views if m.overdue(today)), Decimal(0))
        if late:
            currency = currencies[contract_id]
            overdue[currency] = overdue.get(currency, Decimal(0)) + late
    return tuple(Money(currency, Decimal(total), received.get(currency, Decimal(0)),
                       overdue.get(currency, Decimal(0)))
                 for currency, total in sorted(contracted.items()))


class AfterSalesService(Service):
    def for_deal(self, deal_id: int, *, viewer: Actor,
                 today: dt.date | None = None) -> AfterSales:
        return self._of(Contract.deal_id == deal_id, viewer, today)

    def for_company(self, company_id: int, *, viewer: Actor,
                    today: dt.date | None = None) -> AfterSales:
        return self._of(Deal.company_id == company_id, viewer, today)

    def _of(self, where: ColumnElement[bool], viewer: Actor,
            today: dt.date | None) -> AfterSales:
        with self.db.reading() as session:
            contracts = session.scalars(
                select(Contract).join(Deal, Deal.id == Contract.deal_id)
                .where(where, reads.visible_to(viewer), Deal.deleted_at.is_(None),
                       Contract.state != ContractState.CANCELLED)
                .order_by(Contract.id)).all()
            names = dict(session.execute(select(User.id, User.display_name)).all())
            visits = reads.visits_of(session, [c.id for c in contracts], names)
            numbers = {c.id: c.number for c in contracts}
            return AfterSales(
                money(session, viewer, where, today or dt.date.today()),
                tuple((c.number, Commitments(c.support_scope, c.response_hours,
                                             c.warranty_months, c.service_contact))
                      for c in contracts if c.state in reads.OWING),
                tuple((numbers[cid], v) for cid, views in visits.items() for v in views))

    def record_visit(self, visit_id: int, satisfaction: int | None, problems: str,
                     follow_up_needed: bool, *, by: Actor,
                     today: dt.date | None = None) -> ChangeSet:
        """What the customer said on a return visit; the visit's activity is done with
        it. A follow-up needed is planned for the deal's owner two days on (not twice
        while one is planned; taken off, the one planned stays for the owner to cancel
        or do)."""
        if satisfaction is not None and not 1 <= satisfaction <= 5:
            raise InvalidFields.of([InvalidInput("satisfaction", _(
                "Rate the satisfaction from 1 (poor) to 5 (very satisfied)."))])
        with self.db.session() as session:
            visit = session.get(ReturnVisit, visit_id)
            if visit is None:
                raise NotFound("visit", visit_id)
            contract = session.get(Contract, visit.contract_id)
            assert contract is not None
            deal = session.get(Deal, contract.deal_id)
            assert deal is not None
            from funneldesk.services.activities.team import may_work_on

            if not reads.may_read(session, contract, deal, by) or not may_work_on(
                    session, deal, by):
                raise NotFound("visit", visit_id)
            if contract.state is ContractState.CANCELLED:
                raise InvalidInput("visit", _("The contract is cancelled: its visits stay "
                                              "as they were."))
            # planned when the need is first said: saved again (a typo put right), the
            # visit plans nothing more, even once the first follow-up is done
            planned = (plan_follow_up(session, contract, deal, by, today or dt.date.today())
                       if follow_up_needed and not visit.follow_up_needed else None)
            visit.satisfaction, visit.problems = satisfaction, problems.strip()
            visit.follow_up_needed = follow_up_needed
            visit.recorded_at, visit.recorded_by_id = utcnow(), by.id
            activity = session.get(Activity, visit.activity_id)
            if activity is not None and activity.state is ActivityState.PLANNED:
                activity.state, activity.closed_at = ActivityState.DONE, utcnow()
                activity.closed_by_id = by.id
                activity.outcome = _visit_outcome(satisfaction, problems, follow_up_needed,
                                                  contract.confidentiality)
                activity.sequence += 1
            audit.record(session, by, "visit-result", "contract", contract.id,
                         after_days=visit.after_days, satisfaction=satisfaction,
                         follow_up_needed=follow_up_needed)
            session.flush()
            changed = [visit.activity_id] + ([planned] if planned else [])
            _activities_changed(session, changed)
            return ChangeSet(frozenset({deal.id}), activity_ids=frozenset(changed),
                             contract_ids=frozenset({contract.id}))


def plan_follow_up(session: Session, contract: Contract, deal: Deal, by: Actor,
                   today: dt.date) -> int | None:
    """A call for the deal's owner about what the customer raised on a return visit,
    unless one is planned already. Its title names the customer, never what they said
    (that stays on the visit, which only the contract's readers see), so that it tells
    nothing when the contract becomes confidential."""
    title = _("Follow up the return visit to {customer}").format(
        customer=contract.customer_name or deal.title)[:300]
    if session.scalar(select(Activity.id).where(
            Activity.deal_id == deal.id, Activity.title == title,
            Activity.state == ActivityState.PLANNED).limit(1)) is not None:
        return None
    activity = Activity(
        kind=ActivityKind.CALL, state=ActivityState.PLANNED, title=title,
        due_on=today + dt.timedelta(days=2), assignee_id=deal.owner_id, deal_id=deal.id,
        company_id=deal.company_id, contact_id=deal.contact_id, created_by_id=by.id,
        is_sample=contract.is_sample)
    session.add(activity)
    session.flush()
    return activity.id


def _visit_outcome(satisfaction: int | None, problems: str, follow_up: bool,
                   level: Confidentiality = Confidentiality.NORMAL) -> str:
    if level is Confidentiality.CONFIDENTIAL:  # kept on the contract, which few may read
        return _("Result recorded on the confidential contract.")
    parts = []
    if satisfaction is not None:
        parts.append(_("Satisfaction {score}/5").format(score=satisfaction))
    if problems.strip():
        parts.append(_("Problems: {text}").format(text=problems.strip()))
    if follow_up:
        parts.append(_("Follow-up needed"))
    return "; ".join(parts)
