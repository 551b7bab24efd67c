"""The sample's contracts, in every state of the signing path: drafts and contracts in
review or posted on deals at the Contract stage (whose quote the customer accepted), and
signed, sealed, returned and archived ones on won deals, with payments received (some
late), service commitments, return visits and what customers said on them; a few are
confidential, one or two cancelled."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from funneldesk.enums import Confidentiality, ContractState, QuoteState
from funneldesk.i18n import _
from funneldesk.models import (
    Activity,
    ActivityState,
    Contract,
    ContractMilestone,
    ContractPayment,
    ContractReview,
    ContractStep,
    Deal,
    Quote,
    QuoteOption,
    QuoteRevision,
    ReturnVisit,
)
from funneldesk.money import round_cents
from funneldesk.services.common.records import Actor
from funneldesk.services.common.sql import next_new_id
from funneldesk.services.contracts.after_sales import (
    PAID_IN_FULL,
    collection_title,
    plan_collections,
    schedule_visits,
)
from funneldesk.services.contracts.contracts import make_contract, start_review
from funneldesk.services.contracts.search import index_new_contracts
from funneldesk.services.pipeline import next_step
from funneldesk.services.pipeline.search import raw_connection

MOST = 300  # contracts in one sample: enough to see every state, quick to make
PATH = (ContractState.IN_REVIEW, ContractState.APPROVED, ContractState.SENT,
        ContractState.SIGNED, ContractState.SEALED, ContractState.RETURNED,
        ContractState.ARCHIVED)
_BEFORE_SIGNING = (ContractState.DRAFT, ContractState.SENT, ContractState.IN_REVIEW,
                   ContractState.APPROVED)
_AFTER_SIGNING = (ContractState.SIGNED, ContractState.SEALED, ContractState.RETURNED,
                  ContractState.RETURNED, ContractState.ARCHIVED, ContractState.ARCHIVED)


def add(session: Session, rng: random.Random, words: dict[str, Any],
        deal_rows: Sequence[dict[str, Any]], contract_stage: int | None, won_stage: int,
        manager: Actor, now: dt.datetime) -> None:
    """Contracts on the won deals whose quote was accepted, and on deals at
    ``contract_stage`` that have a sent quote (the customer accepts it here)."""
    first = next_new_id(session, "contracts")
    _letterhead(session, words)
    rows = {row["id"]: row for row in deal_rows}
    # numbered in the order they were signed, as a team's contracts are
    today = now.date()
    quotes = sorted(session.scalars(select(Quote).where(Quote.deal_id.in_(rows))).all(),
                    key=lambda q: (rows[q.deal_id]["closed_on"] or today, q.id))
    made = waiting = 0
    contracted: set[int] = set()
    for quote in quotes:
        row = rows[quote.deal_id]
        if made >= MOST:
            break
        if row["stage_id"] == won_stage and quote.state is QuoteState.ACCEPTED:
            state = rng.choice(_AFTER_SIGNING)
            if not made:  # the first was redone: its first draft is cancelled
                _cancelled(session, rng, words, quote, row, manager, now)
        elif row["stage_id"] == contract_stage and quote.state is QuoteState.SENT:
            _accept(session, rng, quote, row, now)
            # every state before the signature, in turn
            state = _BEFORE_SIGNING[waiting % len(_BEFORE_SIGNING)]
            waiting += 1
        else:
            continue
        _contract(session, rng, words, quote, row, state, manager, now)
        made += 1
        contracted.add(quote.deal_id)
    if made:
        session.flush()
        index_new_contracts(raw_connection(session), first)
        # collections paid and visits made since they were planned: each deal's next step
        # is its earliest activity still planned, as the app keeps it
        next_step.refresh(session, contracted)


def _letterhead(session: Session, words: dict[str, Any]) -> None:
    """A sample company on the letterhead when the team has none yet, so that the
    sample's contracts name both parties (a manager replaces it in Settings)."""
    import json

    from funneldesk.models import TeamSetting
    from funneldesk.services.quotes.letterhead import KEY

    if session.get(TeamSetting, KEY) is None:
        session.add(TeamSetting(key=KEY, value=json.dumps(words["letterhead"],
                                                          ensure_ascii=False)))
        session.flush()


