"""Renumbering a long column costs a handful of statements, not one per deal: it happens
inside a user's drop, on columns of thousands of cards."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import event

from funneldesk.db import Database
from funneldesk.services import Services
from funneldesk.services.dto import Actor

DEALS = 300


def test_renumbering_a_column_runs_a_few_statements_whatever_its_length(
        services: Services, manager: Actor, db: Database) -> None:
    services.demo.generate(deals=DEALS, seed=3, by=manager, closed_share=0.0)
    first = services.board.load(1).pipeline.stages[0].id
    ids = [r[0] for r in db.query("SELECT id FROM deals WHERE stage_id = ? ORDER BY position",
                                  (first,))]
    assert len(ids) > 50
    mover, above, anchor = ids[-1], ids[0], ids[1]
    with db.session() as session:  # the gap above ``anchor`` is used up
        session.connection().exec_driver_sql(
            "UPDATE deals SET position = (SELECT position FROM deals WHERE id = ?) - 1e-9 "
            "WHERE id = ?", (anchor, above))
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        version = services.board.card(mover).version  # type: ignore[union-attr]
        services.moves.move_deal(deal_id=mover, to_stage_id=first, before_id=anchor,
                                 expected_version=version, by=manager)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    order = [r[0] for r in db.query("SELECT id FROM deals WHERE stage_id = ? ORDER BY position",
                                    (first,))]
    assert order == [above, mover, *ids[1:-1]]
    positions = [r[0] for r in db.query("SELECT position FROM deals WHERE stage_id = ? "
                                        "ORDER BY position", (first,))]
    assert min(b - a for a, b in itertools.pairwise(positions)) >= 1
    assert len(statements) < 30


def test_a_used_up_gap_moves_only_the_deals_just_above_it(
        services: Services, manager: Actor, db: Database) -> None:
    services.demo.generate(deals=DEALS, seed=3, by=manager, closed_share=0.0)
    first = services.board.load(1).pipeline.stages[0].id

    def column() -> list[tuple[int, float]]:
        return [(r[0], r[1]) for r in db.query(
            "SELECT id, position FROM deals WHERE stage_id = ? ORDER BY position", (first,))]

    ids = [i for i, _p in column()]
    mover, above, anchor = ids[-1], ids[39], ids[40]
    with db.session() as session:  # positions off the grid, and the gap above ``anchor`` used up
        connection = session.connection()
        connection.exec_driver_sql("UPDATE deals SET position = position + 0.5")
        connection.exec_driver_sql(
            "UPDATE deals SET position = (SELECT position FROM deals WHERE id = ?) - 1e-9 "
            "WHERE id = ?", (anchor, above))
    before = dict(column())
    version = services.board.card(mover).version  # type: ignore[union-attr]
    services.moves.move_deal(deal_id=mover, to_stage_id=first, before_id=anchor,
                             expected_version=version, by=manager)
    after = column()
    assert [i for i, _p in after] == [*ids[:40], mover, *ids[40:-1]]
    assert min(b[1] - a[1] for a, b in itertools.pairwise(after)) >= 1
    unchanged = [i for i, p in after if i != mover and before[i] == p]
    assert len(unchanged) >= len(ids) - 40  # the deals below the gap, and most above it
