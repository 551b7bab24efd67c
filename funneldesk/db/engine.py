"""Engines with the SQLite pragmas and the transactions FunnelDesk relies on.

pysqlite begins a transaction lazily, just before the first INSERT/UPDATE/DELETE, so the
reads and checks of a change would run outside it and another writer could slip in
between. Here pysqlite's own BEGIN is turned off and every transaction starts with an
explicit one when SQLAlchemy begins it: ``BEGIN IMMEDIATE`` for a change (it takes the
write lock before the first read, waiting up to the busy timeout), a plain deferred
``BEGIN`` for a read (one consistent snapshot, no lock: WAL readers never wait).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event

READ_ONLY = "funneldesk_read_only"  # execution option of the engine that reads
# execution option of a change whose inserts check their own references (a bulk import's
# writer checks each batch in one query, three times faster than SQLite row by row)
REFERENCES_CHECKED = "funneldesk_references_checked"


def _set_pragmas(dbapi_connection: Any, busy_timeout_ms: int) -> None:
    # no implicit BEGIN from pysqlite (and no implicit COMMIT before DDL): _begin does it
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms:d}")
    cursor.execute("PRAGMA journal_mode=WAL")
    # NORMAL in WAL mode: a committed move survives a killed process (only power loss can
    # roll back the last transactions, never corrupt the file)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin(connection: Connection) -> None:
    options = connection.get_execution_options()
    if options.get("isolation_level") == "AUTOCOMMIT":
        return  # each statement on its own, e.g. PRAGMAs that a transaction would ignore
    if options.get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
        return
    # a transaction ignores this pragma: it is set before each change begins, so that a
    # connection that served a bulk import checks references again in the next change
    checked = "OFF" if options.get(REFERENCES_CHECKED) else "ON"
    connection.exec_driver_sql(f"PRAGMA foreign_keys={checked}")
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(path: Path, busy_timeout_ms: int) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect",
                 lambda dbapi_connection, _record: _set_pragmas(dbapi_connection, busy_timeout_ms))
    event.listen(engine, "begin", _begin)
    return engine


def reading_engine(engine: Engine) -> Engine:
    """The same engine and pool, beginning its transactions without the write lock."""
    return engine.execution_options(**{READ_ONLY: True})
