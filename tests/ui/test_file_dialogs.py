"""FunnelDesk's file dialogs never open the database file: a process that closes any
descriptor of a file loses its SQLite locks on it, and a command run meanwhile then
deletes the -wal and -shm files the window still writes to."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import QFileInfo
from PySide6.QtWidgets import QFileDialog, QFileSystemModel
from pytestqt.qtbot import QtBot

from funneldesk import i18n
from funneldesk.ui.common.file_dialogs import SafeFileDialog

OTHER_PROCESS = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                 "c.execute('SELECT count(*) FROM t').fetchall(); c.close()")


def show_folder(qtbot: QtBot, dialog: QFileDialog) -> None:
    """Shows the dialog until its list has read the folder and each file's type."""
    models = dialog.findChildren(QFileSystemModel)
    assert models
    with qtbot.waitSignal(models[0].directoryLoaded, timeout=10000):
        dialog.show()
    model = models[0]
    root = model.index(dialog.directory().absolutePath())
    for row in range(model.rowCount(root)):  # what the list shows: name, size, type, date
        for column in range(model.columnCount(root)):
            model.index(row, column, root).data()
    qtbot.wait(200)  # the icons and types are gathered on a thread of Qt's
    dialog.close()


@pytest.mark.parametrize("safe", [True, False], ids=["funneldesk's dialog", "qt's own"])
def test_browsing_the_database_folder_keeps_the_window_s_locks(
        qtbot: QtBot, tmp_path: Path, safe: bool) -> None:
    path = tmp_path / "team.db"
    with closing(sqlite3.connect(path)) as held:  # the window's connection
        held.execute("PRAGMA journal_mode=WAL")
        held.execute("CREATE TABLE t (x)")
        held.execute("INSERT INTO t VALUES (1)")
        held.commit()
        if safe:
            dialog: QFileDialog = SafeFileDialog(None, "Export", str(tmp_path / "list.csv"),
                                                 "CSV (*.csv)",
                                                 QFileDialog.AcceptMode.AcceptSave)
        else:  # what the dialogs were, to show that the test sees the harm
            dialog = QFileDialog(None, "Export", str(tmp_path), "CSV (*.csv)")
            dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        qtbot.addWidget(dialog)
        show_folder(qtbot, dialog)
        subprocess.run([sys.executable, "-c", OTHER_PROCESS, str(path)], check=True)
        kept = (tmp_path / "team.db-wal").exists()
        if not safe and kept:  # the control, on a Qt that no longer reads what it lists
            pytest.skip("this Qt's own dialog no longer opens the files it lists")
        assert kept is safe


def test_the_dialog_speaks_chinese_where_qt_s_own_catalog_does_not(
        qtbot: QtBot, tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    i18n.set_language("zh_CN")
    dialog = SafeFileDialog(None, "导入", str(tmp_path), "CSV (*.csv)",
                            QFileDialog.AcceptMode.AcceptOpen)
    qtbot.addWidget(dialog)
    labels = QFileDialog.DialogLabel
    assert (dialog.labelText(labels.LookIn), dialog.labelText(labels.FileType)) == (
        "查找范围：", "文件类型：")
    assert dialog.iconProvider().type(QFileInfo(str(tmp_path / "folder"))) == "文件夹"
