"""A board first shows each column's first cards with the counts and totals of all its
cards, then takes every card without moving what is on screen."""

from __future__ import annotations

import sqlite3
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QListView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.dto import Actor, Card, ColumnStart, CurrencyRates, Total
from funneldesk.settings import Settings
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.board.card_model import CardFilter, CardListModel, encode_mime
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal, stage
from tests.ui.conftest import drop
from tests.ui.test_card_model import STAGE, card

USD = CurrencyRates("USD", {})


def started(cards: list[Card], first: int, *, owner: int = 0, sort: str = "position",
            with_next: bool = True) -> CardListModel:
    """A model given the first ``first`` cards of ``cards`` (in board order), and the one
    after them, as the board's first read hands them over."""
    matching = [c for c in cards if not owner or c.owner_id == owner]
    total = sum((c.value for c in matching), Decimal(0))
    weighted = sum((c.value * STAGE.probability / 100 for c in matching), Decimal(0))
    after = matching[first] if with_next and len(matching) > first else None
    start = ColumnStart(owner, len(cards), len(matching), Total(total, weighted), after)
    return CardListModel(STAGE, matching[:first], rates=USD, start=start, sort=sort)


def ids(model: CardListModel) -> list[int]:
    return [model.card_at(row).id for row in range(model.rowCount())]


def test_first_cards_show_with_the_counts_and_totals_of_all(
        qtmodeltester: ModelTester) -> None:
    cards = [card(i) for i in range(400)]
    model = started(cards, 20)
    assert ids(model) == list(range(20))
    assert not model.canFetchMore(model.index(-1))  # the rest is not here yet
    count, total = model.totals()
    assert (count, model.total_count(), total.value) == (400, 400, Decimal(40_000))
    assert not model.is_whole()
    qtmodeltester.check(model)


def test_taking_every_card_keeps_the_rows_and_the_selection(qtbot: QtBot) -> None:
    cards = [card(i) for i in range(400)]
    model = started(cards, 20)
    view = QListView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setCurrentIndex(model.index(7))
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.complete(cards)
    assert resets == []
    assert view.currentIndex().row() == 7
    assert model.is_whole()
    assert model.canFetchMore(model.index(-1))
    model.show_row(399)
    assert ids(model)[-1] == 399
    assert model.totals()[1].value == Decimal(40_000)


def test_a_filter_chosen_meanwhile_applies_once_every_card_is_there() -> None:
    cards = [card(i, owner=1 + i % 2) for i in range(100)]
    model = started(cards, 10)
    model.set_filter(CardFilter(owner_id=2))
    assert ids(model) == list(range(10))  # nothing to filter yet but the first cards
    model.complete(cards)
    assert ids(model) == list(range(1, 100, 2))
    assert model.totals()[0] == 50


def test_first_cards_read_for_one_owner_stay_filtered_by_that_owner() -> None:
    cards = [card(i, owner=1 + i % 2) for i in range(100)]
    model = started(cards, 10, owner=2)
    assert ids(model) == list(range(1, 20, 2))
    assert (model.totals()[0], model.total_count()) == (50, 100)
    model.complete(cards)
    assert model.totals()[0] == 50
    assert model.card_count() == 50


def test_a_card_placed_meanwhile_shows_among_the_first_cards_or_is_counted() -> None:
    cards = [card(i) for i in range(100)]
    model = started(cards, 10)
    model.put(card(500, position=4.5, value=1))  # among the first cards
    model.put(card(501, position=80.5, value=2))  # below them: counted only
    model.discard(3)
    assert ids(model) == [0, 1, 2, 4, 500, 5, 6, 7, 8, 9]
    assert model.totals()[0] == 101
    assert model.totals()[1].value == Decimal(100 * 99 + 3)
    whole = sorted([c for c in cards if c.id != 3] + [card(500, position=4.5, value=1),
                                                     card(501, position=80.5, value=2)],
                   key=lambda c: c.position)
    model.complete(whole)
    assert model.row_of(501) == 81
    assert model.totals()[0] == 101


def test_first_cards_changed_by_someone_else_meanwhile_are_replaced() -> None:
    cards = [card(i) for i in range(100)]
    model = started(cards, 10)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.complete([card(-1, position=-1), *cards])  # a new card on top, made elsewhere
    assert resets == [True]
    assert ids(model)[:3] == [-1, 0, 1]


