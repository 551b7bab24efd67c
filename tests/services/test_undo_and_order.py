"""Undoing a move never puts a deal into a stage that no longer exists; renumbering a
column tells the board its new positions and makes no edit stale."""

from __future__ import annotations

import pytest

from funneldesk.db import Database
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


def test_renumbering_a_column_reports_its_positions_and_makes_no_edit_stale(
        services: Services, manager: Actor, db: Database) -> None:
    below = make_deal(services, manager, title="Below")
    bystander = make_deal(services, manager, title="Bystander")  # open in someone's form

    def column() -> dict[int, float]:
        return dict(db.query("SELECT id, position FROM deals WHERE stage_id = ?",
                             (below.stage_id,)))

    result, before = None, column()
    for i in range(40):  # into the one gap above Below, until it runs out
        mover = make_deal(services, manager, title=f"M{i}", stage_name="Proposal")
        before = column()
        result = services.moves.move_deal(deal_id=mover.id, to_stage_id=below.stage_id,
                                          before_id=below.id, expected_version=mover.version,
                                          by=manager)
        if result.renumbered:
            break
    assert result is not None
    assert result.renumbered
    reported = {**dict(result.renumbered), result.card.id: result.card.position}
    saved = column()
    changed = {ident: p for ident, p in saved.items() if before.get(ident) != p}
    # every position the move changed is reported, as saved: the board can follow it
    assert changed == {ident: p for ident, p in reported.items() if before.get(ident) != p}
    assert all(saved[ident] == p for ident, p in reported.items())
    assert len(changed) > 2  # more than the mover itself moved
    fields = services.deals.detail(bystander.id).fields
    services.deals.update(deal_id=bystander.id, expected_version=bystander.version,
                          fields=fields, by=manager)


def test_undoing_a_reorder_after_the_column_was_renumbered_puts_the_card_back_between_its_neighbours(
        services: Services, manager: Actor, db: Database) -> None:
    c = make_deal(services, manager, title="C")
    b = make_deal(services, manager, title="B")
    make_deal(services, manager, title="A")  # a new deal goes to the top: A, B, C

    def order() -> list[str]:
        return [title for (title,) in db.query(
            "SELECT title FROM deals WHERE stage_id = ? ORDER BY position, id", (c.stage_id,))]

    assert order() == ["A", "B", "C"]
    to_end = services.moves.move_deal(deal_id=b.id, to_stage_id=b.stage_id, before_id=None,
                                      expected_version=b.version, by=manager)
    drops = 0
    for i in range(40):  # into the gap above C, until it runs out and the column makes room
        mover = make_deal(services, manager, title=f"M{i}", stage_name="Proposal")
        dropped = services.moves.move_deal(deal_id=mover.id, to_stage_id=c.stage_id,
                                           before_id=c.id, expected_version=mover.version,
                                           by=manager)
        drops += 1
        if dropped.renumbered:
            break
    undone = services.moves.revert_move(deal_id=b.id, before=to_end.before, change_id=None,
                                        expected_version=to_end.card.version, by=manager)
    movers = [f"M{i}" for i in range(drops)]
    assert order() == ["A", *movers, "B", "C"]
    # the board is told every position the undo changed
    saved = dict(db.query("SELECT id, position FROM deals WHERE stage_id = ?", (c.stage_id,)))
    assert all(saved[ident] == p for ident, p in undone.renumbered)
    assert saved[b.id] == undone.card.position
