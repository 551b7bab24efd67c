"""File ▸ Import reports… lists the reports kept of earlier imports, newest first, and
shows each as the wizard did: its counts and every row's error."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from funneldesk import paths
from funneldesk.ui.customers.import_reports import ImportReportsDialog
from funneldesk.ui.shell.main_window import MainWindow


def keep(name: str, created: int, failed: int, errors: list[dict[str, object]]) -> None:
    folder = paths.import_reports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps({
        "counts": {"read": created + failed, "created": created, "updated": 0,
                   "unchanged": 0, "failed": failed}, "errors": errors}), encoding="utf-8")


def test_the_kept_reports_are_listed_newest_first_and_shown_with_their_errors(
        qtbot: QtBot, window: MainWindow) -> None:
    keep("2026-11-30 09.15.02 companies.json", 12, 0, [])
    keep("2026-12-01 18.38.29 contacts.json", 0, 1, [
        {"record": 2, "line": 3, "column": "手机", "value": "12345", "reason": "bad_phone",
         "reason_label": "x"}])
    (paths.import_reports_dir() / "notes.txt").write_text("not a report")

    window.actions_.import_reports.trigger()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ImportReportsDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ImportReportsDialog)

    titles = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert titles == ["2026-12-01 18:38 · contacts", "2026-11-30 09:15 · companies"]
    assert dialog.view.verdict.text() == "Nothing was written: 1 row had errors."
    assert dialog.view.table.isVisibleTo(dialog)
    assert dialog.view.errors.rowCount() == 1
    dialog.list.setCurrentRow(1)
    assert dialog.view.verdict.text() == "Written."
    assert "12 created" in dialog.view.counts.text()
    assert not dialog.view.table.isVisibleTo(dialog)
    dialog.reject()


def test_with_no_import_yet_the_dialog_says_so(qtbot: QtBot, window: MainWindow) -> None:
    dialog = ImportReportsDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 0
    assert dialog.empty.isVisibleTo(dialog)
