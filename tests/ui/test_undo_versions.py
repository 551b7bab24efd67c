"""Undo and redo against a second FunnelDesk process: they carry the version they saw,
so a deal someone else changed since is never silently overwritten."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.dto import Actor, Card
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal, stage
from tests.second_process import run_second
from tests.ui.conftest import answer_next_dialog, reload
from tests.ui.test_board import drop_card, titles


def bob_changes_value_then(qtbot: QtBot, window: MainWindow, db_path: Path, deal_id: int,
                           amount: str, step: Callable[[], None]) -> None:
    """Bob, in another process, sets the deal's value; this window reloads (so that its
    board shows bob's version) and then takes ``step`` (an undo or redo)."""
    version = window.services.deals.detail(deal_id).version
    assert run_second(db_path, "bob", "value", deal_id, version, amount).startswith("ok")
    reload(qtbot, window)
    step()


def dropped_into_first_stage(qtbot: QtBot, services: Services, manager: Actor,
                             window: MainWindow) -> tuple[Card, int]:
    """A deal made in Proposal, then dropped on the board into Initial contact."""
    card = make_deal(services, manager, stage_name="Proposal")
    reload(qtbot, window)
    first = stage(services, "Initial contact").id
    drop_card(window, card.id, first)
    return card, first


def test_undoing_a_move_of_a_deal_someone_changed_since_is_refused(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow, db_path: Path,
        warnings_shown: list[str]) -> None:
    card, first = dropped_into_first_stage(qtbot, services, manager, window)
    bob_changes_value_then(qtbot, window, db_path, card.id, "4200",
                           window.undo_stack.undo)
    assert len(warnings_shown) == 1
    assert "last by bob at" in warnings_shown[0]
    saved = services.deals.detail(card.id)
    assert (saved.stage_id, str(saved.fields.value)) == (first, "4200.00")
    assert titles(window, first) == ["Warehouse system"]


def test_redoing_a_move_of_a_deal_someone_changed_since_is_refused(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow, db_path: Path,
        warnings_shown: list[str]) -> None:
    card, _first = dropped_into_first_stage(qtbot, services, manager, window)
    window.undo_stack.undo()
    assert warnings_shown == []
    bob_changes_value_then(qtbot, window, db_path, card.id, "4200",
                           window.undo_stack.redo)
    assert "last by bob at" in warnings_shown[0]
    assert services.deals.detail(card.id).stage_id == card.stage_id


