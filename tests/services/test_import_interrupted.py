"""Ctrl+C during `funneldesk import` cancels it as the wizard's Cancel does: pressed
before the import's commit, nothing is written and the command says so; pressed as the
commit returns, the import is saved and the command says what it wrote."""

from __future__ import annotations

import os
import signal
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from funneldesk.cli import main
from funneldesk.services.common.tabular.service import ImportService

CSV = "姓名,公司名称,手机\n李晓明,星辰科技,13800138000\n王芳,远航物流,13900139000\n"


def _contacts(db_path: Path) -> int:
    with closing(sqlite3.connect(db_path)) as conn:
        return int(conn.execute("SELECT count(*) FROM contacts").fetchone()[0])


def _interrupted(monkeypatch: pytest.MonkeyPatch, *, after: bool) -> None:
    """Ctrl+C pressed as the import starts, or as its commit has returned."""
    real = ImportService.run

    def run(service: ImportService, *args: Any, **options: Any) -> Any:
        if not after:
            os.kill(os.getpid(), signal.SIGINT)
        report = real(service, *args, **options)
        if after:
            os.kill(os.getpid(), signal.SIGINT)
        return report

    monkeypatch.setattr(ImportService, "run", run)


@pytest.mark.parametrize(("after", "code", "said", "written"), [
    (False, 1, "cancelled", 0),  # before the commit: nothing, and the command says so
    (True, 0, "2 created", 2)])  # as it returned: saved, and said as saved
def test_ctrl_c_cancels_an_import_not_yet_saved_and_leaves_one_saved_said(
        tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, after: bool, code: int, said: str,
        written: int) -> None:
    before = _contacts(db_path)
    path = tmp_path / "c.csv"
    path.write_text(CSV, encoding="utf-8")
    _interrupted(monkeypatch, after=after)
    assert main(["--db", str(db_path), "import", "contacts", str(path)]) == code
    out, err = capsys.readouterr()
    assert said in (err if code else out)
    assert _contacts(db_path) == before + written
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # as it was


def test_ctrl_c_once_the_import_is_saved_skips_what_follows_and_says_so(
        tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Pressed while the command makes the records findable (seconds, after a big
    import): the import stays saved and said, exit 0, and what was skipped is said."""
    from funneldesk.services.customers.companies import CustomerService

    before = _contacts(db_path)
    path = tmp_path / "c.csv"
    path.write_text(CSV, encoding="utf-8")
    real = CustomerService.index_missing

    def interrupted(service: CustomerService) -> int:
        os.kill(os.getpid(), signal.SIGINT)
        return real(service)

    monkeypatch.setattr(CustomerService, "index_missing", interrupted)
    assert main(["--db", str(db_path), "import", "contacts", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "2 created" in out
    assert "Interrupted after the import was saved" in err
    assert _contacts(db_path) == before + 2
