"""The Today pane in the real window: the current user's overdue, today's and next 7 days'
activities by a clock the test sets; Mark done asks for the outcome and the next activity,
refuses a bad time beside its field, and is undone as one step."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from funneldesk.enums import ActivityKind, ActivityState
from funneldesk.errors import NotFound
from funneldesk.services import Services
from funneldesk.services.activities.records import ActivityFields
from funneldesk.services.dto import Actor, ChangeSet
from funneldesk.ui.activities.complete_dialog import CompleteDialog
from funneldesk.ui.activities.today_model import ActivityRole
from funneldesk.ui.activities.today_pane import TodayPane
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute)).astimezone()


@pytest.fixture
def pane(qtbot: QtBot, window: MainWindow) -> TodayPane:
    built = window.docks.build("today")
    assert isinstance(built, TodayPane)
    window.docks.docks["today"].show()
    built.now = lambda: local(TODAY, 12)  # noon, whenever the test runs
    reload(qtbot, built)
    return built


def reload(qtbot: QtBot, pane: TodayPane) -> None:
    with qtbot.waitSignal(pane.loaded, timeout=10000):
        pane.reload()


def shown(pane: TodayPane) -> list[str]:
    """The rows as the pane lists them: headings, and each activity's title."""
    model = pane.model
    rows = []
    for r in range(model.rowCount()):
        activity = model.index(r).data(ActivityRole)
        rows.append(activity.title if activity is not None else str(model.index(r).data()))
    return rows


def plan(services: Services, by: Actor, deal_id: int, title: str, day: dt.date,
         time: dt.time | None = None, assignee_id: int | None = None) -> int:
    return services.activities.plan(ActivityFields(
        ActivityKind.CALL, title, deal_id=deal_id, due_on=day, due_time=time,
        assignee_id=assignee_id), by=by).activity.id


def test_the_pane_lists_the_users_overdue_todays_and_next_weeks_activities(
        qtbot: QtBot, pane: TodayPane, services: Services, manager: Actor,
        rep: Actor) -> None:
    deal = make_deal(services, manager)
    plan(services, manager, deal.id, "this morning", TODAY, dt.time(9))
    plan(services, manager, deal.id, "last week", TODAY - 7 * DAY)
    plan(services, manager, deal.id, "this afternoon", TODAY, dt.time(15))
    plan(services, manager, deal.id, "all day", TODAY)
    plan(services, manager, deal.id, "in three days", TODAY + 3 * DAY)
    plan(services, manager, deal.id, "next month", TODAY + 30 * DAY)
    plan(services, manager, deal.id, "the rep's", TODAY, assignee_id=rep.id)

    pane.workspace.runner.changed.emit(ChangeSet(activity_ids=frozenset({1})), None)
    qtbot.waitUntil(lambda: len(shown(pane)) > 3, timeout=10000)

    assert shown(pane) == ["Overdue (2)", "last week", "this morning",
                           "Today (2)", "this afternoon", "all day",
                           "Next 7 days (1)", "in three days"]
    assert not pane.empty.isVisible()
    pane.now = lambda: local(TODAY, 15, 1)  # the afternoon call is now late too
    reload(qtbot, pane)
    assert shown(pane)[:4] == ["Overdue (3)", "last week", "this morning", "this afternoon"]


def test_an_empty_week_says_so(pane: TodayPane) -> None:
    assert shown(pane) == ["Overdue (0)", "Today (0)", "Next 7 days (0)"]
    assert pane.empty.isVisible()
    assert not pane.done_button.isEnabled()


def choose(pane: TodayPane, title: str) -> None:
    for r in range(pane.model.rowCount()):
        activity = pane.model.index(r).data(ActivityRole)
        if activity is not None and activity.title == title:
            pane.view.setCurrentIndex(pane.model.index(r))
            return
    raise AssertionError(f"{title} is not listed")


def open_dialog(qtbot: QtBot, pane: TodayPane) -> CompleteDialog:
    qtbot.mouseClick(pane.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), CompleteDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, CompleteDialog)
    return dialog


def test_marking_done_plans_the_next_one_and_undo_takes_both_back(
        qtbot: QtBot, pane: TodayPane, window: MainWindow, services: Services,
        manager: Actor) -> None:
    deal = make_deal(services, manager)
    call = plan(services, manager, deal.id, "回访", TODAY)
    reload(qtbot, pane)
    choose(pane, "回访")
    dialog = open_dialog(qtbot, pane)
    assert dialog.next_box.isChecked()  # on a deal, the next step is asked for
    dialog.outcome.setPlainText("客户同意试用")  # QTest types Latin-1 keys only
    dialog.title.setText("试用回访")
    dialog.day.set_value(TODAY + 2 * DAY)
    qtbot.keyClicks(dialog.time, "25:00")
    dialog.accept()

    assert dialog.isVisible()  # refused beside the field, nothing saved
    assert dialog.errors["time"].isVisible()
    assert "not a time of day" in dialog.errors["time"].text()
    assert services.activities.activity(call).state is ActivityState.PLANNED

    dialog.time.clear()
    qtbot.keyClicks(dialog.time, "10:30")
    assert not dialog.errors["time"].isVisible()  # edited: the message spoke of 25:00
    with qtbot.waitSignal(pane.loaded, timeout=10000):
        dialog.accept()

    done = services.activities.activity(call)
    assert (done.state, done.outcome) == (ActivityState.DONE, "客户同意试用")
    assert shown(pane) == ["Overdue (0)", "Today (0)", "Next 7 days (1)", "试用回访"]
    following = pane.model.index(3).data(ActivityRole)
    assert following.due_at == local(TODAY + 2 * DAY, 10, 30)
    assert services.deals.detail(deal.id).fields.next_step == "试用回访"  # the card's

    with qtbot.waitSignal(pane.loaded, timeout=10000):
        window.undo_stack.undo()
    reopened = services.activities.activity(call)
    assert (reopened.state, reopened.outcome) == (ActivityState.PLANNED, "")  # as before
    with pytest.raises(NotFound):  # the next one it planned is gone, not left cancelled
        services.activities.activity(following.id)
    assert shown(pane) == ["Overdue (0)", "Today (1)", "回访", "Next 7 days (0)"]
    with qtbot.waitSignal(pane.loaded, timeout=10000):
        window.undo_stack.redo()
    assert services.activities.activity(call).state is ActivityState.DONE
    assert shown(pane)[-1] == "试用回访"


def test_a_database_that_cannot_be_read_is_said_in_the_pane_not_in_boxes(
        qtbot: QtBot, pane: TodayPane, services: Services,
        monkeypatch: pytest.MonkeyPatch, warnings_shown: list[str]) -> None:
    from funneldesk.errors import DatabaseBusy

    def busy(*_args: object, **_kwargs: object) -> object:
        raise DatabaseBusy(services.location())

    monkeypatch.setattr(services.reminders, "reminders", busy)
    pane.reload()
    qtbot.waitUntil(pane.problem.isVisible)
    assert pane.problem.text() == DatabaseBusy(services.location()).message()
    assert warnings_shown == []  # no box
    assert pane.timer.isActive()  # it tries again each minute
    monkeypatch.undo()
    reload(qtbot, pane)
    assert not pane.problem.isVisible()
