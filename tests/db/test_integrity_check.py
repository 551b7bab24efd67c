"""A healthy file is never called damaged, also while another FunnelDesk writes to it, and
the file read is the one named, whatever its path holds;
a damaged one is found by the integrity check."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from funneldesk.db import open_database
from funneldesk.db.inspect_file import current_revision
from funneldesk.db.revisions import HEAD
from funneldesk.errors import DatabaseDamaged, NewerDatabase
from funneldesk.services import Services

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def writer(db_path: Path) -> Iterator[subprocess.Popen[str]]:
    """A second FunnelDesk process writing to db_path, already past its first commits."""
    proc = subprocess.Popen([sys.executable, "-m", "tests.db.busy_writer", str(db_path)],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for _ in range(20):  # it is writing from here on
        assert proc.stdout.readline(), "the writer stopped"
    yield proc
    proc.kill()
    proc.wait()
    proc.stdout.close()


def test_a_database_another_instance_is_writing_to_is_not_called_damaged(
        db_path: Path, writer: subprocess.Popen[str]) -> None:
    db = open_database(db_path)
    services = Services.for_database(db)
    start, checks = services.board.deal_count(), 0
    # start-up's first read and the full check, over and over while 30 more deals land
    while services.board.deal_count() < start + 30:
        assert current_revision(db_path) == HEAD
        services.check_integrity()
        checks += 1
        assert writer.poll() is None, "the writer stopped"
    db.close()
    assert checks > 1


def damage_audit_log(path: Path) -> None:
    """Wrecks the audit log's b-tree: a page the board never reads, past the first page."""
    conn = sqlite3.connect(path)
    conn.executemany("INSERT INTO audit_log (at, action, entity, details) VALUES (?, ?, ?, ?)",
                     [("2026-01-01 00:00:00", "test", "deal", "x" * 500)] * 200)
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'audit_log'").fetchone()[0]
    conn.close()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\x0d" + b"\xff" * (page_size - 1))


def test_the_integrity_check_finds_damage_past_the_first_page(db_path: Path) -> None:
    damage_audit_log(db_path)
    db = open_database(db_path)  # opening stays cheap: it does not read every page
    services = Services.for_database(db)
    with pytest.raises(DatabaseDamaged) as found:
        services.check_integrity()
    db.close()
    assert str(db_path) in found.value.message()


def test_damage_met_while_working_is_reported_as_damage_not_as_a_crash(db_path: Path) -> None:
    damage_audit_log(db_path)
    db = open_database(db_path)
    services = Services.for_database(db)
    with pytest.raises(DatabaseDamaged) as found:
        services.users.current("newcomer")  # a new user is written to the damaged audit log
    db.close()
    assert str(db_path) in found.value.message()


def test_a_path_with_uri_characters_is_read_as_that_very_file(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "销售 数据#1"
    folder.mkdir()
    path = folder / "team?.db"
    path.write_bytes(db_path.read_bytes())
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabase):  # read from this file, not from "销售 数据"
        open_database(path)
    assert path.read_bytes() == before
