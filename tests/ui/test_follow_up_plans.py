"""Follow-up plans in the window: a deal's plan typed in its form's tab and saved with it
(undo takes it back, a bad budget saves nothing); a drop into a stage that proposes
activities offers them above the board, planned with one click and taken back with one
undo; Mark done offers the next activity as the plan's cadence says; a manager keeps
what each stage proposes in the pipeline editor."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from PySide6.QtCore import QPoint, Qt, QThreadPool
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from funneldesk.enums import ActivityKind
from funneldesk.services import Services
from funneldesk.services.activities.plan_records import PlanFields, PlanStep
from funneldesk.services.activities.records import ActivityFields, ActivityResult
from funneldesk.services.dto import Actor, Card
from funneldesk.ui.activities.completing import ask_done
from funneldesk.ui.activities.proposal_bar import ProposalDialog
from funneldesk.ui.activities.stage_steps import StepDialog
from funneldesk.ui.admin.pipeline_editor import PipelineEditor
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.board.card_model import encode_mime
from funneldesk.ui.board.deal_form import DealForm
from funneldesk.ui.board.missing_criteria import MissingCriteriaDialog
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal, stage, tick_all
from tests.ui.conftest import answer_next_dialog, drop, reload

VISIT = ActivityKind.VISIT


def planned(services: Services, deal_id: int) -> list[tuple[str, str, dt.date | None]]:
    return [(a.kind.value, a.title, a.due_on)
            for a in services.timeline.of_deal(deal_id).planned]


def ready_to_leave_initial_contact(qtbot: QtBot, services: Services, manager: Actor,
                                   window: MainWindow) -> Card:
    """A new deal on the board whose first stage's exit criteria are ticked."""
    card = make_deal(services, manager)
    tick_all(services, manager, card.id, "Initial contact")
    reload(qtbot, window)
    return card


def drop_card(window: MainWindow, deal_id: int, stage_id: int) -> None:
    page = board_page(window)
    card = page.board.find_card(deal_id)
    assert card is not None
    drop(page.board.columns[stage_id].view, encode_mime(card), QPoint(40, 10))


