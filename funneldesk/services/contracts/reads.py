"""Contracts as read back: who may see which, the list, one contract whole, and the
receivables. A confidential contract is seen by its deal's owner, the deal's team and
the managers only; nobody else gets as much as its number."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import ColumnElement, Select, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from funneldesk.enums import SIGNED_STATES
from funneldesk.errors import NotFound
from funneldesk.models import (
    Activity,
    ActivityState,
    Company,
    Confidentiality,
    Contract,
    ContractFile,
    ContractItem,
    ContractMilestone,
    ContractPayment,
    ContractReview,
    ContractStep,
    Deal,
    DealMember,
    Quote,
    QuoteOption,
    ReturnVisit,
    User,
)
from funneldesk.services.activities.team import may_work_on, owned_or_on_team
from funneldesk.services.common.records import Actor
from funneldesk.services.contracts import templates
from funneldesk.services.contracts.records import (
    Commitments,
    ContractContent,
    ContractSummary,
    ContractView,
    FileView,
    ItemView,
    MilestoneDraft,
    MilestoneView,
    PaymentView,
    Receivable,
    ReviewItemView,
    StepView,
    VisitView,
)

# the states in which money is owed: the customer has signed
OWING = SIGNED_STATES


def visible_to(viewer: Actor) -> ColumnElement[bool]:
    """The contracts ``viewer`` may read (a condition on Contract joined to its Deal)."""
    if viewer.is_manager:
        return true()
    return or_(Contract.confidentiality == Confidentiality.NORMAL,
               owned_or_on_team(viewer.id))


def may_read(session: Session, contract: Contract, deal: Deal, viewer: Actor) -> bool:
    if viewer.is_manager or contract.confidentiality is Confidentiality.NORMAL:
        return True
    return deal.owner_id == viewer.id or session.scalar(
        select(DealMember.id).where(DealMember.deal_id == deal.id,
                                    DealMember.user_id == viewer.id).limit(1)) is not None


def _received() -> Select[int, Decimal]:
    return (select(ContractMilestone.contract_id.label("contract_id"),
                   func.sum(ContractPayment.amount).label("received"))
            .join(ContractPayment, ContractPayment.milestone_id == ContractMilestone.id)
            .group_by(ContractMilestone.contract_id))


def summaries(session: Session, *where: ColumnElement[bool]) -> list[ContractSummary]:
    """The contracts of deals not in the Trash that match ``where``, the latest changed
    first."""
    owner = aliased(User)
    received = _received().subquery()
    review = (select(ContractReview.contract_id.label("contract_id"),
                     func.count().label("listed"),
                     func.count(ContractReview.ticked_at).label("ticked"))
              .group_by(ContractReview.contract_id).subquery())
    rows = session.execute(
        select(Contract, Deal.title, Deal.company_id, Company.name, owner.display_name,
               Deal.owner_id, received.c.received, review.c.listed, review.c.ticked)
        .join(Deal, Deal.id == Contract.deal_id)
        .join(owner, owner.id == Deal.owner_id)
        .outerjoin(Company, Company.id == Deal.company_id)
        .outerjoin(received, received.c.contract_id == Contract.id)
        .outerjoin(review, review.c.contract_id == Contract.id)
        .where(Deal.deleted_at.is_(None), *where)
        .order_by(Contract.updated_at.desc(), Contract.id.desc())).all()
    return [ContractSummary(
        c.id, c.number, c.title, c.deal_id, deal_title, company_id,
        c.customer_name or company or "", owner_name, owner_id, c.state, c.confidentiality,
        c.currency, c.amount, Decimal(got) if got is not None else Decimal(0), c.signed_on,
        c.updated_at, c.version, bool(items) and items == ticked)
        for c, deal_title, company_id, company, owner_name, owner_id, got, items, ticked
        in rows]


def contract_view(session: Session, contract: Contract, viewer: Actor) -> ContractView:
    found = summaries(session, Contract.id == contract.id)
    if not found:
        raise NotFound("contract", contract.id)
    names = dict(session.execute(select(User.id, User.display_name)).all())
    deal = session.get(Deal, contract.deal_id)
    assert deal is not None
    roles = set(session.scalars(select(DealMember.role).where(
        DealMember.deal_id == deal.id, DealMember.user_id == viewer.id)))
    role_names = {role.value for role in roles}
    quote_number = session.scalar(select(Quote.number).where(Quote.id == contract.quote_id))
    option_name = session.scalar(select(QuoteOption.name).where(
        QuoteOption.id == contract.option_id))
    items = tuple(ItemView(i.name, i.description, i.unit, i.quantity, i.unit_price,
                           i.discount, i.tax_rate, i.amount)
                  for i in session.scalars(select(ContractItem).where(
                      ContractItem.contract_id == contract.id).order_by(ContractItem.position)))
    milestones = milestones_of(session, [contract.id], names).get(contract.id, ())
    reviews = tuple(
        ReviewItemView(r.id, r.label, r.who, names.get(r.ticked_by_id or 0, ""), r.ticked_at,
                       r.note, may_tick(viewer, r.who, role_names))
        for r in session.scalars(select(ContractReview).where(
            ContractReview.contract_id == contract.id).order_by(ContractReview.position)))
    steps = session.scalars(select(ContractStep).where(
        ContractStep.contract_id == contract.id).order_by(ContractStep.id)).all()
    step_states = {s.id: s.state for s in steps}
    # the scans' sizes, not their bytes: a contract is read on every change
    files = tuple(
        FileView(ident, filename, size, added_at, names.get(added_by, ""),
                 step_states.get(step or 0))
        for ident, filename, size, added_at, added_by, step in session.execute(
            select(ContractFile.id, ContractFile.filename, func.length(ContractFile.data),
                   ContractFile.added_at, ContractFile.added_by_id, ContractFile.step_id)
            .where(ContractFile.contract_id == contract.id).order_by(ContractFile.id)))
    content = ContractContent(
        contract.title, contract.language, contract.confidentiality, contract.terms,
        contract.delivery_terms, contract.warranty_terms, contract.acceptance_terms,
        tuple(MilestoneDraft(m.label, m.due_on, m.percent,
                             None if m.percent is not None else m.amount)
              for m in milestones),
        Commitments(contract.support_scope, contract.response_hours,
                    contract.warranty_months, contract.service_contact))
    return ContractView(
        found[0], contract.quote_id, quote_number or "", option_name or "", contract.language,
        contract.prices_include_tax, contract.subtotal, contract.tax, contract.customer_address,
        contract.customer_contact, content, items, milestones, reviews,
        tuple(StepView(s.state, s.on, names.get(s.by_id, ""), s.courier, s.tracking, s.note)
              for s in steps),
        files, visits_of(session, [contract.id], names).get(contract.id, ()),
        contract.delivered_on, contract.cancelled_reason, templates.unknown(contract.terms),
        may_work_on(session, deal, viewer))


def may_tick(viewer: Actor, who: str, roles: set[str]) -> bool:
    """A manager ticks any item; a colleague on the deal's team the items of their role."""
    return viewer.is_manager or (who != "manager" and who in roles)


