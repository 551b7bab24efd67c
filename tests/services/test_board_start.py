"""The board's first read: each column's first cards, with counts and totals of all of them
that equal what adding up every card gives."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest

from funneldesk.db import Database
from funneldesk.services import Services
from funneldesk.services.common.conversion import RunningTotal
from funneldesk.services.dto import Actor, Board, DealFields, StageInfo
from funneldesk.services.pipeline.board import SORTS, sort_key
from tests.helpers import make_deal, pipeline, stage, tick_all, version

# value, currency, owner (m: manager, r: rep), stage; JPY has no rate, so it is missing
DEALS = [
    ("1000.55", "USD", "m", "Initial contact"), ("333.33", "CNY", "r", "Initial contact"),
    ("0.05", "CNY", "m", "Initial contact"), ("250", "EUR", "r", "Initial contact"),
    ("99.99", "USD", "r", "Initial contact"), ("1200", "JPY", "m", "Initial contact"),
    ("10", "USD", "m", "Initial contact"), ("0.01", "USD", "r", "Initial contact"),
    ("777.77", "CNY", "m", "Needs analysis"), ("5", "USD", "r", "Needs analysis"),
    ("3", "USD", "m", "Needs analysis"),
]


def fill(services: Services, manager: Actor, rep: Actor) -> None:
    owners = {"m": manager, "r": rep}
    for n, (value, currency, owner, stage_name) in enumerate(DEALS):
        target = stage(services, stage_name)
        fields = DealFields(f"Deal {n}", None, None, Decimal(value), currency,
                            dt.date(2027, 1, 1 + n % 5) if n % 3 else None, owners[owner].id)
        services.deals.create(pipeline_id=target.pipeline_id, stage_id=target.id,
                              fields=fields, by=manager)


def expected(services: Services, whole: Board, target: StageInfo,
             owner_id: int) -> tuple[int, int, object]:
    cards = [c for c in whole.cards if c.stage_id == target.id]
    running = RunningTotal(services.rates.currency_rates(), target.probability)
    matching = [c for c in cards if not owner_id or c.owner_id == owner_id]
    for card in matching:
        running.add(card.amount, card.currency)
    return len(cards), len(matching), running.result()


@pytest.mark.parametrize("owner", ["everyone", "rep"])
def test_counts_and_totals_equal_those_of_every_card(services: Services, manager: Actor,
                                                     rep: Actor, owner: str) -> None:
    fill(services, manager, rep)
    owner_id = rep.id if owner == "rep" else 0
    pipe = pipeline(services)
    start = services.board.start(pipe.id, owner_id=owner_id, first=2)
    whole = services.board.load(pipe.id)
    opened = [s for s in pipe.stages if s.is_open]
    assert set(start.starts) == {stage(services, "Initial contact").id,
                                 stage(services, "Needs analysis").id}
    for target in opened:
        if target.id in start.starts:
            column = start.starts[target.id]
            assert (column.cards, column.matching, column.total) == expected(
                services, whole, target, owner_id)
            assert column.owner_id == owner_id
    initial = start.starts[stage(services, "Initial contact").id].total
    assert initial.missing == ((("JPY", 1),) if owner == "everyone" else ())


@pytest.mark.parametrize("sort", SORTS)
def test_the_first_cards_are_those_the_column_sorts_first(services: Services, manager: Actor,
                                                          rep: Actor, sort: str) -> None:
    fill(services, manager, rep)
    target = stage(services, "Initial contact")
    start = services.board.start(target.pipeline_id, sorts={target.id: sort}, first=3)
    whole = services.board.load(target.pipeline_id)
    ordered = sorted((c for c in whole.cards if c.stage_id == target.id), key=sort_key(sort))
    assert [c.id for c in start.cards if c.stage_id == target.id] == [c.id for c in ordered[:3]]


def test_a_won_deal_counts_with_its_won_value(services: Services, manager: Actor,
                                              rep: Actor) -> None:
    fill(services, manager, rep)
    won = next(s for s in pipeline(services).stages if s.name == "Won")
    deal = services.board.load(won.pipeline_id).cards[0]
    tick_all(services, manager, deal.id, *[s.name for s in pipeline(services).stages
                                           if s.is_open])
    services.moves.move_deal(deal_id=deal.id, to_stage_id=won.id, before_id=None,
                             expected_version=version(services, deal.id), by=manager,
                             won_on=dt.date(2026, 11, 30), final_value=Decimal("12.34"))
    start = services.board.start(won.pipeline_id, include_closed=True, first=0)
    total = start.starts[won.id].total
    assert (start.starts[won.id].cards, total.known) == (1, Decimal("12.34"))


def test_a_small_column_comes_whole_and_an_unknown_owner_means_everyone(
        services: Services, manager: Actor, rep: Actor) -> None:
    fill(services, manager, rep)
    target = stage(services, "Needs analysis")
    start = services.board.start(target.pipeline_id, owner_id=999, first=3)
    assert target.id not in start.starts
    assert len([c for c in start.cards if c.stage_id == target.id]) == 3
    assert all(column.owner_id == 0 for column in start.starts.values())


def test_reads_in_a_snapshot_do_not_see_a_commit_made_between_them(db: Database,
                                                                  db_path: Path) -> None:
    count = "SELECT count(*) FROM lost_reasons"
    with db.snapshot():
        before = db.query(count)[0][0]
        with closing(sqlite3.connect(db_path)) as other:
            other.execute("INSERT INTO lost_reasons (label, position, active) VALUES ('x', 99, 1)")
            other.commit()
        assert db.query(count)[0][0] == before
    assert db.query(count)[0][0] == before + 1


def test_a_long_read_on_another_thread_never_holds_up_a_read_here(
        services: Services, manager: Actor, db: Database) -> None:
    deal = make_deal(services, manager)
    found: list[object] = []
    with db.snapshot():  # a read of every card of a large board, held open
        db.query("SELECT count(*) FROM deals")
        reader = threading.Thread(target=lambda: found.append(services.board.card(deal.id)))
        reader.start()
        reader.join(10)
        assert not reader.is_alive()  # it did not wait for the read held open here
    assert found == [services.board.card(deal.id)]


def test_a_file_that_cannot_be_opened_is_said_in_a_snapshot_too(tmp_path: Path) -> None:
    from funneldesk.errors import FunnelDeskError

    gone = Database(tmp_path / "no such folder" / "sales.db")
    with pytest.raises(FunnelDeskError), gone.snapshot():
        gone.query("SELECT 1")


def test_a_snapshot_inside_another_is_part_of_it(db: Database, db_path: Path) -> None:
    count = "SELECT count(*) FROM lost_reasons"
    with db.snapshot():
        before = db.query(count)[0][0]
        with db.snapshot():
            assert db.query(count)[0][0] == before
        with closing(sqlite3.connect(db_path)) as other:
            other.execute("INSERT INTO lost_reasons (label, position, active) VALUES ('x', 9, 1)")
            other.commit()
        assert db.query(count)[0][0] == before  # still the outer snapshot
    assert db.query(count)[0][0] == before + 1