def _accept(session: Session, rng: random.Random, quote: Quote, row: dict[str, Any],
            now: dt.datetime) -> None:
    """The customer chose an option of the sent quote, as accepting it records."""
    newest = session.scalar(select(QuoteRevision.id).where(QuoteRevision.quote_id == quote.id)
                            .order_by(QuoteRevision.number.desc()).limit(1))
    chosen = rng.choice(session.scalars(select(QuoteOption).where(
        QuoteOption.revision_id == newest).order_by(QuoteOption.position)).all())
    deal = session.get(Deal, row["id"])
    assert deal is not None
    quote.state, quote.accepted_option_id = QuoteState.ACCEPTED, chosen.id
    quote.deal_value_before, deal.value = deal.value, chosen.total
    quote.decided_on, quote.decided_by_id = now.date(), row["owner_id"]


def _contract(session: Session, rng: random.Random, words: dict[str, Any], quote: Quote,
              row: dict[str, Any], state: ContractState, manager: Actor,
              now: dt.datetime) -> None:
    owner = row["owner_id"]
    deal = session.get(Deal, row["id"])
    assert deal is not None
    signed_day = row["closed_on"] or now.date()
    start = min(now, dt.datetime.combine(signed_day, dt.time(9), tzinfo=dt.UTC)
                - dt.timedelta(days=rng.randint(8, 20)))
    contract, _note = make_contract(session, quote, deal, owner, start.date(), start)
    contract.is_sample = True
    if deal.closed_on is not None and deal.currency == contract.currency:
        deal.won_value = contract.amount  # won for what the customer signed, as the app does
    contract.confidentiality = (Confidentiality.CONFIDENTIAL if rng.random() < 0.2
                                else Confidentiality.NORMAL)
    scope, hours, months, contact = rng.choice(words["commitments"])
    contract.warranty_terms = rng.choice(words["warranty"]).format(months=months)
    contract.acceptance_terms = rng.choice(words["acceptance"])
    contract.support_scope, contract.response_hours = scope, hours
    contract.warranty_months, contract.service_contact = months, contact
    # the schedule's days follow the signature: an advance a week after, the rest later
    milestones = session.scalars(select(ContractMilestone).where(
        ContractMilestone.contract_id == contract.id)
        .order_by(ContractMilestone.position)).all()
    for milestone, days in zip(milestones, (7, rng.choice((30, 45, 60))), strict=False):
        milestone.due_on = signed_day + dt.timedelta(days=days)
    day = start.date()
    for step in PATH[:PATH.index(state) + 1] if state in PATH else ():
        day = min(now.date(), signed_day if step is ContractState.SIGNED
                  else day + dt.timedelta(days=rng.randint(0, 3)))
        if step is ContractState.IN_REVIEW:
            start_review(session, contract)
        if step is ContractState.APPROVED:
            _tick_all(session, contract, manager.id, day)
        courier, tracking = ("", "")
        if step in (ContractState.SENT, ContractState.RETURNED):
            courier = rng.choice(words["couriers"])
            tracking = _tracking(rng, courier)
        session.add(ContractStep(contract_id=contract.id, state=step, on=day,
                                 at=dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC),
                                 by_id=owner, courier=courier, tracking=tracking))
        contract.state = step
        if step is ContractState.SIGNED:
            contract.signed_on = day
    if state is ContractState.IN_REVIEW and rng.random() < 0.5:
        first = session.scalar(select(ContractReview).where(
            ContractReview.contract_id == contract.id).order_by(ContractReview.position))
        if first is not None:  # half-way through its review
            first.ticked_at = dt.datetime.combine(day, dt.time(11), tzinfo=dt.UTC)
            first.ticked_by_id = manager.id
    contract.updated_at = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
    session.flush()
    if contract.signed_on is not None:
        by = Actor(owner, "", "", manager.role)
        plan_collections(session, contract, deal, by)
        _payments(session, rng, words, contract, milestones, owner, now.date())
        if contract.signed_on + dt.timedelta(days=10) <= now.date():
            contract.delivered_on = contract.signed_on + dt.timedelta(days=rng.randint(5, 10))
            schedule_visits(session, contract, deal, by)
            _visit_results(session, rng, words, contract, owner, now.date())


