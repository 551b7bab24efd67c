"""Starts tests/services/second_app.py: another FunnelDesk process on the same file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMAND = [sys.executable, "-m", "tests.services.second_app"]


def _env(busy_ms: int, rounds: int) -> dict[str, str]:
    return {**os.environ, "SECOND_APP_BUSY_MS": str(busy_ms), "ROUNDS": str(rounds)}


def run_second(db: Path, login: str, *args: object, busy_ms: int = 5000) -> str:
    """Runs one action in another process and returns the line it printed."""
    done = subprocess.run([*COMMAND, str(db), login, *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, env=_env(busy_ms, 1), timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def start_second(db: Path, login: str, *args: object, busy_ms: int = 5000,
                 rounds: int = 1) -> subprocess.Popen[str]:
    """Starts an action in another process (stdin and stdout are pipes)."""
    return subprocess.Popen([*COMMAND, str(db), login, *map(str, args)], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env=_env(busy_ms, rounds))


def holding_the_lock(db: Path) -> subprocess.Popen[str]:
    """Another process that holds the write lock until ``release`` is called."""
    proc = start_second(db, "-", "hold")
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "holding"
    return proc


def release(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.write("\n")
    proc.stdin.flush()
    proc.wait(timeout=60)
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            stream.close()
