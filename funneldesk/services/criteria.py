"""Stage criteria on a deal: what is ticked, and what a move still needs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from funneldesk.models import CriterionCheck, CriterionKind, StageKind, User
from funneldesk.services.dto import CriterionInfo, PipelineInfo, StageInfo


def ticks(session: Session, deal_id: int) -> dict[int, tuple[bool, str, dt.datetime]]:
    """criterion id -> (checked, by whom, when), from the latest tick of each criterion."""
    rows = session.execute(
        select(CriterionCheck.criterion_id, CriterionCheck.checked, User.display_name,
               CriterionCheck.at)
        .join(User, User.id == CriterionCheck.by_id)
        .where(CriterionCheck.deal_id == deal_id)
        .order_by(CriterionCheck.id)
    )
    return {r.criterion_id: (r.checked, r.display_name, r.at) for r in rows}


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
