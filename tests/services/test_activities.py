"""Activities as the services keep them: planned on a deal, a company or a contact; done
with the next one planned in the same change; the deal's card showing its next step;
who may change what; and the reminders of one user by a clock the test sets."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from funneldesk.enums import ActivityKind, ActivityState
from funneldesk.errors import InvalidInput, NotAllowed, NotFound, StaleEdit
from funneldesk.services import Services
from funneldesk.services.activities.records import ActivityFields
from funneldesk.services.customers.records import CompanyFields, ContactFields
from funneldesk.services.dto import Actor
from tests.helpers import make_deal, stage

CALL = ActivityKind.CALL
DAY = dt.timedelta(days=1)


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """An aware moment on this computer's clock."""
    return dt.datetime.combine(day, dt.time(hour, minute)).astimezone()


TODAY = dt.date(2026, 12, 1)
NOON = local(TODAY, 12)


def test_an_activity_on_a_deal_shows_on_its_customers_and_as_its_next_step(
        services: Services, manager: Actor) -> None:
    company = services.customers.add_company(CompanyFields(name="星辰科技"), by=manager)
    contact = services.customers.add_contact(ContactFields(name="张伟", company_id=company.id),
                                             by=manager)
    deal = make_deal(services, manager)
    fields = services.deals.detail(deal.id).fields
    services.deals.update(deal_id=deal.id, fields=replace(
        fields, company_id=company.id, contact_id=contact.id),
        expected_version=deal.version, by=manager)
    later = services.activities.plan(ActivityFields(
        CALL, "回访报价", deal_id=deal.id, due_on=TODAY + dt.timedelta(days=5)), by=manager)
    first = services.activities.plan(ActivityFields(
        ActivityKind.VISIT, "现场演示", deal_id=deal.id, due_on=TODAY,
        due_time=dt.time(15, 30), minutes=60), by=manager)
    assert (first.activity.company_id, first.activity.contact_id) == (company.id, contact.id)
    assert first.activity.due_at == local(TODAY, 15, 30)
    assert first.changes.deal_ids == {deal.id}
    assert first.changes.company_ids == {company.id}
    card = services.deals.detail(deal.id)
    assert (card.fields.next_step, card.fields.next_step_date) == ("现场演示", TODAY)
    assert card.version == services.deals.detail(deal.id).version  # not an edit of the deal
    done = services.activities.complete(first.activity.id, "客户认可方案",
                                        expected_version=first.activity.version, by=manager)
    assert done.activity.state is ActivityState.DONE
    assert done.activity.outcome == "客户认可方案"
    assert services.deals.detail(deal.id).fields.next_step == later.activity.title


def test_completing_plans_the_next_one_in_the_same_change(services: Services,
                                                           manager: Actor) -> None:
    deal = make_deal(services, manager)
    first = services.activities.plan(ActivityFields(CALL, "初次电话", deal_id=deal.id,
                                                    due_on=TODAY), by=manager).activity
    result = services.activities.complete(
        first.id, "需要报价", expected_version=first.version, by=manager,
        next_one=ActivityFields(ActivityKind.EMAIL, "发报价", deal_id=deal.id,
                                due_on=TODAY + dt.timedelta(days=2)))
    assert result.next_activity is not None
    assert result.next_activity.state is ActivityState.PLANNED
    assert services.deals.detail(deal.id).fields.next_step == "发报价"
    # a bad next one leaves the first planned: one change, all or nothing
    second = result.next_activity
    with pytest.raises(InvalidInput) as refused:
        services.activities.complete(second.id, "", expected_version=second.version,
                                     by=manager, next_one=ActivityFields(CALL))
    assert refused.value.field == "deal"
    assert services.activities.activity(second.id).state is ActivityState.PLANNED


