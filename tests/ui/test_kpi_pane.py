"""The KPI pane beside the board and the Insights page, in the real window: the pane shows
the funnel and forecast with their numbers, and follows a card dropped on the board
without being asked; the page shows every section and copies its tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.dto import Actor, ChangeSet
from funneldesk.ui.analytics.chart_view import ChartView
from funneldesk.ui.analytics.insights_page import InsightsPage
from funneldesk.ui.analytics.kpi_pane import KpiPane
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.board.card_model import encode_mime
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal, stage, tick_all
from tests.ui.conftest import drop, reload


def shown_pane(qtbot: QtBot, window: MainWindow) -> KpiPane:
    """The KPI pane's tab brought to the front, once it has read its figures."""
    dock = window.docks.docks["kpis"]
    dock.show()
    dock.raise_()
    built = window.docks.build("kpis")
    assert isinstance(built, KpiPane)
    qtbot.waitUntil(lambda: built.figures is not None, timeout=10000)
    return built


@pytest.fixture
def pane(qtbot: QtBot, window: MainWindow) -> KpiPane:
    return shown_pane(qtbot, window)


def test_the_kpi_tab_behind_today_is_built_only_when_chosen(
        qtbot: QtBot, window: MainWindow) -> None:
    """Start-up builds the panes on screen once the board is painted; the KPI pane behind
    Today's tab would only hold up the first clicks with its reads and libraries."""
    window.docks.start()
    assert "today" in window.docks.panes
    assert "kpis" not in window.docks.panes
    window.docks.docks["kpis"].raise_()  # what a click on its tab does
    qtbot.waitUntil(lambda: "kpis" in window.docks.panes)
    pane = window.docks.panes["kpis"]
    assert isinstance(pane, KpiPane)
    qtbot.waitUntil(lambda: pane.figures is not None, timeout=10000)
    assert pane.tiles["deals"].text() == "0"


