"""The deal team, the review view and the forecast board in the window: a colleague put
on a deal's team and a note posted from the deal form's Team tab, each undone from the
Edit menu; a refused note said under it; the Review page listing a stale deal and its
quick update saved as one review that one undo takes back; the Forecast page's months
with their totals, and a card dropped on another month changing its expected close date,
undone and redone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from funneldesk.db import Database
from funneldesk.enums import DealRole
from funneldesk.models import Deal
from funneldesk.services import Services
from funneldesk.services.activities.forecast_records import UNDATED, add_months, day_in_month
from funneldesk.services.dto import Actor
from funneldesk.ui.activities.forecast_column import encode
from funneldesk.ui.activities.forecast_page import ForecastPage
from funneldesk.ui.activities.review_dialog import ReviewDialog
from funneldesk.ui.activities.review_page import ReviewPage
from funneldesk.ui.activities.team_tab import TeamTab
from funneldesk.ui.board.deal_form import DealForm
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal
from tests.services.test_deal_team import colleague
from tests.ui.conftest import answer_next_dialog, drop, reload

TODAY = dt.date.today()
# the deal form's contact list may pop up, which the offscreen platform can neither raise
# nor grab the keyboard for (as in test_deal_form_saving.py)
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise",
                                       "does not support grabbing the keyboard")


def team_tab(form: DealForm) -> TeamTab:
    tab = next(form.tabs.widget(i) for i in range(form.tabs.count())
               if isinstance(form.tabs.widget(i), TeamTab))
    assert isinstance(tab, TeamTab)
    form.tabs.setCurrentWidget(tab)
    return tab


def test_the_team_tab_adds_a_colleague_and_posts_a_note_each_undone_on_its_own(
        qtbot: QtBot, services: Services, db: Database, manager: Actor,
        window: MainWindow) -> None:
    li = colleague(db)
    card = make_deal(services, manager)
    reload(qtbot, window)
    seen: list[object] = []

    def work_in_the_tab(form: QWidget) -> None:
        assert isinstance(form, DealForm)
        tab = team_tab(form)
        tab.colleague.setCurrentIndex(tab.colleague.findData(li.id))
        tab.role.setCurrentIndex(tab.role.findData(DealRole.TECH_SUPPORT))
        tab.add_button.click()
        seen.append(tab.members.item(0, 0).text())
        seen.append(tab.members.item(0, 1).text())
        seen.append(tab.colleague.findData(li.id))  # no longer offered
        tab.note.setPlainText("   ")
        tab.post_button.click()
        seen.append(tab.note_error.text())
        tab.note.setPlainText("客户要求下周前给出安装方案")
        tab.post_button.click()
        seen.append(tab.note.toPlainText())
        seen.append("客户要求下周前给出安装方案" in tab.feed.toPlainText())
        form.reject()

    answer_next_dialog(work_in_the_tab)
    window.editor.open(card.id)
    assert seen == ["李工", "Technical support", -1, "Write the note first.", "", True]
    assert [n.body for n in services.deal_teams.team(card.id).notes] == ["客户要求下周前给出安装方案"]
    assert window.actions_.undo.text().endswith("Post a note on “Warehouse system”")
    window.actions_.undo.trigger()
    assert services.deal_teams.team(card.id).notes == ()
    window.actions_.undo.trigger()
    assert services.deal_teams.team(card.id).members == ()
    window.actions_.redo.trigger()
    window.actions_.redo.trigger()
    team = services.deal_teams.team(card.id)
    assert [m.role for m in team.members] == [DealRole.TECH_SUPPORT]
    assert [n.body for n in team.notes] == ["客户要求下周前给出安装方案"]


def test_a_colleague_not_on_the_team_cannot_post_or_change_it(
        qtbot: QtBot, services: Services, db: Database, manager: Actor) -> None:
    from funneldesk.settings import Settings

    outsider = colleague(db, "zhao", "赵六")
    card = make_deal(services, manager)
    win = MainWindow(services, outsider, Settings())
    qtbot.addWidget(win)
    seen: list[bool] = []

    def look(form: QWidget) -> None:
        assert isinstance(form, DealForm)
        tab = team_tab(form)
        seen.extend([tab.add_button.isEnabled(), tab.post_button.isEnabled(),
                     tab.note.isEnabled()])
        form.reject()

    answer_next_dialog(look)
    win.editor.open(card.id)
    assert seen == [False, False, False]


def stale(db: Database, deal_id: int, days: int, expected: dt.date | None = None) -> None:
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    with db.session() as session:
        session.execute(update(Deal).where(Deal.id == deal_id).values(
            updated_at=moment, stage_entered_at=moment, expected_close=expected)
            .execution_options(synchronize_session=False))


def show_page(qtbot: QtBot, window: MainWindow, key: str) -> QWidget:
    window.show_page(key)
    page = window.pages[key]
    qtbot.waitUntil(lambda: page.status_text() != "", timeout=10000)
    return page


def test_the_review_page_lists_a_stale_deal_and_its_quick_update_is_one_undoable_review(
        qtbot: QtBot, services: Services, db: Database, manager: Actor,
        window: MainWindow) -> None:
    stale_deal = make_deal(services, manager, title="久未跟进的项目")
    make_deal(services, manager, title="刚跟进的项目")
    stale(db, stale_deal.id, 20, TODAY - dt.timedelta(days=2))
    page = show_page(qtbot, window, "review")
    assert isinstance(page, ReviewPage)
    assert [r.title for r in page.model.rows] == ["久未跟进的项目"]
    assert page.model.data(page.model.index(0, 4)) == "Untouched · Past close date · Rotting"
    assert page.model.data(page.model.index(0, 5)) == "20 days ago"
    page.table.selectRow(0)
    new_date = TODAY + dt.timedelta(days=30)

    def update_it(dialog: QWidget) -> None:
        assert isinstance(dialog, ReviewDialog)
        dialog.expected.set_value(TODAY - dt.timedelta(days=1))
        dialog.accept()  # refused: said under the date, nothing saved
        assert dialog.errors["expected_close"].text() == "Give a close date from today on."
        dialog.expected.set_value(new_date)
        dialog.next_title.setText("约采购负责人面谈")
        dialog.next_day.set_value(TODAY + dt.timedelta(days=3))
        dialog.note.setPlainText("预算推迟到下月")
        dialog.accept()

    answer_next_dialog(update_it)
    page.quick_update()
    assert services.deals.detail(stale_deal.id).fields.expected_close == new_date
    qtbot.waitUntil(lambda: page.model.data(page.model.index(0, 5)) == "today", timeout=5000)
    assert page.model.rows[0].reasons == ("rotted",)
    planned = services.timeline.of_deal(stale_deal.id).planned
    assert [a.title for a in planned] == ["约采购负责人面谈"]
    window.actions_.undo.trigger()
    assert services.deals.detail(stale_deal.id).fields.expected_close == \
        TODAY - dt.timedelta(days=2)
    assert services.timeline.of_deal(stale_deal.id).planned == ()
    assert services.deal_teams.team(stale_deal.id).notes == ()
    # as untouched as before: the undo took the review away with its note and step
    qtbot.waitUntil(lambda: page.model.rows[0].reasons == ("untouched", "overdue", "rotted"),
                    timeout=5000)


def test_the_forecast_shows_months_with_totals_and_a_drop_moves_the_close_date(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    this_month = TODAY.replace(day=1)
    card = make_deal(services, manager, title="下月签", value="1000")
    services.forecast.set_close_date(card.id, TODAY, expected_version=card.version,
                                     by=manager)
    make_deal(services, manager, title="没日期", value="500")
    page = show_page(qtbot, window, "forecast")
    assert isinstance(page, ForecastPage)
    assert page.columns[0].column.key == "past"
    assert page.columns[0].isHidden()  # nothing past due
    months = page.columns[1:]  # six months and no date
    heads = [column.header.text() for column in months]
    assert len(months) == 7
    assert "1 deal · $1,000" in heads[0]
    assert "weighted $100" in heads[0]
    assert "No close date" in heads[-1]
    assert "1 deal · $500" in heads[-1]
    first = months[0]
    dragged = first.model.column.cards[0]
    target = months[2]
    with qtbot.waitSignal(page.firstPainted, timeout=10000):
        drop(target.view, encode(dragged, first.column.key), QPoint(40, 10))
    moved = day_in_month(add_months(this_month, 2), TODAY)
    assert services.deals.detail(card.id).fields.expected_close == moved
    qtbot.waitUntil(lambda: [c.title for c in months[2].column.cards] == ["下月签"],
                    timeout=5000)
    assert "1 deal · $1,000" in months[2].header.text()
    window.actions_.undo.trigger()
    assert services.deals.detail(card.id).fields.expected_close == TODAY
    window.actions_.redo.trigger()
    assert services.deals.detail(card.id).fields.expected_close == moved
    qtbot.waitUntil(lambda: len(months[-1].column.cards) == 1, timeout=5000)
    undated = months[-1]
    assert undated.column.key == UNDATED
    nothing = undated.column.cards[0]
    drop(months[0].view, encode(nothing, UNDATED), QPoint(40, 10))
    last_day = (add_months(this_month, 1) - dt.timedelta(days=1))
    qtbot.waitUntil(lambda: services.deals.detail(nothing.deal_id).fields.expected_close
                    == last_day, timeout=5000)
    assert services.deals.detail(nothing.deal_id).fields.value == Decimal("500.00")


def test_the_deals_list_shows_mine_and_my_deal_teams(
        qtbot: QtBot, services: Services, db: Database, manager: Actor,
        window: MainWindow) -> None:
    li = colleague(db)
    mine = make_deal(services, manager, title="我的项目")
    on_team = make_deal(services, li, title="李工的项目")
    make_deal(services, li, title="李工的另一个项目")
    services.deal_teams.set_member(on_team.id, manager.id, DealRole.FINANCE, by=li)
    window.show_page("deals")
    page = window.pages["deals"]
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10000)
    owner = page.filters.owner
    owner.setCurrentIndex(owner.findText("Mine and my deal teams"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10000)
    shown = {page.model.deal_at(row).id for row in range(2)}
    assert shown == {mine.id, on_team.id}


def test_a_colleague_sees_the_deals_of_their_teams_to_review_but_only_the_owner_reviews(
        qtbot: QtBot, services: Services, db: Database, rep: Actor) -> None:
    from funneldesk.settings import Settings

    li = colleague(db)
    deal = make_deal(services, rep, title="需要技术支持的项目")
    services.deal_teams.set_member(deal.id, li.id, DealRole.TECH_SUPPORT, by=rep)
    stale(db, deal.id, 30)
    win = MainWindow(services, li, Settings())
    qtbot.addWidget(win)
    win.show()
    page = show_page(qtbot, win, "review")
    assert isinstance(page, ReviewPage)
    assert page.whose.currentText() == "Mine and my deal teams"
    assert [r.title for r in page.model.rows] == ["需要技术支持的项目"]
    page.table.selectRow(0)
    quick, on_track, open_deal = page.page_actions()[:3]
    assert (quick.isEnabled(), on_track.isEnabled(), open_deal.isEnabled()) == \
        (False, False, True)
    page.on_track()  # the keyboard or the palette can still ask: said, nothing saved
    assert db.query("SELECT count(*) FROM deal_reviews")[0][0] == 0


def test_a_colleague_on_the_team_plans_from_the_cards_menu_and_one_off_it_cannot(
        qtbot: QtBot, services: Services, db: Database, rep: Actor) -> None:
    from funneldesk.settings import Settings
    from funneldesk.ui.board.board_page import board_page

    li, outsider = colleague(db), colleague(db, "zhao", "赵六")
    deal = make_deal(services, rep, title="安装项目")
    services.deal_teams.set_member(deal.id, li.id, DealRole.TECH_SUPPORT, by=rep)
    enabled: list[bool] = []
    for who in (li, outsider):
        win = MainWindow(services, who, Settings())
        qtbot.addWidget(win)
        win.show()
        reload(qtbot, win)
        menu = board_page(win).card_menu(deal.id, deal.stage_id)
        assert menu is not None
        enabled += [a.isEnabled() for a in menu.actions()
                    if a.text() in ("Plan activity…", "Log activity…")]
    assert enabled == [True, True, False, False]


def test_the_past_due_column_takes_no_drop_and_a_deal_opened_from_the_forecast_survives_a_reread(
        qtbot: QtBot, services: Services, db: Database, manager: Actor,
        window: MainWindow) -> None:
    li = colleague(db)
    late = make_deal(services, manager, title="逾期的项目")
    services.forecast.set_close_date(late.id, TODAY - dt.timedelta(days=40), by=manager,
                                     expected_version=late.version, today=dt.date(2000, 1, 1))
    dated = make_deal(services, manager, title="下月的项目")
    later = day_in_month(add_months(TODAY.replace(day=1), 1), TODAY)
    services.forecast.set_close_date(dated.id, later, expected_version=dated.version,
                                     by=manager)
    page = show_page(qtbot, window, "forecast")
    assert isinstance(page, ForecastPage)
    past, first = page.columns[0], page.columns[1]
    assert past.column.key == "past"
    assert not past.view.acceptDrops()
    drop(past.view, encode(first.column.cards[0] if first.column.cards
                           else page.columns[2].column.cards[0], "x"), QPoint(40, 10))
    qtbot.wait(50)
    assert services.deals.detail(dated.id).fields.expected_close == later  # unchanged
    reads: list[int] = []

    def add_a_colleague(form: QWidget) -> None:
        assert isinstance(form, DealForm)
        tab = team_tab(form)
        tab.colleague.setCurrentIndex(tab.colleague.findData(li.id))
        with qtbot.waitSignal(page.firstPainted, timeout=10000):  # the board read again
            tab.add_button.click()
        reads.append(len(page.columns))
        form.reject()

    answer_next_dialog(add_a_colleague)
    rect = past.view.visualRect(past.model.index(0, 0))
    qtbot.mouseClick(past.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(past.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: bool(reads), timeout=10000)
    qtbot.wait(50)  # back from the form: the view that asked was replaced meanwhile
    assert services.deal_teams.team(late.id).members[0].user_id == li.id