def _tracking(rng: random.Random, courier: str) -> str:
    """A tracking number shaped as the courier's own are (SF…, a UPS 1Z… and so on)."""
    prefix, digits, suffix = {"顺丰速运": ("SF", 12, ""), "EMS": ("EA", 9, "CN"),
                              "京东物流": ("JD", 13, ""), "UPS": ("1Z", 16, ""),
                              "FedEx": ("", 12, ""), "DHL": ("", 10, "")}.get(
        courier, ("", 12, ""))
    return f"{prefix}{rng.randint(10 ** (digits - 1), 10 ** digits - 1)}{suffix}"


def _tick_all(session: Session, contract: Contract, by_id: int, day: dt.date) -> None:
    for item in session.scalars(select(ContractReview).where(
            ContractReview.contract_id == contract.id)):
        item.ticked_at = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
        item.ticked_by_id = by_id


def _payments(session: Session, rng: random.Random, words: dict[str, Any], contract: Contract,
              milestones: Sequence[ContractMilestone], owner: int, today: dt.date) -> None:
    """The advance mostly paid on time; the balance paid, paid in part, or late."""
    for milestone in milestones:
        if milestone.due_on is None or milestone.due_on > today + dt.timedelta(days=5):
            continue
        roll = rng.random()
        if roll < 0.2:
            continue  # not paid: overdue once its day has passed
        paid = milestone.amount if roll > 0.4 else round_cents(milestone.amount / 2)
        on = min(today, milestone.due_on + dt.timedelta(days=rng.randint(-3, 12)))
        session.add(ContractPayment(milestone_id=milestone.id, received_on=on, amount=paid,
                                    method=rng.choice(words["pay_methods"]),
                                    reference=f"{rng.randint(10**7, 10**8 - 1)}",
                                    recorded_by_id=owner))
        session.flush()
        activity = session.get(Activity, milestone.reminder_activity_id or 0)
        if activity is not None:  # says what is still owed, as a recorded payment does
            activity.title = collection_title(contract, milestone)
        if paid == milestone.amount and activity is not None:
            activity.state, activity.closed_by_id = ActivityState.DONE, owner
            activity.closed_at = dt.datetime.combine(on, dt.time(16), tzinfo=dt.UTC)
            activity.outcome = _(PAID_IN_FULL)


def _visit_results(session: Session, rng: random.Random, words: dict[str, Any],
                   contract: Contract, owner: int, today: dt.date) -> None:
    for visit, activity in session.execute(
            select(ReturnVisit, Activity).join(Activity, Activity.id == ReturnVisit.activity_id)
            .where(ReturnVisit.contract_id == contract.id)).all():
        if activity.due_on is None or activity.due_on > today:
            continue
        problem = rng.random() < 0.3
        visit.satisfaction = rng.choice((3, 4, 4, 5, 5)) if not problem else rng.choice((2, 3))
        visit.problems = rng.choice(words["visit_problems"]) if problem else ""
        visit.follow_up_needed = problem
        when = dt.datetime.combine(activity.due_on, dt.time(15), tzinfo=dt.UTC)
        visit.recorded_at, visit.recorded_by_id = when, owner
        activity.state, activity.closed_at, activity.closed_by_id = (
            ActivityState.DONE, when, owner)
        activity.outcome = visit.problems or words["visit_fine"]


def _cancelled(session: Session, rng: random.Random, words: dict[str, Any], quote: Quote,
               row: dict[str, Any], manager: Actor, now: dt.datetime) -> None:
    """A draft the customer asked to redo, cancelled before the one they signed."""
    deal = session.get(Deal, row["id"])
    assert deal is not None
    day = (row["closed_on"] or now.date()) - dt.timedelta(days=25)
    at = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    draft, _note = make_contract(session, quote, deal, row["owner_id"], day, at)
    draft.is_sample = True
    draft.state, draft.cancelled_reason = (ContractState.CANCELLED,
                                           rng.choice(words["cancel_reasons"]))
    session.add(ContractStep(contract_id=draft.id, state=ContractState.CANCELLED,
                             on=day + dt.timedelta(days=2), at=at, by_id=manager.id,
                             note=draft.cancelled_reason))