def test_the_plan_typed_in_the_deal_form_saves_with_it_and_undo_takes_it_back(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = make_deal(services, manager)
    reload(qtbot, window)

    def type_plan(form: DealForm) -> None:
        tab = form.plan_tab
        assert tab is not None
        assert not tab.every_days.isEnabled()  # no cadence chosen yet
        tab.every_kind.setCurrentIndex(tab.every_kind.findData(VISIT.value))
        assert tab.every_days.isEnabled()
        tab.every_days.setValue(10)
        tab.goal.setText("拿到采购意向书")
        tab.people.setText("技术支持 李工")
        tab.budget.setText("3,000")
        form.accept()

    answer_next_dialog(type_plan)
    window.editor.open(card.id)
    plan = services.follow_ups.plan(card.id)
    assert plan.fields == PlanFields(VISIT, 10, goal="拿到采购意向书", people="技术支持 李工",
                                     budget=Decimal("3000"))
    assert services.deals.detail(card.id).version == card.version  # the deal is unchanged
    window.actions_.undo.trigger()
    assert services.follow_ups.plan(card.id).fields.empty
    window.actions_.redo.trigger()
    assert services.follow_ups.plan(card.id).fields.goal == "拿到采购意向书"


def test_a_budget_that_is_no_amount_is_said_under_it_and_nothing_is_saved(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = make_deal(services, manager)
    reload(qtbot, window)
    seen: list[str] = []

    def type_bad_budget(form: DealForm) -> None:
        tab = form.plan_tab
        assert tab is not None
        form.title.setText("Warehouse system, phase 2")
        tab.goal.setText("拿到意向书")
        tab.budget.setText("三千")
        form.accept()
        seen.append(tab.errors["budget"].text())
        seen.append("current" if form.tabs.currentWidget() is tab else "other")
        form.reject()  # the test's forms discard their edits

    answer_next_dialog(type_bad_budget)
    window.editor.open(card.id)
    assert seen == ["“三千” is not an amount.", "current"]
    assert services.deals.detail(card.id).fields.title == "Warehouse system"
    assert services.follow_ups.plan(card.id).version is None


def test_a_drop_into_a_stage_that_proposes_activities_offers_them_and_one_undo_takes_them_back(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = ready_to_leave_initial_contact(qtbot, services, manager, window)
    page = board_page(window)
    assert page.proposals.isHidden()
    drop_card(window, card.id, stage(services, "Needs analysis").id)
    qtbot.waitUntil(page.proposals.isVisible)  # read off the GUI thread, after the paint
    assert page.proposals.text() == (
        "“Warehouse system” entered “Needs analysis”, which proposes: Call within 2 days: "
        "Confirm the budget and who decides; Visit within 7 days: On-site needs analysis.")
    qtbot.mouseClick(page.proposals.plan_button, Qt.MouseButton.LeftButton)
    today = dt.date.today()
    assert planned(services, card.id) == [
        ("call", "Confirm the budget and who decides", today + dt.timedelta(days=2)),
        ("visit", "On-site needs analysis", today + dt.timedelta(days=7))]
    assert page.proposals.isHidden()
    shown = page.board.find_card(card.id)
    assert shown is not None
    assert shown.next_step == "Confirm the budget and who decides"  # the card shows it
    window.actions_.undo.trigger()
    assert planned(services, card.id) == []
    assert services.deals.detail(card.id).stage_name == "Needs analysis"  # the move stays


def test_choosing_plans_only_what_is_ticked_on_the_day_given(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = make_deal(services, manager)
    services.follow_ups.set_stage_steps(
        stage(services, "Proposal").id,
        [PlanStep(ActivityKind.EMAIL, "发送方案", 1), PlanStep(ActivityKind.CALL, "讲解方案", 3)],
        by=manager)
    tick_all(services, manager, card.id, "Initial contact", "Needs analysis")
    reload(qtbot, window)
    page = board_page(window)
    # Proposal needs its entry criterion: the dialog ticks it, then the stage proposes
    def tick_and_move(dialog: MissingCriteriaDialog) -> None:
        for box, _ident in dialog.boxes:
            box.setChecked(True)
        dialog.move_button.click()

    answer_next_dialog(tick_and_move)
    drop_card(window, card.id, stage(services, "Proposal").id)
    assert services.deals.detail(card.id).stage_name == "Proposal"
    qtbot.waitUntil(page.proposals.isVisible)
    day = dt.date.today() + dt.timedelta(days=5)

    def second_only(dialog: ProposalDialog) -> None:
        (first, _d1, _f1), (_second, date, _f2) = dialog.rows
        first.setChecked(False)
        date.set_value(day)
        dialog.accept()

    answer_next_dialog(second_only)
    qtbot.mouseClick(page.proposals.choose_button, Qt.MouseButton.LeftButton)
    assert planned(services, card.id) == [("call", "讲解方案", day)]


def test_mark_done_offers_the_next_activity_as_the_plan_says(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = make_deal(services, manager)
    services.follow_ups.save_plan(card.id, PlanFields(VISIT, 14, agenda="带上样品"),
                                  expected_version=None, by=manager)
    today = dt.date(2026, 12, 1)
    visit = services.activities.plan(ActivityFields(VISIT, "拜访", deal_id=card.id,
                                                    due_on=today), by=manager).activity
    dialog = ask_done(window.workspace, visit, today)
    assert dialog.kind.currentData() == "visit"
    assert dialog.day.value() == dt.date(2026, 12, 15)
    assert dialog.findChild(QWidget, "by-plan").text() == (  # type: ignore[union-attr]
        "As the follow-up plan says: Visit every 14 days.")
    dialog.accept()
    planned = services.timeline.of_deal(card.id).planned
    assert [(a.kind, a.due_on, a.agenda) for a in planned] == [
        (VISIT, dt.date(2026, 12, 15), "带上样品")]
    call = services.activities.plan(ActivityFields(ActivityKind.CALL, "电话", deal_id=card.id,
                                                   due_on=today), by=manager).activity
    other = ask_done(window.workspace, call, today)  # not the cadence's kind: a week on
    assert (other.kind.currentData(), other.day.value()) == ("call", dt.date(2026, 12, 8))
    assert other.findChild(QWidget, "by-plan") is None
    other.reject()


def test_a_plan_changed_meanwhile_leaves_the_deal_unsaved_too_and_the_form_open(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = make_deal(services, manager)
    reload(qtbot, window)
    seen: list[str] = []

    def edit_both(form: DealForm) -> None:
        tab = form.plan_tab
        assert tab is not None
        # another window saves a plan while this form is open
        services.follow_ups.save_plan(card.id, PlanFields(goal="别人写的"),
                                      expected_version=None, by=manager)
        form.title.setText("Warehouse system, phase 2")
        tab.goal.setText("我的目标")
        form.accept()
        seen.append(form.error.text())
        seen.append("open" if form.isVisible() else "closed")
        form.reject()

    answer_next_dialog(edit_both)
    window.editor.open(card.id)
    assert seen[0].startswith("This record was changed by manager at")
    assert seen[1] == "open"
    assert services.deals.detail(card.id).fields.title == "Warehouse system"  # not saved
    assert services.follow_ups.plan(card.id).fields.goal == "别人写的"


def test_undoing_planned_proposals_after_an_edit_of_one_was_undone_takes_them_back(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        warnings_shown: list[str]) -> None:
    card = make_deal(services, manager)
    reload(qtbot, window)
    page = board_page(window)
    page.offer_proposals(card.id)
    qtbot.waitUntil(page.proposals.isVisible)
    qtbot.mouseClick(page.proposals.plan_button, Qt.MouseButton.LeftButton)
    (planned,) = services.timeline.of_deal(card.id).planned
    edited = replace(planned.fields(), title="改过的")
    runner = window.runner

    def own(r: ActivityResult) -> int:  # as the activity dialog's Edit carries it
        return runner.own_version(("activity", r.activity.id), r.activity.version)

    runner.run("edit", lambda: services.activities.update(
        planned.id, edited, expected_version=planned.version, by=manager),
        undo=lambda r: services.activities.update(
            r.activity.id, planned.fields(), expected_version=own(r), by=manager),
        redo=lambda r: services.activities.update(
            r.activity.id, edited, expected_version=own(r), by=manager),
        versions=lambda r: [(("activity", r.activity.id), r.activity.version)])
    window.actions_.undo.trigger()  # the edit
    window.actions_.undo.trigger()  # the planning
    assert warnings_shown == []
    assert services.timeline.of_deal(card.id).planned == ()
    window.actions_.redo.trigger()  # the same activity back, so that the edit finds it
    window.actions_.redo.trigger()
    (again,) = services.timeline.of_deal(card.id).planned
    assert (again.id, again.title) == (planned.id, "改过的")


def test_the_bar_goes_when_the_move_it_offered_for_is_undone(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = ready_to_leave_initial_contact(qtbot, services, manager, window)
    page = board_page(window)
    drop_card(window, card.id, stage(services, "Needs analysis").id)
    qtbot.waitUntil(page.proposals.isVisible)  # read off the GUI thread, after the paint
    window.actions_.undo.trigger()
    assert page.proposals.isHidden()
    assert services.timeline.of_deal(card.id).planned == ()


def test_a_move_undone_before_its_proposals_were_read_offers_nothing(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = ready_to_leave_initial_contact(qtbot, services, manager, window)
    page = board_page(window)
    drop_card(window, card.id, stage(services, "Needs analysis").id)
    window.actions_.undo.trigger()  # before the offer's read has come back
    QThreadPool.globalInstance().waitForDone()
    qtbot.wait(50)  # the read's answer is delivered, and dropped
    assert page.proposals.isHidden()
    assert services.deals.detail(card.id).stage_name == "Initial contact"


def test_a_manager_adds_and_removes_what_a_stage_proposes(
        qtbot: QtBot, services: Services, manager: Actor) -> None:
    contract = stage(services, "Contract")
    editor = PipelineEditor(services, manager, contract.pipeline_id)
    qtbot.addWidget(editor)
    row = next(i for i, s in enumerate(editor.pipeline.stages)  # type: ignore[union-attr]
               if s.id == contract.id)
    editor.stage_view.setCurrentIndex(editor.stages.index(row, 0))
    steps = editor.steps
    assert steps.model.rowCount() == 1  # the default: check the review and seal

    def add_visit(dialog: StepDialog) -> None:
        dialog.kind.setCurrentIndex(dialog.kind.findData("visit"))
        dialog.title.setText("上门盖章")
        dialog.within.setValue(3)
        dialog.accept()

    answer_next_dialog(add_visit)
    qtbot.mouseClick(steps.add_button, Qt.MouseButton.LeftButton)
    assert services.follow_ups.stage_steps(contract.id)[-1] == PlanStep(VISIT, "上门盖章", 3)
    assert steps.model.item(1).text() == "Visit within 3 days: 上门盖章"
    assert editor.changed
    steps.view.setCurrentIndex(steps.model.index(0, 0))
    qtbot.mouseClick(steps.remove_button, Qt.MouseButton.LeftButton)
    assert services.follow_ups.stage_steps(contract.id) == [PlanStep(VISIT, "上门盖章", 3)]
    won = next(i for i, s in enumerate(editor.pipeline.stages)  # type: ignore[union-attr]
               if s.name == "Won")
    editor.stage_view.setCurrentIndex(editor.stages.index(won, 0))
    assert not steps.add_button.isEnabled()
    assert steps.note.text() == "Closed stages propose nothing."
