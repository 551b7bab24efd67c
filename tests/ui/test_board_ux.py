"""What a new user meets on the board: filters that say what they hide, sorted columns,
live day counts, one selection, redo keys, tooltips, "Move to" and column widths."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QHelpEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QToolTip, QWidget
from pytestqt.qtbot import QtBot

from funneldesk.db import open_database
from funneldesk.services import Services
from funneldesk.services.dto import Actor, DealFields
from funneldesk.settings import Settings
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.board.card_model import DaysRole, RottedRole, StepStateRole, encode_mime
from funneldesk.ui.board.deal_form import DealForm
from funneldesk.ui.shell.main_window import DEFAULT_WIDTH, MainWindow, first_width
from tests.helpers import make_deal, stage, tick_all
from tests.ui.conftest import answer_next_dialog, drop, reload


def titles(window: MainWindow, stage_id: int) -> list[str]:
    page = board_page(window)
    return [c.title for c in page.board.columns[stage_id].model.visible_cards()]


def click_card(qtbot: QtBot, window: MainWindow, stage_id: int, row: int = 0) -> None:
    page = board_page(window)
    view = page.board.columns[stage_id].view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(view.model().index(row, 0)).center())


def fully_visible(window: MainWindow, widget: QWidget) -> bool:
    """Whether ``widget`` lies wholly inside the board's visible area."""
    page = board_page(window)
    viewport = page.board.viewport()
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return viewport.rect().contains(QRect(top_left, widget.size()))


# --- a new deal that the filter hides; the filter notice ------------------------------

def test_a_new_deal_hidden_by_the_filter_is_announced_and_clear_shows_it(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    make_deal(services, manager, title="Cloud migration")
    reload(qtbot, window)
    page.actions_.search.setText("cloud")
    notice = page.filter_notice
    assert notice.isVisible()
    assert "1 of 1 deal shown" in notice.text()

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, DealForm)
        dialog.title.setText("Warehouse system")
        dialog.accept()

    answer_next_dialog(fill)
    window.actions_.new_deal.trigger()
    first = stage(services, "Initial contact").id
    assert titles(window, first) == ["Cloud migration"]
    assert "“Warehouse system” was saved, but the filter hides it." in notice.text()
    assert "1 of 2 deals shown" in notice.text()
    notice.clear_button.click()
    assert page.actions_.search.text() == ""
    assert sorted(titles(window, first)) == ["Cloud migration", "Warehouse system"]
    assert not notice.isVisible()
    current = page.board.current_card()
    assert current is not None
    assert current.title == "Warehouse system"


def test_the_status_bar_and_the_notice_count_in_plural_forms(
        qtbot: QtBot, services: Services, manager: Actor, rep: Actor,
        window: MainWindow) -> None:
    page = board_page(window)
    make_deal(services, manager, title="ERP upgrade")
    reload(qtbot, window)
    assert window.counts.text() == "1 deal shown"
    assert not page.filter_notice.isVisible()
    make_deal(services, rep, title="Cloud migration")
    reload(qtbot, window)
    assert window.counts.text() == "2 deals shown"
    page.actions_.owner.setCurrentIndex(page.actions_.owner.findData(rep.id))
    assert "1 of 2 deals shown" in page.filter_notice.text()
    page.filter_notice.clear_button.click()
    assert page.actions_.owner.currentData() == 0
    assert not page.filter_notice.isVisible()


# --- filters are kept per database ------------------------------------------------------

@pytest.fixture
def other_services(template_db: Path, tmp_path: Path) -> Iterator[Services]:
    path = tmp_path / "other" / "funneldesk.db"
    path.parent.mkdir()
    shutil.copy(template_db, path)
    database = open_database(path)
    yield Services.for_database(database)
    database.close()


def open_window(qtbot: QtBot, services: Services) -> MainWindow:
    window = MainWindow(services, services.users.current("manager"), Settings())
    qtbot.addWidget(window)
    return window


