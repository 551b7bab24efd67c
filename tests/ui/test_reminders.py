"""Reminders in the real window, by a clock the test moves (never by sleeping): one that
fell due while FunnelDesk was not running shows at the start, the next one at its time;
Snooze puts one off until then; Mark done from the reminder asks for the next step."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from funneldesk.enums import ActivityKind, ActivityState
from funneldesk.services import Services
from funneldesk.services.activities.records import ActivityFields
from funneldesk.services.dto import Actor
from funneldesk.ui.activities.complete_dialog import CompleteDialog
from funneldesk.ui.activities.reminder_notifier import LONGEST_WAIT_MS, ReminderNotifier
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal

TODAY = dt.date.today()


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute)).astimezone()


def plan(services: Services, by: Actor, deal_id: int, title: str, day: dt.date,
         time: dt.time | None) -> int:
    return services.activities.plan(ActivityFields(
        ActivityKind.CALL, title, deal_id=deal_id, due_on=day, due_time=time),
        by=by).activity.id


def look(qtbot: QtBot, notifier: ReminderNotifier, now: dt.datetime) -> None:
    """Moves the clock to ``now`` and lets the timer fire, as it would then."""
    notifier.now = lambda: now
    answered = notifier.checked
    if notifier.started:
        notifier.timer.timeout.emit()
    else:
        notifier.start()
    qtbot.waitUntil(lambda: notifier.checked > answered, timeout=10000)


def listed(notifier: ReminderNotifier) -> list[str]:
    return [a.title for a in notifier.window.activities()]


def a_call_at_ten_listed(qtbot: QtBot, window: MainWindow, services: Services,
                         manager: Actor) -> tuple[int, ReminderNotifier]:
    """A call at ten on a deal, and the reminders window listing it at 10:01."""
    deal = make_deal(services, manager)
    call = plan(services, manager, deal.id, "回访", TODAY, dt.time(10))
    notifier = window.reminders
    look(qtbot, notifier, at(TODAY, 10, 1))
    assert listed(notifier) == ["回访"]
    return call, notifier


def test_a_reminder_missed_while_closed_shows_at_the_start_and_the_next_at_its_time(
        qtbot: QtBot, window: MainWindow, services: Services, manager: Actor) -> None:
    deal = make_deal(services, manager)
    plan(services, manager, deal.id, "昨天的回访", TODAY - dt.timedelta(days=1), dt.time(15))
    plan(services, manager, deal.id, "十点的电话", TODAY, dt.time(10))
    plan(services, manager, deal.id, "十点零八", TODAY, dt.time(10, 8))
    notifier = window.reminders
    look(qtbot, notifier, at(TODAY, 10, 5))
    assert listed(notifier) == ["昨天的回访", "十点的电话"]
    assert notifier.window.isVisible()
    # the next look is just after 10:08, not in a minute nor in five
    assert notifier.waiting_ms == 3 * 60_000 + 500
    # shown once: they are not said again at the next look
    assert services.reminders.due_now(manager.id, at(TODAY, 10, 6)) == []

    look(qtbot, notifier, at(TODAY, 10, 9))
    assert listed(notifier) == ["昨天的回访", "十点的电话", "十点零八"]
    assert notifier.waiting_ms == LONGEST_WAIT_MS  # none left: a look in 5 min


def test_snooze_puts_a_reminder_off_until_its_time_comes(
        qtbot: QtBot, window: MainWindow, services: Services, manager: Actor) -> None:
    call, notifier = a_call_at_ten_listed(qtbot, window, services, manager)
    notifier.window.view.setCurrentIndex(notifier.window.model.index(0, 0))
    menu = notifier.window.snooze_button.menu()
    next(a for a in menu.actions() if a.text() == "10 minutes").trigger()
    assert listed(notifier) == []
    assert not notifier.window.isVisible()  # nothing left to say
    assert notifier.waiting_ms == LONGEST_WAIT_MS  # a look in five minutes comes first
    look(qtbot, notifier, at(TODAY, 10, 5))  # not yet
    assert listed(notifier) == []
    look(qtbot, notifier, at(TODAY, 10, 12))
    assert listed(notifier) == ["回访"]
    assert services.activities.activity(call).state is ActivityState.PLANNED


def test_mark_done_from_a_reminder_asks_for_the_next_step(
        qtbot: QtBot, window: MainWindow, services: Services, manager: Actor) -> None:
    deal = make_deal(services, manager)
    call = plan(services, manager, deal.id, "回访", TODAY, None)  # all day: at nine
    notifier = window.reminders
    look(qtbot, notifier, at(TODAY, 8, 30))
    assert listed(notifier) == []
    assert notifier.waiting_ms == LONGEST_WAIT_MS  # nine is 30 minutes off
    look(qtbot, notifier, at(TODAY, 9, 1))
    assert listed(notifier) == ["回访"]
    notifier.window.view.setCurrentIndex(notifier.window.model.index(0, 0))
    notifier.window.done_button.click()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), CompleteDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, CompleteDialog)
    dialog.outcome.setPlainText("约好下周演示")
    dialog.title.setText("演示")
    dialog.accept()
    assert services.activities.activity(call).state is ActivityState.DONE
    assert services.deals.detail(deal.id).fields.next_step == "演示"
    assert listed(notifier) == []


def test_a_listed_reminder_done_elsewhere_leaves_the_window_at_the_next_look(
        qtbot: QtBot, window: MainWindow, services: Services, manager: Actor) -> None:
    call, notifier = a_call_at_ten_listed(qtbot, window, services, manager)
    done = services.activities.activity(call)  # another window marks it done
    services.activities.complete(call, "", expected_version=done.version, by=manager)
    look(qtbot, notifier, at(TODAY, 10, 2))
    assert listed(notifier) == []
    assert not notifier.window.isVisible()


def test_reminders_start_even_when_the_board_has_no_card_to_paint(
        qtbot: QtBot, window: MainWindow, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty board never says it painted: the reminders start after a while anyway
    (a company's call, no deal at all)."""
    from funneldesk.services.customers.records import CompanyFields
    from funneldesk.ui.shell import main_window

    company = services.customers.add_company(CompanyFields(name="星辰科技"), by=manager)
    services.activities.plan(ActivityFields(ActivityKind.CALL, "回访", company_id=company.id,
                                            due_on=TODAY - dt.timedelta(days=1)), by=manager)
    monkeypatch.setattr(main_window, "WARM_UP_FALLBACK_MS", 10)
    monkeypatch.setattr(main_window, "FIRST_REMINDERS_MS", 10)
    window.start_reminders()
    qtbot.waitUntil(lambda: window.reminders.checked > 0, timeout=10000)
    assert listed(window.reminders) == ["回访"]


def test_closing_the_reminders_window_keeps_what_it_lists_for_the_view_menu(
        qtbot: QtBot, window: MainWindow, services: Services, manager: Actor) -> None:
    _call, notifier = a_call_at_ten_listed(qtbot, window, services, manager)
    notifier.window.close()
    assert not notifier.window.isVisible()
    look(qtbot, notifier, at(TODAY, 10, 3))  # a look finds nothing new: still hidden
    assert not notifier.window.isVisible()
    shown = next(a for a in window.actions_.panes.actions() if a.text() == "Reminders")
    shown.trigger()
    assert notifier.window.isVisible()
    assert listed(notifier) == ["回访"]