def test_cancel_and_reopen_and_a_stale_version_is_refused(services: Services,
                                                          manager: Actor) -> None:
    deal = make_deal(services, manager)
    planned = services.activities.plan(ActivityFields(CALL, deal_id=deal.id, due_on=TODAY),
                                       by=manager).activity
    assert services.deals.detail(deal.id).fields.next_step_date == TODAY
    cancelled = services.activities.cancel(planned.id, expected_version=planned.version,
                                           by=manager).activity
    assert cancelled.state is ActivityState.CANCELLED
    assert services.deals.detail(deal.id).fields.next_step_date is None
    with pytest.raises(StaleEdit):
        services.activities.reopen(planned.id, expected_version=planned.version, by=manager)
    again = services.activities.reopen(planned.id, expected_version=cancelled.version,
                                       by=manager).activity
    assert again.state is ActivityState.PLANNED
    assert services.deals.detail(deal.id).fields.next_step_date == TODAY


def test_withdrawing_an_activity_leaves_no_trace_but_the_audit(
        services: Services, manager: Actor, rep: Actor, db_path: Path) -> None:
    """What undoing Plan or Log does: the deal's next step goes back to what it was."""
    deal = make_deal(services, manager)
    first = services.activities.plan(ActivityFields(CALL, "初访", deal_id=deal.id,
                                                    due_on=TODAY + dt.timedelta(days=3)),
                                     by=manager).activity
    sooner = services.activities.plan(ActivityFields(CALL, "先打电话", deal_id=deal.id,
                                                     due_on=TODAY), by=manager).activity
    assert services.deals.detail(deal.id).fields.next_step == "先打电话"
    with pytest.raises(NotAllowed):  # not the rep's to take away
        services.activities.withdraw(sooner.id, expected_version=sooner.version, by=rep)
    gone = services.activities.withdraw(sooner.id, expected_version=sooner.version,
                                        by=manager)
    assert (gone.activity.id, gone.changes.deal_ids, gone.changes.activity_ids) == (
        sooner.id, {deal.id}, {sooner.id})
    assert services.deals.detail(deal.id).fields.next_step == first.title
    with pytest.raises(NotFound):
        services.activities.activity(sooner.id)
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT action FROM audit_log WHERE entity = 'activity' AND "
                            "entity_id = ? ORDER BY id", (sooner.id,)).fetchall() == [
            ("plan",), ("delete",)]


def test_what_is_checked_before_anything_is_written(services: Services, manager: Actor) -> None:
    deal = make_deal(services, manager)
    cases = [(ActivityFields(CALL), "deal"),
             (ActivityFields(CALL, deal_id=deal.id, due_time=dt.time(9)), "due_on"),
             (ActivityFields(CALL, deal_id=deal.id, due_on=TODAY, minutes=0), "minutes"),
             (ActivityFields(CALL, "x" * 301, deal_id=deal.id), "title"),
             (ActivityFields(CALL, deal_id=deal.id, assignee_id=999), "assignee"),
             # no title and no day: it would show on no card, in no pane
             (ActivityFields(CALL, deal_id=deal.id), "title")]
    for fields, field in cases:
        with pytest.raises(InvalidInput) as refused:
            services.activities.plan(fields, by=manager)
        assert refused.value.field == field
    assert services.reminders.reminders(manager.id, NOON).overdue == ()


def test_a_rep_plans_on_their_own_deals_and_changes_what_is_theirs(
        services: Services, manager: Actor, rep: Actor) -> None:
    managers_deal = make_deal(services, manager)
    with pytest.raises(NotAllowed):
        services.activities.plan(ActivityFields(CALL, deal_id=managers_deal.id), by=rep)
    # the manager assigns the rep a call on the manager's deal: the rep may do it
    task = services.activities.plan(ActivityFields(
        CALL, deal_id=managers_deal.id, assignee_id=rep.id, due_on=TODAY), by=manager).activity
    done = services.activities.complete(task.id, "通了", expected_version=task.version, by=rep)
    assert done.activity.state is ActivityState.DONE
    other = services.activities.plan(ActivityFields(CALL, deal_id=managers_deal.id,
                                                    due_on=TODAY), by=manager).activity
    with pytest.raises(NotAllowed):
        services.activities.cancel(other.id, expected_version=other.version, by=rep)


