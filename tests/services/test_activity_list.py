"""The Activities page's list as the service reads it: filtered by where activities stand,
whose they are, their kind and any word in them or in what they hang on; sorted; read a
page at a time; overdue by the clock the test sets."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from funneldesk.enums import ActivityKind, ActivityState
from funneldesk.services import Services
from funneldesk.services.activities.activity_list import (
    ActivityColumn,
    ActivityQuery,
    Showing,
)
from funneldesk.services.activities.records import ActivityFields
from funneldesk.services.customers.records import CompanyFields
from funneldesk.services.dto import Actor
from tests.helpers import make_deal

TODAY = dt.date(2026, 12, 1)
NOON = dt.datetime.combine(TODAY, dt.time(12)).astimezone()
DAY = dt.timedelta(days=1)


def titles(services: Services, query: ActivityQuery, offset: int = 0, limit: int = 100
           ) -> list[str]:
    return [a.title for a in services.activity_list.page(query, offset, limit, NOON)]


def test_the_list_shows_activities_by_where_they_stand(services: Services, manager: Actor,
                                                        rep: Actor) -> None:
    deal = make_deal(services, manager, title="仓储系统")
    plan = services.activities.plan
    plan(ActivityFields(ActivityKind.CALL, "昨天的电话", deal_id=deal.id,
                        due_on=TODAY - DAY), by=manager)
    plan(ActivityFields(ActivityKind.VISIT, "上午拜访", deal_id=deal.id, due_on=TODAY,
                        due_time=dt.time(9)), by=manager)
    plan(ActivityFields(ActivityKind.VISIT, "下午拜访", deal_id=deal.id, due_on=TODAY,
                        due_time=dt.time(15)), by=manager)
    plan(ActivityFields(ActivityKind.EMAIL, "没有日期", deal_id=deal.id), by=manager)
    plan(ActivityFields(ActivityKind.DEMO, "给同事的演示", deal_id=deal.id,
                        due_on=TODAY + 30 * DAY, assignee_id=rep.id), by=manager)
    done = services.activities.log(ActivityFields(ActivityKind.CALL, "打过的电话",
                                                  deal_id=deal.id, due_on=TODAY - 2 * DAY),
                                   "客户要报价", by=manager).activity
    gone = plan(ActivityFields(ActivityKind.MEETING, "取消的会", deal_id=deal.id,
                               due_on=TODAY), by=manager).activity
    services.activities.cancel(gone.id, expected_version=gone.version, by=manager)

    # planned: by day and time, the undated last, whoever they are for
    assert titles(services, ActivityQuery()) == [
        "昨天的电话", "上午拜访", "下午拜访", "给同事的演示", "没有日期"]
    # overdue: a day gone, or today's time gone (noon by the test's clock)
    assert titles(services, ActivityQuery(Showing.OVERDUE)) == ["昨天的电话", "上午拜访"]
    assert titles(services, ActivityQuery(Showing.DONE)) == ["打过的电话"]
    assert titles(services, ActivityQuery(Showing.CANCELLED)) == ["取消的会"]
    assert len(titles(services, ActivityQuery(Showing.ALL))) == 7
    # whose, and which kind
    assert titles(services, ActivityQuery(assignee_id=rep.id)) == ["给同事的演示"]
    assert titles(services, ActivityQuery(Showing.ALL, kind=ActivityKind.CALL)) == [
        "打过的电话", "昨天的电话"]
    found = services.activity_list.page(ActivityQuery(Showing.DONE), 0, 10, NOON)[0]
    assert (found.id, found.state, found.outcome, found.deal) == (
        done.id, ActivityState.DONE, "客户要报价", "仓储系统")


def test_words_are_found_in_the_activity_and_in_what_it_hangs_on(
        services: Services, manager: Actor) -> None:
    company = services.customers.add_company(CompanyFields(name="星辰科技"), by=manager)
    deal = make_deal(services, manager, title="Warehouse 100%")
    plan = services.activities.plan
    plan(ActivityFields(ActivityKind.CALL, "回访", company_id=company.id, due_on=TODAY),
         by=manager)
    plan(ActivityFields(ActivityKind.CALL, "Price call", agenda="bring the 2027 list",
                        deal_id=deal.id, due_on=TODAY), by=manager)
    logged = services.activities.log(ActivityFields(ActivityKind.CALL, "Follow-up",
                                                    deal_id=deal.id),
                                     "They chose the premium option", by=manager)
    assert titles(services, ActivityQuery(text="星辰")) == ["回访"]
    assert titles(services, ActivityQuery(text="2027")) == ["Price call"]
    assert titles(services, ActivityQuery(Showing.ALL, text="PREMIUM")) == [
        logged.activity.title]
    # a LIKE wildcard typed is a character looked for
    assert titles(services, ActivityQuery(text="100%")) == ["Price call"]
    assert titles(services, ActivityQuery(text="1_0")) == []


def test_pages_continue_one_another_in_every_sort(services: Services, manager: Actor,
                                                  rep: Actor) -> None:
    deal = make_deal(services, manager)
    kinds = list(ActivityKind)
    for n in range(23):
        services.activities.plan(ActivityFields(
            kinds[n % len(kinds)], f"A{n % 5}" if n % 4 else "", deal_id=deal.id,
            due_on=TODAY + (n % 3) * DAY if n % 6 != 5 else None,
            assignee_id=rep.id if n % 2 else None), by=manager)
    for column in ActivityColumn:
        for descending in (False, True):
            query = ActivityQuery(sort=column, descending=descending)
            count, first = services.activity_list.count_and_page(query, 0, 10, NOON)
            rest = (services.activity_list.page(query, 10, 10, NOON)
                    + services.activity_list.page(query, 20, 10, NOON))
            ids = [a.id for a in first + rest]
            assert count == 23
            assert len(ids) == len(set(ids)) == 23, (column, descending)


def test_sorting_by_a_column_orders_by_it_and_the_undated_come_last(
        services: Services, manager: Actor, rep: Actor) -> None:
    deal = make_deal(services, manager)
    plan = services.activities.plan
    plan(ActivityFields(ActivityKind.CALL, "b", deal_id=deal.id, due_on=TODAY), by=manager)
    plan(ActivityFields(ActivityKind.CALL, "a", deal_id=deal.id), by=manager)
    plan(ActivityFields(ActivityKind.CALL, "c", deal_id=deal.id, due_on=TODAY - DAY),
         by=manager)
    assert titles(services, ActivityQuery(sort=ActivityColumn.TITLE)) == ["a", "b", "c"]
    assert titles(services, ActivityQuery(sort=ActivityColumn.TITLE, descending=True)) == [
        "c", "b", "a"]
    assert titles(services, ActivityQuery(descending=True)) == ["b", "c", "a"]


def test_overdue_follows_the_moment_when_the_computers_zone_has_changed(
        services: Services, manager: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    """Planned in Beijing for 01:00 tomorrow, looked at in London five minutes after that
    moment: overdue there too, as the Today pane says (reminders.is_overdue)."""
    from funneldesk.services.activities.reminders import is_overdue

    deal = make_deal(services, manager)
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        planned = services.activities.plan(ActivityFields(
            ActivityKind.CALL, "早上的电话", deal_id=deal.id, due_on=TODAY + DAY,
            due_time=dt.time(1)), by=manager).activity
        assert planned.due_at is not None
        monkeypatch.setenv("TZ", "Europe/London")
        time.tzset()
        later = planned.due_at + dt.timedelta(minutes=5)
        assert later.astimezone().date() == TODAY  # the day before, in London
        assert is_overdue(planned, later)
        assert titles(services, ActivityQuery(Showing.OVERDUE)) == []  # by NOON's clock
        assert [a.title for a in services.activity_list.page(
            ActivityQuery(Showing.OVERDUE), 0, 10, later)] == ["早上的电话"]
    finally:
        monkeypatch.undo()
        time.tzset()


def test_an_export_of_the_list_writes_what_it_lists_in_its_order(
        services: Services, manager: Actor, tmp_path: Path) -> None:
    import csv

    deal = make_deal(services, manager)
    for title, day in (("b", TODAY), ("a", TODAY + DAY), ("c", TODAY - DAY)):
        services.activities.plan(ActivityFields(ActivityKind.CALL, title, deal_id=deal.id,
                                                due_on=day), by=manager)
    services.activities.log(ActivityFields(ActivityKind.CALL, "done", deal_id=deal.id), "ok",
                            by=manager)
    path = tmp_path / "listed.csv"
    query = ActivityQuery(sort=ActivityColumn.TITLE, descending=True)
    assert services.activity_exports.export(path, query=query) == 3
    with path.open(encoding="utf-8-sig") as written:
        assert [row["title"] for row in csv.DictReader(written)] == ["c", "b", "a"]


def test_kinds_sort_as_their_names_read_in_the_users_language(
        services: Services, manager: Actor) -> None:
    from funneldesk.i18n import set_language

    deal = make_deal(services, manager)
    for kind in ActivityKind:
        services.activities.plan(ActivityFields(kind, kind.value, deal_id=deal.id,
                                                due_on=TODAY), by=manager)
    query = ActivityQuery(sort=ActivityColumn.KIND)
    try:
        set_language("en")
        assert [a.kind_label for a in services.activity_list.page(query, 0, 10, NOON)] == [
            "Call", "Demo", "Email", "Meeting", "Other", "Visit", "WeChat message"]
        set_language("zh_CN")
        assert [a.kind_label for a in services.activity_list.page(query, 0, 10, NOON)] == [
            "拜访", "电话", "会议", "其他", "微信消息", "演示", "邮件"]
    finally:
        set_language("en")
