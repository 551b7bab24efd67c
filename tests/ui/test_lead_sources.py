"""Settings ▸ Lead sources: a manager adds, renames, orders and retires the team's
sources, with refusals shown in the dialog; a rep reads the list."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.customers.records import CompanyFields
from funneldesk.services.dto import Actor
from funneldesk.services.team.lead_sources import LeadSourceService
from funneldesk.settings import Settings
from funneldesk.ui.admin.lead_sources import NAME, USED, LeadSourcesDialog
from funneldesk.ui.shell.main_window import MainWindow
from tests.ui.conftest import answer_next_dialog


def names(dialog: LeadSourcesDialog) -> list[str]:
    return [dialog.model.index(r, NAME).data() for r in range(dialog.model.rowCount())]


def select(dialog: LeadSourcesDialog, name: str) -> None:
    dialog.view.selectionModel().setCurrentIndex(
        dialog.model.index(names(dialog).index(name), NAME),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)


def test_a_manager_adds_renames_moves_and_retires_a_source(
        qtbot: QtBot, services: Services, manager: Actor) -> None:
    dialog = LeadSourcesDialog(services, manager)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.new_name, "Xiaohongshu")
    qtbot.keyClick(dialog.new_name, Qt.Key.Key_Return)
    assert names(dialog)[-1] == "Xiaohongshu"
    assert dialog.new_name.text() == ""
    assert dialog.error.text().strip() == ""  # added once: not then refused as blank
    assert services.lead_sources.find("Xiaohongshu") is not None

    qtbot.keyClicks(dialog.new_name, "wechat")  # a seeded source's code, any case
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.error.isVisible()
    assert "already a lead source" in dialog.error.text()
    assert names(dialog).count("WeChat") == 1

    select(dialog, "Xiaohongshu")  # renamed in place
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    editor = dialog.view.findChild(QLineEdit)
    assert editor is not None
    editor.setText("Xiaohongshu (RED)")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Xiaohongshu (RED)" in names(dialog))
    assert services.lead_sources.find("Xiaohongshu (RED)") is not None

    select(dialog, "WeChat")  # a built-in one keeps its name
    assert not dialog.rename_button.isEnabled()

    select(dialog, "Xiaohongshu (RED)")
    qtbot.mouseClick(dialog.up_button, Qt.MouseButton.LeftButton)
    assert names(dialog)[-2:] == ["Xiaohongshu (RED)", "Other"]
    assert [s.label for s in services.lead_sources.all()][-2:] == ["Xiaohongshu (RED)", "Other"]
    assert dialog.model.index(dialog.current() or 0, NAME).data() == "Xiaohongshu (RED)"

    qtbot.mouseClick(dialog.retire_button, Qt.MouseButton.LeftButton)
    assert "Xiaohongshu (RED)" not in [s.label for s in services.lead_sources.all()]
    assert dialog.retire_button.text() == "Bring back"
    qtbot.mouseClick(dialog.retire_button, Qt.MouseButton.LeftButton)
    assert "Xiaohongshu (RED)" in [s.label for s in services.lead_sources.all()]
    assert dialog.changed


def test_the_list_counts_the_records_that_name_each_source_off_the_gui_thread(
        qtbot: QtBot, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    wechat = services.lead_sources.find("WeChat")
    for name in ("星辰科技", "远航物流"):
        services.customers.add_company(CompanyFields(name=name, lead_source_id=wechat),
                                       by=manager)
    counted_on: list[threading.Thread] = []
    usage = LeadSourceService.usage

    def watched(self: LeadSourceService) -> dict[int, int]:
        counted_on.append(threading.current_thread())
        return usage(self)

    monkeypatch.setattr(LeadSourceService, "usage", watched)
    dialog = LeadSourcesDialog(services, manager)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.usage is not None)
    assert counted_on
    assert threading.main_thread() not in counted_on
    assert not dialog.changed  # counting is no change: the window reads nothing again
    row = names(dialog).index("WeChat")
    assert dialog.model.index(row, USED).data() == "2"
    assert dialog.model.index(names(dialog).index("Weibo"), USED).data() == "0"


def test_a_rep_reads_the_list_from_the_settings_menu(
        qtbot: QtBot, services: Services, rep: Actor) -> None:
    window = MainWindow(services, rep, Settings())
    qtbot.addWidget(window)
    action = next(a for a in window.findChildren(QAction) if a.text() == "Lead sources…")
    seen: list[LeadSourcesDialog] = []

    def answer(dialog: object) -> None:
        assert isinstance(dialog, LeadSourcesDialog)
        seen.append(dialog)
        assert "WeChat" in names(dialog)
        assert not dialog.add_button.isVisible()
        assert not dialog.model.flags(dialog.model.index(0, NAME)) & Qt.ItemFlag.ItemIsEditable
        dialog.reject()

    answer_next_dialog(answer)
    action.trigger()
    QApplication.processEvents()
    assert seen