def test_an_activity_on_a_customer_restarts_its_pool_clock(
        services: Services, manager: Actor, db_path: Path) -> None:
    company = services.customers.add_company(CompanyFields(name="华信"), by=manager)

    def clock() -> tuple[object, ...]:
        with closing(sqlite3.connect(db_path)) as conn:
            return tuple(conn.execute("SELECT touched_at, version FROM companies").fetchone())

    before = clock()
    services.activities.log(ActivityFields(ActivityKind.WECHAT, "发了资料",
                                           company_id=company.id), "已读", by=manager)
    after = clock()
    assert str(after[0]) > str(before[0])
    assert after[1] == before[1]  # not an edit: nobody's open form goes stale


def plan_on(services: Services, by: Actor, deal_id: int, day: dt.date,
            time: dt.time | None = None, assignee_id: int | None = None) -> int:
    return services.activities.plan(ActivityFields(
        CALL, f"call {day} {time}", deal_id=deal_id, due_on=day, due_time=time,
        assignee_id=assignee_id), by=by).activity.id


def test_reminders_sort_one_users_planned_activities_by_the_clock(
        services: Services, manager: Actor, rep: Actor) -> None:
    deal = make_deal(services, manager)
    day = dt.timedelta(days=1)
    yesterday = plan_on(services, manager, deal.id, TODAY - day)
    this_morning = plan_on(services, manager, deal.id, TODAY, dt.time(9))
    this_afternoon = plan_on(services, manager, deal.id, TODAY, dt.time(15))
    today_all_day = plan_on(services, manager, deal.id, TODAY)
    in_a_week = plan_on(services, manager, deal.id, TODAY + 7 * day)
    plan_on(services, manager, deal.id, TODAY + 8 * day)  # beyond the week
    plan_on(services, manager, deal.id, TODAY, assignee_id=rep.id)  # someone else's
    services.activities.plan(ActivityFields(CALL, "someday", deal_id=deal.id), by=manager)
    done = plan_on(services, manager, deal.id, TODAY - day)
    services.activities.complete(done, "", expected_version=1, by=manager)
    found = services.reminders.reminders(manager.id, NOON)
    assert [a.id for a in found.overdue] == [yesterday, this_morning]
    assert [a.id for a in found.today] == [this_afternoon, today_all_day]
    assert [a.id for a in found.upcoming] == [in_a_week]
    # a deal in the Trash reminds of nothing
    services.trash.delete(deal_id=deal.id, expected_version=services.deals.detail(
        deal.id).version, by=manager)
    assert services.reminders.reminders(manager.id, NOON).overdue == ()


def test_a_reminder_fires_once_when_due_and_again_after_a_snooze(
        services: Services, manager: Actor) -> None:
    deal = make_deal(services, manager)
    missed = plan_on(services, manager, deal.id, TODAY - dt.timedelta(days=2))  # app was shut
    at_three = plan_on(services, manager, deal.id, TODAY, dt.time(15))
    all_day = plan_on(services, manager, deal.id, TODAY)
    reminders = services.reminders
    assert [a.id for a in reminders.due_now(manager.id, local(TODAY, 8, 59))] == [missed]
    assert [a.id for a in reminders.due_now(manager.id, local(TODAY, 9))] == [missed, all_day]
    reminders.shown([missed, all_day], local(TODAY, 9))
    assert reminders.due_now(manager.id, local(TODAY, 14, 59)) == []
    assert reminders.next_due(manager.id, local(TODAY, 14)) == local(TODAY, 15)
    assert [a.id for a in reminders.due_now(manager.id, local(TODAY, 15))] == [at_three]
    reminders.snooze(at_three, local(TODAY, 15, 10), by=manager)
    assert reminders.due_now(manager.id, local(TODAY, 15, 5)) == []
    assert reminders.next_due(manager.id, local(TODAY, 15, 5)) == local(TODAY, 15, 10)
    reminders.snooze(missed, local(TODAY, 15, 7), by=manager)  # two days late, put off
    assert reminders.next_due(manager.id, local(TODAY, 15, 5)) == local(TODAY, 15, 7)
    assert [a.id for a in reminders.due_now(manager.id, local(TODAY, 15, 7))] == [missed]
    reminders.shown([missed], local(TODAY, 15, 7))
    assert [a.id for a in reminders.due_now(manager.id, local(TODAY, 15, 10))] == [at_three]
    # moving an activity that has reminded makes it remind again at its new time
    moved = services.activities.activity(all_day)
    services.activities.update(all_day, ActivityFields(
        CALL, deal_id=deal.id, due_on=TODAY, due_time=dt.time(17)),
        expected_version=moved.version, by=manager)
    assert all_day in [a.id for a in reminders.due_now(manager.id, local(TODAY, 17))]


