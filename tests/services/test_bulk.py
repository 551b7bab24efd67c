"""Bulk actions from the deals list: each deal checked as its single change would be, the
refused ones named with their reason; one undo reverts all or, if any changed since, none."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from funneldesk.db import Database
from funneldesk.errors import (
    BulkStepRefused,
    CriteriaNotMet,
    InvalidInput,
    NotAllowed,
    NothingChanged,
    StaleEdit,
)
from funneldesk.models import AuditEntry, Deal, StageChange
from funneldesk.services import Services
from funneldesk.services.dto import Actor, Card
from tests.helpers import make_deal, snapshot, stage, tick_all, version


def chosen(services: Services, *cards: Card) -> list[tuple[int, int]]:
    return [(c.id, version(services, c.id)) for c in cards]


def changes_of(db: Database, deal_id: int) -> list[tuple[int | None, int, int | None]]:
    with db.session() as session:
        rows = session.execute(select(StageChange.from_stage_id, StageChange.to_stage_id,
                                      StageChange.reverts_id)
                               .where(StageChange.deal_id == deal_id).order_by(StageChange.id))
        return [tuple(r) for r in rows]  # type: ignore[misc]


def stage_of(services: Services, deal_id: int) -> int:
    return services.deals.detail(deal_id).stage_id


@pytest.fixture
def mixed(services: Services, manager: Actor, rep: Actor) -> dict[str, Card]:
    """Three deals that may move to Needs analysis (criteria ticked), one that may not
    (unticked), and one whose version the list no longer has (changed since)."""
    deals = {name: make_deal(services, manager, title=name)
             for name in ("Ready A", "Ready B", "Ready C", "Unticked", "Changed")}
    for name in ("Ready A", "Ready B", "Ready C", "Changed"):
        tick_all(services, manager, deals[name].id, "Initial contact")
    return deals


def test_a_bulk_move_moves_the_allowed_deals_and_names_the_refused_ones(
        services: Services, manager: Actor, rep: Actor, db: Database,
        mixed: dict[str, Card]) -> None:
    target = stage(services, "Needs analysis")
    seen = chosen(services, *mixed.values())
    # someone else changes one deal after the list showed it
    changed = mixed["Changed"]
    fields = services.deals.detail(changed.id).fields
    services.deals.update(deal_id=changed.id, expected_version=version(services, changed.id),
                          fields=replace(fields, next_step="Call back"), by=manager)
    result = services.bulk.move(deals=seen, to_stage_id=target.id, by=manager)

    moved = {d.deal_id for d in result.done}
    assert moved == {mixed[n].id for n in ("Ready A", "Ready B", "Ready C")}
    refused = {r.deal_id: r.error for r in result.refused}
    assert set(refused) == {mixed["Unticked"].id, changed.id}
    assert isinstance(refused[mixed["Unticked"].id], CriteriaNotMet)
    assert refused[mixed["Unticked"].id].missing == [  # type: ignore[attr-defined]
        "Contact person confirmed", "Need expressed"]
    assert isinstance(refused[changed.id], StaleEdit)
    assert refused[changed.id].changed_by == manager.display_name
    for ident in moved:
        assert stage_of(services, ident) == target.id
        assert changes_of(db, ident)[-1][1] == target.id
    for ident in refused:
        assert stage_of(services, ident) == mixed["Unticked"].stage_id
        assert len(changes_of(db, ident)) == 1
    assert result.changes.deal_ids == frozenset(moved)
    assert result.changes.stage_ids == {target.id, mixed["Unticked"].stage_id}
    with db.session() as session:
        audited = session.scalars(select(AuditEntry.entity_id)
                                  .where(AuditEntry.action == "bulk-move")).all()
    assert set(audited) == moved


def test_one_undo_reverts_the_whole_bulk_move_and_redo_moves_again(
        services: Services, manager: Actor, db: Database, mixed: dict[str, Card]) -> None:
    target = stage(services, "Needs analysis")
    start = mixed["Ready A"].stage_id
    result = services.bulk.move(deals=chosen(services, *mixed.values()), to_stage_id=target.id,
                                by=manager)
    undone = services.bulk.undo(result=result, by=manager)
    assert undone.undone
    for done in result.done:
        assert stage_of(services, done.deal_id) == start
        history = changes_of(db, done.deal_id)
        # creation, the move, and the change that reverts it and names it
        assert [h[:2] for h in history] == [(None, start), (start, target.id),
                                            (target.id, start)]
        assert history[2][2] is not None
    assert undone.changes.deal_ids == result.changes.deal_ids

    redone = services.bulk.redo(undone=undone, by=manager)
    assert {d.deal_id for d in redone.done} == {d.deal_id for d in result.done}
    assert all(stage_of(services, d.deal_id) == target.id for d in redone.done)


def test_an_undo_changes_nothing_when_one_deal_changed_since(
        services: Services, manager: Actor, rep: Actor, db_path: Path,
        mixed: dict[str, Card]) -> None:
    target = stage(services, "Needs analysis")
    result = services.bulk.move(deals=chosen(services, *mixed.values()), to_stage_id=target.id,
                                by=manager)
    # one moved deal is moved on by someone else
    touched = result.done[1]
    tick_all(services, manager, touched.deal_id, "Needs analysis")
    before = snapshot(db_path)
    with pytest.raises(BulkStepRefused) as refused:
        services.bulk.undo(result=result, by=manager)
    assert refused.value.deal_id == touched.deal_id
    assert isinstance(refused.value.error, StaleEdit)
    assert refused.value.error.changed_by == manager.display_name
    assert refused.value.error.changed_at is not None
    assert touched.title in refused.value.message()
    assert snapshot(db_path) == before  # not one of the deals went back


def test_a_bulk_move_to_lost_needs_one_reason_and_won_is_not_a_bulk_move(
        services: Services, manager: Actor, mixed: dict[str, Card]) -> None:
    lost, won = stage(services, "Lost"), stage(services, "Won")
    seen = chosen(services, *mixed.values())
    with pytest.raises(InvalidInput):
        services.bulk.move(deals=seen, to_stage_id=lost.id, by=manager)
    with pytest.raises(InvalidInput):
        services.bulk.move(deals=seen, to_stage_id=won.id, by=manager, lost_reason_text="x")
    reason_id = services.moves.lost_reasons()[0][0]
    result = services.bulk.move(deals=seen, to_stage_id=lost.id, by=manager,
                                lost_reason_id=reason_id)
    assert len(result.done) == len(seen)
    assert not result.refused
    for card in mixed.values():
        detail = services.deals.detail(card.id)
        assert detail.stage_id == lost.id
        assert detail.closed_on is not None
    services.bulk.undo(result=result, by=manager)
    for card in mixed.values():
        detail = services.deals.detail(card.id)
        assert detail.stage_id == card.stage_id
        assert detail.closed_on is None


def test_a_rep_moves_only_their_own_deals(services: Services, manager: Actor, rep: Actor) -> None:
    own = make_deal(services, rep, title="Mine")
    other = make_deal(services, manager, title="Theirs")
    target = stage(services, "Lost")
    result = services.bulk.move(deals=chosen(services, own, other), to_stage_id=target.id,
                                by=rep, lost_reason_text="Went quiet")
    assert [d.deal_id for d in result.done] == [own.id]
    assert [(r.deal_id, type(r.error)) for r in result.refused] == [(other.id, NotAllowed)]


def test_a_bulk_action_that_changes_nothing_is_refused_whole(
        services: Services, manager: Actor, rep: Actor, db_path: Path) -> None:
    other = make_deal(services, manager, title="Theirs")
    before = snapshot(db_path)
    with pytest.raises(NothingChanged) as refused:
        services.bulk.archive(deals=chosen(services, other), by=rep)
    assert "Theirs" in refused.value.message()
    assert snapshot(db_path) == before


def test_change_owner_and_archive_and_their_undo(
        services: Services, manager: Actor, rep: Actor) -> None:
    cards = [make_deal(services, manager, title=f"Deal {i}") for i in range(3)]
    with pytest.raises(NotAllowed):  # a rep cannot hand deals over
        services.bulk.change_owner(deals=chosen(services, *cards), owner_id=manager.id, by=rep)
    result = services.bulk.change_owner(deals=chosen(services, *cards), owner_id=rep.id,
                                        by=manager)
    assert all(services.deals.detail(c.id).fields.owner_id == rep.id for c in cards)
    services.bulk.undo(result=result, by=manager)
    assert all(services.deals.detail(c.id).fields.owner_id == manager.id for c in cards)

    archived = services.bulk.archive(deals=chosen(services, *cards), by=manager)
    assert all(services.board.card(c.id) is None for c in cards)  # off the board
    undone = services.bulk.undo(result=archived, by=manager)
    assert all(services.board.card(c.id) is not None for c in cards)
    services.bulk.redo(undone=undone, by=manager)
    assert all(services.deals.detail(c.id).archived for c in cards)


def test_a_bulk_archive_its_undo_and_redo_keep_search_in_step(
        services: Services, manager: Actor) -> None:
    cards = [make_deal(services, manager, title=f"Zephyr retrofit {i}") for i in range(2)]

    def archived_in_search() -> dict[int, bool]:
        hits = services.search.search("Zephyr retrofit", by=manager)
        return {h.record_id: h.archived for h in hits if h.kind == "deal"}

    assert archived_in_search() == {c.id: False for c in cards}
    result = services.bulk.archive(deals=chosen(services, *cards), by=manager)
    assert archived_in_search() == {c.id: True for c in cards}
    undone = services.bulk.undo(result=result, by=manager)
    assert archived_in_search() == {c.id: False for c in cards}
    services.bulk.redo(undone=undone, by=manager)
    assert archived_in_search() == {c.id: True for c in cards}


def test_a_bulk_action_with_nothing_to_do_is_refused_not_done(
        services: Services, manager: Actor, rep: Actor, db_path: Path) -> None:
    cards = [make_deal(services, manager, title=f"Deal {i}") for i in range(2)]
    services.bulk.archive(deals=chosen(services, *cards), by=manager)
    before = snapshot(db_path)
    with pytest.raises(NothingChanged) as archived:  # every one is archived already
        services.bulk.archive(deals=chosen(services, *cards), by=manager)
    assert archived.value.message() == \
        "The 2 deals already were as the action would leave them."
    with pytest.raises(NothingChanged):  # already in that stage
        services.bulk.move(deals=chosen(services, *cards), by=manager,
                           to_stage_id=cards[0].stage_id)
    with pytest.raises(NothingChanged):  # already that owner
        services.bulk.change_owner(deals=chosen(services, *cards), owner_id=manager.id,
                                   by=manager)
    assert snapshot(db_path) == before
    # one refused and one already as asked: still nothing changed, and both are said
    own = make_deal(services, rep, title="Mine")
    services.bulk.archive(deals=chosen(services, own), by=rep)
    other = make_deal(services, manager, title="Not yours")
    with pytest.raises(NothingChanged) as mixed:
        services.bulk.archive(deals=chosen(services, own, other), by=rep)
    lines = mixed.value.message().splitlines()
    assert lines[0] == "None of the 2 deals was changed:"
    assert lines[1].startswith("• Not yours: ")
    assert lines[2] == "1 deal needed no change."


def test_a_bulk_result_names_the_versions_it_leaves(
        services: Services, manager: Actor, mixed: dict[str, Card]) -> None:
    target = stage(services, "Needs analysis")
    result = services.bulk.move(deals=chosen(services, *mixed.values()), to_stage_id=target.id,
                                by=manager)
    assert dict(result.versions) == {d.deal_id: version(services, d.deal_id)
                                     for d in result.done}
    undone = services.bulk.undo(result=result, by=manager)
    assert dict(undone.versions) == {d.deal_id: version(services, d.deal_id)
                                     for d in result.done}
    assert all(undone_v == moved_v + 1 for (_i, undone_v), (_j, moved_v)
               in zip(undone.versions, result.versions, strict=True))


def test_a_bulk_move_leaves_won_and_lost_deals_closed_and_counts_those_already_there(
        services: Services, manager: Actor) -> None:
    """Reopening a closed deal would undo its outcome (a won deal's final value, a lost
    one's reason) unseen among many: the bulk move refuses it, and says why."""
    lost, first = stage(services, "Lost"), stage(services, "Initial contact")
    closed, open_, there = (make_deal(services, manager, title=t, stage_name=s) for t, s in
                            (("Closed", "Proposal"), ("Open", "Proposal"),
                             ("There", "Initial contact")))
    services.bulk.move(deals=chosen(services, closed), to_stage_id=lost.id, by=manager,
                       lost_reason_text="Price")
    result = services.bulk.move(deals=chosen(services, closed, open_, there),
                                to_stage_id=first.id, by=manager)
    assert [d.deal_id for d in result.done] == [open_.id]
    assert [(r.deal_id, type(r.error)) for r in result.refused] == [(closed.id, NotAllowed)]
    assert "won or lost" in result.refused[0].error.message()
    assert result.skipped == 1  # "There" already was in the stage
    assert stage_of(services, closed.id) == lost.id


def test_undoing_a_bulk_move_puts_each_card_back_in_its_place_in_the_column(
        services: Services, manager: Actor, db: Database) -> None:
    cards = [make_deal(services, manager, title=f"Deal {n}", stage_name="Proposal")
             for n in range(6)]

    def column() -> list[int]:
        with db.session() as session:
            rows = session.execute(select(Deal.id).where(Deal.stage_id == cards[0].stage_id)
                                   .order_by(Deal.position))
            return [ident for (ident,) in rows]

    before = column()
    moved = [cards[n] for n in (5, 0, 3, 1)]  # in the list's order, not the column's
    first = stage(services, "Initial contact")
    result = services.bulk.move(deals=chosen(services, *moved), to_stage_id=first.id,
                                by=manager)
    assert len(result.done) == 4
    services.bulk.undo(result=result, by=manager)
    assert column() == before
