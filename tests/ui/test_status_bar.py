"""The status bar says where the database is (a click opens its folder), who is working,
and whether the last change was saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from funneldesk.errors import DatabaseBusy
from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal, stage
from tests.ui.conftest import reload


def test_it_names_the_database_and_the_user_and_opens_the_folder(
        window: MainWindow, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr("funneldesk.ui.shell.status_bar.QDesktopServices.openUrl",
                        lambda url: opened.append(url) is None)
    status = window.status
    assert services.location() in status.location.text()
    assert status.user.text() == f"Signed in as {manager.display_name}"
    assert status.location.isVisible()
    status.location.linkActivated.emit("folder")
    assert [Path(url.toLocalFile()) for url in opened] == [Path(services.location()).parent]


def test_a_saved_move_says_so_and_one_the_database_refused_says_it_was_not(
        qtbot: QtBot, window: MainWindow, services: Services, manager: Actor,
        warnings_shown: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    deal = make_deal(services, manager, stage_name="Needs analysis")
    reload(qtbot, window)
    first = stage(services, "Initial contact").id
    assert window.status.save_state.text() == ""
    assert window.controller.move(deal.id, deal.version, first, None)
    assert window.status.save_state.text().startswith("All changes saved · ")

    def busy(**_kwargs: Any) -> Any:
        raise DatabaseBusy(services.location())

    monkeypatch.setattr(services.moves, "move_deal", busy)
    card = window.board.find_card(deal.id)
    assert card is not None
    assert not window.controller.move(deal.id, card.version,
                                      stage(services, "Needs analysis").id, None)
    assert "Last change not saved" in window.status.save_state.text()
    assert "Another program is writing" in window.status.save_state.toolTip()
    assert len(warnings_shown) == 1