def test_a_look_of_the_reminders_window_stamps_what_it_shows_and_rereads_what_it_lists(
        services: Services, manager: Actor, rep: Actor) -> None:
    deal = make_deal(services, manager)
    ten = plan_on(services, manager, deal.id, TODAY, dt.time(10))
    eleven = plan_on(services, manager, deal.id, TODAY, dt.time(11))
    reminders = services.reminders
    first = reminders.take_due(manager.id, local(TODAY, 10, 1))
    assert ([a.id for a in first.due], first.listed, first.next_at) == (
        [ten], (), local(TODAY, 11))
    assert reminders.due_now(manager.id, local(TODAY, 10, 2)) == []  # shown once
    # the listed one done elsewhere, the other given to the rep: neither is listed on
    call = services.activities.activity(ten)
    services.activities.complete(ten, "", expected_version=call.version, by=manager)
    later = services.activities.activity(eleven)
    services.activities.update(eleven, replace(later.fields(), assignee_id=rep.id),
                               expected_version=later.version, by=manager)
    again = reminders.take_due(manager.id, local(TODAY, 11, 1), listed=[ten, eleven])
    assert (again.due, again.listed, again.next_at) == ((), (), None)
    # a snooze is no edit: the version a Today pane holds stays good
    mine = services.activities.activity(eleven)
    reminders.snooze(eleven, local(TODAY, 12), by=rep)
    assert services.activities.activity(eleven).version == mine.version


def test_only_whoever_planned_or_logged_an_activity_or_a_manager_takes_it_away(
        services: Services, manager: Actor, rep: Actor) -> None:
    deal = make_deal(services, manager)
    theirs = services.activities.plan(ActivityFields(
        CALL, "回访", deal_id=deal.id, due_on=TODAY, assignee_id=rep.id), by=manager).activity
    with pytest.raises(NotAllowed):  # the rep does it, but did not plan it
        services.activities.withdraw(theirs.id, expected_version=theirs.version, by=rep)
    done = services.activities.complete(theirs.id, "谈妥", expected_version=theirs.version,
                                        by=rep).activity
    with pytest.raises(InvalidInput) as refused:  # done, so not on a day to come
        services.activities.update(done.id, replace(done.fields(), due_on=TODAY + 30 * DAY),
                                   expected_version=done.version, by=manager)
    assert refused.value.field == "due_on"


def test_a_merge_takes_the_activities_along_and_its_undo_brings_them_back(
        services: Services, manager: Actor) -> None:
    kept = services.customers.add_contact(ContactFields(name="张伟"), by=manager)
    other = services.customers.add_contact(ContactFields(name="张 伟"), by=manager)
    call = services.activities.plan(ActivityFields(CALL, "回访", contact_id=other.id,
                                                   due_on=TODAY), by=manager).activity
    merge_id = services.merges.merge("contact", kept.id, other.id, {}, (1, 1), manager)
    assert services.activities.activity(call.id).contact_id == kept.id
    services.merges.undo(merge_id, manager)
    assert services.activities.activity(call.id).contact_id == other.id


