"""Plain SQL shared by every area: the ``Query`` callable that reads run through, and the
conversion of the values SQLite returns.

One implementation for two callers: ``Database.query`` at start-up (no SQLAlchemy import
before the first paint) and an open session's connection inside a change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

Query = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]
NAIVE_LENGTHS = (19, 26)  # "YYYY-MM-DD HH:MM:SS", and with ".ffffff"


def timestamp(value: Any) -> dt.datetime:
    if isinstance(value, str) and len(value) in NAIVE_LENGTHS:
        # naive UTC text, as SQLite keeps it: parsed with its offset, ten times faster than
        # parsing and then replacing the zone (a board converts 10,000 of these)
        return dt.datetime.fromisoformat(value + "+00:00")
    parsed = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def session_query(session: Any) -> Query:
    """``Query`` over an open SQLAlchemy session's connection (sees its uncommitted rows)."""

    def run(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in session.connection().exec_driver_sql(sql, tuple(params))]

    return run


def next_new_id(session: Any, table: str) -> int:
    """The id the next row written into ``table`` gets when its writer numbers the rows
    itself (a bulk import): above every id the table has held, as SQLite numbers them
    for an AUTOINCREMENT table (migration 0014), so that a purged or erased record's id,
    which the audit log still names, is never given to another."""
    [(last,)] = session_query(session)(
        f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0), "
        f"coalesce((SELECT max(id) FROM {table}), 0))", (table,))
    return int(last) + 1
