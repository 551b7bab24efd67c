"""What this window shows after another FunnelDesk (a second process on the same file)
changed a deal: a refusal leaves the board as the database has it, and F5 reloads."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal
from tests.second_process import run_second
from tests.ui.conftest import answer_next_dialog, reload


def test_a_form_refused_as_stale_leaves_the_card_as_saved_by_the_other_window(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        db_path: Path) -> None:
    page = board_page(window)
    card = make_deal(services, manager, value="1000")
    reload(qtbot, window)
    refusals: list[str] = []

    def bob_edits_then_save(dialog) -> None:  # type: ignore[no-untyped-def]
        assert run_second(db_path, "bob", "value", card.id, card.version, "4200").startswith("ok")
        dialog.title.setText("Warehouse system, phase 2")
        dialog.accept()  # refused in place: bob changed the deal since the form opened
        refusals.append(dialog.error.text())
        dialog.reject()

    answer_next_dialog(bob_edits_then_save)
    window.editor.open(card.id)
    assert len(refusals) == 1
    assert "bob" in refusals[0]
    shown = page.board.find_card(card.id)
    assert shown is not None
    assert shown.value == Decimal("4200.00")  # not the 1,000 the window had read


def test_f5_reloads_what_another_window_changed(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        db_path: Path) -> None:
    page = board_page(window)
    card = make_deal(services, manager, value="1000")
    reload(qtbot, window)
    assert run_second(db_path, "bob", "value", card.id, card.version, "777").startswith("ok")
    with qtbot.waitSignal(page.boardLoaded, timeout=10000):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    shown = page.board.find_card(card.id)
    assert shown is not None
    assert shown.value == Decimal("777.00")


def test_the_window_title_names_the_database_file(window: MainWindow) -> None:
    assert window.windowTitle() == "funneldesk.db — FunnelDesk"