def milestones_of(session: Session, contract_ids: Sequence[int],
                  names: dict[int, str]) -> dict[int, tuple[MilestoneView, ...]]:
    payments: dict[int, list[PaymentView]] = {}
    for p in session.scalars(
            select(ContractPayment).join(ContractMilestone,
                                         ContractMilestone.id == ContractPayment.milestone_id)
            .where(ContractMilestone.contract_id.in_(contract_ids))
            .order_by(ContractPayment.received_on, ContractPayment.id)):
        payments.setdefault(p.milestone_id, []).append(PaymentView(
            p.id, p.received_on, p.amount, p.method, p.reference,
            names.get(p.recorded_by_id, ""), p.recorded_by_id))
    result: dict[int, list[MilestoneView]] = {}
    for m in session.scalars(select(ContractMilestone).where(
            ContractMilestone.contract_id.in_(contract_ids))
            .order_by(ContractMilestone.contract_id, ContractMilestone.position)):
        result.setdefault(m.contract_id, []).append(MilestoneView(
            m.id, m.label, m.due_on, m.percent, m.amount, tuple(payments.get(m.id, ()))))
    return {k: tuple(v) for k, v in result.items()}


def visits_of(session: Session, contract_ids: Sequence[int],
              names: dict[int, str]) -> dict[int, tuple[VisitView, ...]]:
    result: dict[int, list[VisitView]] = {}
    for visit, due_on, state in session.execute(
            select(ReturnVisit, Activity.due_on, Activity.state)
            .join(Activity, Activity.id == ReturnVisit.activity_id)
            .where(ReturnVisit.contract_id.in_(contract_ids))
            .order_by(ReturnVisit.contract_id, ReturnVisit.after_days, ReturnVisit.id)):
        result.setdefault(visit.contract_id, []).append(VisitView(
            visit.id, visit.activity_id, visit.after_days, due_on,
            state is ActivityState.DONE, visit.questionnaire, visit.satisfaction,
            visit.problems, visit.follow_up_needed, names.get(visit.recorded_by_id or 0, ""),
            state is ActivityState.CANCELLED))
    return {k: tuple(v) for k, v in result.items()}


def receivables(session: Session, viewer: Actor, today: dt.date) -> list[Receivable]:
    """Every milestone of a signed contract not yet paid in full, the earliest due first
    (undated last)."""
    paid = (select(ContractPayment.milestone_id, func.sum(ContractPayment.amount).label("got"))
            .group_by(ContractPayment.milestone_id).subquery())
    owner = aliased(User)
    rows = session.execute(
        select(ContractMilestone, Contract.number, Contract.currency, Contract.customer_name,
               Deal.company_id, Deal.owner_id, owner.display_name, paid.c.got)
        .join(Contract, Contract.id == ContractMilestone.contract_id)
        .join(Deal, Deal.id == Contract.deal_id)
        .join(owner, owner.id == Deal.owner_id)
        .outerjoin(paid, paid.c.milestone_id == ContractMilestone.id)
        .where(Contract.state.in_(OWING), Deal.deleted_at.is_(None), visible_to(viewer),
               ContractMilestone.amount > func.coalesce(paid.c.got, 0))
        .order_by(ContractMilestone.due_on.is_(None), ContractMilestone.due_on,
                  ContractMilestone.id)).all()
    return [Receivable(
        m.id, m.contract_id, number, m.label, company_id, customer, owner_id, owner_name,
        currency, m.due_on, m.amount, Decimal(got) if got is not None else Decimal(0),
        (today - m.due_on).days if m.due_on is not None and m.due_on < today else 0)
        for m, number, currency, customer, company_id, owner_id, owner_name, got in rows]
