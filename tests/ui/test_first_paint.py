"""Start-up ends when the board's cards are on screen: FUNNELDESK_EXIT_AFTER_PAINT (used
to time start-up) quits only after a card has really been painted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from funneldesk.app import PAINTED_AT
from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.settings import Settings
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal
from tests.ui.conftest import reload

# the real command line in a fresh process, with every painted card's title printed
# (patching a Qt override in the test process itself would leave Qt a stale pointer)
RECORDING_APP = """
import sys
from funneldesk.cli import main
from funneldesk.ui.board.card_delegate import CardDelegate

paint = CardDelegate.paint

def recording(self, painter, option, index):
    paint(self, painter, option, index)
    print("card", index.data(), flush=True)

CardDelegate.paint = recording
sys.exit(main(["--db", sys.argv[1]]))
"""


def test_exit_after_paint_quits_once_a_card_is_painted(
        services: Services, manager: Actor, db_path: Path) -> None:
    make_deal(services, manager, title="Warehouse system")
    env = {**os.environ, "FUNNELDESK_EXIT_AFTER_PAINT": "1", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", RECORDING_APP, str(db_path)], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    exits = [i for i, line in enumerate(lines) if line.startswith(PAINTED_AT)]
    assert exits, "no paint reported before the exit"
    assert "card Warehouse system" in lines[:exits[0]]


def test_the_board_reports_its_first_painted_cards(qtbot: QtBot, window: MainWindow,
                                                   services: Services, manager: Actor) -> None:
    page = board_page(window)
    make_deal(services, manager, title="Warehouse system")
    with qtbot.waitSignal(page.board.cardsPainted, timeout=5000):
        reload(qtbot, window)


def test_the_warm_up_waits_for_the_first_painted_cards(
        qtbot: QtBot, services: Services, manager: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    """Importing the ORM beside the first paint would slow that paint down."""
    make_deal(services, manager, title="Warehouse system")
    events: list[str] = []
    monkeypatch.setattr(services, "warm_up", lambda: events.append("warm-up"))
    window = MainWindow(services, manager, Settings())
    page = board_page(window)
    qtbot.addWidget(window)
    page.board.cardsPainted.connect(lambda: events.append("painted"))
    window.warm_up()  # as at start-up: asked for before the window is shown
    window.show()
    qtbot.waitUntil(lambda: "warm-up" in events, timeout=5000)
    assert events == ["painted", "warm-up"]


def test_the_warm_up_runs_on_a_board_without_cards(
        qtbot: QtBot, services: Services, manager: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    monkeypatch.setattr(services, "warm_up", lambda: events.append("warm-up"))
    window = MainWindow(services, manager, Settings())
    qtbot.addWidget(window)
    window.warm_up()
    window.show()
    qtbot.waitUntil(lambda: events == ["warm-up"], timeout=5000)