def test_the_kpi_pane_behind_a_tab_reads_again_only_when_its_tab_is_chosen(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Behind Today's tab it is off screen though Qt calls it visible: each move would
    otherwise compute the KPIs and draw charts for nobody, beside the board's paint."""
    pane = shown_pane(qtbot, window)
    reads: list[int] = []
    read = pane.start_read
    monkeypatch.setattr(pane, "start_read", lambda: (reads.append(1), read()))
    window.docks.docks["today"].raise_()
    qtbot.waitUntil(lambda: not pane.on_screen)
    deal = make_deal(services, manager, title="Warehouse system")
    window.docks.apply_changes(ChangeSet(deal_ids=frozenset({deal.id})), None)
    assert reads == []
    with qtbot.waitSignal(pane.loaded, timeout=10000):
        window.docks.docks["kpis"].raise_()
    assert reads == [1]
    assert pane.tiles["deals"].text() == "1"


def reached(pane: KpiPane) -> list[str]:
    table = pane.funnel_table.figures
    return [table.text(r, 1) for r in range(table.rowCount())]


def test_the_pane_follows_a_card_dropped_on_the_board(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = make_deal(services, manager, title="Warehouse system")
    make_deal(services, manager, title="CRM seats")
    tick_all(services, manager, card.id, "Initial contact")
    reload(qtbot, window)
    pane = shown_pane(qtbot, window)
    assert reached(pane) == ["2", "0", "0", "0", "0"]
    assert pane.tiles["deals"].text() == "2"
    assert pane.tiles["win_rate"].text() == "–"  # nothing closed yet: no data, not 0%
    # a real drop on the board; the pane reads again by itself
    page = board_page(window)
    target = page.board.columns[stage(services, "Needs analysis").id].view
    with qtbot.waitSignal(pane.loaded, timeout=10000):
        drop(target, encode_mime(page.board.find_card(card.id)), QPoint(20, 20))
    assert services.deals.detail(card.id).stage_id == stage(services, "Needs analysis").id
    assert reached(pane) == ["2", "1", "0", "0", "0"]
    qtbot.waitUntil(lambda: all(v.has_image() for v in pane.findChildren(ChartView)),
                    timeout=10000)


def test_the_pane_s_charts_are_drawn_and_saved(
        qtbot: QtBot, pane: KpiPane, tmp_path: Path) -> None:
    qtbot.waitUntil(lambda: pane.funnel.has_image() and pane.forecast.has_image(),
                    timeout=10000)
    path = tmp_path / "funnel.png"
    pane.funnel.write_png(path)
    assert path.read_bytes().startswith(b"\x89PNG")


def test_the_insights_page_shows_every_section_and_copies_its_numbers(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    services.demo.generate(deals=120, seed=5, by=manager)
    window.show_page("insights")
    page = window.pages["insights"]
    assert isinstance(page, InsightsPage)
    qtbot.waitUntil(lambda: page.shown is not None, timeout=20000)
    k = page.shown.report.core
    assert page.funnel.table.figures.rowCount() == len(k.stages)
    assert page.funnel.table.figures.text(0, 1) == str(k.stages[0].reached)
    page.funnel.table.clearSelection()
    page.funnel.table.copy()
    copied = QApplication.clipboard().text().splitlines()
    assert copied[0].split("\t")[:2] == ["Stage", "Reached"]
    assert copied[1].split("\t")[1] == str(k.stages[0].reached)
    # the sample's case: the doctor names a stage and gives advice
    assert page.shown.report.bottleneck is not None
    assert page.doctor.note.text().startswith(page.shown.report.bottleneck.reason_label)
    qtbot.waitUntil(lambda: all(v.has_image() for v in page.findChildren(ChartView)),
                    timeout=20000)
    # a narrower period reads again
    with qtbot.waitSignal(page.loaded, timeout=20000):
        page.period.setCurrentIndex(page.period.findData("this_month"))
    assert page.shown.report.core.date_from is not None


def test_a_manager_sets_targets_and_the_pane_shows_where_each_kpi_stands(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    from funneldesk.ui.analytics.shown import STATUS_COLOURS
    from funneldesk.ui.analytics.targets_dialog import TargetsDialog

    for title in ("A", "B"):
        make_deal(services, manager, title=title)
    dialog = TargetsDialog(window.workspace, None, window)
    qtbot.addWidget(dialog)
    dialog.kpi.setCurrentIndex(dialog.kpi.findData("conversion"))
    assert dialog.stage.isEnabled()
    dialog.stage.setCurrentIndex(dialog.stage.findText("Proposal"))
    dialog.value.setText("abc")
    dialog.save()
    assert "number" in dialog.error.text()
    dialog.value.setText("40%")
    dialog.save()
    dialog.kpi.setCurrentIndex(dialog.kpi.findData("deals_created"))
    assert not dialog.stage.isEnabled()
    dialog.value.setText("2")
    dialog.save()
    assert dialog.error.text() == ""
    assert sorted((t.kpi, str(t.value)) for t in dialog.shown) == [
        ("conversion", "0.4000"), ("deals_created", "2.0000")]
    # the pane, this month by default: two deals created against a target of two so far
    # (the month's target times the share of it gone by, at most two)
    pane = shown_pane(qtbot, window)
    assert pane.period.currentData() == "this_month"
    tile = pane.tiles["deals"]
    assert tile.text() == "2"
    assert STATUS_COLOURS["green"] in tile.styleSheet()
    assert "Target met" in tile.toolTip()


def test_a_manager_edits_the_doctor_s_rules(qtbot: QtBot, services: Services,
                                           window: MainWindow) -> None:
    from funneldesk.ui.analytics.rules_dialog import RulesDialog

    dialog = RulesDialog(window.workspace, [(stage(services, "Proposal").id, "Proposal")],
                         window)
    qtbot.addWidget(dialog)
    defaults = len(dialog.rules)
    assert defaults == 8  # written in the team's language on first use
    dialog.new_rule()
    dialog.save()  # no advice: refused where it is typed, nothing kept
    assert "advice" in dialog.error.text()
    dialog.stage.setCurrentIndex(dialog.stage.findText("Proposal"))
    dialog.reason.setCurrentIndex(dialog.reason.findData("low_conversion"))
    dialog.advice.setPlainText("Rehearse the proposal with a colleague first.")
    dialog.save()
    assert len(dialog.rules) == defaults + 1
    added = dialog.rules[-1]
    assert (added.stage_id, added.reason, added.advice) == (
        stage(services, "Proposal").id, "low_conversion",
        "Rehearse the proposal with a colleague first.")
    dialog.table.selectRow(len(dialog.rules) - 1)
    dialog.remove()
    assert len(dialog.rules) == defaults
