"""Killing FunnelDesk in the middle of moves loses no committed move, and in the middle
of an import leaves nothing of it: no half-written state either way."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_kill_during_moves_keeps_every_committed_move(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    proc = subprocess.Popen([sys.executable, "-m", "tests.services.crash_mover", str(db)],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    committed: list[tuple[int, int, int]] = []
    deadline = time.monotonic() + 60
    while len(committed) < 150 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line:
            change, deal, stage = map(int, line.split())
            committed.append((change, deal, stage))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert len(committed) >= 150
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    saved = {r[0] for r in conn.execute("SELECT id FROM stage_changes")}
    assert {change for change, _d, _s in committed} <= saved
    # every deal's stage is its last change: no move half-written
    mismatched = conn.execute("""
        SELECT d.id FROM deals d
        WHERE d.stage_id != (SELECT to_stage_id FROM stage_changes c
                             WHERE c.deal_id = d.id ORDER BY c.id DESC LIMIT 1)""").fetchall()
    assert mismatched == []
    conn.close()


def test_kill_during_an_import_leaves_nothing_of_it(tmp_path: Path) -> None:
    db, source = tmp_path / "crash.db", tmp_path / "contacts.csv"
    source.write_text("name,company,phone\n" + "".join(
        f"Person {n},Company {n % 500},+86 139{n:08d}\n" for n in range(60_000)),
        encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "tests.services.crash_importer", str(db),
                             str(source)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    done, deadline, worker = 0, time.monotonic() + 120, None
    while done < 30_000 and time.monotonic() < deadline:  # half the rows handed to SQLite
        line = proc.stdout.readline()
        assert line, "the importer stopped before it was killed"
        assert line != "committed\n", "the import ended before it was killed"
        if line.startswith("worker "):
            worker = int(line.split()[1])
        else:
            done = int(line.split()[0])
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert done >= 30_000
    # the worker looking for names alike beside the import ends with it, not later
    assert worker is not None
    gone = time.monotonic() + 30
    while _running(worker) and time.monotonic() < gone:
        time.sleep(0.1)
    assert not _running(worker)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    for table in ("contacts", "companies", "channels"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
    conn.close()


def _running(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie not yet reaped does not, where /proc says)."""
    if not Path("/proc").is_dir():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return status.rsplit(")", 1)[1].split()[0] != "Z"
