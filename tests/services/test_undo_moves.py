"""Undoing a move never puts a deal into a stage that no longer exists."""

from __future__ import annotations

import pytest

from funneldesk.errors import StageDeleted
from funneldesk.services import Services
from funneldesk.services.dto import Actor
from tests.helpers import make_deal, stage


def test_undoing_a_move_back_to_a_deleted_stage_is_refused(
        services: Services, manager: Actor) -> None:
    card = make_deal(services, manager, stage_name="Proposal")
    moved = services.moves.move_deal(deal_id=card.id,
                                     to_stage_id=stage(services, "Needs analysis").id,
                                     before_id=None, expected_version=card.version, by=manager)
    services.pipelines.delete_stage(stage_id=card.stage_id, by=manager)
    with pytest.raises(StageDeleted) as refused:
        services.moves.revert_move(deal_id=card.id, before=moved.before,
                                   change_id=moved.change_id,
                                   expected_version=moved.card.version, by=manager)
    assert refused.value.message() == (
        "The deal cannot go back to “Proposal”: that stage has been deleted since.")
    assert services.deals.detail(card.id).stage_name == "Needs analysis"
    assert len(services.deals.detail(card.id).history) == 2
