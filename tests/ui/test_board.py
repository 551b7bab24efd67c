"""The board, driven through the real views: drops, refusals, outcome dialogs, undo."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QPlainTextEdit
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.board.card_model import CardListModel, encode_mime
from funneldesk.ui.board.missing_criteria import MissingCriteriaDialog
from funneldesk.ui.board.outcome import WonDialog
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal, stage, tick_all
from tests.ui.conftest import answer_next_dialog, drop, reload


def titles(window: MainWindow, stage_id: int) -> list[str]:
    page = board_page(window)
    return [c.title for c in page.board.columns[stage_id].model.visible_cards()]


def column_view(window: MainWindow, stage_id: int):  # type: ignore[no-untyped-def]
    page = board_page(window)
    return page.board.columns[stage_id].view


def drop_card(window: MainWindow, deal_id: int, stage_id: int) -> None:
    """Drops the card of ``deal_id`` at the top of the column of ``stage_id``."""
    page = board_page(window)
    card = page.board.find_card(deal_id)
    assert card is not None
    drop(column_view(window, stage_id), encode_mime(card), QPoint(40, 10))


def show_closed(qtbot: QtBot, window: MainWindow) -> None:
    page = board_page(window)
    with qtbot.waitSignal(page.boardLoaded):
        page.actions_.show_closed.trigger()


def test_board_shows_a_column_per_open_stage_with_counts(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    make_deal(services, manager, value="1500")
    make_deal(services, manager, title="Second", value="500")
    reload(qtbot, window)
    names = [c.stage.name for c in page.board.columns.values()]
    assert names == ["Initial contact", "Needs analysis", "Proposal", "Negotiation", "Contract"]
    header = page.board.columns[stage(services, "Initial contact").id].title.text()
    assert "2 deals" in header
    assert "$2,000" in header
    assert "$200" in header


def test_dropping_a_card_on_another_column_saves_the_move(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = make_deal(services, manager)
    tick_all(services, manager, card.id, "Initial contact")
    reload(qtbot, window)
    needs = stage(services, "Needs analysis").id
    drop_card(window, card.id, needs)
    assert titles(window, needs) == ["Warehouse system"]
    assert titles(window, card.stage_id) == []
    assert services.deals.detail(card.id).stage_id == needs  # saved, not only shown


def test_a_refused_move_names_the_unticked_items_and_the_card_stays(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        warnings_shown: list[str]) -> None:
    card = make_deal(services, manager)
    reload(qtbot, window)
    proposal = stage(services, "Proposal").id
    listed: list[str] = []

    def cancel(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, MissingCriteriaDialog)
        listed.extend(box.text() for box, _ident in dialog.boxes)
        dialog.reject()

    answer_next_dialog(cancel)
    drop_card(window, card.id, proposal)
    assert "Budget confirmed" in listed
    assert "Need expressed" in listed
    assert warnings_shown == []
    assert titles(window, card.stage_id) == ["Warehouse system"]
    assert titles(window, proposal) == []
    assert services.deals.detail(card.id).stage_id == card.stage_id
    assert not any(i.checked for i in services.deals.detail(card.id).checklist)


def test_dropping_on_lost_asks_for_a_reason(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = make_deal(services, manager)
    show_closed(qtbot, window)
    lost = stage(services, "Lost").id
    seen: list[str] = []

    def fill(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, QDialog)
        seen.append(dialog.windowTitle())
        dialog.findChild(QComboBox).setCurrentIndex(2)
        dialog.findChild(QPlainTextEdit).setPlainText("Went with the cheaper offer")
        dialog.accept()

    answer_next_dialog(fill)
    drop_card(window, card.id, lost)
    assert seen == ["Deal lost"]
    assert titles(window, lost) == ["Warehouse system"]
    reason = services.moves.lost_reasons()[1][1]
    assert services.deals.detail(card.id).lost_reason == f"{reason} — Went with the cheaper offer"


def test_cancelling_the_lost_dialog_moves_nothing(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = make_deal(services, manager)
    show_closed(qtbot, window)
    lost = stage(services, "Lost").id
    answer_next_dialog(lambda dialog: dialog.reject())  # type: ignore[attr-defined]
    drop_card(window, card.id, lost)
    assert titles(window, lost) == []
    assert services.deals.detail(card.id).stage_id == card.stage_id


def test_dropping_on_won_asks_for_close_date_and_final_value(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = make_deal(services, manager, stage_name="Contract", value="1000")
    tick_all(services, manager, card.id, "Contract")
    show_closed(qtbot, window)
    won = stage(services, "Won").id
    problems: list[str] = []

    def fill(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, WonDialog)
        dialog.value.setText("-5")
        dialog.accept()  # refused in place
        problems.append(dialog.error.text())
        dialog.date.setDate(QDate(2026, 11, 2))
        dialog.value.setText("1,180.00")
        dialog.accept()

    answer_next_dialog(fill)
    drop_card(window, card.id, won)
    assert problems == ["The amount cannot be negative."]
    assert titles(window, won) == ["Warehouse system"]
    detail = services.deals.detail(card.id)
    assert str(detail.won_value) == "1180.00"
    assert str(detail.fields.value) == "1000.00"  # the estimate is kept
    assert detail.closed_on == dt.date(2026, 11, 2)


def test_empty_lost_reason_is_refused_in_the_dialog(qtbot: QtBot) -> None:
    from funneldesk.ui.board.outcome import LostDialog

    dialog = LostDialog("X", [(1, "Price too high")])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.accept()
    assert dialog.isVisible()
    assert "reason" in dialog.error.text()


def test_undo_and_redo_a_move_with_the_keyboard(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = make_deal(services, manager, stage_name="Proposal")
    reload(qtbot, window)
    first = stage(services, "Initial contact").id
    drop_card(window, card.id, first)
    assert titles(window, first) == ["Warehouse system"]
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert titles(window, card.stage_id) == ["Warehouse system"]
    assert services.deals.detail(card.id).stage_id == card.stage_id
    assert services.deals.detail(card.id).history[-1].is_revert
    qtbot.keyClick(window, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert titles(window, first) == ["Warehouse system"]
    assert services.deals.detail(card.id).stage_id == first


def test_reordering_within_a_column_persists(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    for title in ("A", "B", "C"):
        make_deal(services, manager, title=title)
    reload(qtbot, window)
    first = stage(services, "Initial contact").id
    view = column_view(window, first)
    assert titles(window, first) == ["C", "B", "A"]
    a = page.board.find_card(next(c.id for c in view.card_model().visible_cards()
                                     if c.title == "A"))
    top = view.visualRect(view.model().index(0, 0)).topLeft() + QPoint(20, 5)
    drop(view, encode_mime(a), top)
    assert titles(window, first) == ["A", "C", "B"]
    reload(qtbot, window)
    assert titles(window, first) == ["A", "C", "B"]


def test_filter_by_owner_and_text(
        qtbot: QtBot, services: Services, manager: Actor, rep: Actor, window: MainWindow) -> None:
    page = board_page(window)
    make_deal(services, manager, title="ERP upgrade")
    make_deal(services, rep, title="Cloud migration")
    reload(qtbot, window)
    first = stage(services, "Initial contact").id
    page.actions_.search.setText("cloud")
    assert titles(window, first) == ["Cloud migration"]
    page.actions_.search.clear()
    page.actions_.owner.setCurrentIndex(page.actions_.owner.findData(manager.id))
    assert titles(window, first) == ["ERP upgrade"]


def test_keyboard_moves_the_current_card_to_the_next_stage(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = make_deal(services, manager)
    tick_all(services, manager, card.id, "Initial contact")
    reload(qtbot, window)
    view = column_view(window, card.stage_id)
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Right,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert services.deals.detail(card.id).stage_name == "Needs analysis"


def test_left_and_right_go_to_the_card_beside_passing_empty_columns(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    first = make_deal(services, manager, title="First")
    make_deal(services, manager, title="Second")
    third = make_deal(services, manager, title="Proposal deal", stage_name="Proposal")
    reload(qtbot, window)
    view = column_view(window, first.stage_id)
    view.setFocus()
    view.setCurrentIndex(view.model().index(1, 0))  # the lower of the two cards
    qtbot.keyClick(view, Qt.Key.Key_Right)  # Needs analysis is empty: on to Proposal
    board = board_page(window)
    assert board.board.current_card() is not None
    assert board.board.current_card().id == third.id  # its only card: the last one
    assert window.focusWidget() is column_view(window, third.stage_id)  # the keys follow
    qtbot.keyClick(column_view(window, third.stage_id), Qt.Key.Key_Left)
    top = view.model().card_at(0)  # at the height of the card left: the top one
    assert board.board.current_card().id == top.id
    assert not column_view(window, third.stage_id).selectionModel().hasSelection()


def test_card_models_pass_the_model_tester(qtmodeltester, services: Services,  # type: ignore[no-untyped-def]
                                           manager: Actor) -> None:
    for title in ("A", "B"):
        make_deal(services, manager, title=title)
    board = services.board.load(1)
    model = CardListModel(board.pipeline.stages[0], board.cards)
    qtmodeltester.check(model)
    model.set_sort("value")
    qtmodeltester.check(model)


def test_window_remembers_pipeline_filters_and_won_lost_toggle(
        qtbot: QtBot, services: Services, manager: Actor) -> None:
    from funneldesk.settings import Settings

    first = MainWindow(services, manager, Settings())
    qtbot.addWidget(first)
    board_page(first).actions_.search.setText("erp")
    board_page(first).actions_.show_closed.setChecked(True)
    first.close()
    second = MainWindow(services, manager, Settings())
    qtbot.addWidget(second)
    assert board_page(second).actions_.search.text() == "erp"
    assert board_page(second).actions_.show_closed.isChecked()
    assert "Won" in [c.stage.name for c in board_page(second).board.columns.values()]


def test_a_stale_card_is_refused_and_then_shown_as_saved(
        qtbot: QtBot, services: Services, manager: Actor, rep: Actor, window: MainWindow,
        warnings_shown: list[str]) -> None:
    card = make_deal(services, rep, stage_name="Proposal")
    reload(qtbot, window)
    # its owner moves the deal back meanwhile
    services.moves.move_deal(deal_id=card.id, to_stage_id=stage(services, "Needs analysis").id,
                             before_id=None, expected_version=card.version, by=rep)
    drop_card(window, card.id, stage(services, "Initial contact").id)
    assert "Rita Rep" in warnings_shown[0]
    assert titles(window, stage(services, "Needs analysis").id) == ["Warehouse system"]
    assert titles(window, card.stage_id) == []
