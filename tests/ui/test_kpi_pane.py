"""The KPI pane beside the board and the Insights page, in the real window: the pane shows
the funnel and forecast with their numbers, and follows a card dropped on the board
without being asked; the page shows every section and copies its tables."""

from __future__ import annotations

import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, Qt, QThreadPool
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from funneldesk.db import Database
from funneldesk.services import Services
from funneldesk.services.dto import Actor, ChangeSet
from funneldesk.ui.analytics.chart_view import RESIZE_SETTLE_MS, ChartView
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


def busy_once(monkeypatch: pytest.MonkeyPatch, services: Services, read: str
              ) -> tuple[threading.Event, list[object]]:
    """The analytics service's ``read`` fails with a busy database the first time, once
    the returned event is set; the requests it was asked for are listed."""
    from funneldesk.errors import DatabaseBusy

    release = threading.Event()
    asked: list[object] = []
    real = getattr(services.analytics, read)

    def busy_first(request: object, **kwargs: object) -> object:
        asked.append(request)
        if len(asked) == 1:
            release.wait(10)
            raise DatabaseBusy("funneldesk.db")
        return real(request, **kwargs)

    monkeypatch.setattr(services.analytics, read, busy_first)
    return release, asked


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



def test_a_chart_drawn_for_another_width_is_drawn_again_at_its_own(qtbot: QtBot) -> None:
    """As when the pane reads before its first layout: the chart is not left cut off."""
    from funneldesk.charts import figures as charts
    from funneldesk.charts.render import pixels

    view = ChartView(150)
    qtbot.addWidget(view)
    view.resize(400, 150)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(2 * RESIZE_SETTLE_MS)  # the first layout's resize has been dealt with

    def draw(size: tuple[float, float], dpi: float) -> object:
        return charts.columns(["Dec", "Jan"], [("Weighted", [1.0, 2.0])],
                              title="Forecast", size=size, dpi=dpi)

    view.show_drawn(draw, pixels(draw((2.0, 1.5), 96.0 * view.devicePixelRatioF())))
    assert view.image_width() == round(192 * view.devicePixelRatioF())
    qtbot.waitUntil(lambda: view.image_width() == round(400 * view.devicePixelRatioF()),
                    timeout=10000)
    QThreadPool.globalInstance().waitForDone()  # no drawing outlives the view


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


@pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen: no window manager
def test_the_kpi_pane_floated_from_behind_its_tab_follows_the_changes(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    pane = shown_pane(qtbot, window)
    window.docks.docks["today"].raise_()
    qtbot.waitUntil(lambda: not pane.on_screen)
    window.docks.docks["kpis"].setFloating(True)  # as a drag of its tab out of the window
    qtbot.waitUntil(lambda: pane.on_screen)
    deal = make_deal(services, manager, title="Warehouse system")
    window.docks.apply_changes(ChangeSet(deal_ids=frozenset({deal.id})), None)
    qtbot.waitUntil(lambda: pane.tiles["deals"].text() == "1", timeout=10000)


def test_a_period_chosen_while_a_read_fails_is_read_once_it_has_failed(
        qtbot: QtBot, services: Services, window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The failure is said under the figures; the period asked for meanwhile is still
    read, not left behind its label until some other change comes."""
    pane = shown_pane(qtbot, window)
    release, asked = busy_once(monkeypatch, services, "pane")
    pane.reload()
    pane.period.setCurrentIndex(pane.period.findData("this_year"))  # during the read
    release.set()
    first_of_year = pane.request().date_from
    qtbot.waitUntil(lambda: pane.figures is not None
                    and pane.figures.core.date_from == first_of_year, timeout=10000)
    assert len(asked) == 2
    assert pane.problem.text() == ""


def reached(pane: KpiPane) -> list[str]:
    table = pane.funnel_table.figures
    return [table.text(r, 1) for r in range(table.rowCount())]


def test_the_insights_page_reads_a_period_chosen_while_its_read_failed(
        qtbot: QtBot, services: Services, window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window.show_page("insights")
    page = window.pages["insights"]
    assert isinstance(page, InsightsPage)
    qtbot.waitUntil(lambda: page.shown is not None, timeout=20000)
    release, asked = busy_once(monkeypatch, services, "insights")
    page.reload()
    page.period.setCurrentIndex(page.period.findData("this_year"))  # during the read
    release.set()
    first_of_year = page.request().date_from
    qtbot.waitUntil(lambda: page.shown is not None
                    and page.shown.report.core.date_from == first_of_year, timeout=20000)
    assert len(asked) == 2


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
    table = page.funnel.table
    table.clearSelection()
    table.copy()
    copied = QApplication.clipboard().text().splitlines()
    assert copied[0].split("\t")[:2] == ["Stage", "Reached"]
    assert copied[1].split("\t")[1] == str(k.stages[0].reached)
    # a right click selects the cell under it; "Copy table" still copies all of it
    table.setCurrentIndex(table.figures.index(1, 1))
    copy_table = next(a for a in table.actions() if a.text() == "Copy table")
    copy_table.trigger()
    assert QApplication.clipboard().text().splitlines() == copied
    table.copy()  # Ctrl+C: that cell alone
    assert QApplication.clipboard().text() == str(k.stages[1].reached)
    table.selectRow(0)  # a whole row comes with its headers
    table.copy()
    assert QApplication.clipboard().text().splitlines() == copied[:2]
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


def test_the_targets_dialog_works_in_whole_periods_and_brings_a_target_back_to_change(
        qtbot: QtBot, services: Services, window: MainWindow) -> None:
    import datetime as dt

    from PySide6.QtCore import QDate

    from funneldesk.ui.analytics.targets_dialog import TargetsDialog

    dialog = TargetsDialog(window.workspace, None, window)
    qtbot.addWidget(dialog)
    dialog.period.setCurrentIndex(dialog.period.findData("quarter"))
    dialog.starts.setDate(QDate(2026, 11, 17))
    assert dialog.starts.date() == QDate(2026, 10, 1)  # the quarter's first day
    dialog.kpi.setCurrentIndex(dialog.kpi.findData("won_value"))
    dialog.value.setText("300000")
    dialog.save()
    assert [(t.kpi, t.starts_on, str(t.value)) for t in dialog.shown] == [
        ("won_value", dt.date(2026, 10, 1), "300000.0000")]
    dialog.kpi.setCurrentIndex(dialog.kpi.findData("conversion"))
    dialog.kpi.activated.emit(dialog.kpi.currentIndex())  # as a choice from the list
    assert dialog.value.text() == ""  # 300000 is no conversion
    dialog.table.setCurrentIndex(dialog.table.figures.index(0, 0))  # the one in the list
    assert dialog.kpi.currentData() == "won_value"
    assert dialog.value.text() == "300,000"
    dialog.value.setText("350000")
    dialog.save()  # changes it, not a second one
    assert [str(t.value) for t in dialog.shown] == ["350000.0000"]


def test_a_conversion_target_is_judged_on_the_figure_the_funnel_shows(
        qtbot: QtBot, services: Services, db: Database, manager: Actor,
        window: MainWindow) -> None:
    """One deal of five has left Proposal (and moved on); four are still in it. The
    column reads 20%, short of the target of 40%, as the targets table and the funnel
    chart say too: no green beside it because the one deal that left moved on."""
    import datetime as dt
    from decimal import Decimal

    from funneldesk.services.analytics.targets import TargetFields
    from funneldesk.ui.analytics.shown import STATUS_COLOURS
    from tests.services.analytics.history import ZONE, add_deal, set_zone

    set_zone(db)
    today = dt.datetime.now(ZoneInfo(ZONE)).date()
    start = dt.datetime.combine(today, dt.time(0, 1))
    for n in range(5):
        names = ["Initial contact", "Needs analysis", "Proposal"] + (["Negotiation"] if n == 0
                                                                      else [])
        add_deal(services, manager, [(name, (start + dt.timedelta(minutes=i)).isoformat(" "))
                                     for i, name in enumerate(names)])
    services.analytics.save_target(TargetFields(
        "conversion", stage(services, "Proposal").id, None, "month", today.replace(day=1),
        Decimal("0.4")), by=manager)
    pane = shown_pane(qtbot, window)
    table = pane.funnel_table.figures
    row = next(r for r in range(table.rowCount()) if table.text(r, 0) == "Proposal")
    cell = table.index(row, 2)
    assert cell.data(Qt.ItemDataRole.DisplayRole) == "20%"
    assert cell.data(Qt.ItemDataRole.ForegroundRole).name() == STATUS_COLOURS["red"].lower()
    assert "Short of the target" in cell.data(Qt.ItemDataRole.ToolTipRole)
    [standing] = [s for s in services.analytics.pane(pane.request()).standings
                  if s.kpi == "conversion"]
    assert (standing.actual, standing.status) == (0.2, "red")
    # the Insights page's funnel table (and the report's) colours that cell the same way
    from funneldesk.services.analytics.tables import all_tables

    funnel = all_tables(services.analytics.insights(pane.request()))["funnel"]
    [to_next] = [row[2] for row in funnel.rows if row[0].text == "Proposal"]
    assert (to_next.text, to_next.status) == ("20%", "red")
    assert "Short of the target" in to_next.tip


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
