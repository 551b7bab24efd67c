"""Sample data is loaded only when asked for, into a separate database unless the user
chooses this one, and one menu entry removes it again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from funneldesk.db import open_database
from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.settings import Settings
from funneldesk.ui.admin.sample_data import SampleDataDialog
from funneldesk.ui.admin.sample_data_actions import SampleDataActions
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal
from tests.ui.conftest import answer_next_dialog


def shown_titles(window: MainWindow) -> list[str]:
    page = board_page(window)
    return [c.title for col in page.board.columns.values() for c in col.model.visible_cards()]


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Databases FunnelDesk would have opened in a new window (no process is started)."""
    opened: list[Path] = []

    def record(path: Path) -> bool:
        opened.append(path)
        return True

    monkeypatch.setattr("funneldesk.ui.admin.sample_data_actions.open_window", record)
    return opened


def choose(separate: bool, seen: list[SampleDataDialog]) -> Any:
    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, SampleDataDialog)
        seen.append(dialog)
        assert dialog.separate()  # the recommended choice comes first
        assert not dialog.warning.isVisibleTo(dialog)
        if not separate:
            dialog.here_choice.setChecked(True)
            assert dialog.warning.isVisibleTo(dialog)  # adding here is clearly warned about
        dialog.accept()

    return answer


def load_menu_entry(window: MainWindow) -> Any:
    return next(a for a in window.actions_.manager_only if a.text() == "Load sample data…")


def test_sample_data_goes_into_a_separate_database_opened_in_a_new_window(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        launched: list[Path], db_path: Path) -> None:
    make_deal(services, manager, title="Real deal")
    seen: list[SampleDataDialog] = []
    answer_next_dialog(choose(True, seen))
    load_menu_entry(window).trigger()
    qtbot.waitUntil(lambda: bool(launched), timeout=20000)
    assert seen[0].windowTitle() == "Load sample data"
    assert launched == [db_path.parent / "funneldesk-sample.db"]
    assert services.board.deal_count() == 1  # this database got nothing
    assert window.isEnabled()
    other = open_database(launched[0])
    try:
        assert Services.for_database(other).board.deal_count() == 200
    finally:
        other.close()


def test_sample_data_added_to_this_database_after_a_warning(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        launched: list[Path]) -> None:
    page = board_page(window)
    make_deal(services, manager, title="Real deal")
    answer_next_dialog(choose(False, []))
    with qtbot.waitSignal(page.boardLoaded, timeout=20000):
        load_menu_entry(window).trigger()
        assert window.statusBar().currentMessage() == "Loading sample data…"
    assert services.board.deal_count() == 201
    assert launched == []
    # the "…" line does not stay, as if loading went on
    assert window.statusBar().currentMessage() == "The sample data is loaded."


def test_cancelling_loads_nothing(
        qtbot: QtBot, services: Services, window: MainWindow, launched: list[Path],
        db_path: Path) -> None:
    answer_next_dialog(lambda dialog: dialog.reject())
    load_menu_entry(window).trigger()
    assert services.board.deal_count() == 0
    assert launched == []
    assert not (db_path.parent / "funneldesk-sample.db").exists()


def test_an_empty_database_offers_sample_data_once(
        qtbot: QtBot, services: Services, manager: Actor, launched: list[Path]) -> None:
    window = MainWindow(services, manager, Settings())
    page = board_page(window)
    qtbot.addWidget(window)
    seen: list[SampleDataDialog] = []
    answer_next_dialog(choose(False, seen))
    with qtbot.waitSignal(page.boardLoaded, timeout=20000):
        window.offer_sample_data_if_empty()
    assert seen[0].windowTitle() == "Welcome to FunnelDesk"
    assert len(shown_titles(window)) > 100
    window.offer_sample_data_if_empty()  # not asked again once there are deals
    assert len(seen) == 1


def test_removing_sample_data_asks_with_counts_and_leaves_a_real_deal_untouched(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    page = board_page(window)
    services.demo.generate(deals=30, seed=5, by=manager)
    real = make_deal(services, manager, title="Real deal", value="4321")
    asked: list[str] = []

    def yes(_parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr("funneldesk.ui.admin.sample_data_actions.QMessageBox.question", yes)
    remove = next(a for a in window.actions_.manager_only if a.text() == "Remove sample data…")
    with qtbot.waitSignal(page.boardLoaded, timeout=20000):
        remove.trigger()
    assert "• 30 sample deals, with their history" in asked[0]
    assert "sample companies" in asked[0]
    assert shown_titles(window) == ["Real deal"]
    card = services.board.card(real.id)
    assert card is not None
    assert (card.title, card.value, card.version) == ("Real deal", real.value, real.version)
    shown: list[str] = []
    monkeypatch.setattr("funneldesk.ui.admin.sample_data_actions.QMessageBox.information",
                        lambda _p, _t, text, *_a: shown.append(text))
    remove.trigger()  # nothing left to remove: it says so instead of asking
    assert shown == ["This database holds no sample data."]
    assert len(asked) == 1


def test_a_database_with_customers_but_no_deals_is_not_offered_sample_data(
        qtbot: QtBot, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = MainWindow(services, manager, Settings())
    qtbot.addWidget(window)
    offered: list[bool] = []
    monkeypatch.setattr(SampleDataActions, "load",
                        lambda _self, welcome=False: offered.append(welcome))
    window.offer_sample_data_if_empty()
    assert offered == [True]  # empty
    services.customers.create_company(name="北京星辰科技有限公司", by=manager)
    window.offer_sample_data_if_empty()  # a team that imported its customers first
    assert offered == [True]