def test_erasing_a_person_drops_what_was_theirs_alone_and_unlinks_the_rest(
        services: Services, manager: Actor) -> None:
    company = services.customers.add_company(CompanyFields(name="华信"), by=manager)
    person = services.customers.add_contact(ContactFields(name="李娜", company_id=company.id),
                                            by=manager)
    alone = services.activities.plan(ActivityFields(CALL, "私人回访", contact_id=person.id,
                                                    due_on=TODAY), by=manager).activity
    shared = services.activities.plan(ActivityFields(
        ActivityKind.MEETING, "公司例会", company_id=company.id, contact_id=person.id,
        due_on=TODAY), by=manager).activity
    exported = services.privacy.export_person(person.id)
    assert [a["title"] for a in exported["activities"]] == ["私人回访", "公司例会"]
    services.privacy.erase(person.id, by=manager)
    with pytest.raises(NotFound):
        services.activities.activity(alone.id)
    left = services.activities.activity(shared.id)
    assert (left.company_id, left.contact_id) == (company.id, None)


def test_the_next_step_typed_in_the_deal_form_is_the_deals_planned_activity(
        services: Services, manager: Actor, rep: Actor) -> None:
    from decimal import Decimal

    from funneldesk.services.dto import DealFields
    from tests.helpers import stage

    first = stage(services, "Initial contact")
    made = services.deals.create(pipeline_id=first.pipeline_id, stage_id=first.id, fields=DealFields(
        "Kiosks", None, None, Decimal("100"), "USD", None, rep.id, "Call about the quote",
        TODAY), by=manager).card

    def planned() -> list[tuple[str, dt.date | None, int]]:
        found = services.reminders.reminders(rep.id, NOON)
        return [(a.title, a.due_on, a.assignee_id)
                for a in (*found.overdue, *found.today, *found.upcoming)]

    assert planned() == [("Call about the quote", TODAY, rep.id)]
    detail = services.deals.detail(made.id)
    later = TODAY + dt.timedelta(days=3)
    services.deals.update(deal_id=made.id, expected_version=detail.version, fields=replace(
        detail.fields, next_step="Send the quote", next_step_date=later), by=manager)
    assert planned() == [("Send the quote", later, rep.id)]  # the same one, moved
    detail = services.deals.detail(made.id)
    assert (detail.fields.next_step, detail.fields.next_step_date) == ("Send the quote", later)
    services.deals.update(deal_id=made.id, expected_version=detail.version, fields=replace(
        detail.fields, next_step="", next_step_date=None), by=manager)
    assert planned() == []
    assert services.deals.detail(made.id).fields.next_step == ""


def test_a_deal_form_opened_before_a_colleague_planned_keeps_their_activity(
        services: Services, manager: Actor, rep: Actor) -> None:
    """Planning is no edit of the deal, so the form is not stale: saving it with the next
    step it showed (none) must not cancel what was planned meanwhile; changing the next
    step after it changed is refused, beside the field."""
    deal = make_deal(services, rep)
    opened = services.deals.detail(deal.id)  # the rep's form: no next step
    seen = (opened.fields.next_step, opened.fields.next_step_date)
    call = services.activities.plan(ActivityFields(CALL, "约财务总监", deal_id=deal.id,
                                                   due_on=TODAY), by=manager).activity
    saved = services.deals.update(deal_id=deal.id, expected_version=opened.version,
                                  fields=replace(opened.fields, value=Decimal("5000")),
                                  by=rep, seen_next_step=seen)
    assert services.activities.activity(call.id).state is ActivityState.PLANNED
    assert (saved.card.value, saved.card.next_step) == (Decimal("5000"), "约财务总监")
    with pytest.raises(InvalidInput) as refused:
        services.deals.update(deal_id=deal.id, expected_version=saved.card.version,
                              fields=replace(opened.fields, next_step="我的下一步"),
                              by=rep, seen_next_step=seen)
    assert refused.value.field == "next_step"
    assert "约财务总监" in refused.value.message()
    assert services.activities.activity(call.id).title == "约财务总监"