def test_filters_are_saved_per_database(
        qtbot: QtBot, services: Services, manager: Actor, rep: Actor,
        other_services: Services) -> None:
    make_deal(services, rep, title="Cloud migration")
    first = open_window(qtbot, services)
    board_page(first).actions_.owner.setCurrentIndex(board_page(first).actions_.owner.findData(rep.id))
    board_page(first).actions_.search.setText("cloud")
    first.close()

    other = open_window(qtbot, other_services)
    assert board_page(other).actions_.search.text() == ""
    assert board_page(other).actions_.owner.currentData() == 0
    other.close()

    again = open_window(qtbot, services)
    assert board_page(again).actions_.search.text() == "cloud"
    assert board_page(again).actions_.owner.currentData() == rep.id


def test_a_cleared_owner_filter_stays_cleared_when_the_board_reloads(
        qtbot: QtBot, services: Services, manager: Actor, rep: Actor) -> None:
    make_deal(services, rep, title="Cloud migration")
    first = open_window(qtbot, services)
    board_page(first).actions_.owner.setCurrentIndex(board_page(first).actions_.owner.findData(rep.id))
    first.close()
    window = open_window(qtbot, services)  # opens with the saved owner filter
    page = board_page(window)
    assert page.actions_.owner.currentData() == rep.id
    page.actions_.clear_filter()
    reload(qtbot, window)  # as after saving stages or exchange rates
    assert page.actions_.owner.currentData() == 0


# --- sorted columns -----------------------------------------------------------------------

def sorted_by_value(qtbot: QtBot, services: Services, manager: Actor,
                    window: MainWindow) -> tuple[int, dict[str, int]]:
    page = board_page(window)
    ids = {title: make_deal(services, manager, title=title, value=value).id
           for title, value in (("A", "300"), ("B", "200"), ("C", "100"))}
    reload(qtbot, window)
    first = stage(services, "Initial contact").id
    column = page.board.columns[first]
    column.sort.setCurrentIndex(column.sort.findData("value"))
    assert titles(window, first) == ["A", "B", "C"]
    return first, ids


def positions(services: Services, first: int) -> list[str]:
    return [c.title for c in sorted(services.board.load(1).cards, key=lambda c: c.position)
            if c.stage_id == first]


