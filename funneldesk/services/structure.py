"""Reads pipelines and stages into plain records (shared by board, moves and admin)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from funneldesk.errors import NotFound
from funneldesk.i18n import _
from funneldesk.models import Pipeline, Stage, StageCriterion, StageKind
from funneldesk.services.dto import CriterionInfo, PipelineInfo, StageInfo


def load_pipeline(session: Session, pipeline_id: int) -> PipelineInfo:
    pipeline = session.get(Pipeline, pipeline_id)
    if pipeline is None or pipeline.deleted_at is not None:
        raise NotFound(_("Pipeline"), pipeline_id)
    stages = session.scalars(
        select(Stage).where(Stage.pipeline_id == pipeline_id, Stage.deleted_at.is_(None))
    ).all()
    criteria = session.scalars(
        select(StageCriterion)
        .where(StageCriterion.stage_id.in_([s.id for s in stages]),
               StageCriterion.deleted_at.is_(None))
        .order_by(StageCriterion.kind, StageCriterion.position, StageCriterion.id)
    ).all()
    by_stage: dict[int, list[CriterionInfo]] = {}
    for c in criteria:
        by_stage.setdefault(c.stage_id, []).append(CriterionInfo(c.id, c.stage_id, c.kind, c.label))
    infos = [
        StageInfo(s.id, s.pipeline_id, s.name, s.kind, s.position, s.probability, s.rot_days,
                  s.guidance, tuple(by_stage.get(s.id, ())))
        for s in stages
    ]
    return PipelineInfo(pipeline.id, pipeline.name, pipeline.version, tuple(ordered(infos)))


def ordered(stages: list[StageInfo]) -> list[StageInfo]:
    """Open stages by position, then Won, then Lost: the funnel's order."""
    rank = {StageKind.OPEN: 0, StageKind.WON: 1, StageKind.LOST: 2}
    return sorted(stages, key=lambda s: (rank[s.kind], s.position, s.id))


def list_pipelines(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(
        select(Pipeline.id, Pipeline.name).where(Pipeline.deleted_at.is_(None))
        .order_by(Pipeline.position, Pipeline.id)
    )
    return [(r.id, r.name) for r in rows]
