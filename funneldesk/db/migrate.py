"""Alembic upgrades, run when a database is opened (with a copy saved first)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

if TYPE_CHECKING:  # alembic is imported only when a migration runs (start-up time)
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def backup_before_migration(path: Path, revision: str) -> Path:
    """Copies the file (consistently, through SQLite's backup API) next to itself."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.before-{revision}-{stamp}{path.suffix}")
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def upgrade(engine: Engine, path: Path, revision: str | None) -> None:
    from alembic import command

    if revision is not None and path.exists():
        backup_before_migration(path, revision)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


__all__ = ["alembic_config", "backup_before_migration", "upgrade"]
