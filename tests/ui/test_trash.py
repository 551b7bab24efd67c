"""Deleting from the board is undoable, and the Trash dialog restores and empties."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.settings import Settings
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.board.trash import TrashDialog
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal
from tests.ui.conftest import answer_next_dialog, reload


def titles(window: MainWindow, stage_id: int) -> list[str]:
    page = board_page(window)
    return [c.title for c in page.board.columns[stage_id].model.visible_cards()]


def menu_action(window: MainWindow, deal_id: int, text: str) -> Any:
    page = board_page(window)
    card = page.board.find_card(deal_id)
    assert card is not None
    menu = page.card_menu(deal_id, card.stage_id)
    assert menu is not None
    return next(a for a in menu.actions() if a.text() == text)


def in_trash_dialog(window: MainWindow, handler: Any) -> None:
    """Opens Deal ▸ Trash… and runs ``handler`` on the dialog, which it must close."""
    page = board_page(window)
    seen: list[QWidget] = []

    def run(dialog: QWidget) -> None:
        seen.append(dialog)
        assert isinstance(dialog, TrashDialog)
        try:
            handler(dialog)
        finally:
            dialog.reject()

    answer_next_dialog(run)
    page.show_trash()
    assert seen, "the Trash did not open"


def test_delete_from_the_card_menu_and_ctrl_z_brings_the_card_back(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    first = make_deal(services, manager, title="First")
    second = make_deal(services, manager, title="Second")
    reload(qtbot, window)
    assert titles(window, first.stage_id) == ["Second", "First"]
    menu_action(window, second.id, "Delete").trigger()
    assert titles(window, first.stage_id) == ["First"]
    assert [d.title for d in services.trash.deals()] == ["Second"]
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert titles(window, first.stage_id) == ["Second", "First"]  # back in its place
    assert services.trash.deals() == []
    window.undo_stack.redo()
    assert titles(window, first.stage_id) == ["First"]
    assert [d.title for d in services.trash.deals()] == ["Second"]


def test_undoing_a_delete_of_a_purged_deal_says_so_and_changes_nothing(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        warnings_shown: list[str]) -> None:
    card = make_deal(services, manager, title="Purged meanwhile")
    reload(qtbot, window)
    menu_action(window, card.id, "Delete").trigger()
    services.trash.empty(deal_ids=[card.id], by=manager)  # say, another manager emptied it
    window.undo_stack.undo()
    assert len(warnings_shown) == 1
    assert "no longer exists" in warnings_shown[0]
    assert titles(window, card.stage_id) == []


def test_the_trash_dialog_lists_deleted_deals_and_restores_one(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    keep = make_deal(services, manager, title="Stays in the Trash")
    back = make_deal(services, manager, title="Comes back")
    reload(qtbot, window)
    for card in (keep, back):
        menu_action(window, card.id, "Delete").trigger()
    assert titles(window, keep.stage_id) == []

    def restore_second(dialog: TrashDialog) -> None:
        model = dialog.model
        rows = [[model.index(r, c).data() for c in range(4)] for r in range(model.rowCount())]
        assert rows == [["Comes back", "", "Initial contact", "manager"],
                        ["Stays in the Trash", "", "Initial contact", "manager"]]
        assert dialog.empty_button.isVisible()
        dialog.view.selectRow(0)
        dialog.restore_button.click()
        assert model.rowCount() == 1

    in_trash_dialog(window, restore_second)
    assert titles(window, keep.stage_id) == ["Comes back"]
    assert [d.title for d in services.trash.deals()] == ["Stays in the Trash"]


def test_a_manager_empties_the_trash_after_confirming_and_sets_the_period(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    card = make_deal(services, manager, title="Gone for good")
    services.trash.delete(deal_id=card.id, expected_version=card.version, by=manager)
    asked: list[str] = []

    def yes(_parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr("funneldesk.ui.board.trash.QMessageBox.question", yes)

    def empty_and_set(dialog: TrashDialog) -> None:
        dialog.keep_days.setValue(14)
        dialog.save_keep.click()
        assert "14 days" in dialog.keep_label.text()
        dialog.empty_button.click()
        assert not dialog.isEnabled()  # emptied off the GUI thread, nothing to click meanwhile
        qtbot.waitUntil(dialog.isEnabled, timeout=10000)
        assert dialog.model.rowCount() == 0
        assert dialog.empty_label.isVisibleTo(dialog)

    in_trash_dialog(window, empty_and_set)
    assert asked == ["Remove the 1 deal in the Trash for good? This cannot be undone. "
                     "The audit log keeps who deleted it and when."]
    assert services.trash.deals() == []
    assert services.trash.keep_days() == 14


def test_a_rep_restores_only_own_deals_and_cannot_empty_the_trash(
        qtbot: QtBot, services: Services, manager: Actor, rep: Actor) -> None:
    theirs = make_deal(services, manager, title="Manager's")
    mine = make_deal(services, rep, title="Rita's")
    for card in (theirs, mine):
        services.trash.delete(deal_id=card.id, expected_version=card.version, by=manager)
    restored: list[str] = []
    dialog = TrashDialog(services, rep, lambda deal: restored.append(deal.title) is None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.empty_button.isVisible()
    assert not dialog.keep_days.isVisible()
    assert "30 days" in dialog.keep_label.text()
    dialog.view.selectRow([d.title for d in dialog.model.deals].index("Manager's"))
    assert not dialog.restore_button.isEnabled()
    dialog.view.selectRow([d.title for d in dialog.model.deals].index("Rita's"))
    assert dialog.restore_button.isEnabled()
    dialog.restore_button.click()
    assert restored == ["Rita's"]


def test_a_rep_finds_manager_only_entries_disabled(
        qtbot: QtBot, services: Services, manager: Actor, rep: Actor) -> None:
    theirs = make_deal(services, manager, title="Manager's")
    mine = make_deal(services, rep, title="Rita's")
    window = MainWindow(services, rep, Settings())
    qtbot.addWidget(window)
    window.show()
    assert [a.isEnabled() for a in window.actions_.manager_only] == [False, False, False]
    assert not menu_action(window, theirs.id, "Delete").isEnabled()
    assert not menu_action(window, theirs.id, "Archive").isEnabled()
    assert menu_action(window, mine.id, "Delete").isEnabled()


def test_start_up_purges_deals_kept_longer_than_the_team_period(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        db_path: Path) -> None:
    old = make_deal(services, manager, title="Deleted long ago")
    recent = make_deal(services, manager, title="Deleted today")
    for card in (old, recent):
        services.trash.delete(deal_id=card.id, expected_version=card.version, by=manager)
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("UPDATE deals SET deleted_at = datetime('now', '-31 days') WHERE id = ?",
                     (old.id,))
        conn.commit()
    window.warm_up()  # what FunnelDesk runs off the GUI thread once the board shows
    qtbot.waitUntil(lambda: len(services.trash.deals()) == 1, timeout=10000)
    assert [d.title for d in services.trash.deals()] == ["Deleted today"]


def test_undoing_a_delete_then_the_move_before_it_is_not_refused_as_stale(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        warnings_shown: list[str]) -> None:
    page = board_page(window)
    card = make_deal(services, manager, title="Pump", stage_name="Proposal")
    first_stage = page.board.board.pipeline.stages[0].id if page.board.board else 0
    reload(qtbot, window)
    assert page.controller.move(card.id, card.version, first_stage, None)
    menu_action(window, card.id, "Delete").trigger()
    assert page.board.find_card(card.id) is None
    window.undo_stack.undo()  # the delete
    window.undo_stack.undo()  # the move
    assert warnings_shown == []
    assert services.deals.detail(card.id).stage_name == "Proposal"
    assert titles(window, card.stage_id) == ["Pump"]


def test_creating_a_deal_can_be_undone_into_the_trash_and_redone(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    first = page.board.board.pipeline.stages[0].id if page.board.board else 0

    def fill(dialog: Any) -> None:
        dialog.title.setText("Fresh lead")
        dialog.accept()

    answer_next_dialog(fill)
    created = window.editor.new_deal(page.pipeline_id(), first)
    assert created is not None
    assert titles(window, first) == ["Fresh lead"]
    assert window.undo_stack.undoText() == "New deal “Fresh lead”"
    window.undo_stack.undo()
    assert titles(window, first) == []
    assert [d.title for d in services.trash.deals()] == ["Fresh lead"]
    window.undo_stack.redo()
    assert titles(window, first) == ["Fresh lead"]
    assert services.trash.deals() == []
