"""Opens the real window on demo data and saves a PNG of every main view, in zh_CN and en.

    python screenshots/take.py [OUT_DIR]      (default: screenshots/out)
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QThreadPool, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from funneldesk import i18n  # noqa: E402
from funneldesk.db import Database, open_database  # noqa: E402
from funneldesk.services import Services  # noqa: E402
from funneldesk.services.dto import Actor, DealFields  # noqa: E402
from funneldesk.settings import Settings  # noqa: E402
from funneldesk.ui.board.board_page import board_page  # noqa: E402
from funneldesk.ui.shell.application import create_application, install_qt_translations  # noqa: E402
from funneldesk.ui.shell.main_window import MainWindow  # noqa: E402


def grab_dialog(app: QApplication, open_it: object, path: Path) -> None:
    """Opens a modal dialog with ``open_it()``, saves its picture and closes it."""

    def shoot() -> None:
        dialog = app.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, shoot)
            return
        app.processEvents()
        dialog.grab().save(str(path))
        dialog.close()

    QTimer.singleShot(50, shoot)
    open_it()  # type: ignore[operator]


def grab_tab(app: QApplication, window: MainWindow, deal_id: int, tab: int, path: Path) -> None:
    """The deal form showing one of its tabs."""
    from PySide6.QtWidgets import QTabWidget

    def shoot() -> None:
        dialog = app.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, shoot)
            return
        tabs = dialog.findChild(QTabWidget)
        assert tabs is not None
        timeline = getattr(dialog, "timeline", None)
        if timeline is not None and timeline.timeline is None:  # still being read
            QTimer.singleShot(20, shoot)
            return
        tabs.setCurrentIndex(tab)
        app.processEvents()
        dialog.grab().save(str(path))
        dialog.close()

    QTimer.singleShot(50, shoot)
    window.editor.open(deal_id)


def add_deals_without_a_rate(services: Services, me: Actor, stage_id: int) -> None:
    """Three deals in yen, which has no rate in a new database: the column says so."""
    pipeline_id = services.board.pipelines()[0][0]
    for value in ("1200000", "800000", "450000"):
        fields = DealFields("Tokyo", None, None, Decimal(value), "JPY", None, me.id)
        services.deals.create(pipeline_id=pipeline_id, stage_id=stage_id, fields=fields, by=me)


def demo_window(lang: str, deals: int) -> tuple[QApplication, Database, Services, Actor,
                                                MainWindow]:
    """The real window in ``lang`` on a new database with ``deals`` sample deals (the
    dialogs' screenshot script uses it too)."""
    i18n.set_language(lang)
    app = create_application(lang)
    install_qt_translations(app, lang)
    folder = Path(tempfile.mkdtemp())
    db = open_database(folder / "demo.db")
    services = Services.for_database(db)
    me = services.users.current("me")
    services.demo.generate(deals=deals, seed=3, by=me)
    window = MainWindow(services, me, Settings(folder / "settings.json"))
    window.resize(1400, 900)
    window.show()
    settle(app, window)
    return app, db, services, me, window


def settle(app: QApplication, window: MainWindow) -> None:
    """Waits until every card is read: the pictures show the board as it settles."""
    page = board_page(window)
    while not page.board.is_whole():
        app.processEvents()
    app.processEvents()


def take(lang: str, out: Path) -> None:
    app, db, services, me, window = demo_window(lang, 400)
    page = board_page(window)
    window.grab().save(str(out / f"board-{lang}.png"))
    page.actions_.show_closed.setChecked(True)
    page.load_now()
    settle(app, window)
    page.board.horizontalScrollBar().setValue(page.board.horizontalScrollBar().maximum())
    app.processEvents()
    window.grab().save(str(out / f"board-won-lost-{lang}.png"))
    page.actions_.show_closed.setChecked(False)
    page.load_now()
    settle(app, window)
    first = next(iter(page.board.columns.values()))
    card = first.model.card_at(0)
    grab_dialog(app, lambda: window.editor.open(card.id), out / f"deal-form-{lang}.png")
    for tab, name in ((1, "criteria"), (2, "timeline"), (3, "history")):
        grab_tab(app, window, card.id, tab, out / f"deal-{name}-{lang}.png")
    grab_dialog(app, lambda: (page.activity_on(card.id, card.title, "plan"),  # opens
                              wait(app, lambda: app.activeModalWidget() is None)),
                out / f"activity-dialog-{lang}.png")
    grab_dialog(app, window.manage_pipelines, out / f"pipeline-editor-{lang}.png")
    grab_dialog(app, window.edit_rates, out / f"rates-{lang}.png")
    add_deals_without_a_rate(services, me, first.stage.id)
    page.load_now()
    settle(app, window)
    next(iter(page.board.columns.values())).grab().save(str(out / f"column-missing-rate-{lang}.png"))
    from funneldesk.ui.board.outcome import LostDialog, WonDialog

    lost = LostDialog(card.title, services.moves.lost_reasons(), window)
    grab_dialog(app, lost.exec, out / f"lost-dialog-{lang}.png")
    won = WonDialog(card.title, card.value, card.currency, window)
    grab_dialog(app, won.exec, out / f"won-dialog-{lang}.png")
    for column in list(page.board.columns.values())[:3]:
        window.editor.delete(column.model.card_at(0).id)  # something in the Trash
    grab_dialog(app, page.show_trash, out / f"trash-{lang}.png")
    from funneldesk.ui.admin.sample_data import SampleDataDialog

    samples = SampleDataDialog(services.sample_data.separate_path(), parent=window)
    samples.here_choice.setChecked(True)  # shows the warning that goes with it
    grab_dialog(app, samples.exec, out / f"sample-data-{lang}.png")
    take_workspace(app, window, lang, out)
    take_customers(app, window, services, lang, out)
    take_reminders(app, window, services, me, lang, out)
    take_activities(app, window, lang, out)
    take_insights(app, window, lang, out)
    window.close()
    db.close()
    QWidget()  # keep a widget alive between languages (QApplication is reused)


def take_workspace(app: QApplication, window: MainWindow, lang: str, out: Path) -> None:
    """The Deals page once its first rows are read, and the search palette over it."""
    window.show_page("deals")
    page = window.pages["deals"]
    while page.status_text() == "":  # the count and the first rows are in
        app.processEvents()
    for _ in range(20):
        app.processEvents()
    window.grab().save(str(out / f"deals-list-{lang}.png"))
    palette = window.open_search()
    # two characters, as an input method commits them; an English prefix in English data
    palette.edit.insert("科技" if lang == "zh_CN" else "cr")
    app.processEvents()
    palette.grab().save(str(out / f"search-{lang}.png"))  # a window of its own
    palette.edit.setText(">")
    app.processEvents()
    palette.grab().save(str(out / f"commands-{lang}.png"))
    palette.close()
    window.show_page("board")


def wait(app: QApplication, done: Callable[[], bool]) -> None:
    while not done():
        app.processEvents()
    for _ in range(20):
        app.processEvents()


def take_customers(app: QApplication, window: MainWindow, services: Services, lang: str,
                   out: Path) -> None:
    """The Customers page: companies and contacts, each with a record open beside the
    list (a company that went through the public pool, so that its history shows)."""
    from funneldesk.ui.customers.page import CustomersPage

    window.show_page("customers")
    page = window.pages["customers"]
    assert isinstance(page, CustomersPage)
    wait(app, lambda: page.model.rowCount() > 0 and not page.model.pending)
    company = page.model.row_at(3)
    assert company is not None
    me = page.workspace.actor
    if company.owner_id is not None:
        services.pool.release("company", company.id, by=me)
    services.pool.claim("company", company.id, by=me)
    page.reload()
    page.open_customer("company", company.id)
    wait(app, lambda: page.detail.overview is not None and bool(page.detail.pool)
         and page.current_record() is not None)
    window.grab().save(str(out / f"customers-companies-{lang}.png"))
    page.show_entity("contact")
    wait(app, lambda: page.entity == "contact" and not page.model.pending
         and page.model.row_at(0) is not None)
    contact = page.model.row_at(1)
    assert contact is not None
    page.open_customer("contact", contact.id)
    wait(app, lambda: page.detail.overview is not None and page.current_record() is not None)
    window.grab().save(str(out / f"customers-contacts-{lang}.png"))
    take_duplicates(app, services, me, page.workspace.runner, lang, out)
    page.show_entity("company")
    wait(app, lambda: page.entity == "company" and not page.model.pending)
    window.show_page("board")
    # the window goes when this returns: first let the reads it started finish, so that
    # none answers a window that is gone
    QThreadPool.globalInstance().waitForDone()
    app.processEvents()


def take_duplicates(app: QApplication, services: Services, me: Actor, runner: object,
                    lang: str, out: Path) -> None:
    """Find duplicates over the sample's contacts, every group open."""
    from funneldesk.ui.customers.duplicates_view import DuplicatesDialog

    dialog = DuplicatesDialog(services, me, "contact", runner)  # type: ignore[arg-type]
    dialog.resize(900, 560)
    dialog.show()
    wait(app, lambda: dialog.busy.isHidden() and bool(dialog.status.text()))
    dialog.tree.expandAll()
    app.processEvents()
    dialog.grab().save(str(out / f"find-duplicates-contacts-{lang}.png"))
    dialog.close()


def take_reminders(app: QApplication, window: MainWindow, services: Services, me: Actor,
                   lang: str, out: Path) -> None:
    """The reminders window, as it shows two calls that fell due (the clock set to the
    afternoon, so that the picture is the same whenever it is taken)."""
    import datetime as dt

    from funneldesk.enums import ActivityKind
    from funneldesk.services.activities.records import ActivityFields

    today = dt.date.today()
    card = next(iter(board_page(window).board.columns.values())).model.card_at(0)
    for title, hour in (("回访报价", 10), ("Demo follow-up", 14)):
        services.activities.plan(ActivityFields(
            ActivityKind.CALL, title, deal_id=card.id, due_on=today,
            due_time=dt.time(hour)), by=me)
    notifier = window.reminders
    notifier.now = lambda: dt.datetime.combine(today, dt.time(15)).astimezone()
    answered = notifier.checked
    notifier.start() if not notifier.started else notifier.check()
    wait(app, lambda: notifier.checked > answered)
    notifier.window.grab().save(str(out / f"reminders-{lang}.png"))
    notifier.window.close()


def take_activities(app: QApplication, window: MainWindow, lang: str, out: Path) -> None:
    """The Activities page: everyone's planned activities."""
    from funneldesk.ui.activities.list_page import ActivitiesPage

    window.show_page("activities")
    page = window.pages["activities"]
    assert isinstance(page, ActivitiesPage)
    wait(app, lambda: not page.model.pending)
    page.whose.setCurrentIndex(1)  # everyone's
    wait(app, lambda: not page.model.pending and page.model.row_at(0) is not None)
    window.grab().save(str(out / f"activities-{lang}.png"))
    window.show_page("board")
    QThreadPool.globalInstance().waitForDone()
    app.processEvents()


def take_insights(app: QApplication, window: MainWindow, lang: str, out: Path) -> None:
    """The KPI pane beside the board, and the Insights page (whole, and in parts)."""
    from funneldesk.ui.analytics.chart_view import ChartView
    from funneldesk.ui.analytics.insights_page import InsightsPage

    dock = window.docks.docks["kpis"]
    dock.show()
    dock.raise_()
    pane = window.docks.build("kpis")
    wait(app, lambda: getattr(pane, "figures", None) is not None
         and all(v.has_image() for v in pane.findChildren(ChartView)))
    settle_charts(app)
    window.grab().save(str(out / f"kpi-pane-{lang}.png"))
    pane.grab().save(str(out / f"kpi-pane-alone-{lang}.png"))
    window.docks.docks["today"].raise_()
    window.show_page("insights")
    page = window.pages["insights"]
    assert isinstance(page, InsightsPage)
    wait(app, lambda: page.shown is not None
         and all(v.has_image() for v in page.findChildren(ChartView)))
    settle_charts(app)
    window.grab().save(str(out / f"insights-{lang}.png"))
    body = page.findChild(QWidget, "insights-body")
    if body is not None:
        body.grab().save(str(out / f"insights-whole-{lang}.png"))
    window.show_page("board")


def settle_charts(app: QApplication) -> None:
    """Lets the charts drawn again at the size the layout settled on arrive."""
    import time

    end = time.monotonic() + 1.0  # past the charts' resize settling (150 ms) and drawing
    while time.monotonic() < end:
        app.processEvents()
        QThreadPool.globalInstance().waitForDone(50)
    app.processEvents()


def main(shots: Callable[[str, Path], None] = take) -> None:
    """Runs ``shots(lang, out_dir)`` in each language (screenshots/dialogs.py uses it too)."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "screenshots" / "out"
    out.mkdir(parents=True, exist_ok=True)
    for lang in ("zh_CN", "en"):
        shots(lang, out)
    print(f"saved to {out}", flush=True)
    os._exit(0)  # skip PySide6's teardown at interpreter exit


if __name__ == "__main__":
    main()
