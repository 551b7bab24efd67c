"""A long session on a big board must not bring the process down.

Scrolling, repainting and filtering a 10,000-card board makes hundreds of thousands of Qt
calls; a binding that corrupts reference counts (PySide6 6.12.0 on Python 3.11) aborts the
process within seconds of this. The board runs in its own process, so that an abort shows
as a failed test with Python's fatal error, not as a dead test run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_scrolling_and_filtering_a_10000_card_board_keeps_the_process_alive(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FUNNELDESK_CONFIG_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "tests.qt.soak_script"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "painted" in result.stdout
