"""Looks at a database file read-only before anything writes to it."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from funneldesk.db.revisions import REVISIONS
from funneldesk.errors import (
    CorruptDatabase,
    NewerDatabase,
    NotFunnelDeskDatabase,
    ReadOnlyDatabase,
)

SQLITE_MAGIC = b"SQLite format 3\x00"


def check_writable(path: Path) -> None:
    folder = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        raise ReadOnlyDatabase(str(path))
    # WAL needs the -wal and -shm files beside the database
    if not os.access(folder, os.W_OK):
        raise ReadOnlyDatabase(str(path))


def current_revision(path: Path) -> str | None:
    """The schema revision of an existing file; None for an empty or absent file.

    Raises a typed error for files that must be left alone.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    with path.open("rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise NotFunnelDeskDatabase(str(path))
    try:
        # immutable: no -wal/-shm files appear beside a file we may have to leave alone
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise CorruptDatabase(str(path))
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" not in tables:
                if tables:
                    raise NotFunnelDeskDatabase(str(path))
                return None
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabase(str(path)) from exc
    if row is None:
        return None
    revision = str(row[0])
    if revision not in REVISIONS:
        raise NewerDatabase(str(path))
    return revision
