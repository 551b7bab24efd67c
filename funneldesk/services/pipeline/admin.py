"""Managers edit pipelines, stages and stage criteria here."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from funneldesk.enums import CONTRACT_SIGNED
from funneldesk.errors import InvalidInput, NotAllowed, StageNotEmpty
from funneldesk.i18n import _
from funneldesk.models import CriterionKind, Deal, Pipeline, Stage, StageCriterion, StageKind
from funneldesk.models.base import utcnow
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.permissions import require_manager
from funneldesk.services.common.records import Actor
from funneldesk.services.pipeline import reads, visits
from funneldesk.services.pipeline.lookups import load_pipeline
from funneldesk.services.pipeline.records import PipelineInfo
from funneldesk.services.pipeline.search import raw_connection
from funneldesk.services.pipeline.seed import add_stages


def _name(text: str, missing: str) -> str:
    """The trimmed name; ``missing`` is the sentence that asks for one."""
    text = text.strip()
    if not text:
        raise InvalidInput("name", missing)
    if len(text) > 200:
        raise InvalidInput("name", _("The name is too long (200 characters at most)."))
    return text


def _refuse_deletion(session: Session, stage: Stage) -> None:
    if stage.kind is not StageKind.OPEN:
        raise NotAllowed(_("The Won and Lost stages cannot be deleted."))
    held = session.scalar(select(func.count()).select_from(Deal).where(
        Deal.stage_id == stage.id, Deal.deleted_at.is_(None))) or 0
    if held:
        raise StageNotEmpty(stage.name, held)
    remaining = session.scalar(select(func.count()).select_from(Stage).where(
        Stage.pipeline_id == stage.pipeline_id, Stage.kind == StageKind.OPEN,
        Stage.deleted_at.is_(None))) or 0
    if remaining <= 1:
        raise NotAllowed(_("A pipeline needs at least one open stage, so its last one "
                           "cannot be deleted."))


class PipelineAdminService(Service):
    def pipelines(self) -> list[tuple[int, str]]:
        return reads.read_pipelines(self.db.query)

    def pipeline(self, pipeline_id: int) -> PipelineInfo:
        return reads.read_pipeline(self.db.query, pipeline_id)

    def create_pipeline(self, *, name: str, by: Actor) -> int:
        require_manager(by, _("Only a manager can create pipelines."))
        name = _name(name, _("Enter a name for the pipeline."))
        with self.db.session() as session:
            last = session.scalar(select(func.max(Pipeline.position))) or 0
            pipeline = Pipeline(name=name, position=last + 1)
            session.add(pipeline)
            session.flush()
            add_stages(session, pipeline)
            audit.record(session, by, "create", "pipeline", pipeline.id, name=name)
            return pipeline.id

    def rename_pipeline(self, *, pipeline_id: int, name: str, by: Actor) -> None:
        require_manager(by, _("Only a manager can rename pipelines."))
        name = _name(name, _("Enter a name for the pipeline."))
        with self.db.session() as session:
            pipeline = get_or_raise(session, Pipeline, pipeline_id, "pipeline")
            audit.record(session, by, "rename", "pipeline", pipeline_id, old=pipeline.name, new=name)
            pipeline.name = name

    def add_stage(self, *, pipeline_id: int, name: str, by: Actor) -> int:
        """Adds an open stage after the last open one."""
        require_manager(by, _("Only a manager can change stages."))
        name = _name(name, _("Enter a name for the stage."))
        with self.db.session() as session:
            get_or_raise(session, Pipeline, pipeline_id, "pipeline")
            last = session.scalar(select(func.max(Stage.position)).where(
                Stage.pipeline_id == pipeline_id, Stage.kind == StageKind.OPEN)) or 0
            stage = Stage(pipeline_id=pipeline_id, name=name, kind=StageKind.OPEN,
                          position=last + 1, probability=50, rot_days=21, guidance="")
            session.add(stage)
            session.flush()
            audit.record(session, by, "create", "stage", stage.id, name=name)
            return stage.id

    def update_stage(self, *, stage_id: int, name: str, probability: int, rot_days: int | None,
                     guidance: str, by: Actor) -> None:
        require_manager(by, _("Only a manager can change stages."))
        name = _name(name, _("Enter a name for the stage."))
        if not 0 <= probability <= 100:
            raise InvalidInput("probability", _("The probability must be between 0 and 100 %."))
        if rot_days is not None and rot_days < 1:
            raise InvalidInput("rot_days", _("A deal can rot after one day at the earliest."))
        with self.db.session() as session:
            stage = get_or_raise(session, Stage, stage_id, "stage")
            stage.name, stage.probability = name, probability
            stage.rot_days, stage.guidance = rot_days, guidance.strip()
            audit.record(session, by, "update", "stage", stage_id, name=name,
                         probability=probability, rot_days=rot_days)

    def reorder_stages(self, *, pipeline_id: int, open_stage_ids: list[int], by: Actor) -> None:
        require_manager(by, _("Only a manager can change stages."))
        with self.db.session() as session:
            current = set(session.scalars(select(Stage.id).where(
                Stage.pipeline_id == pipeline_id, Stage.kind == StageKind.OPEN,
                Stage.deleted_at.is_(None))))
            if set(open_stage_ids) != current or len(open_stage_ids) != len(current):
                raise InvalidInput("stages", _("The stage list changed meanwhile; reopen it."))
            for position, ident in enumerate(open_stage_ids):
                get_or_raise(session, Stage, ident, "stage").position = position
            session.flush()
            # how far each deal got is counted in the stages' order
            visits.refresh_pipeline(raw_connection(session), pipeline_id)
            audit.record(session, by, "reorder", "pipeline", pipeline_id, order=str(open_stage_ids))

    def check_stage_deletion(self, *, stage_id: int, by: Actor) -> None:
        """Raises what delete_stage would refuse, changing nothing (so that the editor
        refuses before it asks for a confirmation)."""
        require_manager(by, _("Only a manager can change stages."))
        with self.db.reading() as session:
            _refuse_deletion(session, get_or_raise(session, Stage, stage_id, "stage"))

    def delete_stage(self, *, stage_id: int, by: Actor) -> None:
        require_manager(by, _("Only a manager can change stages."))
        with self.db.session() as session:
            stage = get_or_raise(session, Stage, stage_id, "stage")
            _refuse_deletion(session, stage)
            stage.deleted_at = utcnow()  # old stage changes still point at it
            audit.record(session, by, "delete", "stage", stage_id, name=stage.name)

    def add_criterion(self, *, stage_id: int, kind: CriterionKind, label: str, by: Actor) -> int:
        require_manager(by, _("Only a manager can change stage criteria."))
        label = label.strip()
        if not label:
            raise InvalidInput("label", _("Describe what must be done."))
        with self.db.session() as session:
            stage = get_or_raise(session, Stage, stage_id, "stage")
            if kind is CriterionKind.EXIT and stage.kind is not StageKind.OPEN:
                raise InvalidInput("kind", _(
                    "A deal leaves Won or Lost only when it is reopened, never on a "
                    "checklist: give this stage entry criteria only."))
            last = session.scalar(select(func.max(StageCriterion.position)).where(
                StageCriterion.stage_id == stage_id)) or 0
            criterion = StageCriterion(stage_id=stage_id, kind=kind, label=label, position=last + 1)
            session.add(criterion)
            session.flush()
            audit.record(session, by, "create", "criterion", criterion.id, label=label)
            return criterion.id

    def set_criterion_rule(self, *, criterion_id: int, rule: str, by: Actor) -> None:
        """Makes a criterion one that the data meets (``CONTRACT_SIGNED``: a contract of
        the deal signed by the customer) or, with "", one ticked by hand again."""
        require_manager(by, _("Only a manager can change stage criteria."))
        if rule not in ("", CONTRACT_SIGNED):
            raise InvalidInput("rule", _("That is not a rule FunnelDesk knows."))
        with self.db.session() as session:
            criterion = get_or_raise(session, StageCriterion, criterion_id, "criterion")
            stage = get_or_raise(session, Stage, criterion.stage_id, "stage")
            if rule and not load_pipeline(session, stage.pipeline_id).signature_may_meet(
                    stage.id, criterion.kind):
                raise InvalidInput("rule", _(
                    "A signed contract is what wins a deal: it can meet an exit criterion "
                    "of the last open stage or an entry criterion of Won, not this one."))
            if criterion.rule != rule:
                audit.record(session, by, "update", "criterion", criterion_id,
                             rule=[criterion.rule, rule])
                criterion.rule = rule

    def remove_criterion(self, *, criterion_id: int, by: Actor) -> None:
        require_manager(by, _("Only a manager can change stage criteria."))
        with self.db.session() as session:
            criterion = get_or_raise(session, StageCriterion, criterion_id, "criterion")
            criterion.deleted_at = utcnow()  # earlier ticks of it stay in the history
            audit.record(session, by, "delete", "criterion", criterion_id, label=criterion.label)