def edit_title(qtbot: QtBot, window: MainWindow, deal_id: int, title: str) -> None:
    def edit(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.title.setText(title)
        dialog.accept()

    answer_next_dialog(edit)
    window.editor.open(deal_id)


def test_undoing_and_redoing_an_edit_after_someone_changed_the_deal_is_refused(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow, db_path: Path,
        warnings_shown: list[str]) -> None:
    card = make_deal(services, manager)
    reload(qtbot, window)
    edit_title(qtbot, window, card.id, "Warehouse system phase 2")
    bob_changes_value_then(qtbot, window, db_path, card.id, "4200",
                           window.undo_stack.undo)
    assert "last by bob at" in warnings_shown[0]
    saved = services.deals.detail(card.id).fields
    assert (saved.title, str(saved.value)) == ("Warehouse system phase 2", "4200.00")
    # and a redo after an undo
    edit_title(qtbot, window, card.id, "Phase 3")
    window.undo_stack.undo()
    assert services.deals.detail(card.id).fields.title == "Warehouse system phase 2"
    bob_changes_value_then(qtbot, window, db_path, card.id, "5100",
                           window.undo_stack.redo)
    assert "last by bob at" in warnings_shown[1]
    saved = services.deals.detail(card.id).fields
    assert (saved.title, str(saved.value)) == ("Warehouse system phase 2", "5100.00")


def test_undoing_ones_own_edit_and_move_in_turn_works(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        warnings_shown: list[str]) -> None:
    card, first = dropped_into_first_stage(qtbot, services, manager, window)
    edit_title(qtbot, window, card.id, "Renamed")
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert warnings_shown == []
    saved = services.deals.detail(card.id)
    assert (saved.stage_id, saved.fields.title) == (card.stage_id, "Warehouse system")
    window.undo_stack.redo()
    window.undo_stack.redo()
    assert warnings_shown == []
    saved = services.deals.detail(card.id)
    assert (saved.stage_id, saved.fields.title) == (first, "Renamed")


def test_undoing_a_move_out_of_a_stage_deleted_since_is_refused(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        warnings_shown: list[str]) -> None:
    card, _first = dropped_into_first_stage(qtbot, services, manager, window)
    services.pipelines.delete_stage(stage_id=card.stage_id, by=manager)
    reload(qtbot, window)
    window.undo_stack.undo()
    assert "“Proposal”: that stage has been deleted since" in warnings_shown[0]
    assert services.deals.detail(card.id).stage_name == "Initial contact"


def test_a_reorder_in_between_hides_no_change_from_the_undo_of_a_move(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow, db_path: Path,
        warnings_shown: list[str]) -> None:
    card, first = dropped_into_first_stage(qtbot, services, manager, window)
    make_deal(services, manager, title="Other")  # goes on top of the column
    bob_changes_value_then(qtbot, window, db_path, card.id, "4200", lambda: None)
    drop_card(window, card.id, first)  # back on top: a reorder, which checks no version
    assert titles(window, first) == ["Warehouse system", "Other"]
    window.undo_stack.undo()  # the reorder: only the place changes back
    assert titles(window, first) == ["Other", "Warehouse system"]
    window.undo_stack.undo()  # the move: bob changed the deal since
    assert len(warnings_shown) == 1
    assert "last by bob at" in warnings_shown[0]
    saved = services.deals.detail(card.id)
    assert (saved.stage_id, str(saved.fields.value)) == (first, "4200.00")


def test_a_refused_undo_shows_the_deal_as_saved(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow, db_path: Path,
        warnings_shown: list[str]) -> None:
    page = board_page(window)
    card, first = dropped_into_first_stage(qtbot, services, manager, window)
    version = services.deals.detail(card.id).version
    assert run_second(db_path, "bob", "value", card.id, version, "4200").startswith("ok")
    window.undo_stack.undo()  # the board still showed the deal as before bob's change
    assert "last by bob at" in warnings_shown[0]
    shown = page.board.find_card(card.id)
    assert shown is not None
    assert (shown.stage_id, str(shown.value)) == (first, "4200.00")


def test_an_own_change_after_someone_elses_does_not_let_an_earlier_undo_overwrite_it(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow, db_path: Path,
        warnings_shown: list[str]) -> None:
    """Edit (own), bob's change, a move (own): undoing the move is fine, but undoing the
    edit would write over bob's value, so it is refused."""
    card = make_deal(services, manager, stage_name="Proposal")
    reload(qtbot, window)
    edit_title(qtbot, window, card.id, "Renamed")
    bob_changes_value_then(qtbot, window, db_path, card.id, "4200", lambda: None)
    first = stage(services, "Initial contact").id
    drop_card(window, card.id, first)
    window.undo_stack.undo()  # the move: nobody changed the deal since
    assert warnings_shown == []
    window.undo_stack.undo()  # the edit: bob changed the deal after it
    assert len(warnings_shown) == 1
    assert warnings_shown[0].startswith(  # it names the last change
        f"Cannot undo Edit “Renamed”: it has been changed since (last by {manager.display_name} at ")
    saved = services.deals.detail(card.id)
    assert (saved.fields.title, str(saved.fields.value)) == ("Renamed", "4200.00")
    assert saved.stage_name == "Proposal"


def test_a_change_that_cannot_be_undone_ends_what_redo_offered(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    """As in any editor: a move undone, then a customer claimed (no undo of its own),
    leaves nothing to redo; the steps before stay undoable."""
    from funneldesk.services.customers.records import CompanyFields

    company = services.customers.add_company(CompanyFields(name="星辰科技"), by=manager)
    services.pool.release("company", company.id, by=manager)
    first_card, first = dropped_into_first_stage(qtbot, services, manager, window)
    second_card = make_deal(services, manager, title="Second", stage_name="Proposal")
    reload(qtbot, window)
    drop_card(window, second_card.id, first)
    window.undo_stack.undo()
    assert window.undo_stack.canRedo()
    assert window.actions_.redo.isEnabled()
    claimed = window.runner.run("Claim", lambda: services.pool.claim("company", company.id,
                                                                     by=manager),
                                versions=lambda _r: [])
    assert claimed is not None
    assert not window.undo_stack.canRedo()
    assert not window.actions_.redo.isEnabled()  # Edit ▸ Redo says so too
    assert window.undo_stack.canUndo()  # the first move
    window.undo_stack.undo()
    assert services.deals.detail(first_card.id).stage_id == stage(services, "Proposal").id
