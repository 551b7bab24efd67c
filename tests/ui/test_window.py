"""The window around the board: refusals from the database, the pipeline
editor, scrolling while dragging."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.ui.admin.pipeline_editor import PipelineEditor
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.board.card_model import encode_mime
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal, stage
from tests.ui.conftest import answer_next_dialog, drop, reload


def test_a_move_the_database_refuses_leaves_the_board_as_it_was(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        warnings_shown: list[str], db_path: Path) -> None:
    page = board_page(window)
    card = make_deal(services, manager, stage_name="Proposal")
    reload(qtbot, window)
    first = stage(services, "Initial contact").id
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        drop(page.board.columns[first].view, encode_mime(page.board.find_card(card.id)),
             QPoint(30, 10))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert len(warnings_shown) == 1
    assert "Another program is writing" in warnings_shown[0]
    assert [c.id for c in page.board.columns[card.stage_id].model.visible_cards()] == [card.id]
    assert page.board.columns[first].model.card_count() == 0
    assert services.deals.detail(card.id).stage_id == card.stage_id


def test_pipeline_editor_adds_a_stage_that_the_board_then_shows(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    def add_stage(editor) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(editor, PipelineEditor)

        def name_it(dialog) -> None:  # type: ignore[no-untyped-def]
            assert isinstance(dialog, QInputDialog)
            dialog.setTextValue("Product demo")
            dialog.accept()

        answer_next_dialog(name_it)
        editor._add_stage()
        assert editor.name.text() == "Product demo"
        editor.probability.setValue(35)
        editor._save_stage()
        editor.reject()

    answer_next_dialog(add_stage)
    with qtbot.waitSignal(page.boardLoaded):
        window.manage_pipelines()
    names = [c.stage.name for c in page.board.columns.values()]
    assert names[-1] == "Product demo"
    assert stage(services, "Product demo").probability == 35


def test_rep_sees_why_the_pipeline_editor_refuses(
        qtbot: QtBot, services: Services, rep: Actor) -> None:
    editor = PipelineEditor(services, rep, services.board.pipelines()[0][0])
    qtbot.addWidget(editor)
    editor.name.setText("Renamed")
    editor._save_stage()
    assert editor.error.text() == "Only a manager can change stages."
    assert stage(services, "Initial contact").name == "Initial contact"


def test_the_board_scrolls_while_a_card_is_dragged_near_its_edge(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    window.resize(700, 600)
    page.actions_.show_closed.setChecked(True)
    reload(qtbot, window)
    qtbot.waitUntil(lambda: page.board.horizontalScrollBar().maximum() > 0)
    bar = page.board.horizontalScrollBar()
    edge = page.board.viewport().mapToGlobal(QPoint(page.board.viewport().width() - 5, 100))
    first_column = next(iter(page.board.columns.values()))
    first_column.view.dragHovered.emit(edge)
    qtbot.waitUntil(lambda: bar.value() > 0, timeout=2000)
