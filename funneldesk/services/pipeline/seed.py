"""Default data for a new database, stored in the language chosen at creation."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from funneldesk.i18n import N_, _, language
from funneldesk.models import (
    ActivityKind,
    CriterionKind,
    LostReason,
    Pipeline,
    Stage,
    StageCriterion,
    StageKind,
    StagePlanStep,
)
from funneldesk.services.team.defaults import add_team_defaults

# (name, kind, probability, rot days, guidance, entry criteria, exit criteria)
DEFAULT_STAGES: tuple[tuple[str, StageKind, int, int | None, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (N_("Initial contact"), StageKind.OPEN, 10, 14,
     N_("Reach the right person and find out whether there is a real need."),
     (), (N_("Contact person confirmed"), N_("Need expressed"))),
    (N_("Needs analysis"), StageKind.OPEN, 20, 21,
     N_("Understand the problem, the budget and who decides."),
     (), (N_("Budget confirmed"), N_("Decision maker identified"))),
    (N_("Proposal"), StageKind.OPEN, 40, 21,
     N_("Send a proposal that answers the needs you wrote down."),
     (N_("Requirements written down"),), (N_("Proposal sent"),)),
    (N_("Negotiation"), StageKind.OPEN, 60, 30,
     N_("Agree on price, scope and terms; keep the decision maker involved."),
     (), (N_("Price and terms agreed"),)),
    (N_("Contract"), StageKind.OPEN, 80, 14,
     N_("Get the contract signed and stamped."),
     (), (N_("Contract signed"),)),
    (N_("Won"), StageKind.WON, 100, None, N_("The customer signed."), (), ()),
    (N_("Lost"), StageKind.LOST, 0, None, N_("Record why the deal was lost."), (), ()),
)

# what entering each open stage proposes, by the stage's place: (kind, title, within days)
DEFAULT_PLAN_STEPS: dict[int, tuple[tuple[ActivityKind, str, int], ...]] = {
    0: ((ActivityKind.CALL, N_("Introduce us and ask about the need"), 1),),
    1: ((ActivityKind.CALL, N_("Confirm the budget and who decides"), 2),
        (ActivityKind.VISIT, N_("On-site needs analysis"), 7)),
    2: ((ActivityKind.EMAIL, N_("Send the proposal"), 1),
        (ActivityKind.CALL, N_("Go through the proposal together"), 3)),
    3: ((ActivityKind.MEETING, N_("Agree price and terms with the decision maker"), 5),),
    4: ((ActivityKind.CALL, N_("Check the contract's review and seal"), 2),),
}

DEFAULT_LOST_REASONS = (
    N_("Price too high"), N_("Chose a competitor"), N_("No budget"),
    N_("Project cancelled or postponed"), N_("Not a fit for our product"), N_("Lost contact"),
)


def add_stages(session: Session, pipeline: Pipeline) -> None:
    for position, (name, kind, prob, rot, guidance, entry, exit_) in enumerate(DEFAULT_STAGES):
        stage = Stage(pipeline_id=pipeline.id, name=_(name), kind=kind, position=position,
                      probability=prob, rot_days=rot, guidance=_(guidance))
        session.add(stage)
        session.flush()
        labels = [(CriterionKind.ENTRY, c) for c in entry] + [(CriterionKind.EXIT, c) for c in exit_]
        for i, (ckind, label) in enumerate(labels):
            session.add(StageCriterion(stage_id=stage.id, kind=ckind, label=_(label), position=i))
        # the Activities area's table, written through the shared models
        for i, (akind, title, days) in enumerate(DEFAULT_PLAN_STEPS.get(position, ())):
            session.add(StagePlanStep(stage_id=stage.id, kind=akind, title=_(title),
                                      within_days=days, position=i))


def ensure_defaults(session: Session) -> bool:
    """Creates the default pipeline, lost reasons and team settings on an empty database."""
    if session.scalar(select(func.count()).select_from(Pipeline)):
        return False
    pipeline = Pipeline(name=_("Sales"), position=0)
    session.add(pipeline)
    session.flush()
    add_stages(session, pipeline)
    for i, label in enumerate(DEFAULT_LOST_REASONS):
        session.add(LostReason(label=_(label), position=i))
    add_team_defaults(session, language())
    return True
