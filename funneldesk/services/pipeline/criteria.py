"""Stage criteria on a deal: what is ticked, and what a move still needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from funneldesk.enums import CONTRACT_SIGNED, SIGNED_STATES
from funneldesk.errors import InvalidInput
from funneldesk.i18n import _
from funneldesk.models import (
    Contract,
    ContractState,
    ContractStep,
    CriterionCheck,
    CriterionKind,
    Deal,
    Stage,
    StageCriterion,
    StageKind,
    User,
)
from funneldesk.services.common import audit
from funneldesk.services.common.records import Actor
from funneldesk.services.pipeline.records import (
    CriterionInfo,
    MissingCriterion,
    MoveCheck,
    PipelineInfo,
    StageInfo,
)


def ticks(session: Session, deal_id: int) -> dict[int, tuple[bool, str, dt.datetime | None]]:
    """criterion id -> (checked, by whom, when), from the latest tick of each criterion;
    a criterion met by the data (a signed contract) is as the data says."""
    rows = session.execute(
        select(CriterionCheck.criterion_id, CriterionCheck.checked, User.display_name,
               CriterionCheck.at)
        .join(User, User.id == CriterionCheck.by_id)
        .where(CriterionCheck.deal_id == deal_id)
        .order_by(CriterionCheck.id)
    )
    state: dict[int, tuple[bool, str, dt.datetime | None]] = {
        r.criterion_id: (r.checked, r.display_name, r.at) for r in rows}
    state.update(_met_by_data(session, deal_id))
    return state


def _met_by_data(session: Session, deal_id: int) -> dict[int, tuple[bool, str, dt.datetime | None]]:
    """The deal's pipeline's criteria that a signed contract meets (the Contracts area's
    table, read through the shared models)."""
    ids = session.scalars(
        select(StageCriterion.id).join(Stage, Stage.id == StageCriterion.stage_id)
        .join(Deal, Deal.pipeline_id == Stage.pipeline_id)
        .where(Deal.id == deal_id, StageCriterion.rule == CONTRACT_SIGNED)).all()
    if not ids:
        return {}
    signed = session.execute(
        select(User.display_name, ContractStep.at)
        .join(ContractStep, ContractStep.by_id == User.id)
        .join(Contract, Contract.id == ContractStep.contract_id)
        .where(Contract.deal_id == deal_id, Contract.state.in_(SIGNED_STATES),
               ContractStep.state == ContractState.SIGNED)
        .order_by(ContractStep.id.desc()).limit(1)).first()
    met = (True, signed[0], signed[1]) if signed else (False, "", None)
    return dict.fromkeys(ids, met)


def is_forward(pipeline: PipelineInfo, from_id: int, to_id: int) -> bool:
    order = [s.id for s in pipeline.stages]
    return order.index(to_id) > order.index(from_id)


def required_for_move(pipeline: PipelineInfo, from_id: int, to_id: int) -> list[CriterionInfo]:
    """Exit criteria of the stage left and of every stage skipped, entry criteria of the
    target; nothing for a backward move, a move to Lost or a reopening."""
    stages = {s.id: s for s in pipeline.stages}
    source, target = stages[from_id], stages[to_id]
    if target.kind is StageKind.LOST or not source.is_open or not is_forward(pipeline, from_id, to_id):
        return []
    order = list(pipeline.stages)
    between: list[StageInfo] = order[order.index(source):order.index(target)]
    needed = [c for s in between for c in s.criteria if c.kind is CriterionKind.EXIT]
    needed += [c for c in target.criteria if c.kind is CriterionKind.ENTRY]
    return needed


def missing_for_move(session: Session, pipeline: PipelineInfo, deal_id: int,
                     from_id: int, to_id: int) -> list[CriterionInfo]:
    needed = required_for_move(pipeline, from_id, to_id)
    if not needed:
        return []
    state = ticks(session, deal_id)
    return [c for c in needed if not state.get(c.id, (False,))[0]]


def move_check(session: Session, pipeline: PipelineInfo, deal_id: int, from_id: int,
               to_id: int) -> MoveCheck:
    """What a move from ``from_id`` to ``to_id`` still needs, split by kind."""
    names = {s.id: s.name for s in pipeline.stages}
    missing = [MissingCriterion(c, names[c.stage_id])
               for c in missing_for_move(session, pipeline, deal_id, from_id, to_id)]
    return MoveCheck(names[to_id],
                     tuple(m for m in missing if m.criterion.kind is CriterionKind.EXIT),
                     tuple(m for m in missing if m.criterion.kind is CriterionKind.ENTRY))


def record_ticks(session: Session, pipeline: PipelineInfo, deal: Deal,
                 changes: Mapping[int, bool], by: Actor) -> tuple[tuple[int, bool], ...]:
    """Ticks or unticks criteria of the deal's pipeline as ``by``; returns (id, state
    before) of each one that changed. The caller marks the deal changed, so that its
    version goes up once with everything else the call saves."""
    labels = {c.id: c.label for s in pipeline.stages for c in s.criteria}
    if any(ident not in labels for ident in changes):
        raise InvalidInput("criterion", _("That item belongs to another pipeline."))
    by_data = {c.id for s in pipeline.stages for c in s.criteria if c.rule}
    if any(ident in by_data for ident in changes):
        raise InvalidInput("criterion", _(
            "This item is met when a contract of the deal is signed by the customer: it "
            "is not ticked by hand."))
    state = ticks(session, deal.id)
    before: list[tuple[int, bool]] = []
    for ident, checked in changes.items():
        was = state.get(ident, (False,))[0]
        if was == checked:
            continue
        session.add(CriterionCheck(deal_id=deal.id, criterion_id=ident, checked=checked,
                                   by_id=by.id))
        audit.record(session, by, "tick" if checked else "untick", "deal", deal.id,
                     criterion=labels[ident])
        before.append((ident, was))
    return tuple(before)
