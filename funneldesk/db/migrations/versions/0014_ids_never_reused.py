"""a record's id is never given again

Revision ID: 0014
Revises: 0013

SQLite gives a new row the highest id + 1, so the id of the newest deal, activity or
contact, once purged from the Trash or erased at a person's request, went to the next
record made: that record then showed the audit entries of the one before it ("erase",
"purge"), and a calendar file could take a new activity for one it had exported.

``companies``, ``contacts``, ``deals`` and ``activities`` become AUTOINCREMENT tables:
each is rebuilt from its own CREATE statement with its id declared
``INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT`` (same columns, order, defaults, checks and
foreign keys), its rows copied, its indexes made again from their own statements. Each
counter starts above every id the table has held that the file still names: its rows,
its audit entries, and for activities the events the calendar exports wrote. A table
whose statement is not as FunnelDesk wrote it (changed by another tool) is left as it was,
with a warning in the log, and its counter set all the same: the file still opens, and
only records made one at a time may take an old id there.

This file is frozen: it imports no FunnelDesk code.
"""
import logging
import re
import sqlite3
from collections.abc import Sequence

from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> the audit log's name for its records
_TABLES = {"companies": "company", "contacts": "contact", "deals": "deal",
           "activities": "activity"}
_CALENDAR_IDS = """
SELECT max(CAST(e.key AS INTEGER)) FROM calendar_exports, json_each(calendar_exports.events) e
WHERE json_valid(calendar_exports.events)"""


def _autoincrement(create: str, table: str) -> str | None:
    """``create`` with its id the AUTOINCREMENT primary key, the table's own key
    constraint taken off (SQLite allows AUTOINCREMENT only on the column); None for a
    statement not written as FunnelDesk writes it (a table changed by another tool),
    which is left as it is rather than refuse to open the file."""
    key = re.compile(rf",\s*CONSTRAINT pk_{table} PRIMARY KEY \(id\)")
    column = re.compile(r"(\(\s*)id INTEGER NOT NULL,")
    if len(key.findall(create)) != 1 or len(column.findall(create)) != 1:
        return None
    create = key.sub("", create)
    return column.sub(rf"\1id INTEGER NOT NULL CONSTRAINT pk_{table} PRIMARY KEY AUTOINCREMENT,",
                      create)


def upgrade() -> None:
    conn = op.get_bind().connection.driver_connection  # sqlite3, inside this transaction
    assert isinstance(conn, sqlite3.Connection)
    for table, entity in _TABLES.items():
        create = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                              (table,)).fetchone()[0]
        if "AUTOINCREMENT" in create.upper():
            continue
        rebuilt = _autoincrement(create, table)
        if rebuilt is None:
            # its counter is set all the same: the imports and the sample data read it
            logging.getLogger(__name__).warning(
                "%s was changed by another tool: left as it is, its rows numbered by SQLite",
                table)
        else:
            _rebuild(conn, table, create, rebuilt)
        named = conn.execute("SELECT max(entity_id) FROM audit_log WHERE entity = ?",
                             (entity,)).fetchone()[0] or 0
        if table == "activities":
            named = max(named, conn.execute(_CALENDAR_IDS).fetchone()[0] or 0)
        held = conn.execute(f'SELECT max(id) FROM "{table}"').fetchone()[0] or 0
        conn.execute("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
        conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)",
                     (table, max(named, held)))


def _rebuild(conn: sqlite3.Connection, table: str, create: str, rebuilt: str) -> None:
    """``table`` made again by ``rebuilt`` (its CREATE statement), with its rows and its
    indexes."""
    indexes = [sql for (sql,) in conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL ORDER BY name", (table,))]
    new = f"{table}_0014"
    conn.execute(rebuilt.replace(create[:create.index("(")], f'CREATE TABLE "{new}" ', 1))
    conn.execute(f'INSERT INTO "{new}" SELECT * FROM "{table}"')
    conn.execute(f'DROP TABLE "{table}"')
    conn.execute(f'ALTER TABLE "{new}" RENAME TO "{table}"')
    for sql in indexes:
        conn.execute(sql)


def downgrade() -> None:
    # an AUTOINCREMENT table reads and writes as it did before; only the counter stays
    pass
