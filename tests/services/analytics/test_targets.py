"""Targets: set by managers per KPI, period, rep or team; each KPI against its target in
green, amber or red by the team's threshold; monthly targets added up for a quarter; the
share of the period gone by; the doctor measuring a stage against its target."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from funneldesk.db import Database
from funneldesk.errors import InvalidInput, NotAllowed
from funneldesk.services import Services
from funneldesk.services.analytics.records import KpiRequest
from funneldesk.services.analytics.targets import TargetFields
from funneldesk.services.dto import Actor
from tests.helpers import stage
from tests.services.analytics.history import add_deal, set_zone

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
NOW = dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC)


@pytest.fixture
def march(services: Services, db: Database, manager: Actor) -> None:
    """Four deals created in March: two won (cycles of 10 and 20 days), two lost."""
    set_zone(db)
    for n, (end, day) in enumerate((("Won", 11), ("Won", 21), ("Lost", 5), ("Lost", 6))):
        add_deal(services, manager, [("Initial contact", f"2026-03-01 0{n}:00"),
                                     (end, f"2026-03-{day:02d} 09:00")], value="1000",
                 lost_reason=1)


def standings(services: Services, first: dt.date, last: dt.date,
              owner: int | None = None) -> dict[str, tuple[float | None, float, str]]:
    report = services.analytics.report(
        KpiRequest(date_from=first, date_to=last,
                   owner_ids=(owner,) if owner is not None else None), now=NOW)
    return {s.kpi: (s.actual, s.target, s.status) for s in report.standings}


def target(services: Services, by: Actor, kpi: str, value: str, *, period: str = "month",
           starts: dt.date = MARCH[0], stage_id: int | None = None,
           user_id: int | None = None) -> None:
    services.analytics.save_target(TargetFields(kpi, stage_id, user_id, period, starts,
                                                Decimal(value)), by=by)


def test_each_kpi_stands_green_amber_or_red_against_its_target(
        services: Services, manager: Actor, march: None) -> None:
    target(services, manager, "deals_created", "4")  # met
    target(services, manager, "won_value", "2150")  # 2000: 93%, amber at the default 90%
    target(services, manager, "sales_cycle", "10")  # median 15 days: less is better, red
    assert standings(services, *MARCH) == {
        "deals_created": (4, 4, "green"), "won_value": (2000, 2150, "amber"),
        "sales_cycle": (15, 10, "red")}
    services.analytics.set_amber_percent(95, by=manager)
    assert standings(services, *MARCH)["won_value"][2] == "red"


def test_a_stage_s_conversion_target_makes_it_the_doctor_s_bottleneck(
        services: Services, manager: Actor, march: None) -> None:
    first = stage(services, "Initial contact").id
    # the doctor judges a stage from ten deals that left it: eight more, lost there
    for n in range(8):
        add_deal(services, manager, [("Initial contact", f"2026-03-0{n + 1} 10:00"),
                                     ("Lost", f"2026-03-1{n} 10:00")], lost_reason=2)
    target(services, manager, "conversion", "0.9", stage_id=first)
    report = services.analytics.report(KpiRequest(date_from=MARCH[0], date_to=MARCH[1]),
                                       now=NOW)
    standing = {s.kpi: s for s in report.standings}["conversion"]
    # of 12 deals only the 2 won got past it (the lost ones were lost there)
    assert (standing.stage_id, standing.actual, standing.status) == (first, 2 / 12, "red")
    b = report.bottleneck
    assert b is not None
    assert (b.stage, b.numbers["compared_with"], b.numbers["reference"]) == (
        "Initial contact", "target", 0.9)


def test_monthly_targets_add_up_for_a_quarter_and_a_running_period_is_prorated(
        services: Services, manager: Actor, march: None) -> None:
    for month in (1, 2, 3):
        target(services, manager, "deals_created", "2", starts=dt.date(2026, month, 1))
    target(services, manager, "conversion", "0.5", starts=dt.date(2026, 1, 1),
           stage_id=stage(services, "Initial contact").id)  # a ratio: never added up
    assert standings(services, dt.date(2026, 1, 1), dt.date(2026, 3, 31)) == {
        "deals_created": (4, 6, "red")}
    # a quarter half gone by calls for half its target
    target(services, manager, "deals_created", "6", period="quarter",
           starts=dt.date(2026, 6, 1))  # any day of the quarter: its first day is kept
    shown = standings(services, dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert shown["deals_created"][1] == pytest.approx(6 * 91 / 91)
    mid = services.analytics.report(KpiRequest(date_from=dt.date(2026, 6, 1),
                                               date_to=dt.date(2026, 6, 30)),
                                    now=dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC))
    assert mid.standings == ()  # no June target of its own


def test_a_rep_s_target_is_theirs_and_the_team_s_is_everyone_s(
        services: Services, manager: Actor, rep: Actor, march: None) -> None:
    target(services, manager, "deals_created", "3", user_id=rep.id)
    target(services, manager, "deals_created", "5")
    assert standings(services, *MARCH)["deals_created"] == (4, 5, "red")
    assert standings(services, *MARCH, owner=rep.id)["deals_created"] == (0, 3, "red")
    # the same target set again is changed, not doubled
    target(services, manager, "deals_created", "4")
    assert standings(services, *MARCH)["deals_created"] == (4, 4, "green")
    assert len(services.analytics.targets_between(*MARCH)) == 2


def test_only_a_manager_sets_targets_and_bad_ones_are_refused(
        services: Services, manager: Actor, rep: Actor) -> None:
    with pytest.raises(NotAllowed):
        target(services, rep, "deals_created", "5")
    with pytest.raises(InvalidInput, match="stage"):
        target(services, manager, "conversion", "0.5")
    with pytest.raises(InvalidInput, match="100%"):
        target(services, manager, "conversion", "1.5",
               stage_id=stage(services, "Proposal").id)
    with pytest.raises(InvalidInput):
        target(services, manager, "won_value", "-1")
    assert services.analytics.targets_between(dt.date(2000, 1, 1), dt.date(2100, 1, 1)) == []


def test_a_quarter_missing_a_month_s_target_is_not_judged_on_the_others(
        services: Services, manager: Actor, march: None) -> None:
    target(services, manager, "deals_created", "2", starts=dt.date(2026, 3, 1))
    assert standings(services, dt.date(2026, 1, 1), dt.date(2026, 3, 31)) == {}
