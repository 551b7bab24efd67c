"""The core KPIs against values counted by hand (docs/ARCHITECTURE.md, KPI definitions):
skipped stages, a deal reopened after it was lost, an undone move, a deal in the Trash,
and days counted in the team's time zone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import insert

from funneldesk.db import Database
from funneldesk.models import Product
from funneldesk.services import Services
from funneldesk.services.analytics.records import CoreKpis, KpiRequest
from funneldesk.services.dto import Actor
from tests.services.analytics.history import add_deal, set_zone

STAGES = ("Initial contact", "Needs analysis", "Proposal", "Negotiation", "Contract")


@pytest.fixture
def product(db: Database) -> int:
    with db.session() as session:
        return int(session.execute(insert(Product).returning(Product.id), [
            {"name": "ERP", "currency": "CNY"}]).scalar_one())


@pytest.fixture
def funnel(services: Services, db: Database, manager: Actor, rep: Actor,
           product: int) -> dict[str, int]:
    """Seven deals, counted by hand in the tests below (local times, Asia/Shanghai)."""
    set_zone(db)
    return {
        # skips nothing: 3, 7 and 5 days in its stages, won 15 days after creation
        "A": add_deal(services, manager, [
            ("Initial contact", "2026-01-05 10:00"), ("Needs analysis", "2026-01-08 09:00"),
            ("Proposal", "2026-01-15 09:00"), ("Won", "2026-01-20 17:00")],
            value="1000", won_value="1200", source=1, product=product),
        # skips Needs analysis, lost after 18 days in Proposal
        "B": add_deal(services, rep, [
            ("Initial contact", "2026-01-10 09:00"), ("Proposal", "2026-01-12 09:00"),
            ("Lost", "2026-01-30 09:00")], owner=rep.id, source=2, lost_reason=1,
            product=product),
        # lost, reopened in Needs analysis, skips Proposal, won 28 days after creation
        "C": add_deal(services, rep, [
            ("Initial contact", "2026-02-01 09:00"), ("Needs analysis", "2026-02-03 09:00"),
            ("Lost", "2026-02-10 09:00"), ("Needs analysis", "2026-02-20 09:00"),
            ("Negotiation", "2026-02-25 09:00"), ("Won", "2026-03-01 09:00")],
            value="400", won_value="500", owner=rep.id, source=1),
        # open in Needs analysis; a move on to Proposal was undone the same day
        "D": add_deal(services, manager, [
            ("Initial contact", "2026-02-05 09:00"), ("Needs analysis", "2026-02-06 09:00")],
            value="2000", undone={1: "Proposal"}),
        # still in its first stage
        "E": add_deal(services, manager, [("Initial contact", "2026-03-01 09:00")],
                      value="300"),
        # in the Trash: counted nowhere
        "F": add_deal(services, manager, [
            ("Initial contact", "2026-01-02 09:00"), ("Needs analysis", "2026-01-03 09:00")],
            value="9999", deleted=True),
        # created late on Jan 31 and won just after midnight on Feb 2, local time: two
        # calendar days there, one in UTC
        "G": add_deal(services, manager, [
            ("Initial contact", "2026-01-31 23:30"), ("Won", "2026-02-02 00:30")],
            value="1000"),
    }


def kpis(services: Services, **request: object) -> CoreKpis:
    return services.analytics.core(KpiRequest(**request))  # type: ignore[arg-type]


def by_name(k: CoreKpis) -> dict[str, object]:
    return {s.name: s for s in k.stages}


def test_all_data(services: Services, funnel: dict[str, int], manager: Actor, rep: Actor,
                  product: int) -> None:
    k = kpis(services)
    assert (k.deals.total, k.deals.open, k.deals.won, k.deals.lost) == (6, 2, 3, 1)
    assert k.win_rate == 0.75
    assert (k.cycle.mean, k.cycle.median, k.cycle.n) == (15, 15, 3)  # 15, 28, 2 days
    assert k.won_value == Decimal("2700.00")
    assert k.weighted_pipeline == Decimal("430.00")  # 300 × 10% + 2000 × 20%
    assert [s.name for s in k.stages] == list(STAGES)
    assert [s.reached for s in k.stages] == [6, 5, 4, 3, 3]
    assert [s.conversion_to_next for s in k.stages] == [5 / 6, 4 / 5, 3 / 4, 1.0, 1.0]
    days = [(s.days.mean, s.days.median, s.days.n) for s in k.stages]
    assert days == [(2.0, 2, 5), (19 / 3, 7, 3), (11.5, 11.5, 2), (4, 4, 1), (None, None, 0)]
    assert [s.open_now for s in k.stages] == [1, 1, 0, 0, 0]
    assert [s.open_value for s in k.stages] == [Decimal("300.00"), Decimal("2000.00"),
                                                None, None, None]
    owners = {o.owner: o for o in k.by_owner}
    mine, rita = owners[manager.display_name], owners[rep.display_name]
    assert (mine.deals, mine.won, mine.lost, mine.win_rate, mine.won_value) == (
        4, 2, 0, 1.0, Decimal("2200.00"))
    assert (mine.cycle.mean, mine.cycle.median) == (8.5, 8.5)
    assert (rita.deals, rita.won, rita.lost, rita.win_rate, rita.won_value) == (
        2, 1, 1, 0.5, Decimal("500.00"))
    assert {(s.source_id, s.deals, s.won, s.conversion) for s in k.by_source} == {
        (1, 2, 2, 1.0), (2, 1, 0, 0.0), (None, 3, 1, 1 / 3)}
    products = {p.product_id: p for p in k.by_product}
    assert (products[product].won, products[product].lost, products[product].open,
            products[product].won_value) == (1, 1, 0, Decimal("1200.00"))
    assert (products[None].won, products[None].open) == (2, 2)
    assert [(r.reason_id, r.count) for r in k.lost_reasons] == [(1, 1)]


def test_a_period_counts_cohorts_by_creation_and_outcomes_by_close(
        services: Services, funnel: dict[str, int]) -> None:
    k = kpis(services, date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 2, 28))
    # created in February: C and D (G was created on Jan 31, local time)
    assert k.deals.total == 2
    assert [s.reached for s in k.stages] == [2, 2, 1, 1, 1]
    # closed in February: G only (C closed on March 1)
    assert (k.deals.won, k.deals.lost, k.win_rate, k.cycle.n, k.cycle.mean) == (1, 0, 1.0, 1, 2)
    # open at the end of February 28: C in Negotiation, D in Needs analysis (E came later)
    assert k.deals.open == 2
    assert [s.open_now for s in k.stages] == [0, 1, 0, 1, 0]
    assert k.weighted_pipeline == Decimal("640.00")  # 2000 × 20% + 400 × 60%
    # visits that ended in February: C 2, D 1 and G 2 days in Initial contact; C twice in
    # Needs analysis (7 and 5 days)
    days = {s.name: (s.days.mean, s.days.median, s.days.n) for s in k.stages}
    assert days["Initial contact"] == (5 / 3, 2, 3)
    assert days["Needs analysis"] == (6, 6, 2)
    assert days["Negotiation"] == (None, None, 0)


def test_days_are_counted_in_the_team_s_time_zone(
        services: Services, db: Database, manager: Actor) -> None:
    set_zone(db)
    # in Shanghai: created late on Jan 31, on in the small hours of Feb 2 (2 days); in UTC,
    # Jan 31 15:30 to Feb 1 16:30 (1 day); won on Feb 3, the day the rep recorded
    add_deal(services, manager, [("Initial contact", "2026-01-31 23:30"),
                                 ("Needs analysis", "2026-02-02 00:30"),
                                 ("Won", "2026-02-03 10:00")])
    # created on Feb 1 in Shanghai, still Jan 31 in UTC
    add_deal(services, manager, [("Initial contact", "2026-02-01 01:00")])

    def figures() -> tuple[object, ...]:
        k = kpis(services)
        feb_1 = kpis(services, date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 2, 1))
        return k.stages[0].days.mean, k.cycle.mean, feb_1.deals.total

    assert figures() == (2, 3, 1)
    # a manager moves the team to UTC (Settings ▸ Team settings)
    assert services.team_settings.set_time_zone(zone=" UTC ", by=manager) == "UTC"
    assert services.analytics.prepare()  # the visits are counted anew, in UTC
    assert figures() == (1, 3, 0)
    assert not services.analytics.prepare()  # and only once


def test_filters_by_owner_source_and_product(services: Services, funnel: dict[str, int],
                                             rep: Actor, product: int) -> None:
    k = kpis(services, owner_ids=(rep.id,))
    assert (k.deals.total, k.deals.won, k.deals.lost, k.deals.open) == (2, 1, 1, 0)
    assert [s.reached for s in k.stages] == [2, 2, 2, 1, 1]
    assert [s.days.n for s in k.stages] == [2, 2, 1, 1, 0]
    assert [o.owner_id for o in k.by_owner] == [rep.id]
    k = kpis(services, source_id=1)
    assert (k.deals.total, k.deals.won) == (2, 2)
    k = kpis(services, product_id=product)
    assert (k.deals.total, k.deals.won, k.deals.lost, k.won_value) == (
        2, 1, 1, Decimal("1200.00"))


def test_no_deals_gives_no_data_rather_than_zeros(services: Services) -> None:
    k = kpis(services)
    assert (k.deals.total, k.deals.open, k.deals.won, k.deals.lost) == (0, 0, 0, 0)
    assert k.win_rate is None
    assert k.won_value is None
    assert k.weighted_pipeline is None
    assert (k.cycle.mean, k.cycle.median, k.cycle.n) == (None, None, 0)
    assert all(s.reached == 0 and s.conversion_to_next is None and s.days.mean is None
               for s in k.stages)
    assert k.by_owner == k.by_source == k.by_product == k.lost_reasons == ()


def test_only_open_deals(services: Services, db: Database, manager: Actor) -> None:
    set_zone(db)
    add_deal(services, manager, [("Initial contact", "2026-01-05 10:00"),
                                 ("Proposal", "2026-01-09 10:00")], value="100")
    k = kpis(services)
    assert (k.win_rate, k.cycle.n, k.won_value) == (None, 0, None)
    assert [s.reached for s in k.stages] == [1, 1, 1, 0, 0]
    assert [s.conversion_to_next for s in k.stages] == [1.0, 1.0, 0.0, None, None]
    assert k.stages[0].days.mean == 4
    assert k.weighted_pipeline == Decimal("40.00")


def test_a_currency_without_a_rate_leaves_its_totals_unknown(
        services: Services, db: Database, manager: Actor) -> None:
    set_zone(db)
    add_deal(services, manager, [("Initial contact", "2026-01-05 10:00")], value="100")
    add_deal(services, manager, [("Initial contact", "2026-01-05 10:00")], value="100",
             currency="JPY")
    k = kpis(services)
    assert k.stages[0].open_now == 2
    assert (k.stages[0].open_value, k.weighted_pipeline) == (None, None)
    assert k.missing_rates == ("JPY",)


def test_a_rep_reads_only_their_own_figures(services: Services, funnel: dict[str, int],
                                           manager: Actor, rep: Actor) -> None:
    everyone = services.analytics.report(KpiRequest(), viewer=manager)
    own = services.analytics.report(KpiRequest(), viewer=rep)
    asked = services.analytics.report(KpiRequest(owner_ids=(manager.id,)), viewer=rep)
    assert everyone.core.deals.total == 6
    assert own.core.deals.total == asked.core.deals.total == 2  # B and C, Rita's
    assert [o.owner_id for o in asked.core.by_owner] == [rep.id]