# --- the window -------------------------------------------------------------------------
def database_order(db_path: Path, stage_id: int) -> list[int]:
    with sqlite3.connect(db_path) as conn:
        return [r[0] for r in conn.execute(
            "SELECT id FROM deals WHERE stage_id = ? AND deleted_at IS NULL "
            "AND archived_at IS NULL ORDER BY position, id", (stage_id,))]


def test_the_window_paints_first_cards_then_takes_every_card(
        qtbot: QtBot, services: Services, manager: Actor, db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("funneldesk.services.pipeline.board.FIRST_CARDS", 4)
    first, second = stage(services, "Initial contact"), stage(services, "Needs analysis")
    deals = [make_deal(services, manager, title=f"Deal {i}") for i in range(12)]
    backward = [make_deal(services, manager, title=f"Back {i}", stage_name="Needs analysis")
                for i in range(6)]
    # the read of every card is held until a card has been moved: it misses that move
    moved, reads = threading.Event(), []
    load = services.board.load

    def held_load(*args: Any, **kwargs: Any) -> Any:
        board = load(*args, **kwargs)
        reads.append(moved.is_set())
        moved.wait(10)
        return board

    monkeypatch.setattr(services.board, "load", held_load)
    window = MainWindow(services, manager, Settings())
    page = board_page(window)
    qtbot.addWidget(window)
    column = page.board.columns[first.id]
    assert column.model.card_count() == 4
    assert not page.board.is_whole()
    assert "12 deals" in column.title.text()
    assert page.board.counts() == (18, 18)
    with qtbot.waitSignal(page.board.cardsPainted, timeout=10000):
        window.show()
    qtbot.waitUntil(lambda: bool(reads))
    mover = page.board.find_card(backward[-1].id)  # on top of its column
    assert mover is not None
    view = column.view
    drop(view, encode_mime(mover), view.visualRect(column.model.index(1)).topLeft()
         + QPoint(20, 3))
    assert column.model.card_count() == 5  # shown among the first cards at once
    with qtbot.waitSignal(page.board.boardWhole, timeout=10000):
        moved.set()
    assert reads == [False, True]  # read again, since the first read missed the move
    assert column.model.card_count() == 13
    assert [c.id for c in column.model.visible_cards()] == database_order(db_path, first.id)
    assert [c.id for c in page.board.columns[second.id].model.visible_cards()] == \
        database_order(db_path, second.id)
    assert {c.id for c in column.model.visible_cards()} >= {d.id for d in deals}
    assert page.board.counts() == (18, 18)


def test_a_search_saved_for_the_database_reads_every_card_at_once(
        qtbot: QtBot, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("funneldesk.services.pipeline.board.FIRST_CARDS", 2)
    for i in range(6):
        make_deal(services, manager, title=f"Warehouse {i}" if i % 2 else f"Office {i}")
    settings = Settings()
    settings.set("board.filters", {services.location(): {"owner": 0, "search": "warehouse"}})
    window = MainWindow(services, manager, settings)
    page = board_page(window)
    qtbot.addWidget(window)
    column = page.board.columns[stage(services, "Initial contact").id]
    assert page.board.is_whole()
    assert sorted(c.title for c in column.model.visible_cards()) == [
        "Warehouse 1", "Warehouse 3", "Warehouse 5"]


def test_a_drop_below_the_first_cards_lands_just_below_them_not_at_the_far_end(
        qtbot: QtBot) -> None:
    from funneldesk.ui.board.column_view import ColumnView

    cards = [card(i) for i in range(100)]
    view = ColumnView(started(cards, 3))
    qtbot.addWidget(view)
    view.resize(300, 900)  # taller than three cards: empty room below them
    view.show()
    below = QPoint(40, 850)
    assert view.card_before(below) == 3  # above the first card not shown: below the last
    view.setModel(started(cards, 3, with_next=False))
    assert view.card_before(below) == 2  # which card is next is not known: above the last
    view.setModel(started(cards, 3))
    view.card_model().complete(cards)
    view.card_model().show_row(99)
    view.scrollToBottom()
    assert view.card_before(QPoint(40, view.viewport().height() - 2)) is None


def test_a_sort_chosen_meanwhile_waits_and_changes_made_meanwhile_count_once() -> None:
    cards = [card(i, value=100 + i) for i in range(100)]  # the last have the highest values
    model = started(cards, 10)
    model.set_sort("value")
    assert model.sort_key() == "value"
    assert ids(model) == list(range(10))  # the rows keep the order they were read in
    model.put(card(3, value=103, title="Renamed"))  # saved again: still one row
    model.discard(5)  # moved away
    assert ids(model) == [0, 1, 2, 3, 4, 6, 7, 8, 9]
    assert model.card_at(3).title == "Renamed 3"
    assert model.totals()[0] == 99
    model.complete([c for c in cards if c.id != 5])
    assert ids(model)[:3] == [99, 98, 97]  # by value, highest first
    assert model.totals()[0] == 99


def test_a_filter_chosen_meanwhile_does_not_lose_a_card_saved_meanwhile() -> None:
    cards = [card(i, owner=1 + i % 2) for i in range(100)]
    model = started(cards, 10)
    model.set_filter(CardFilter(owner_id=2))
    model.put(card(4, owner=1, title="Saved"))  # owner 1: the chosen filter hides it
    assert 4 in ids(model)  # the first cards still show everyone's
    assert not model.accepts(card(4, owner=1))
    model.complete(cards)
    assert ids(model) == list(range(1, 100, 2))


def test_taking_every_card_repaints_a_card_edited_elsewhere_meanwhile() -> None:
    cards = [card(i) for i in range(100)]
    model = started(cards, 10)
    changed: list[int] = []
    model.dataChanged.connect(lambda first, _last: changed.append(first.row()))
    edited = [card(i, title="Edited") if i == 4 else c for i, c in enumerate(cards)]
    model.complete(edited)
    assert changed == [4]
    assert model.card_at(4).title == "Edited 4"


def test_a_card_put_just_below_the_first_cards_shows_as_their_last() -> None:
    cards = [card(i, position=i * 10) for i in range(100)]
    model = started(cards, 10)
    assert model.id_below_shown() == 10
    model.put(card(500, position=95))  # between the last held (90) and the next (100)
    assert ids(model)[-2:] == [9, 500]
    assert model.id_below_shown() == 10
    model.put(card(501, position=105))  # below the next card: counted, not shown
    assert 501 not in ids(model)
    assert model.totals()[0] == 102
    model.reposition({10: 96.0, 11: 97.0})  # the next card renumbered: still next
    assert model.id_below_shown() == 10
    model.discard(10)
    assert model.id_below_shown() == 500  # which card comes next is not known: the last held


def test_below_a_reps_first_cards_that_are_all_of_theirs_is_the_column_end() -> None:
    cards = [card(i, owner=2 if i in (3, 7) else 1) for i in range(20)]
    model = started(cards, 5, owner=2)
    assert ids(model) == [3, 7]
    assert model.id_below_shown() is None  # as in a whole column: the end
    model.put(card(15, owner=2, title="Saved"))  # the rep's own card, further down
    assert ids(model) == [3, 7, 15]


# --- the window, while only the first cards are there ---------------------------------
def held_whole_read(services: Services, monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Holds every read of the whole board until the returned event is set."""
    release = threading.Event()
    load = services.board.load

    def held(*args: Any, **kwargs: Any) -> Any:
        board = load(*args, **kwargs)
        release.wait(10)
        return board

    monkeypatch.setattr(services.board, "load", held)
    return release


def two_long_columns(qtbot: QtBot, services: Services, manager: Actor,
                     monkeypatch: pytest.MonkeyPatch) -> tuple[MainWindow, threading.Event]:
    """A window whose first two columns hold 3 of their 8 cards, and the event that lets
    the read of every card finish."""
    monkeypatch.setattr("funneldesk.services.pipeline.board.FIRST_CARDS", 3)
    for i in range(8):
        make_deal(services, manager, title=f"Early {i}")
        make_deal(services, manager, title=f"Later {i}", stage_name="Needs analysis")
    release = held_whole_read(services, monkeypatch)
    window = MainWindow(services, manager, Settings())
    qtbot.addWidget(window)
    window.show()
    return window, release


def header_count(window: MainWindow, stage_id: int) -> str:
    page = board_page(window)
    return page.board.columns[stage_id].title.text().splitlines()[1]


def test_undoing_a_move_to_below_the_first_cards_keeps_the_counts_exact(
        qtbot: QtBot, services: Services, manager: Actor, db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = stage(services, "Initial contact"), stage(services, "Needs analysis")
    window, release = two_long_columns(qtbot, services, manager, monkeypatch)
    page = board_page(window)
    column = page.board.columns[second.id]
    page.board.select(column.model.card_at(0).id, take_focus=True)
    page.move_current(-1)  # to Initial contact, at its end: below its first cards
    assert len(database_order(db_path, first.id)) == 9
    assert header_count(window, first.id).startswith("9 deals")
    for _ in range(2):
        window.undo_stack.undo()
        assert header_count(window, first.id).startswith("8 deals")
        assert header_count(window, second.id).startswith("8 deals")
        window.undo_stack.redo()
        assert header_count(window, first.id).startswith("9 deals")
    with qtbot.waitSignal(page.board.boardWhole, timeout=10000):
        release.set()
    moved = database_order(db_path, first.id)[-1]
    assert page.board.current_card() is not None
    assert page.board.current_card().id == moved  # selected once every card was read


def test_moving_the_last_but_one_card_down_puts_it_below_the_last_one_shown(
        qtbot: QtBot, services: Services, manager: Actor, db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("funneldesk.services.pipeline.board.FIRST_CARDS", 3)
    first = stage(services, "Initial contact")
    for i in range(8):
        make_deal(services, manager, title=f"Deal {i}")
    release = held_whole_read(services, monkeypatch)
    window = MainWindow(services, manager, Settings())
    page = board_page(window)
    qtbot.addWidget(window)
    window.show()
    before = database_order(db_path, first.id)
    page.board.select(before[1], take_focus=True)
    page.reorder_current(1)
    assert database_order(db_path, first.id) == [before[0], before[2], before[1], *before[3:]]
    column = page.board.columns[first.id]
    assert [c.id for c in column.model.visible_cards()] == [before[0], before[2], before[1]]
    current = page.board.current_card()
    assert current is not None
    assert current.id == before[1]  # still shown, and still the chosen card
    release.set()


def test_a_board_that_paints_no_card_still_reads_every_card(
        qtbot: QtBot, services: Services, manager: Actor, rep: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("funneldesk.services.pipeline.board.FIRST_CARDS", 2)
    for i in range(6):
        make_deal(services, manager, title=f"Deal {i}")
    settings = Settings()  # filtered by a rep who owns no deal: nothing to paint
    settings.set("board.filters", {services.location(): {"owner": rep.id, "search": ""}})
    window = MainWindow(services, manager, settings)
    page = board_page(window)
    qtbot.addWidget(window)
    assert not page.board.is_whole()
    qtbot.waitUntil(page.board.is_whole, timeout=5000)
    page.actions_.owner.setCurrentIndex(page.actions_.owner.findData(0))
    column = page.board.columns[stage(services, "Initial contact").id]
    assert column.model.card_count() == 6


def test_a_search_typed_while_cards_are_read_counts_right_once_they_are(
        qtbot: QtBot, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("funneldesk.services.pipeline.board.FIRST_CARDS", 3)
    for i in range(10):
        make_deal(services, manager, title=f"Warehouse {i}" if i < 4 else f"Office {i}")
    release = held_whole_read(services, monkeypatch)
    window = MainWindow(services, manager, Settings())
    page = board_page(window)
    qtbot.addWidget(window)
    window.show()
    page.actions_.search.setText("warehouse")
    assert "reading the other cards" in window.counts.text()
    with qtbot.waitSignal(page.board.boardWhole, timeout=10000):
        release.set()
    column = page.board.columns[stage(services, "Initial contact").id]
    assert column.model.card_count() == 4
    assert window.counts.text() == "4 deals shown"
    assert "4 of 10 deals shown" in page.filter_notice.label.text()


def test_a_keyboard_move_below_the_first_cards_leaves_no_other_card_chosen(
        qtbot: QtBot, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window, release = two_long_columns(qtbot, services, manager, monkeypatch)
    page = board_page(window)
    second = page.board.columns[stage(services, "Needs analysis").id]
    moved = second.model.card_at(0).id
    page.board.select(moved, take_focus=True)
    page.move_current(-1)  # lands below the first cards of Initial contact
    assert all(not c.view.currentIndex().isValid() for c in page.board.columns.values())
    page.move_current(-1)  # no card is chosen: nothing moves
    with qtbot.waitSignal(page.board.boardWhole, timeout=10000):
        release.set()
    current = page.board.current_card()
    assert current is not None
    assert current.id == moved
    assert current.stage_id == stage(services, "Initial contact").id


def test_a_reload_keeps_the_chosen_card(qtbot: QtBot, services: Services, manager: Actor,
                                        window: MainWindow) -> None:
    page = board_page(window)
    from tests.ui.conftest import reload

    deals = [make_deal(services, manager, title=f"Deal {i}") for i in range(5)]
    reload(qtbot, window)
    page.board.select(deals[2].id, take_focus=True)
    reload(qtbot, window)
    current = page.board.current_card()
    assert current is not None
    assert current.id == deals[2].id


def test_a_failed_read_of_every_card_is_tried_again(
        qtbot: QtBot, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from funneldesk.errors import DatabaseBusy

    monkeypatch.setattr("funneldesk.services.pipeline.board.FIRST_CARDS", 2)
    monkeypatch.setattr("funneldesk.ui.board.board_reader.WHOLE_READ_RETRY_MS", 50)
    for i in range(6):
        make_deal(services, manager, title=f"Deal {i}")
    load, calls = services.board.load, []

    def busy_once(*args: Any, **kwargs: Any) -> Any:
        calls.append(True)
        if len(calls) == 1:
            raise DatabaseBusy(str(services.location()))
        return load(*args, **kwargs)

    monkeypatch.setattr(services.board, "load", busy_once)
    window = MainWindow(services, manager, Settings())
    page = board_page(window)
    qtbot.addWidget(window)
    failed: list[str] = []
    window.statusBar().messageChanged.connect(failed.append)
    with qtbot.waitSignal(page.board.boardWhole, timeout=10000):
        window.show()
    assert len(calls) == 2
    assert any("Reading the other cards failed" in m for m in failed)
    assert window.counts.text() == "6 deals shown"


def test_a_card_chosen_while_cards_are_read_stays_chosen(
        qtbot: QtBot, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window, release = two_long_columns(qtbot, services, manager, monkeypatch)
    page = board_page(window)
    second = page.board.columns[stage(services, "Needs analysis").id]
    page.board.select(second.model.card_at(0).id, take_focus=True)
    page.move_current(-1)  # lands below Initial contact's first cards
    chosen = second.model.card_at(1)
    second.view.setCurrentIndex(second.model.index(1))  # the user picks another card
    with qtbot.waitSignal(page.board.boardWhole, timeout=10000):
        release.set()
    current = page.board.current_card()
    assert current is not None
    assert current.id == chosen.id


def test_a_column_switched_to_board_order_meanwhile_is_reordered_once_read(
        qtbot: QtBot, services: Services, manager: Actor, db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    first = stage(services, "Initial contact")
    settings = Settings()
    settings.set("board.sort", {str(first.pipeline_id): {str(first.id): "value"}})
    monkeypatch.setattr("funneldesk.services.pipeline.board.FIRST_CARDS", 3)
    for i in range(8):
        make_deal(services, manager, title=f"Deal {i}", value=str(100 + i))
    release = held_whole_read(services, monkeypatch)
    window = MainWindow(services, manager, settings)
    page = board_page(window)
    qtbot.addWidget(window)
    window.show()
    page.board.use_board_order(first.id)  # the rows still follow value
    before = database_order(db_path, first.id)
    column = page.board.columns[first.id]
    page.board.select(column.model.card_at(1).id, take_focus=True)
    page.reorder_current(-1)
    assert database_order(db_path, first.id) == before  # nothing moves yet
    with qtbot.waitSignal(page.board.boardWhole, timeout=10000):
        release.set()
    assert [c.id for c in column.model.visible_cards()] == before  # board order now
    page.board.select(before[1], take_focus=True)
    page.reorder_current(-1)
    assert database_order(db_path, first.id)[:2] == [before[1], before[0]]
