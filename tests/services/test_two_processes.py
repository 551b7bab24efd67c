"""Two FunnelDesk processes on one database file: stale writes are refused naming who
changed the deal, an untick cannot slip into a move, and concurrent drops into one
column keep one consistent order."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from funneldesk.errors import StaleEdit
from funneldesk.services import Services
from funneldesk.services.dto import Actor
from tests.helpers import make_deal, stage, tick_all, version
from tests.second_process import run_second, start_second


def test_a_move_on_an_older_version_is_refused_naming_the_other_user(
        services: Services, manager: Actor, db_path: Path) -> None:
    card = make_deal(services, manager)
    assert run_second(db_path, "bob", "value", card.id, card.version, "2500").startswith("ok")
    with pytest.raises(StaleEdit) as refused:
        services.moves.move_deal(deal_id=card.id, to_stage_id=stage(services, "Lost").id,
                                 before_id=None, expected_version=card.version, by=manager,
                                 lost_reason_text="budget")
    assert "changed by bob at" in refused.value.message()
    assert services.deals.detail(card.id).stage_name == "Initial contact"


@pytest.fixture
def between_check_and_write() -> Iterator[list[Any]]:
    """Runs each callable put in the list once, when a change is about to be written
    (after its reads and checks)."""
    pending: list[Any] = []

    def run(*_args: Any) -> None:
        while pending:
            pending.pop(0)()

    event.listen(Session, "before_flush", run)
    yield pending
    event.remove(Session, "before_flush", run)


def test_an_untick_by_another_process_cannot_slip_into_a_move(
        services: Services, manager: Actor, db_path: Path,
        between_check_and_write: list[Any]) -> None:
    card = make_deal(services, manager)
    services.users.current("bob")  # bob's first run would otherwise add him
    tick_all(services, manager, card.id, "Initial contact")
    criterion = stage(services, "Initial contact").criteria[0]
    outcome: list[str] = []
    between_check_and_write.append(lambda: outcome.append(
        run_second(db_path, "bob", "untick", card.id, criterion.id, busy_ms=300)))
    moved = services.moves.move_deal(deal_id=card.id,
                                     to_stage_id=stage(services, "Needs analysis").id,
                                     before_id=None, expected_version=version(services, card.id),
                                     by=manager)
    # bob's untick had to wait for the move: the move saw every tick it checked
    assert outcome == ["busy"]
    assert services.deals.detail(moved.card.id).stage_name == "Needs analysis"
    assert run_second(db_path, "bob", "untick", card.id, criterion.id) == "ok"


def test_concurrent_drops_into_one_column_keep_one_order(
        services: Services, manager: Actor, db_path: Path) -> None:
    proposal = stage(services, "Proposal").id
    anchor = make_deal(services, manager, title="Anchor", stage_name="Proposal")
    mine = [make_deal(services, manager, title=f"A{i}", stage_name="Proposal").id
            for i in range(4)]
    theirs = [make_deal(services, manager, title=f"B{i}", stage_name="Proposal").id
              for i in range(4)]
    procs = [start_second(db_path, login, "squeeze", proposal, anchor.id, *deals, rounds=15)
             for login, deals in (("ann", mine), ("bob", theirs))]
    for proc in procs:
        out, _err = proc.communicate(timeout=300)
        assert proc.returncode == 0
        assert out.split() == ["round"] * 15
    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT id, position FROM deals WHERE stage_id = ? "
                        "ORDER BY position, id", (proposal,)).fetchall()
    conn.close()
    positions = [p for _i, p in rows]
    assert len(set(positions)) == len(positions) == 9
    assert rows[-1][0] == anchor.id  # every drop landed above the anchor


def test_a_reorder_by_another_process_makes_no_open_edit_stale(
        services: Services, manager: Actor, db_path: Path) -> None:
    card = make_deal(services, manager)
    anchor = make_deal(services, manager, title="Anchor")  # on top of the column
    opened = services.deals.detail(card.id)  # the form is open on this version
    squeeze = start_second(db_path, "bob", "squeeze", card.stage_id, anchor.id, card.id)
    out, _err = squeeze.communicate(timeout=120)
    assert out.split() == ["round"]
    assert services.board.load(opened.pipeline_id).cards[0].id == card.id  # now on top
    fields = dataclasses.replace(opened.fields, title="Warehouse system phase 2")
    saved = services.deals.update(deal_id=card.id, expected_version=opened.version,
                                  fields=fields, by=manager)
    assert saved.card.title == "Warehouse system phase 2"


def test_undoing_a_reorder_after_another_process_edited_the_deal_keeps_the_edit(
        services: Services, manager: Actor, db_path: Path) -> None:
    card = make_deal(services, manager)
    make_deal(services, manager, title="Top")
    reordered = services.moves.move_deal(deal_id=card.id, to_stage_id=card.stage_id,
                                         before_id=None, expected_version=card.version,
                                         by=manager)
    assert run_second(db_path, "bob", "value", card.id, card.version, "4200").startswith("ok")
    back = services.moves.revert_move(deal_id=card.id, before=reordered.before, change_id=None,
                                      expected_version=reordered.card.version, by=manager)
    assert back.card.position == card.position
    assert str(services.deals.detail(card.id).fields.value) == "4200.00"
