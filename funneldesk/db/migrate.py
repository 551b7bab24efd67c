"""Alembic upgrades, run when a database is opened (with a copy saved first).

SQLite changes most columns by rebuilding the table (copy, drop, rename). Dropping a
table that other rows point at fails while foreign keys are enforced, so upgrades run on
a connection of their own with foreign keys off, in one explicit transaction, and
``PRAGMA foreign_key_check`` must find nothing before that transaction commits. A failed
upgrade leaves the file as it was, with the copy beside it.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import NullPool

from funneldesk.errors import MigrationFailed

if TYPE_CHECKING:  # alembic is imported only when a migration runs (start-up time)
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FTS_TABLE = "search_fts"  # the search's FTS5 table (migration 0004): no model describes it


def modelled(name: str | None, type_: str, _parent_names: Any) -> bool:
    """Alembic's ``include_name``: leaves out the FTS5 table and the shadow tables SQLite
    keeps for it (search_fts_data, ...) when the schema is compared with the models."""
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLE))


def alembic_config(extra_versions: Path | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if extra_versions is not None:  # tests add migrations of their own on top of the head
        config.set_main_option("path_separator", "os")
        config.set_main_option("version_locations", os.pathsep.join(
            [str(MIGRATIONS / "versions"), str(extra_versions.resolve())]))
    return config


def backup_before_migration(path: Path, revision: str) -> Path:
    """Copies the file (consistently, through SQLite's backup API) next to itself."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.before-{revision}-{stamp}{path.suffix}")
    # as_uri(): a ? or # in the path must not be read as the URI's query or fragment
    src = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def _migration_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite would begin lazily, after DDL had already run outside any transaction;
        # the transaction is begun explicitly below instead
        dbapi_connection.isolation_level = None
        for pragma in ("foreign_keys=OFF", "busy_timeout=5000", "journal_mode=WAL"):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def upgrade(path: Path, revision: str | None, *, extra_versions: Path | None = None) -> None:
    """Brings the file at ``path`` (now at ``revision``; None when new) to the newest
    schema. Raises MigrationFailed, with nothing changed, when the result would break a
    foreign key."""
    from alembic import command

    backup = None
    if revision is not None and path.exists():
        backup = backup_before_migration(path, revision)
    config = alembic_config(extra_versions)
    engine = _migration_engine(path)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:  # raising here rolls the whole upgrade back
                tables = sorted({str(row[0]) for row in problems})
                raise MigrationFailed(str(path), tables=tables, rows=len(problems),
                                      backup=str(backup) if backup else "")
    finally:
        engine.dispose()


__all__ = ["alembic_config", "backup_before_migration", "upgrade"]
