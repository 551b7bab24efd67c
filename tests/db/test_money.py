"""Money is exact in SQL too: stored as integer hundredths on SQLite, summed exactly."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from funneldesk.db import Database
from funneldesk.models import Deal
from funneldesk.services import Services
from funneldesk.services.dto import Actor


def _insert_values(db: Database, by: Actor, values: list[Decimal]) -> None:
    now = dt.datetime.now(dt.UTC)
    with db.session() as session:
        session.execute(insert(Deal), [
            {"pipeline_id": 1, "stage_id": 1, "stage_entered_at": now, "position": float(i),
             "title": f"d{i}", "value": value, "currency": "CNY", "owner_id": by.id,
             "created_by_id": by.id, "updated_by_id": by.id}
            for i, value in enumerate(values)])


def test_ten_thousand_dimes_sum_to_exactly_one_thousand_in_sql(
        db: Database, db_path: Path, services: Services, manager: Actor) -> None:
    _insert_values(db, manager, [Decimal("0.10")] * 10_000)
    # the database's own arithmetic, with no rounding by SQLAlchemy on the way out
    # (NUMERIC would give 1000.0000000001588 here)
    conn = sqlite3.connect(db_path)
    raw = conn.execute("SELECT sum(value), typeof(sum(value)) FROM deals").fetchone()
    conn.close()
    assert raw == (100_000, "integer")
    with db.session() as session:  # and the same sum through the typed column
        total = session.scalar(select(func.sum(Deal.value)))
    assert total == Decimal("1000.00")
    assert isinstance(total, Decimal)


def test_amounts_are_stored_as_integer_hundredths(
        db: Database, db_path: Path, services: Services, manager: Actor) -> None:
    _insert_values(db, manager, [Decimal("12345.675"), Decimal("0.005"), Decimal("0.1")])
    conn = sqlite3.connect(db_path)
    stored = conn.execute("SELECT value, typeof(value) FROM deals ORDER BY position").fetchall()
    conn.close()
    # rounded half-up to the cent on the way in
    assert stored == [(1234568, "integer"), (1, "integer"), (10, "integer")]
    cards = services.board.load(1).cards
    assert sorted(c.value for c in cards) == [Decimal("0.01"), Decimal("0.10"),
                                              Decimal("12345.68")]


def test_a_float_is_refused_as_an_amount(db: Database, manager: Actor, services: Services) -> None:
    with pytest.raises(Exception, match="Decimal"):
        _insert_values(db, manager, [0.1])  # type: ignore[list-item] - the wrong type on purpose
