"""A full mouse drag of a card to another column, run in its own process under
QT_QPA_PLATFORM=minimal (offscreen cannot complete a QDrag). Exit code 0: the move was saved."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from funneldesk import i18n
from funneldesk.db import open_database
from funneldesk.services import Services
from funneldesk.settings import Settings
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal, stage, tick_all


def main() -> int:
    i18n.set_language("en")
    app = QApplication(sys.argv)
    folder = Path(tempfile.mkdtemp())
    db = open_database(folder / "drag.db")
    services = Services.for_database(db)
    me = services.users.current("dragger")
    card = make_deal(services, me)
    tick_all(services, me, card.id, "Initial contact")
    window = MainWindow(services, me, Settings(folder / "settings.json"))
    page = board_page(window)
    window.resize(1400, 800)
    window.show()
    QTest.qWaitForWindowExposed(window)
    source = page.board.columns[card.stage_id].view
    target = page.board.columns[stage(services, "Needs analysis").id].view
    start = source.visualRect(source.model().index(0, 0)).center()
    end = QPoint(target.viewport().width() // 2, 30)

    def finish_drag() -> None:
        QTest.mouseMove(target.viewport(), end)
        QTest.mouseMove(target.viewport(), end + QPoint(2, 2))
        QTest.mouseRelease(target.viewport(), Qt.MouseButton.LeftButton,
                           Qt.KeyboardModifier.NoModifier, end + QPoint(2, 2))

    QTimer.singleShot(200, finish_drag)
    QTest.mousePress(source.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(source.viewport(), start + QPoint(30, 30))  # starts the QDrag (blocks)
    QTest.mouseMove(source.viewport(), start + QPoint(60, 40))
    app.processEvents()
    moved = services.deals.detail(card.id).stage_name == "Needs analysis"
    shown = [c.id for c in target.card_model().visible_cards()] == [card.id]
    print("moved" if moved else "not moved", "shown" if shown else "not shown")
    db.close()
    return 0 if moved and shown else 1


if __name__ == "__main__":
    raise SystemExit(main())