def test_a_drop_inside_a_sorted_column_asks_to_switch_to_board_order(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    first, ids = sorted_by_value(qtbot, services, manager, window)
    before = positions(services, first)
    view = page.board.columns[first].view
    asked: list[str] = []

    def keep_sort(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.reject()

    answer_next_dialog(keep_sort)
    card = page.board.find_card(ids["C"])
    assert card is not None
    drop(view, encode_mime(card), view.visualRect(view.model().index(0, 0)).topLeft())
    assert "sorted by “Value”" in asked[0]
    assert not view.showDropIndicator()  # no line between cards promises a place
    assert positions(services, first) == before  # nothing moved
    assert page.board.columns[first].model.sort_key() == "value"

    def switch(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        switch_button = next(b for b in box.buttons() if b.text() == "Use board order")
        switch_button.click()

    answer_next_dialog(switch)
    drop(view, encode_mime(card), view.visualRect(view.model().index(0, 0)).topLeft())
    assert positions(services, first) == before
    assert page.board.columns[first].model.sort_key() == "position"
    assert page.board.columns[first].sort.currentData() == "position"
    assert view.showDropIndicator()
    assert titles(window, first) == before


def test_a_drop_from_another_column_into_a_sorted_column_still_moves(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    first, _ids = sorted_by_value(qtbot, services, manager, window)
    back = make_deal(services, manager, title="D", value="250", stage_name="Needs analysis")
    reload(qtbot, window)
    view = page.board.columns[first].view
    card = page.board.find_card(back.id)
    assert card is not None
    drop(view, encode_mime(card), view.visualRect(view.model().index(0, 0)).topLeft())
    assert services.deals.detail(back.id).stage_id == first
    assert titles(window, first) == ["A", "D", "B", "C"]


def test_moving_up_with_the_keyboard_in_a_sorted_column_asks_too(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    first, _ids = sorted_by_value(qtbot, services, manager, window)
    before = positions(services, first)
    asked: list[str] = []

    def keep_sort(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.reject()

    click_card(qtbot, window, first, row=1)
    answer_next_dialog(keep_sort)
    view = page.board.columns[first].view
    qtbot.keyClick(view, Qt.Key.Key_Up,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert asked
    assert "“Board order”" in asked[0]
    assert positions(services, first) == before


# --- live day counts --------------------------------------------------------------------

def test_days_in_stage_rot_marks_and_the_next_steps_state_follow_the_clock_past_midnight(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    target = stage(services, "Initial contact")  # rots after 14 days
    today = dt.date.today()
    fields = DealFields("Warehouse system", None, None, Decimal(1000), "USD", None, manager.id,
                        next_step="Call", next_step_date=today + dt.timedelta(days=3))
    services.deals.create(pipeline_id=target.pipeline_id, stage_id=target.id,
                          fields=fields, by=manager)
    reload(qtbot, window)
    model = page.board.columns[target.id].model
    index = model.index(0, 0)
    assert (index.data(DaysRole), index.data(RottedRole), index.data(StepStateRole)) == (
        0, False, "planned")

    clock = page.board.clock
    fake = [dt.datetime.combine(today, dt.time(23, 59, 30))]
    clock.now = lambda: fake[0]
    clock.check()
    # armed for just after the coming midnight
    assert 30_000 <= clock.timer.remainingTime() <= 32_000
    assert index.data(DaysRole) == 0

    fake[0] = dt.datetime.combine(today + dt.timedelta(days=3), dt.time(0, 0, 1))
    with qtbot.waitSignal(model.dataChanged, timeout=1000):
        clock.timer.timeout.emit()  # the step's day has come
    assert (index.data(DaysRole), index.data(StepStateRole)) == (3, "today")

    fake[0] = dt.datetime.combine(today + dt.timedelta(days=15), dt.time(0, 0, 1))
    with qtbot.waitSignal(model.dataChanged, timeout=1000):
        clock.timer.timeout.emit()  # as the timer does at midnight
    assert (index.data(DaysRole), index.data(RottedRole), index.data(StepStateRole)) == (
        15, True, "overdue")
    # a column built after midnight counts from the new day too
    reload(qtbot, window)
    fresh = page.board.columns[target.id].model.index(0, 0)
    assert fresh.data(DaysRole) == 15


# --- one selection ------------------------------------------------------------------------

def test_selecting_a_card_clears_the_selection_in_every_other_column(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    make_deal(services, manager, title="A")
    make_deal(services, manager, title="B", stage_name="Proposal")
    reload(qtbot, window)
    first, proposal = stage(services, "Initial contact").id, stage(services, "Proposal").id
    click_card(qtbot, window, first)
    click_card(qtbot, window, proposal)
    selected = {stage_id: [i.row() for i in column.view.selectionModel().selectedIndexes()]
                for stage_id, column in page.board.columns.items()}
    assert selected[first] == []
    assert selected[proposal] == [0]
    assert not page.board.columns[first].view.currentIndex().isValid()
    current = page.board.current_card()
    assert current is not None
    assert current.title == "B"


def test_the_keyboard_follows_a_card_moved_to_the_next_stage(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        warnings_shown: list[str]) -> None:
    page = board_page(window)
    make_deal(services, manager, title="Other")
    card = make_deal(services, manager)
    tick_all(services, manager, card.id, "Initial contact", "Needs analysis", "Proposal")
    reload(qtbot, window)
    click_card(qtbot, window, card.stage_id)  # the newest card is on top
    right = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right, right)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right, right)
    assert warnings_shown == []
    assert services.deals.detail(card.id).stage_name == "Proposal"
    assert titles(window, card.stage_id) == ["Other"]  # the card left behind stayed
    current = page.board.current_card()
    assert current is not None
    assert current.id == card.id


# --- redo keys ----------------------------------------------------------------------------

class _X11Keys(QKeySequence):
    """Key sequences as Qt gives them under KDE and GNOME, where Redo is Ctrl+Shift+Z only
    (the offscreen tests otherwise get the Windows scheme, which hides the clash)."""

    def __init__(self, *args: object) -> None:
        if args == (QKeySequence.StandardKey.Redo,):
            args = ("Ctrl+Shift+Z",)
        super().__init__(*args)

    @staticmethod
    def keyBindings(key: QKeySequence.StandardKey) -> list[QKeySequence]:
        if key == QKeySequence.StandardKey.Redo:
            return [QKeySequence("Ctrl+Shift+Z")]
        return QKeySequence.keyBindings(key)


@pytest.fixture
def x11_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("funneldesk.ui.shell.window_actions.QKeySequence", _X11Keys)


@pytest.mark.parametrize("keys", [
    (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
    (Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier),
], ids=["ctrl-shift-z", "ctrl-y"])
def test_redo_keys_redo_on_a_linux_desktop(
        qtbot: QtBot, services: Services, manager: Actor, x11_keys: None, window: MainWindow,
        keys: tuple[Qt.Key, Qt.KeyboardModifier]) -> None:
    page = board_page(window)
    card = make_deal(services, manager, stage_name="Proposal")
    reload(qtbot, window)
    first = stage(services, "Initial contact").id
    assert page.controller.move(card.id, card.version, first, None)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert services.deals.detail(card.id).stage_id == card.stage_id
    qtbot.keyClick(window, *keys)
    assert services.deals.detail(card.id).stage_id == first
    assert titles(window, first) == ["Warehouse system"]


# --- small things -------------------------------------------------------------------------

@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen tool tips
def test_a_shortened_title_and_next_step_show_in_full_in_the_tooltip(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    target = stage(services, "Initial contact")
    title = "Warehouse management system for the northern distribution centre, phase two"
    step = "Call the head of logistics about the loading docks and the night shift"
    fields = DealFields(title, None, None, Decimal(1000), "USD", None, manager.id,
                        next_step=step, next_step_date=None)
    services.deals.create(pipeline_id=target.pipeline_id, stage_id=target.id,
                          fields=fields, by=manager)
    reload(qtbot, window)
    view = page.board.columns[target.id].view
    rect = view.visualRect(view.model().index(0, 0))
    event = QHelpEvent(QEvent.Type.ToolTip, rect.center(), view.viewport().mapToGlobal(rect.center()))
    QApplication.sendEvent(view.viewport(), event)
    tip = QToolTip.text()
    QToolTip.hideText()
    assert title in tip
    assert step in tip


def test_move_to_scrolls_to_the_card_and_selects_it(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    for i in range(15):
        make_deal(services, manager, title=f"Old {i}")
    card = make_deal(services, manager, title="Moved back", stage_name="Contract")
    window.resize(800, 700)
    reload(qtbot, window)
    contract, first = stage(services, "Contract").id, stage(services, "Initial contact").id
    bar = page.board.horizontalScrollBar()
    bar.setValue(bar.maximum())
    assert fully_visible(window, page.board.columns[contract])
    menu = page.card_menu(card.id, contract)
    assert menu is not None
    move_to = next(a.menu() for a in menu.actions() if a.text() == "Move to")
    next(a for a in move_to.actions() if a.text() == "Initial contact").trigger()
    assert services.deals.detail(card.id).stage_id == first
    column = page.board.columns[first]
    assert fully_visible(window, column)
    row = column.model.row_of(card.id)
    assert column.view.currentIndex().row() == row
    card_rect = column.view.visualRect(column.model.index(row, 0))
    assert card_rect.top() >= 0
    assert card_rect.bottom() <= column.view.viewport().height()


def test_the_default_window_shows_every_open_column(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    screen = window.screen().availableGeometry().width()
    assert window.width() == first_width(DEFAULT_WIDTH, window.docks.first_width(), screen)
    for dock in window.docks.docks.values():  # Today, and the KPI tab behind it
        dock.hide()
    qtbot.waitUntil(lambda: all(fully_visible(window, c) for c in page.board.columns.values()))
    assert len(page.board.columns) == 5
    window.docks.docks["today"].show()  # where the screen has room, the window holds both
    window.resize(first_width(DEFAULT_WIDTH, window.docks.first_width(), 1920), 860)
    qtbot.waitUntil(lambda: all(fully_visible(window, c) for c in page.board.columns.values()))
    assert window.docks.docks["today"].width() >= 200
    window.resize(DEFAULT_WIDTH, 860)
    window.docks.docks["today"].hide()
    narrow = [c.width() for c in page.board.columns.values()]
    window.resize(700, 700)
    qtbot.waitUntil(lambda: page.board.horizontalScrollBar().maximum() > 0)
    assert all(c.width() >= 200 for c in page.board.columns.values())
    assert all(c.width() <= w for c, w in zip(page.board.columns.values(), narrow, strict=True))
