"""The board shows cards in exactly the order the database has, however often cards are
dropped into one gap (which makes the service renumber the column)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.board.card_model import encode_mime
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal, stage
from tests.ui.conftest import drop, reload


def database_order(db_path: Path, stage_id: int) -> list[int]:
    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT id FROM deals WHERE stage_id = ? AND deleted_at IS NULL "
                        "AND archived_at IS NULL ORDER BY position, id", (stage_id,)).fetchall()
    conn.close()
    return [r[0] for r in rows]


def board_order(window: MainWindow, stage_id: int) -> list[int]:
    page = board_page(window)
    return [c.id for c in page.board.columns[stage_id].model.visible_cards()]


def drop_above(window: MainWindow, deal_id: int, stage_id: int, anchor_id: int) -> None:
    """Drops the card of ``deal_id`` on the upper half of ``anchor_id``'s card."""
    page = board_page(window)
    view = page.board.columns[stage_id].view
    model = view.card_model()
    index = model.index(model.row_of(anchor_id))
    view.scrollTo(index)
    card = page.board.find_card(deal_id)
    assert card is not None
    drop(view, encode_mime(card), view.visualRect(index).topLeft() + QPoint(20, 3))


def test_fifty_drops_into_one_gap_leave_the_board_in_the_database_order(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        db_path: Path) -> None:
    first, second = stage(services, "Initial contact").id, stage(services, "Needs analysis").id
    below = make_deal(services, manager, title="Below")
    above = make_deal(services, manager, title="Above")  # new deals go on top
    movers = [make_deal(services, manager, title=f"M{i}", stage_name="Needs analysis").id
              for i in range(50)]
    reload(qtbot, window)
    for mover in movers:
        drop_above(window, mover, first, below.id)  # a backward move: always allowed
    # each drop landed in the one gap above Below, after the ones before it
    assert database_order(db_path, first) == [above.id, *movers, below.id]
    assert board_order(window, first) == database_order(db_path, first)
    assert board_order(window, second) == database_order(db_path, second)
    # a within-column drop after the renumbering lands exactly where it was dropped
    drop_above(window, movers[0], first, movers[49])
    assert board_order(window, first) == database_order(db_path, first)
