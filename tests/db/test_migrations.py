"""Migrations, and files that must be refused and left untouched."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from funneldesk.db import open_database
from funneldesk.db.migrate import alembic_config, backup_before_migration, modelled
from funneldesk.db.revisions import HEAD, REVISIONS
from funneldesk.errors import (
    CorruptDatabase,
    NewerDatabase,
    NotFunnelDeskDatabase,
    ReadOnlyDatabase,
    UnsupportedDatabase,
)
from funneldesk.models import Base


def test_upgrade_from_empty_matches_the_models(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.db")
    with db.engine.connect() as connection:
        diff = compare_metadata(
            MigrationContext.configure(connection, opts={"include_name": modelled}),
            Base.metadata)
        assert diff == []
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.close()


def test_known_revisions_match_alembic() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_current_head() == HEAD
    assert [r.revision for r in reversed(list(script.walk_revisions()))] == list(REVISIONS)


def _untouched(path: Path, content: bytes) -> None:
    assert path.read_bytes() == content
    assert not path.with_name(path.name + "-wal").exists()


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database" * 10)
    with pytest.raises(NotFunnelDeskDatabase) as refused:
        open_database(path)
    assert str(path) in refused.value.message()
    _untouched(path, b"these are my notes, not a database" * 10)


def test_another_programs_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotFunnelDeskDatabase):
        open_database(path)
    _untouched(path, before)


def test_a_damaged_file_is_refused_untouched(tmp_path: Path, db_path: Path) -> None:
    data = bytearray(db_path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # wreck the first page's b-tree
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(bytes(data))
    with pytest.raises(CorruptDatabase):
        open_database(damaged)
    _untouched(damaged, bytes(data))


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path, db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(NewerDatabase):
        open_database(db_path)
    assert db_path.read_bytes() == before


def test_read_only_check_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # root bypasses permissions, so the check is driven through os.access
    monkeypatch.setattr(os, "access", lambda _p, _m: False)
    with pytest.raises(ReadOnlyDatabase) as refused:
        open_database(tmp_path / "x.db")
    assert "x.db" in refused.value.message()
    assert not (tmp_path / "x.db").exists()


def test_other_urls_are_refused_with_a_clear_message() -> None:
    with pytest.raises(UnsupportedDatabase) as refused:
        open_database("postgresql://team@server/sales")
    assert "postgresql://team@server/sales" in refused.value.message()


def test_backup_before_migration_is_a_consistent_copy(db_path: Path) -> None:
    copy = backup_before_migration(db_path, "0001")
    assert copy.parent == db_path.parent
    assert "before-0001" in copy.name
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
    conn.close()
