"""A deal's and a customer's timeline: what is planned, then one stream, newest first, of
activities done or cancelled and the deals' moves from stage to stage."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from funneldesk.enums import ActivityKind
from funneldesk.services import Services
from funneldesk.services.activities.records import ActivityFields
from funneldesk.services.activities.timeline import Timeline
from funneldesk.services.customers.records import CompanyFields
from funneldesk.services.dto import Actor
from tests.helpers import make_deal, stage, tick_all, version

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)


def stream(timeline: Timeline) -> list[str]:
    """What happened, newest first, as short words."""
    said = []
    for entry in timeline.past:
        if entry.activity is not None:
            said.append(f"{entry.activity.state.value} {entry.activity.title}")
        else:
            assert entry.move is not None
            said.append(f"{entry.move.from_stage or 'created'} > {entry.move.to_stage}")
    return said


def test_a_deals_timeline_shows_its_plan_then_what_happened_newest_first(
        services: Services, manager: Actor) -> None:
    deal = make_deal(services, manager, title="仓储系统")
    plan = services.activities.plan
    plan(ActivityFields(ActivityKind.CALL, "later", deal_id=deal.id, due_on=TODAY + 3 * DAY),
         by=manager)
    plan(ActivityFields(ActivityKind.EMAIL, "undated", deal_id=deal.id), by=manager)
    plan(ActivityFields(ActivityKind.VISIT, "sooner", deal_id=deal.id, due_on=TODAY),
         by=manager)
    call = services.activities.log(ActivityFields(ActivityKind.CALL, "first call",
                                                  deal_id=deal.id), "wants a demo",
                                   by=manager).activity
    tick_all(services, manager, deal.id, "Initial contact")
    services.moves.move_deal(deal_id=deal.id, to_stage_id=stage(services, "Needs analysis").id,
                             before_id=None, expected_version=version(services, deal.id),
                             by=manager)
    gone = plan(ActivityFields(ActivityKind.DEMO, "demo", deal_id=deal.id, due_on=TODAY),
                by=manager).activity
    services.activities.cancel(gone.id, expected_version=gone.version, by=manager)
    other = make_deal(services, manager, title="Another deal")
    plan(ActivityFields(ActivityKind.CALL, "not this deal's", deal_id=other.id,
                        due_on=TODAY), by=manager)

    timeline = services.timeline.of_deal(deal.id)
    assert [a.title for a in timeline.planned] == ["sooner", "later", "undated"]
    assert stream(timeline) == ["cancelled demo", "Initial contact > Needs analysis",
                                "done first call", "created > Initial contact"]
    done = timeline.past[2].activity
    assert done is not None
    assert (done.id, done.outcome) == (call.id, "wants a demo")
    assert not timeline.more


def test_a_customers_timeline_holds_its_deals_moves_and_its_activities(
        services: Services, manager: Actor) -> None:
    company = services.customers.add_company(CompanyFields(name="星辰科技"), by=manager)
    deal = make_deal(services, manager, title="仓储系统")
    services.deals.update(deal_id=deal.id, fields=replace(
        services.deals.detail(deal.id).fields, company_id=company.id),
        expected_version=deal.version, by=manager)
    services.activities.log(ActivityFields(ActivityKind.VISIT, "site visit",
                                           company_id=company.id), "met the buyer",
                            by=manager)
    make_deal(services, manager, title="Someone else's")  # another customer's move
    timeline = services.timeline.of_customer("company", company.id)
    assert stream(timeline) == ["done site visit", "created > Initial contact"]
    assert timeline.past[1].move is not None
    assert timeline.past[1].move.deal == "仓储系统"


def test_a_long_timeline_shows_the_newest_and_says_there_is_more(
        services: Services, manager: Actor) -> None:
    deal = make_deal(services, manager)
    for n in range(5):
        services.activities.log(ActivityFields(ActivityKind.CALL, f"call {n}",
                                               deal_id=deal.id), "", by=manager)
    timeline = services.timeline.of_deal(deal.id, limit=3)
    assert stream(timeline) == ["done call 4", "done call 3", "done call 2"]
    assert timeline.more
