"""Follow-up plans and what entering a stage proposes, as the services keep them: a plan
saved, cleared and refused; its cadence counted from the activities done; the steps a
manager keeps per stage turned into activities due from the day the deal entered it."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest

from funneldesk.enums import ActivityKind, ActivityState
from funneldesk.errors import InvalidInput, NotAllowed, StaleEdit
from funneldesk.services import Services
from funneldesk.services.activities.plan_records import PlanFields, PlanStep
from funneldesk.services.activities.records import ActivityFields
from funneldesk.services.dto import Actor
from tests.helpers import make_deal, stage, tick_all

VISIT, CALL = ActivityKind.VISIT, ActivityKind.CALL
TODAY = dt.date(2026, 12, 1)
PLAN = PlanFields(VISIT, 14, agenda="演示新版本\n带上报价", goal="拿到采购意向书",
                  people="技术支持 李工", budget=Decimal("3000"))


def test_a_plan_is_saved_changed_and_cleared_keeping_what_it_was(
        services: Services, manager: Actor) -> None:
    deal = make_deal(services, manager)
    empty = services.follow_ups.plan(deal.id)
    assert (empty.fields, empty.version, empty.currency) == (PlanFields(), None, "USD")
    saved = services.follow_ups.save_plan(deal.id, PLAN, expected_version=None, by=manager)
    assert saved.previous == PlanFields()
    assert saved.plan.fields == PLAN
    assert saved.plan.version == 1
    assert saved.changes.deal_ids == {deal.id}
    shorter = services.follow_ups.save_plan(
        deal.id, PlanFields(VISIT, 7, goal="  拿到采购意向书  "), expected_version=1, by=manager)
    assert shorter.previous == PLAN
    assert shorter.plan.fields == PlanFields(VISIT, 7, goal="拿到采购意向书")
    cleared = services.follow_ups.save_plan(deal.id, PlanFields(), expected_version=2,
                                            by=manager)
    assert cleared.plan.fields.empty
    assert cleared.plan.version == 3
    assert services.follow_ups.plan(deal.id).fields.empty


@pytest.mark.parametrize(("fields", "field"), [
    (PlanFields(VISIT, None), "every_days"),
    (PlanFields(None, 14), "every_kind"),
    (PlanFields(VISIT, 0), "every_days"),
    (PlanFields(VISIT, 366), "every_days"),
    (PlanFields(budget=Decimal("-1")), "budget"),
    (PlanFields(budget=Decimal("1.005")), "budget"),
    (PlanFields(goal="x" * 2001), "goal"),
])
def test_a_bad_plan_is_refused_naming_its_field_and_nothing_is_saved(
        services: Services, manager: Actor, fields: PlanFields, field: str) -> None:
    deal = make_deal(services, manager)
    services.follow_ups.save_plan(deal.id, PLAN, expected_version=None, by=manager)
    with pytest.raises(InvalidInput) as refused:
        services.follow_ups.save_plan(deal.id, fields, expected_version=1, by=manager)
    assert refused.value.field == field
    assert services.follow_ups.plan(deal.id).fields == PLAN


def test_a_plan_changed_meanwhile_or_of_another_reps_deal_is_refused(
        services: Services, manager: Actor, rep: Actor) -> None:
    deal = make_deal(services, manager)
    with pytest.raises(NotAllowed):
        services.follow_ups.save_plan(deal.id, PLAN, expected_version=None, by=rep)
    services.follow_ups.save_plan(deal.id, PLAN, expected_version=None, by=manager)
    # a second window that saw no plan yet, and one that saw version 1 after it changed
    with pytest.raises(StaleEdit):
        services.follow_ups.save_plan(deal.id, PlanFields(goal="x"), expected_version=None,
                                      by=manager)
    services.follow_ups.save_plan(deal.id, PlanFields(goal="y"), expected_version=1,
                                  by=manager)
    with pytest.raises(StaleEdit):
        services.follow_ups.save_plan(deal.id, PlanFields(goal="z"), expected_version=1,
                                      by=manager)
    assert services.follow_ups.plan(deal.id).fields.goal == "y"


def test_the_cadence_runs_from_the_day_the_last_one_was_done_and_says_when_none_is_planned(
        services: Services, manager: Actor) -> None:
    deal = make_deal(services, manager)
    services.follow_ups.save_plan(deal.id, PLAN, expected_version=None, by=manager)
    today = dt.date.today()
    # none done yet: from the day the cadence was set, which an edit of the goal keeps
    services.follow_ups.save_plan(deal.id, PlanFields(VISIT, 14, goal="改了目标"),
                                  expected_version=1, by=manager)
    cadence = services.follow_ups.plan(deal.id).cadence
    assert cadence is not None
    assert (cadence.last_done, cadence.due) == (None, today + dt.timedelta(days=14))
    # a visit planned for 20 days ago, done only now: the cadence runs from today
    late = services.activities.plan(ActivityFields(
        VISIT, "拜访", deal_id=deal.id, due_on=today - dt.timedelta(days=20)), by=manager)
    services.activities.complete(late.activity.id, "ok", expected_version=1, by=manager)
    services.activities.log(ActivityFields(CALL, "电话", deal_id=deal.id), "ok", by=manager)
    cadence = services.follow_ups.plan(deal.id).cadence
    assert cadence is not None
    assert (cadence.last_done, cadence.due) == (today, today + dt.timedelta(days=14))
    assert not cadence.late(today)
    # later, with none planned, it is late; one planned after the day it was due still is
    assert cadence.late(today + dt.timedelta(days=15))
    services.activities.plan(ActivityFields(VISIT, "回访", deal_id=deal.id,
                                            due_on=today + dt.timedelta(days=20)), by=manager)
    cadence = services.follow_ups.plan(deal.id).cadence
    assert cadence is not None
    assert cadence.next_planned == today + dt.timedelta(days=20)
    assert cadence.late(today + dt.timedelta(days=15))
    assert not cadence.late(today + dt.timedelta(days=14))


def test_mark_done_is_offered_the_cadence_only_for_its_kind_with_none_of_it_planned(
        services: Services, manager: Actor) -> None:
    deal = make_deal(services, manager)
    services.follow_ups.save_plan(deal.id, PLAN, expected_version=None, by=manager)
    visit = services.activities.plan(ActivityFields(VISIT, "拜访", deal_id=deal.id,
                                                    due_on=TODAY), by=manager).activity
    call = services.activities.plan(ActivityFields(CALL, "电话", deal_id=deal.id,
                                                   due_on=TODAY), by=manager).activity
    assert services.follow_ups.next_by_plan(visit, today=TODAY) == (
        VISIT, TODAY + dt.timedelta(days=14), "演示新版本\n带上报价")
    assert services.follow_ups.next_by_plan(call, today=TODAY) is None  # not the kind
    services.activities.plan(ActivityFields(VISIT, "下次拜访", deal_id=deal.id,
                                            due_on=TODAY + dt.timedelta(days=9)), by=manager)
    assert services.follow_ups.next_by_plan(visit, today=TODAY) is None  # one is planned


def test_a_new_database_proposes_the_default_steps_on_entering_a_stage(
        services: Services, manager: Actor) -> None:
    needs = stage(services, "Needs analysis")
    assert [(s.kind, s.title, s.within_days) for s in services.follow_ups.stage_steps(
        needs.id)] == [(CALL, "Confirm the budget and who decides", 2),
                       (VISIT, "On-site needs analysis", 7)]
    deal = make_deal(services, manager)
    tick_all(services, manager, deal.id, "Initial contact")
    version = services.deals.detail(deal.id).version
    services.moves.move_deal(deal_id=deal.id, to_stage_id=needs.id, before_id=None,
                             expected_version=version, by=manager)
    proposal = services.follow_ups.proposal(deal.id, today=TODAY)
    assert proposal is not None
    assert proposal.stage == "Needs analysis"
    assert [(a.fields.kind, a.fields.due_on, a.fields.assignee_id, a.fields.deal_id)
            for a in proposal.activities] == [
        (CALL, TODAY + dt.timedelta(days=2), manager.id, deal.id),
        (VISIT, TODAY + dt.timedelta(days=7), manager.id, deal.id)]
    assert proposal.activities[0].step.text == \
        "Call within 2 days: Confirm the budget and who decides"


def test_planning_what_a_stage_proposes_is_one_change_and_an_undo_takes_all_back(
        services: Services, manager: Actor) -> None:
    deal = make_deal(services, manager)
    proposal = services.follow_ups.proposal(deal.id, today=TODAY)
    assert proposal is not None
    assert len(proposal.fresh) == 1
    planned = services.activities.plan_many([a.fields for a in proposal.fresh], by=manager)
    assert planned.changes.deal_ids == {deal.id}
    assert [a.state for a in planned.activities] == [ActivityState.PLANNED]
    again = services.follow_ups.proposal(deal.id, today=TODAY)
    assert again is not None
    assert again.fresh == ()
    assert services.deals.detail(deal.id).fields.next_step == \
        "Introduce us and ask about the need"
    services.activities.withdraw_many(
        [(a.id, a.version) for a in planned.activities], by=manager)
    assert services.deals.detail(deal.id).fields.next_step == ""
    assert len(services.follow_ups.proposal(deal.id, today=TODAY).fresh) == 1  # type: ignore[union-attr]


def test_an_undo_of_planned_steps_changed_since_takes_none_back(
        services: Services, manager: Actor) -> None:
    deal = make_deal(services, manager)
    steps = [PlanStep(CALL, "一", 0), PlanStep(VISIT, "二", 3)]
    services.follow_ups.set_stage_steps(stage(services, "Initial contact").id, steps,
                                        by=manager)
    proposal = services.follow_ups.proposal(deal.id, today=TODAY)
    assert proposal is not None
    planned = services.activities.plan_many([a.fields for a in proposal.fresh], by=manager)
    first, second = planned.activities
    services.activities.update(second.id, ActivityFields(VISIT, "二改", deal_id=deal.id,
                                                         due_on=TODAY),
                               expected_version=second.version, by=manager)
    with pytest.raises(StaleEdit):
        services.activities.withdraw_many([(first.id, first.version),
                                           (second.id, second.version)], by=manager)
    assert services.activities.activity(first.id).state is ActivityState.PLANNED


def test_only_a_manager_sets_what_a_stage_proposes_and_bad_steps_change_nothing(
        services: Services, manager: Actor, rep: Actor, db_path: Path) -> None:
    initial = stage(services, "Initial contact")
    before = services.follow_ups.stage_steps(initial.id)
    with pytest.raises(NotAllowed):
        services.follow_ups.set_stage_steps(initial.id, [], by=rep)
    for bad, field in (([PlanStep(CALL, "x", 366)], "within_days"),
                       ([PlanStep(CALL, "x" * 301, 1)], "title"),
                       ([PlanStep(CALL, "x", 1)] * 21, "steps")):
        with pytest.raises(InvalidInput) as refused:
            services.follow_ups.set_stage_steps(initial.id, bad, by=manager)
        assert refused.value.field == field
    with pytest.raises(InvalidInput):
        services.follow_ups.set_stage_steps(stage(services, "Won").id,
                                            [PlanStep(CALL, "x", 1)], by=manager)
    assert services.follow_ups.stage_steps(initial.id) == before
    services.follow_ups.set_stage_steps(initial.id, [PlanStep(VISIT, "  拜访  ", 3)],
                                        by=manager)
    assert services.follow_ups.stage_steps(initial.id) == [PlanStep(VISIT, "拜访", 3)]
    with closing(sqlite3.connect(db_path)) as conn:
        (details,) = conn.execute("SELECT details FROM audit_log WHERE action = 'plan_steps'"
                                  ).fetchone()
    assert '"title": "拜访"' in details


def test_a_closed_deal_is_proposed_nothing_and_a_purged_one_takes_its_plan_along(
        services: Services, manager: Actor) -> None:
    deal = make_deal(services, manager)
    services.follow_ups.save_plan(deal.id, PLAN, expected_version=None, by=manager)
    lost = stage(services, "Lost")
    version = services.deals.detail(deal.id).version
    services.moves.move_deal(deal_id=deal.id, to_stage_id=lost.id, before_id=None,
                             expected_version=version, by=manager, lost_reason_text="x")
    assert services.follow_ups.proposal(deal.id) is None
    version = services.deals.detail(deal.id).version
    services.trash.delete(deal_id=deal.id, expected_version=version, by=manager)
    services.trash.empty(deal_ids=[deal.id], by=manager)
    assert services.db.query("SELECT count(*) FROM follow_up_plans")[0][0] == 0


def test_what_a_stage_proposes_changed_by_another_manager_meanwhile_is_not_overwritten(
        services: Services, manager: Actor) -> None:
    initial = stage(services, "Initial contact").id
    shown = services.follow_ups.stage_steps(initial)
    services.follow_ups.set_stage_steps(initial, [*shown, PlanStep(VISIT, "另一位经理加的", 3)],
                                        by=manager, seen=shown)
    with pytest.raises(StaleEdit) as refused:
        services.follow_ups.set_stage_steps(initial, [], by=manager, seen=shown)
    assert refused.value.changed_by == "manager"
    assert services.follow_ups.stage_steps(initial)[-1].title == "另一位经理加的"
