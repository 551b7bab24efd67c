"""Planning, logging and editing activities in the real window: from a card's menu, the
Customers page and the Today pane; a bad time or day is refused beside its field with
nothing saved; each step is undone as one."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from funneldesk.enums import ActivityKind, ActivityState
from funneldesk.errors import NotFound
from funneldesk.services import Services
from funneldesk.services.activities.records import ActivityFields
from funneldesk.services.customers.records import CompanyFields, ContactFields
from funneldesk.services.dto import Actor
from funneldesk.ui.activities.activity_dialog import ActivityDialog
from funneldesk.ui.activities.today_pane import TodayPane
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.board.card_model import StepStateRole
from funneldesk.ui.customers.page import CustomersPage
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal
from tests.ui.conftest import reload

TODAY = dt.date.today()


def dialog_opened(qtbot: QtBot) -> ActivityDialog:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ActivityDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ActivityDialog)
    return dialog


def step_state(window: MainWindow, deal_id: int) -> str:
    board = board_page(window).board
    for column in board.columns.values():
        row = column.model.row_of(deal_id)
        if row >= 0:
            return str(column.model.index(row, 0).data(StepStateRole))
    raise AssertionError(f"deal {deal_id} is on no column")


def test_an_activity_planned_from_a_cards_menu_is_its_next_step_and_undo_takes_it_away(
        qtbot: QtBot, window: MainWindow, services: Services, manager: Actor) -> None:
    deal = make_deal(services, manager, title="仓储系统")
    reload(qtbot, window)
    assert step_state(window, deal.id) == "none"
    page = board_page(window)
    menu = page.card_menu(deal.id, deal.stage_id)
    assert menu is not None
    next(a for a in menu.actions() if a.text() == "Plan activity…").trigger()
    dialog = dialog_opened(qtbot)
    assert "仓储系统" in dialog.target.label
    assert dialog.day.value() == TODAY  # a new one is for today unless changed
    dialog.kind.setCurrentIndex(dialog.kind.findData(ActivityKind.VISIT.value))
    dialog.title.setText("现场演示")
    qtbot.keyClicks(dialog.time, "9:75")
    dialog.accept()
    assert dialog.isVisible()  # refused beside the field, nothing saved
    assert "not a time of day" in dialog.errors["time"].text()
    assert services.deals.detail(deal.id).fields.next_step == ""

    dialog.time.clear()
    qtbot.keyClicks(dialog.time, "10:30")
    assert not dialog.errors["time"].isVisible()
    dialog.day.set_value(None)
    dialog.accept()
    assert dialog.isVisible()
    assert "day as well as the time" in dialog.errors["due_on"].text()

    dialog.day.set_value(TODAY)
    dialog.notes.setPlainText("带样机")
    dialog.accept()
    assert not dialog.isVisible()
    planned = services.activities.activity(dialog.result_.activity.id)  # type: ignore[union-attr]
    assert (planned.kind, planned.title, planned.agenda, planned.assignee_id) == (
        ActivityKind.VISIT, "现场演示", "带样机", manager.id)
    assert planned.due_at == dt.datetime.combine(TODAY, dt.time(10, 30)).astimezone()
    qtbot.waitUntil(lambda: step_state(window, deal.id) == "today", timeout=10000)

    window.undo_stack.undo()
    with pytest.raises(NotFound):  # gone, not left cancelled
        services.activities.activity(planned.id)
    qtbot.waitUntil(lambda: step_state(window, deal.id) == "none", timeout=10000)
    window.undo_stack.redo()
    assert services.deals.detail(deal.id).fields.next_step == "现场演示"


def test_a_call_just_made_is_logged_on_a_contact_and_shows_on_its_company(
        qtbot: QtBot, window: MainWindow, services: Services, manager: Actor) -> None:
    company = services.customers.add_company(CompanyFields(name="星辰科技"), by=manager)
    services.customers.add_contact(ContactFields(name="张伟", company_id=company.id),
                                   by=manager)
    page = window.page("customers")
    assert isinstance(page, CustomersPage)
    window.show_page("customers")
    page.contacts_action.trigger()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10000)
    page.table.selectRow(0)
    assert page.log_action.isEnabled()
    page.log_action.trigger()
    dialog = dialog_opened(qtbot)
    assert dialog.target.label == "Contact: 张伟"
    dialog.title.setText("电话沟通")
    dialog.day.set_value(TODAY + dt.timedelta(days=1))
    dialog.accept()
    assert "day to come" in dialog.errors["due_on"].text()  # done, so not tomorrow

    dialog.day.set_value(TODAY)
    dialog.notes.setPlainText("客户要报价")
    dialog.accept()
    assert not dialog.isVisible()
    listed = services.activities.of_customer("company", company.id)
    assert [(a.title, a.state, a.outcome, a.contact) for a in listed] == [
        ("电话沟通", ActivityState.DONE, "客户要报价", "张伟")]


def test_the_today_pane_edits_an_activity_and_undo_puts_it_back(
        qtbot: QtBot, window: MainWindow, services: Services, manager: Actor,
        rep: Actor) -> None:
    deal = make_deal(services, manager)
    call = services.activities.plan(ActivityFields(
        ActivityKind.CALL, "回访", "问预算", deal_id=deal.id, due_on=TODAY), by=manager).activity
    pane = window.docks.build("today")
    assert isinstance(pane, TodayPane)
    window.docks.docks["today"].show()
    with qtbot.waitSignal(pane.loaded, timeout=10000):
        pane.reload()
    row = pane.model.row_of(call.id)
    assert row is not None
    pane.view.setCurrentIndex(pane.model.index(row))
    assert pane.edit_button.isEnabled()
    pane.edit_button.click()
    dialog = dialog_opened(qtbot)
    assert (dialog.title.text(), dialog.notes.toPlainText(), dialog.day.value()) == (
        "回访", "问预算", TODAY)
    dialog.assignee.setCurrentIndex(dialog.assignee.findData(rep.id))
    dialog.day.set_value(TODAY + dt.timedelta(days=2))
    with qtbot.waitSignal(pane.loaded, timeout=10000):
        dialog.accept()
    moved = services.activities.activity(call.id)
    assert (moved.assignee_id, moved.due_on, moved.agenda) == (
        rep.id, TODAY + dt.timedelta(days=2), "问预算")
    assert pane.model.row_of(call.id) is None  # the rep's now, not in the manager's pane

    with qtbot.waitSignal(pane.loaded, timeout=10000):
        window.undo_stack.undo()
    back = services.activities.activity(call.id)
    assert (back.assignee_id, back.due_on) == (manager.id, TODAY)
    assert pane.model.row_of(call.id) is not None


def test_plan_then_edit_undo_both_and_redo_both_keep_one_activity(
        qtbot: QtBot, window: MainWindow, services: Services, manager: Actor,
        warnings_shown: list[str]) -> None:
    """Undo follows the versions this window's own steps left, and Redo of a Plan takes
    the same activity again, so that the Edit redone after it still finds it."""
    from funneldesk.ui.activities.activity_dialog import Target

    deal = make_deal(services, manager, title="仓储系统")
    plan = ActivityDialog(window.workspace, "plan", target=Target("仓储系统", deal_id=deal.id))
    plan.title.setText("初访")
    plan.accept()
    planned = plan.result_
    assert planned is not None
    edit = ActivityDialog(window.workspace, "edit", activity=planned.activity)
    edit.title.setText("现场初访")
    edit.accept()
    assert services.activities.activity(planned.activity.id).title == "现场初访"

    window.undo_stack.undo()  # the edit
    assert services.activities.activity(planned.activity.id).title == "初访"
    window.undo_stack.undo()  # the plan: not refused as changed since
    with pytest.raises(NotFound):
        services.activities.activity(planned.activity.id)
    window.undo_stack.redo()
    window.undo_stack.redo()
    again = services.activities.activity(planned.activity.id)  # the same one
    assert (again.title, again.state) == ("现场初访", ActivityState.PLANNED)
    assert window.undo_stack.index() == 2  # neither step was dropped
    assert warnings_shown == []
