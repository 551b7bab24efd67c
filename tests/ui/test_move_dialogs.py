"""Moves that need something: the criteria are checked before anything is asked, a
refused move can be finished in one dialog, and the outcome dialogs check what is typed
as the services do."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QGroupBox, QWidget
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.board.card_model import encode_mime
from funneldesk.ui.board.missing_criteria import MissingCriteriaDialog
from funneldesk.ui.board.outcome import LostDialog, WonDialog
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal, stage
from tests.ui.conftest import answer_next_dialog, drop, reload


def show_closed(qtbot: QtBot, window: MainWindow) -> None:
    page = board_page(window)
    with qtbot.waitSignal(page.boardLoaded):
        page.actions_.show_closed.trigger()


def drop_card(window: MainWindow, deal_id: int, stage_id: int) -> None:
    page = board_page(window)
    card = page.board.find_card(deal_id)
    assert card is not None
    drop(page.board.columns[stage_id].view, encode_mime(card), QPoint(40, 10))


def groups(dialog: MissingCriteriaDialog) -> dict[str, list[str]]:
    """Each box of the dialog: its title -> the criteria listed in it."""
    found: dict[str, list[str]] = {}
    for box, _ident in dialog.boxes:
        parent = box.parentWidget()
        assert isinstance(parent, QGroupBox)
        found.setdefault(parent.title(), []).append(box.text())
    return found


def tick_and_move(dialog: QWidget, seen: list[object]) -> None:
    assert isinstance(dialog, MissingCriteriaDialog)
    seen.append(groups(dialog))
    seen.append(dialog.move_button.isEnabled())
    for box, _ident in dialog.boxes:
        box.setChecked(True)
    seen.append(dialog.move_button.isEnabled())
    dialog.move_button.click()


def test_won_checks_the_criteria_first_then_asks_for_date_and_value_and_ticks_as_mine(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    card = make_deal(services, manager, stage_name="Negotiation", value="800")
    show_closed(qtbot, window)
    won = stage(services, "Won").id
    seen: list[object] = []

    def criteria_first(dialog: QWidget) -> None:
        def then_won(won_dialog: QWidget) -> None:
            seen.append(type(won_dialog).__name__)
            assert isinstance(won_dialog, WonDialog)
            won_dialog.value.setText("820")
            won_dialog.accept()

        answer_next_dialog(then_won)
        tick_and_move(dialog, seen)

    answer_next_dialog(criteria_first)
    drop_card(window, card.id, won)
    assert seen == [{"Exit criteria of “Negotiation”": ["Price and terms agreed"],
                     "Exit criteria of “Contract”": ["Contract signed"]},
                    False, True, "WonDialog"]
    assert [c.id for c in page.board.columns[won].model.visible_cards()] == [card.id]
    assert services.deals.detail(card.id).stage_id == won
    # reopened, the deal shows who ticked what: the ticks were saved with the move
    back = services.moves.move_deal(deal_id=card.id, to_stage_id=card.stage_id, before_id=None,
                                    expected_version=services.deals.detail(card.id).version,
                                    by=manager)
    checklist = services.deals.detail(back.card.id).checklist
    assert [(i.criterion.label, i.checked, i.checked_by) for i in checklist] == [
        ("Price and terms agreed", True, "manager")]


def test_cancelling_the_won_dialog_after_ticking_saves_neither_move_nor_ticks(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = make_deal(services, manager, stage_name="Contract")
    show_closed(qtbot, window)
    seen: list[object] = []

    def criteria_first(dialog: QWidget) -> None:
        answer_next_dialog(lambda won_dialog: won_dialog.reject())  # type: ignore[attr-defined]
        tick_and_move(dialog, seen)

    answer_next_dialog(criteria_first)
    drop_card(window, card.id, stage(services, "Won").id)
    detail = services.deals.detail(card.id)
    assert detail.stage_id == card.stage_id
    assert not any(i.checked for i in detail.checklist)


def test_a_forward_drop_with_exit_and_entry_criteria_is_finished_in_one_dialog(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    card = make_deal(services, manager, stage_name="Needs analysis")
    reload(qtbot, window)
    proposal = stage(services, "Proposal").id
    seen: list[object] = []
    answer_next_dialog(lambda dialog: tick_and_move(dialog, seen))
    drop_card(window, card.id, proposal)
    assert seen[0] == {"Exit criteria of “Needs analysis”": ["Budget confirmed",
                                                            "Decision maker identified"],
                       "Entry criteria of “Proposal”": ["Requirements written down"]}
    assert services.deals.detail(card.id).stage_id == proposal
    assert [c.id for c in page.board.columns[proposal].model.visible_cards()] == [card.id]
    window.actions_.undo.trigger()  # one undo takes back the whole action, ticks included
    detail = services.deals.detail(card.id)
    assert detail.stage_id == card.stage_id
    assert not any(i.checked for i in detail.checklist)
    window.actions_.redo.trigger()  # and redo ticks and moves again
    detail = services.deals.detail(card.id)
    assert detail.stage_id == proposal
    assert [c.id for c in page.board.columns[proposal].model.visible_cards()] == [card.id]


def test_keyboard_and_context_menu_moves_offer_the_same_dialog(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    card = make_deal(services, manager)
    reload(qtbot, window)
    seen: list[object] = []
    answer_next_dialog(lambda dialog: tick_and_move(dialog, seen))
    page.board.select(card.id)
    page.board.columns[card.stage_id].view.setFocus()
    page.move_current(1)
    needs = stage(services, "Needs analysis")
    assert services.deals.detail(card.id).stage_id == needs.id
    menu = page.card_menu(card.id, needs.id)
    assert menu is not None
    move_to = next(a.menu() for a in menu.actions() if a.menu())
    answer_next_dialog(lambda dialog: tick_and_move(dialog, seen))
    next(a for a in move_to.actions() if a.text() == "Proposal").trigger()
    assert services.deals.detail(card.id).stage_name == "Proposal"
    assert len(seen) == 6


def test_the_won_dialog_refuses_what_the_deal_form_refuses(qtbot: QtBot) -> None:
    from decimal import Decimal

    dialog = WonDialog("X", Decimal("10.00"), "USD")
    qtbot.addWidget(dialog)
    dialog.show()
    problems = []
    for typed in ("1e20", "nan", "12.345", ""):
        dialog.value.setText(typed)
        dialog.accept()
        assert dialog.isVisible()
        problems.append(dialog.error.text())
    assert problems == ["The amount is too large: at most 999,999,999,999.99.",
                        "“nan” is not an amount.", "Use at most two decimal places.",
                        "Enter an amount (0 if there is none yet)."]
    dialog.value.setText("1,200.50")
    dialog.accept()
    assert not dialog.isVisible()
    assert dialog.final_value() == Decimal("1200.50")


def test_the_lost_dialog_clears_its_error_once_a_reason_is_given(qtbot: QtBot) -> None:
    dialog = LostDialog("X", [(1, "Price too high")])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.accept()
    assert dialog.error.isVisible()
    dialog.reason.setCurrentIndex(1)
    assert not dialog.error.isVisible()
    dialog.reason.setCurrentIndex(0)
    dialog.accept()
    assert dialog.error.isVisible()
    dialog.note.setPlainText("They stopped answering")
    assert not dialog.error.isVisible()


def test_new_deal_with_a_closed_card_selected_goes_into_the_first_open_stage(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    card = make_deal(services, manager, stage_name="Contract")
    services.moves.move_deal(deal_id=card.id, to_stage_id=stage(services, "Lost").id,
                             before_id=None, expected_version=card.version, by=manager,
                             lost_reason_text="no budget")
    show_closed(qtbot, window)
    page.board.select(card.id)
    said: list[str] = []

    def fill(dialog) -> None:  # type: ignore[no-untyped-def]
        said.append(dialog.destination.text())
        dialog.title.setText("Follow-up project")
        dialog.accept()

    answer_next_dialog(fill)
    window.actions_.new_deal.trigger()
    assert said == ["The deal goes into the stage “Initial contact” of the pipeline “Sales”."]
    first = stage(services, "Initial contact").id
    assert [c.title for c in page.board.columns[first].model.visible_cards()] == [
        "Follow-up project"]


def test_a_wrapped_refusal_in_the_won_dialog_is_shown_whole_below_the_field(
        qtbot: QtBot) -> None:
    dialog = WonDialog("ERP upgrade", Decimal("53300"), "USD")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.value.setText("1e20")
    dialog.accept()
    error, field = dialog.error.geometry(), dialog.value.geometry()
    assert dialog.error.isVisible()
    assert error.top() >= field.bottom()  # not drawn under the field above it
    assert error.height() >= dialog.error.heightForWidth(error.width())  # every line fits


def test_enter_in_the_criteria_dialog_ticks_and_moves_once_everything_is_ticked(
        qtbot: QtBot, services: Services, manager: Actor) -> None:
    from PySide6.QtCore import Qt

    from funneldesk.ui.board.missing_criteria import MissingCriteriaDialog

    card = make_deal(services, manager)
    check = services.moves.can_move(deal_id=card.id,
                                    to_stage_id=stage(services, "Needs analysis").id)
    dialog = MissingCriteriaDialog(card.title, check)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for box, _ident in dialog.boxes:
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Space)  # ticked from the keyboard
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(dialog.boxes[-1][0], Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert len(dialog.criterion_ids()) == len(dialog.boxes)


def test_a_move_that_needs_nothing_is_saved_without_a_separate_check(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    card = make_deal(services, manager, stage_name="Proposal")
    reload(qtbot, window)
    checks: list[int] = []
    real = services.moves.can_move
    monkeypatch.setattr(services.moves, "can_move",
                        lambda **kw: checks.append(kw["deal_id"]) or real(**kw))
    first = stage(services, "Initial contact").id
    drop_card(window, card.id, first)  # backward: nothing to tick, one transaction
    assert services.deals.detail(card.id).stage_id == first
    assert checks == []
    window.actions_.undo.trigger()
    assert services.deals.detail(card.id).stage_name == "Proposal"
