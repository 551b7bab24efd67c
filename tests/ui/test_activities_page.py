"""The Activities page in the real window: every activity, filtered by where it stands,
whose it is and any word typed; what the Today pane cannot reach (an activity a month out,
an undated one, a colleague's, a logged outcome) is edited, cancelled and undone here."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from funneldesk.enums import ActivityKind, ActivityState
from funneldesk.services import Services
from funneldesk.services.activities.activity_list import ActivityQuery, Showing
from funneldesk.services.activities.records import ActivityFields
from funneldesk.services.dto import Actor
from funneldesk.ui.activities.activity_dialog import ActivityDialog
from funneldesk.ui.activities.list_page import ActivitiesPage
from funneldesk.ui.common.paged_model import ROW_ROLE
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)


@pytest.fixture
def page(qtbot: QtBot, window: MainWindow, services: Services, manager: Actor,
         rep: Actor) -> ActivitiesPage:
    deal = make_deal(services, manager, title="仓储系统")
    plan = services.activities.plan
    plan(ActivityFields(ActivityKind.CALL, "下个月的回访", deal_id=deal.id,
                        due_on=TODAY + 30 * DAY), by=manager)
    plan(ActivityFields(ActivityKind.EMAIL, "Undated email", deal_id=deal.id), by=manager)
    plan(ActivityFields(ActivityKind.VISIT, "Overdue visit", deal_id=deal.id,
                        due_on=TODAY - 2 * DAY), by=manager)
    plan(ActivityFields(ActivityKind.DEMO, "The rep's demo", deal_id=deal.id,
                        due_on=TODAY + DAY, assignee_id=rep.id), by=manager)
    services.activities.log(ActivityFields(ActivityKind.CALL, "First call", deal_id=deal.id),
                            "Wants a quote", by=manager)
    window.show_page("activities")
    shown = window.current
    assert isinstance(shown, ActivitiesPage)
    qtbot.waitUntil(lambda: not shown.model.pending and shown.model.rowCount() > 0,
                    timeout=10000)
    return shown


def titles(page: ActivitiesPage) -> list[str]:
    model = page.model
    return [model.index(r, 2).data() for r in range(model.rowCount())]


def change_filters(qtbot: QtBot, page: ActivitiesPage, action: object) -> None:
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        action()  # type: ignore[operator]


def choose(page: ActivitiesPage, title: str) -> None:
    row = titles(page).index(title)
    page.table.setCurrentIndex(page.model.index(row, 0))


def edit_dialog(qtbot: QtBot, page: ActivitiesPage) -> ActivityDialog:
    """Edit on the current row, and the dialog it opens."""
    page.edit_action.trigger()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ActivityDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ActivityDialog)
    return dialog


def test_the_page_lists_my_planned_activities_and_the_filters_find_the_rest(
        qtbot: QtBot, page: ActivitiesPage) -> None:
    # mine and planned, by day (the undated last), the overdue day in red
    assert titles(page) == ["Overdue visit", "下个月的回访", "Undated email"]
    assert page.model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole).color().name() \
        == "#c0392b"
    assert page.model.index(2, 0).data() == "No day"
    assert page.model.index(1, 3).data() == "仓储系统"
    assert page.status_text() == "3 activities"
    assert not page.clear_action.isEnabled()

    change_filters(qtbot, page, lambda: page.whose.setCurrentIndex(1))  # everyone's
    assert "The rep's demo" in titles(page)
    change_filters(qtbot, page, lambda: page.showing.setCurrentIndex(
        page.showing.findData(Showing.DONE.value)))
    assert titles(page) == ["First call"]
    assert page.model.index(0, 6).data() == "Wants a quote"
    change_filters(qtbot, page, lambda: page.showing.setCurrentIndex(
        page.showing.findData(Showing.ALL.value)))
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        qtbot.keyClicks(page.text, "undated")  # read once, after the typing stops
    assert titles(page) == ["Undated email"]
    assert page.clear_action.isEnabled()

    change_filters(qtbot, page, lambda: page.text.setText("nothing like it"))
    assert titles(page) == []
    assert page.empty.isVisible()
    assert page.empty.text() == "No activity matches these filters."
    change_filters(qtbot, page, page.clear_action.trigger)
    assert titles(page) == ["Overdue visit", "下个月的回访", "Undated email"]
    assert not page.empty.isVisible()


def test_an_activity_a_month_out_is_edited_and_one_cancelled_comes_back_with_undo(
        qtbot: QtBot, page: ActivitiesPage, window: MainWindow, services: Services) -> None:
    choose(page, "下个月的回访")
    dialog = edit_dialog(qtbot, page)
    dialog.title.setText("下个月的拜访")
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        dialog.accept()
    assert titles(page)[1] == "下个月的拜访"

    choose(page, "Undated email")
    assert page.cancel_action.isEnabled()
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.cancel_action.trigger()
    assert "Undated email" not in titles(page)  # planned ones are listed
    cancelled = services.activity_list.page(ActivityQuery(Showing.CANCELLED), 0, 10)
    assert [a.title for a in cancelled] == ["Undated email"]
    assert cancelled[0].state is ActivityState.CANCELLED
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        window.undo_stack.undo()
    assert titles(page)[-1] == "Undated email"


def test_a_logged_outcome_is_edited_and_a_cancelled_one_cannot_be(
        qtbot: QtBot, page: ActivitiesPage, services: Services) -> None:
    change_filters(qtbot, page, lambda: page.showing.setCurrentIndex(
        page.showing.findData(Showing.DONE.value)))
    choose(page, "First call")
    assert page.edit_action.isEnabled()
    assert not page.done_action.isEnabled()  # done already
    assert not page.cancel_action.isEnabled()
    dialog = edit_dialog(qtbot, page)
    dialog.notes.setPlainText("Wants a quote for 20 seats")
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        dialog.accept()
    assert page.model.index(0, 6).data() == "Wants a quote for 20 seats"
    activity = page.model.index(0, 0).data(ROW_ROLE)
    assert services.activities.activity(activity.id).outcome == "Wants a quote for 20 seats"


def test_the_row_chosen_stays_chosen_and_a_cancelled_ones_place_goes_to_the_next(
        qtbot: QtBot, page: ActivitiesPage) -> None:
    choose(page, "下个月的回访")
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.reload()
    assert page.current() is not None
    assert page.current().title == "下个月的回访"  # type: ignore[union-attr]
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.cancel_action.trigger()
    assert titles(page) == ["Overdue visit", "Undated email"]
    assert page.current().title == "Undated email"  # type: ignore[union-attr]
    assert page.cancel_action.isEnabled()


def test_the_actions_follow_a_row_whose_page_arrives_after_it_became_current(
        qtbot: QtBot, page: ActivitiesPage, services: Services, manager: Actor) -> None:
    deal = make_deal(services, manager, title="Many calls")
    for n in range(450):
        services.activities.plan(ActivityFields(ActivityKind.CALL, f"Call {n:03d}",
                                                deal_id=deal.id, due_on=TODAY + 60 * DAY),
                                 by=manager)
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.reload()
    assert page.model.rowCount() == 453
    page.table.setCurrentIndex(page.model.index(420, 0))  # its page is not read yet
    qtbot.waitUntil(lambda: page.current() is not None, timeout=10000)
    assert page.done_action.isEnabled()
    assert page.cancel_action.isEnabled()


def test_ctrl_k_finds_an_activity_by_its_agenda_and_opens_it_in_its_dialog(
        qtbot: QtBot, window: MainWindow, services: Services, manager: Actor) -> None:
    deal = make_deal(services, manager, title="Line automation")
    services.activities.plan(ActivityFields(ActivityKind.VISIT, "Site survey",
                                            agenda="measure the loading bay", deal_id=deal.id,
                                            due_on=TODAY), by=manager)
    palette = window.open_search()
    qtbot.waitExposed(palette)
    palette.edit.setText("loading bay")
    hits = [palette.model.row_at(r) for r in range(palette.model.rowCount())]
    row = next(r for r, h in enumerate(hits) if h is not None and h.hit is not None
               and h.hit.kind == "activity")
    assert hits[row].title == "Site survey"  # type: ignore[union-attr]
    palette.view.setCurrentIndex(palette.model.index(row, 0))
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ActivityDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ActivityDialog)
    assert dialog.title.text() == "Site survey"
    dialog.reject()
