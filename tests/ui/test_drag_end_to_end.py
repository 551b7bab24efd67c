"""A real mouse drag from one column to another, in its own process under the minimal
platform (the platform is chosen once per process, and offscreen cannot finish a QDrag)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_mouse_drag_moves_a_card_and_saves_it(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "minimal", "FUNNELDESK_CONFIG_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "tests.ui.drag_e2e_script"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "moved shown" in result.stdout