def test_emptying_the_trash_takes_a_deals_activities_with_it(
        services: Services, manager: Actor) -> None:
    deal = make_deal(services, manager)
    call = services.activities.plan(ActivityFields(CALL, deal_id=deal.id, due_on=TODAY),
                                    by=manager).activity
    services.trash.delete(deal_id=deal.id, expected_version=services.deals.detail(
        deal.id).version, by=manager)
    assert services.trash.empty(deal_ids=[deal.id], by=manager) == 1
    with pytest.raises(NotFound):
        services.activities.activity(call.id)


def test_a_customers_activities_list_the_planned_by_day_then_the_latest_closed(
        services: Services, manager: Actor) -> None:
    company = services.customers.add_company(CompanyFields(name="星辰科技"), by=manager)
    contact = services.customers.add_contact(ContactFields(name="张伟", company_id=company.id),
                                             by=manager)
    plan = services.activities.plan
    later = plan(ActivityFields(CALL, "回访", company_id=company.id,
                                due_on=TODAY + dt.timedelta(days=3)), by=manager).activity
    sooner = plan(ActivityFields(ActivityKind.VISIT, "拜访", contact_id=contact.id,
                                 company_id=company.id, due_on=TODAY), by=manager).activity
    done = plan(ActivityFields(CALL, "首次电话", company_id=company.id, due_on=TODAY),
                by=manager).activity
    services.activities.complete(done.id, "有兴趣", expected_version=done.version, by=manager)
    plan(ActivityFields(CALL, "别家", company_id=services.customers.add_company(
        CompanyFields(name="远航物流"), by=manager).id, due_on=TODAY), by=manager)

    listed = services.activities.of_customer("company", company.id)
    assert [(a.title, a.state) for a in listed] == [
        ("拜访", ActivityState.PLANNED), ("回访", ActivityState.PLANNED),
        ("首次电话", ActivityState.DONE)]
    assert [a.id for a in services.activities.of_customer("contact", contact.id)] == [
        sooner.id]
    assert [a.id for a in services.activities.of_customer("company", company.id, limit=2)] \
        == [sooner.id, later.id]  # the planned come first


def test_a_cards_next_step_is_overdue_due_today_planned_or_none_by_its_activities(
        services: Services, manager: Actor) -> None:
    deals = {name: make_deal(services, manager, title=name)
             for name in ("overdue", "today", "planned", "undated", "none")}
    planned = {name: services.activities.plan(ActivityFields(
        CALL, "回访", deal_id=deals[name].id, due_on=day), by=manager).activity
        for name, day in (("overdue", TODAY - dt.timedelta(days=1)), ("today", TODAY),
                          ("planned", TODAY + dt.timedelta(days=7)), ("undated", None))}
    services.activities.plan(ActivityFields(  # behind today's
        CALL, "再访", deal_id=deals["today"].id, due_on=TODAY + dt.timedelta(days=2)),
        by=manager)

    def states() -> dict[str, str]:
        board = services.board.load(stage(services, "Initial contact").pipeline_id)
        return {c.title: c.step_state(TODAY) for c in board.cards}

    assert states() == {"overdue": "overdue", "today": "today", "planned": "planned",
                        "undated": "planned", "none": "none"}
    for name in ("today", "overdue"):
        services.activities.complete(planned[name].id, "谈过", by=manager,
                                     expected_version=planned[name].version)
    # today's done, the one behind it shows; the overdue one done, nothing is planned
    assert states() == {"overdue": "none", "today": "planned", "planned": "planned",
                        "undated": "planned", "none": "none"}
