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

from funneldesk.collation import add_sql_function

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
    add_sql_function(dbapi_connection)  # the lists' orders, in any session too


def _begin(connection: Connection) -> None:
    options = connection.get_execution_options()
    if options.get("isolation_level") == "AUTOCOMMIT":
        return  # each statement on its own, e.g. PRAGMAs that a transaction would ignore
    if options.get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
        return
    if options.get(REFERENCES_CHECKED):
        # before BEGIN: a transaction ignores this pragma. Marked first, so that the pool
        # turns the checks on again even when BEGIN fails (_checked_again)
        connection.connection.info[_UNCHECKED] = True
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.exec_driver_sql("BEGIN IMMEDIATE")


_UNCHECKED = "funneldesk_foreign_keys_off"
_LOG_KEPT = "funneldesk_log_kept"  # the connection's own wal_autocheckpoint, to put back


def keep_log_at_commit(dbapi_connection: Any, info: dict[str, Any]) -> None:
    """The next commit on this connection leaves the write-ahead log as it is, where
    SQLite would copy it into the database file once it holds more than its
    ``wal_autocheckpoint`` pages (a big import's 40 MB took a sixth of a second more to
    commit): the caller copies it after, on a thread of its own (Database.checkpoint_soon).
    The connection copies at its commits again once back in the pool (_checked_again).
    ``info``: the connection's pool record's."""
    if _LOG_KEPT not in info:
        info[_LOG_KEPT] = int(dbapi_connection.execute("PRAGMA wal_autocheckpoint")
                              .fetchone()[0])
    dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")


def _checked_again(dbapi_connection: Any, record: Any) -> None:
    """A connection back in the pool from a change with foreign keys off checks them
    again (only then: setting the pragma makes SQLite prepare every statement anew), and
    one that kept its log at commit copies it again at its commits; either is put back
    whatever the other does."""
    if dbapi_connection is None:
        return
    unchecked = record.info.pop(_UNCHECKED, False)
    pages = record.info.pop(_LOG_KEPT, None)
    try:
        if unchecked:
            dbapi_connection.execute("PRAGMA foreign_keys=ON")
    finally:
        if pages is not None:
            dbapi_connection.execute(f"PRAGMA wal_autocheckpoint={int(pages):d}")


def make_engine(path: Path, busy_timeout_ms: int) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect",
                 lambda dbapi_connection, _record: _set_pragmas(dbapi_connection, busy_timeout_ms))
    event.listen(engine, "begin", _begin)
    event.listen(engine, "checkin", _checked_again)
    return engine


def reading_engine(engine: Engine) -> Engine:
    """The same engine and pool, beginning its transactions without the write lock."""
    return engine.execution_options(**{READ_ONLY: True})
