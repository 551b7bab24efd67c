"""The layering of docs/ARCHITECTURE.md, checked by import-linter's contracts in pyproject.toml."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept() -> None:
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 kept, 0 broken" in result.stdout


def test_core_imports_without_qt() -> None:
    code = ("import sys, funneldesk.services, funneldesk.cli, funneldesk.db; "
            "assert not [m for m in sys.modules if m.startswith('PySide6')]")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_the_ui_never_reaches_around_the_services_to_the_database() -> None:
    """``Services.db`` is the open database: a page that used it would skip the rules the
    services keep (import-linter sees imports, not attribute access, so this reads the code)."""
    import ast

    reached = []
    for path in sorted((ROOT / "funneldesk" / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # services.db, and the ways around the dot: getattr(services, "db"), vars(...)["db"]
            if (isinstance(node, ast.Attribute) and node.attr == "db") or (
                    isinstance(node, ast.Constant) and node.value == "db"):
                reached.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert reached == []


def test_file_dialogs_are_the_ones_that_never_open_the_database_file() -> None:
    """Qt's and the desktop's dialogs read the files of the folder they show, which drops
    SQLite's locks in the window's process (ui/common/file_dialogs.py says why)."""
    allowed = ROOT / "funneldesk" / "ui" / "common" / "file_dialogs.py"
    users = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "funneldesk").rglob("*.py"))
             if path != allowed and "QFileDialog" in path.read_text(encoding="utf-8")]
    assert users == []


def test_the_window_and_the_boards_first_read_import_no_sqlalchemy() -> None:
    """The board is painted before SQLAlchemy's ORM is loaded (it costs about 0.4 s of the
    start): nothing on that path may import it, however indirectly. Nor may the panes,
    built on the GUI thread just after that paint or when their tab is chosen."""
    code = ("import sys, funneldesk.app, funneldesk.cli, funneldesk.ui.shell.main_window, "
            "funneldesk.services.pipeline.board, funneldesk.services.team.reads, "
            "funneldesk.ui.activities.today_pane, funneldesk.ui.analytics.kpi_pane; "
            "assert not [m for m in sys.modules if m.startswith('sqlalchemy')], 'sqlalchemy'")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60,
                   env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
