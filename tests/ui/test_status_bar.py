"""The status bar says which database is open (a click opens its folder), who is working,
and whether the last change was saved."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from pytestqt.qtbot import QtBot

from funneldesk.errors import DatabaseBusy
from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.settings import Settings
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal, stage
from tests.ui.conftest import answer_next_dialog, reload


def test_it_names_the_database_and_the_user_and_a_click_opens_the_folder(
        qtbot: QtBot, window: MainWindow, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr("funneldesk.ui.shell.status_bar.QDesktopServices.openUrl",
                        lambda url: opened.append(url) is None)
    status = window.status
    location = Path(services.location())
    assert location.name in status.location.text()
    assert str(location.parent) not in status.location.text()  # the folder: in the tooltip
    assert str(location) in status.location.toolTip()
    assert status.user.text() == f"Signed in as {manager.display_name}"
    label = status.location
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton,
                     pos=QPoint(label.fontMetrics().horizontalAdvance("f"),
                                label.height() // 2))
    assert [Path(url.toLocalFile()) for url in opened] == [location.parent]


def test_where_no_file_manager_opens_the_folder_the_bar_says_where_it_is(
        window: MainWindow, services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("funneldesk.ui.shell.status_bar.QDesktopServices.openUrl",
                        lambda url: False)
    window.status.location.linkActivated.emit("folder")
    message = window.statusBar().currentMessage()
    assert "No file manager" in message
    assert str(Path(services.location()).parent) in message


def test_a_users_name_is_shown_as_written(qtbot: QtBot, services: Services,
                                          manager: Actor) -> None:
    odd = replace(manager, display_name="Zhang <b>Wei</b>")
    window = MainWindow(services, odd, Settings())
    qtbot.addWidget(window)
    assert window.status.user.text() == "Signed in as Zhang <b>Wei</b>"
    assert window.status.user.textFormat() == Qt.TextFormat.PlainText  # tags shown, not used


def test_a_saved_move_says_so_and_one_the_database_refused_says_it_was_not(
        qtbot: QtBot, window: MainWindow, services: Services, manager: Actor,
        warnings_shown: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    page = board_page(window)
    deal = make_deal(services, manager, stage_name="Needs analysis")
    reload(qtbot, window)
    first = stage(services, "Initial contact").id
    assert window.status.save_state.text() == ""
    assert page.controller.move(deal.id, deal.version, first, None)
    assert window.status.save_state.text().startswith("All changes saved · ")

    def busy(**_kwargs: Any) -> Any:
        raise DatabaseBusy(services.location())

    monkeypatch.setattr(services.moves, "move_deal", busy)
    card = page.board.find_card(deal.id)
    assert card is not None
    assert not page.controller.move(deal.id, card.version,
                                      stage(services, "Needs analysis").id, None)
    assert "Last change not saved" in window.status.save_state.text()
    assert "Another program is writing" in window.status.save_state.toolTip()
    assert len(warnings_shown) == 1


def test_a_form_the_database_refused_says_it_was_not_saved(
        qtbot: QtBot, window: MainWindow, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    deal = make_deal(services, manager)
    reload(qtbot, window)

    def busy(**_kwargs: Any) -> Any:
        raise DatabaseBusy(services.location())

    monkeypatch.setattr(services.deals, "update", busy)

    def edit_and_save(dialog: Any) -> None:
        dialog.title.setText("Renamed")
        dialog.accept()  # refused: the form stays open with the reason
        assert dialog.isVisible()
        dialog.reject()

    answer_next_dialog(edit_and_save)
    window.editor.open(deal.id)
    assert "Last change not saved" in window.status.save_state.text()
