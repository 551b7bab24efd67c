"""Settings ▸ Team settings: a manager sets the phone region and the public pool's days;
a rep reads them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.settings import Settings
from funneldesk.ui.admin.team_settings import TeamSettingsDialog
from funneldesk.ui.shell.main_window import MainWindow
from tests.ui.conftest import answer_next_dialog


def test_a_manager_sets_the_phone_region_and_the_pools_days_from_the_settings_menu(
        qtbot: QtBot, services: Services, manager: Actor) -> None:
    window = MainWindow(services, manager, Settings())
    qtbot.addWidget(window)
    action = next(a for a in window.findChildren(QAction) if a.text() == "Team settings…")
    seen: list[TeamSettingsDialog] = []

    def answer(dialog: object) -> None:
        assert isinstance(dialog, TeamSettingsDialog)
        seen.append(dialog)
        assert dialog.region.currentData() == "CN"
        assert dialog.days.value() == 30
        dialog.region.setCurrentIndex(dialog.region.findData("HK"))
        dialog.days.clear()
        qtbot.keyClicks(dialog.days, "14")
        qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(
            QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)

    answer_next_dialog(answer)
    action.trigger()
    assert seen
    assert services.team_settings.phone_region() == "HK"
    assert services.team_settings.pool_days() == 14
    # the region's name in the window's language, its code beside it
    assert seen[0].region.itemText(seen[0].region.findData("HK")) == "Hong Kong SAR China (HK)"


def test_a_rep_reads_the_settings_and_cannot_change_them(
        qtbot: QtBot, services: Services, rep: Actor) -> None:
    dialog = TeamSettingsDialog(services, rep)
    qtbot.addWidget(dialog)
    assert not dialog.region.isEnabled()
    assert not dialog.days.isEnabled()
    assert not dialog.zone.isEnabled()
    assert dialog.findChild(QDialogButtonBox).button(
        QDialogButtonBox.StandardButton.Save) is None
    assert services.team_settings.pool_days() == 30


# a completer's list, shown while the test types, grabs the keyboard as on a desktop
@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")
def test_a_manager_types_the_team_s_time_zone_and_a_wrong_one_is_refused_under_it(
        qtbot: QtBot, services: Services, manager: Actor) -> None:
    dialog = TeamSettingsDialog(services, manager)
    qtbot.addWidget(dialog)
    assert dialog.zone.currentText() == services.team_settings.time_zone()
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    dialog.region.setCurrentIndex(dialog.region.findData("HK"))
    dialog.zone.lineEdit().clear()
    qtbot.keyClicks(dialog.zone.lineEdit(), "Shanghai time")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert "Shanghai time" in dialog.errors["time_zone"].text()
    assert not dialog.saved
    assert services.team_settings.phone_region() == "CN"  # nothing saved with a bad zone
    qtbot.keyClick(dialog.zone.lineEdit(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.zone.lineEdit(), Qt.Key.Key_Backspace)
    assert dialog.errors["time_zone"].text() == ""  # gone once the field is edited
    qtbot.keyClicks(dialog.zone.lineEdit(), "Shanghai")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.saved
    assert services.team_settings.time_zone() == "Asia/Shanghai"
    assert services.team_settings.phone_region() == "HK"


def test_a_manager_s_save_keeps_the_zone_shown_as_the_team_s(
        qtbot: QtBot, services: Services, manager: Actor) -> None:
    """Until then the zone is each computer's own: saved once, every computer counts the
    days of the one the manager saw."""
    dialog = TeamSettingsDialog(services, manager)
    qtbot.addWidget(dialog)
    shown = dialog.zone.currentText()
    assert not services.team_settings.time_zone_chosen()
    dialog.days.setValue(14)  # only the pool's days changed
    dialog.save()
    assert dialog.saved
    assert services.team_settings.time_zone_chosen()
    assert services.team_settings.time_zone() == services.team_settings.check_time_zone(shown)


def test_a_zone_chosen_from_the_list_takes_the_refusal_away(
        qtbot: QtBot, services: Services, manager: Actor) -> None:
    dialog = TeamSettingsDialog(services, manager)
    qtbot.addWidget(dialog)
    dialog.zone.setEditText("Shanghai time")
    dialog.save()
    assert dialog.errors["time_zone"].text()
    index = dialog.zone.findText("Asia/Shanghai")
    dialog.zone.setCurrentIndex(index)
    dialog.zone.activated.emit(index)  # as a click in the list
    assert dialog.errors["time_zone"].text() == ""
