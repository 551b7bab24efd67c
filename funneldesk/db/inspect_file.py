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


def wal_file(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def read_only_uri(path: Path, *, untouched: bool = False) -> str:
    """A URI that opens ``path`` read-only.

    A database in use has its -wal file, and is read through it like any reader does
    (``immutable`` would read the main file alone and can see it half-checkpointed while
    another instance writes). With ``untouched`` and no -wal file, no connection has the
    file open, so the file alone is the whole database: ``immutable`` then reads it without
    creating -wal and -shm files beside a file that may not be ours.
    """
    uri = path.resolve().as_uri() + "?mode=ro"
    if untouched and not wal_file(path).exists():
        uri += "&immutable=1"
    return uri


def current_revision(path: Path) -> str | None:
    """The schema revision of an existing file; None for an empty or absent file.

    Raises a typed error for files that must be left alone. Reads the schema table and the
    revision only, so it costs the same for any size of file; a wrecked first page fails
    here, damage further in is for ``Database.check_integrity`` after the window shows.
    """
    if path.is_dir():  # not a file at all: named, never written into
        raise NotFunnelDeskDatabase(str(path))
    if not path.exists() or path.stat().st_size == 0:
        return None
    with path.open("rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise NotFunnelDeskDatabase(str(path))
    try:
        row = _read_revision(path)
    except sqlite3.DatabaseError:
        if not wal_file(path).exists():
            raise CorruptDatabase(str(path)) from None
        # another instance may have opened the file while it was read without its WAL
        try:
            row = _read_revision(path)
        except sqlite3.DatabaseError as exc:
            raise CorruptDatabase(str(path)) from exc
    if row is None:
        return None
    revision = str(row[0])
    if revision not in REVISIONS:
        raise NewerDatabase(str(path))
    return revision


def _read_revision(path: Path) -> tuple[object, ...] | None:
    conn = sqlite3.connect(read_only_uri(path, untouched=True), uri=True)
    try:
        conn.execute("PRAGMA busy_timeout=5000")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            if tables:
                raise NotFunnelDeskDatabase(str(path))
            return None
        row: tuple[object, ...] | None = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row
    finally:
        conn.close()
