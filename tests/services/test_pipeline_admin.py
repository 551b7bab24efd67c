"""Managers shape pipelines and stages; reps cannot."""

from __future__ import annotations

import pytest

from funneldesk.errors import InvalidInput, NotAllowed, StageNotEmpty
from funneldesk.services import Services
from funneldesk.services.dto import Actor, CriterionKind
from tests.helpers import make_deal, pipeline, stage


def test_default_pipeline_has_the_funnel_stages_in_order(services: Services) -> None:
    stages = pipeline(services).stages
    assert [s.name for s in stages] == ["Initial contact", "Needs analysis", "Proposal",
                                        "Negotiation", "Contract", "Won", "Lost"]
    assert [s.probability for s in stages] == [10, 20, 40, 60, 80, 100, 0]
    assert all(s.guidance for s in stages)


def test_reps_cannot_change_stages(services: Services, rep: Actor) -> None:
    with pytest.raises(NotAllowed):
        services.pipelines.add_stage(pipeline_id=pipeline(services).id, name="Demo", by=rep)


def test_manager_adds_reorders_edits_and_deletes_stages(services: Services, manager: Actor) -> None:
    pid = pipeline(services).id
    demo = services.pipelines.add_stage(pipeline_id=pid, name="Demo", by=manager)
    opens = [s.id for s in pipeline(services).stages if s.is_open]
    assert opens[-1] == demo  # added after the last open stage, before Won and Lost
    new_order = [opens[0], demo, *opens[1:-1]]
    services.pipelines.reorder_stages(pipeline_id=pid, open_stage_ids=new_order, by=manager)
    assert [s.id for s in pipeline(services).stages if s.is_open] == new_order
    services.pipelines.update_stage(stage_id=demo, name="Product demo", probability=30,
                                    rot_days=10, guidance="Show it working", by=manager)
    edited = stage(services, "Product demo")
    assert (edited.probability, edited.rot_days, edited.guidance) == (30, 10, "Show it working")
    with pytest.raises(InvalidInput):
        services.pipelines.update_stage(stage_id=demo, name="x", probability=120, rot_days=None,
                                        guidance="", by=manager)
    services.pipelines.delete_stage(stage_id=demo, by=manager)
    assert "Product demo" not in [s.name for s in pipeline(services).stages]


def test_a_stage_holding_deals_cannot_be_deleted(services: Services, manager: Actor) -> None:
    make_deal(services, manager, stage_name="Proposal")
    with pytest.raises(StageNotEmpty) as refused:
        services.pipelines.delete_stage(stage_id=stage(services, "Proposal").id, by=manager)
    assert "1" in refused.value.message()
    with pytest.raises(NotAllowed):
        services.pipelines.delete_stage(stage_id=stage(services, "Won").id, by=manager)


def test_criteria_are_added_and_removed_and_govern_moves(services: Services, manager: Actor) -> None:
    card = make_deal(services, manager, stage_name="Negotiation")
    contract = stage(services, "Contract")
    added = services.pipelines.add_criterion(stage_id=contract.id, kind=CriterionKind.ENTRY,
                                             label="Legal review booked", by=manager)
    assert "Legal review booked" in [c.label for c in stage(services, "Contract").criteria]
    services.pipelines.remove_criterion(criterion_id=added, by=manager)
    assert "Legal review booked" not in [c.label for c in stage(services, "Contract").criteria]
    assert card.stage_id == stage(services, "Negotiation").id


def test_won_and_lost_take_entry_criteria_only(services: Services, manager: Actor) -> None:
    for name in ("Won", "Lost"):
        with pytest.raises(InvalidInput, match="reopened"):
            services.pipelines.add_criterion(stage_id=stage(services, name).id,
                                             kind=CriterionKind.EXIT, label="Invoice sent",
                                             by=manager)
        assert stage(services, name).criteria == ()
    services.pipelines.add_criterion(stage_id=stage(services, "Won").id,
                                     kind=CriterionKind.ENTRY, label="PO received", by=manager)
    assert [c.label for c in stage(services, "Won").criteria] == ["PO received"]


def test_several_pipelines(services: Services, manager: Actor) -> None:
    new = services.pipelines.create_pipeline(name="Service contracts", by=manager)
    services.pipelines.rename_pipeline(pipeline_id=new, name="Renewals", by=manager)
    assert [name for _id, name in services.board.pipelines()] == ["Sales", "Renewals"]
    assert len(services.pipelines.pipeline(new).stages) == 7
