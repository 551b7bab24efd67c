"""The funnel doctor, anomalies, correlations and coaching on funnels built to have (or
not to have) something to find."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from funneldesk.cli import main
from funneldesk.db import Database
from funneldesk.services import Services
from funneldesk.services.analytics import rules
from funneldesk.services.analytics.records import KpiRequest
from funneldesk.services.analytics.tables import no_bottleneck
from funneldesk.services.dto import Actor
from tests.helpers import make_user, stage
from tests.services.analytics.history import add_deal, set_zone

WHOLE = ("Initial contact", "Needs analysis", "Proposal", "Negotiation", "Contract", "Won")
NOW = dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC)


def path_through(names: tuple[str, ...], start: dt.datetime,
                 every: dt.timedelta = dt.timedelta(days=2)) -> list[tuple[str, str]]:
    return [(name, (start + n * every).strftime("%Y-%m-%d %H:%M"))
            for n, name in enumerate(names)]


@pytest.fixture
def leaky(services: Services, db: Database, manager: Actor) -> None:
    """Proposal leaks: half the deals that reach it are lost there, on price, and most of
    those came from one source (3); every other stage moves 86% or more on."""
    set_zone(db)
    start = dt.datetime(2026, 1, 5, 9)
    for _n in range(10):
        add_deal(services, manager, path_through(("Initial contact", "Lost"), start),
                 source=1, lost_reason=6)
    for n in range(30):
        add_deal(services, manager, path_through(
            ("Initial contact", "Needs analysis", "Proposal", "Lost"), start),
            source=3 if n < 20 else 1, lost_reason=1)
    for n in range(30):
        add_deal(services, manager, path_through(WHOLE, start), source=3 if n < 2 else 1)


def test_the_bottleneck_is_named_with_its_numbers_causes_and_advice(
        services: Services, leaky: None) -> None:
    report = services.analytics.report(KpiRequest(), now=NOW)
    b = report.bottleneck
    assert b is not None
    assert (b.stage, b.reason) == ("Proposal", "low_conversion")
    assert b.numbers["conversion_to_next"] == 0.5
    assert b.numbers["reached"] == 60
    assert (b.numbers["compared_with"], b.numbers["reference"]) == ("other_stages", 1.0)
    assert "Proposal" in b.reason_label
    assert "50%" in b.reason_label
    assert [(r.reason_id, r.count) for r in b.lost_reasons] == [(1, 30)]
    # source 3: 20 of the 30 lost there, against 22 of the 60 that were there
    sources = [c for c in b.causes if c.dimension == "source"]
    assert [(c.key, c.stuck_or_lost, c.group, c.in_stage, c.population) for c in sources] == [
        ("3", 20, 30, 22, 60)]
    assert sources[0].p_value < 0.001
    # the price rule (100% of the losses there) and the low-conversion rule, in order
    assert b.suggestions[0].startswith("Many deals are lost on price here")
    assert b.suggestions[1].startswith("Few deals get past this stage")
    assert len(b.suggestions) == 2


def test_rules_are_the_manager_s_to_change(services: Services, db: Database,
                                           leaky: None, manager: Actor, rep: Actor) -> None:
    services.analytics.report(KpiRequest(), now=NOW)  # the defaults, written once
    with db.session() as session:
        kept = rules.read(session)
        with pytest.raises(Exception, match="Only a manager"):
            rules.save(session, rules.RuleFields(None, "", None, 0, "Call them all."), rep)
        for rule in kept:
            rules.remove(session, rule.id, manager)
        rules.save(session, rules.RuleFields(stage(services, "Proposal").id, "low_conversion",
                                             1, 90, "Bring the floor price down."), manager)
        rules.save(session, rules.RuleFields(stage(services, "Proposal").id, "long_time",
                                             None, 0, "Never shown here."), manager)
    b = services.analytics.report(KpiRequest(), now=NOW).bottleneck
    assert b is not None
    assert b.suggestions == ("Bring the floor price down.",)
    with db.session() as session:  # removed defaults are not written again
        assert len(rules.read(session)) == 2


def test_a_healthy_funnel_has_no_bottleneck(services: Services, db: Database,
                                            manager: Actor) -> None:
    set_zone(db)
    for n in range(12):
        add_deal(services, manager, path_through(WHOLE, dt.datetime(2026, 1, 5 + n, 9)))
    assert services.analytics.report(KpiRequest(), now=NOW).bottleneck is None


def test_a_collapse_in_one_source_s_leads_is_an_anomaly(services: Services, db: Database,
                                                        manager: Actor) -> None:
    set_zone(db)
    monday = dt.datetime(2026, 1, 5, 9)  # 25 weeks of 8 to 12 new deals from source 2
    for week in range(23):
        for n in range(8 + (week * 7) % 5):
            add_deal(services, manager, [("Initial contact", (
                monday + dt.timedelta(weeks=week, hours=n)).strftime("%Y-%m-%d %H:%M"))],
                source=2)
    found = services.analytics.report(KpiRequest(), now=NOW).anomalies
    # the weeks of June 15 and 22 brought none: said once, at the latest whole week (that
    # of June 29 is still running); a month has too little history yet
    assert [(a.grain, a.start, a.value, a.expected) for a in found] == [
        ("week", dt.date(2026, 6, 22), 0, 10)]
    assert all(a.series == "created" and a.key == "" and a.z <= -3.5 for a in found)
    assert all(a.low <= a.expected <= a.high for a in found)
    # one source more, steady: the series split by source, and only WeCom's collapsed
    for week in range(26):
        add_deal(services, manager, [("Initial contact", (
            monday + dt.timedelta(weeks=week, hours=1)).strftime("%Y-%m-%d %H:%M"))], source=1)
    found = services.analytics.report(KpiRequest(), now=NOW).anomalies
    assert {(a.key, a.key_label) for a in found} == {("2", "WeCom"), ("", "")}


def test_deals_without_a_source_are_a_series_of_their_own_beside_the_whole(
        services: Services, db: Database, manager: Actor) -> None:
    set_zone(db)
    monday = dt.datetime(2026, 1, 5, 9)
    for week in range(26):  # a steady deal a week from source 1; none without a source
        add_deal(services, manager, [("Initial contact", (  # since June 15
            monday + dt.timedelta(weeks=week, hours=1)).strftime("%Y-%m-%d %H:%M"))], source=1)
        for n in range(8 + (week * 7) % 5 if week < 23 else 0):
            add_deal(services, manager, [("Initial contact", (
                monday + dt.timedelta(weeks=week, hours=n + 2)).strftime("%Y-%m-%d %H:%M"))])
    found = services.analytics.report(KpiRequest(), now=NOW).anomalies
    assert {(a.key, a.key_label, a.value) for a in found} == {
        ("none", "No source", 0), ("", "", 1)}


def test_correlations_come_with_their_sample_and_test(services: Services, db: Database,
                                                      manager: Actor) -> None:
    set_zone(db)
    start = dt.datetime(2026, 1, 5, 9)
    for n in range(40):  # big deals from source 1 are won; small ones from source 2 lost
        won = n % 4 != 0 if n < 20 else n % 4 == 0
        add_deal(services, manager, path_through(
            WHOLE if won else ("Initial contact", "Lost"), start + dt.timedelta(days=n)),
            value=str(50_000 + n * 100) if n < 20 else str(1_000 + n), lost_reason=1,
            source=1 if n < 20 else 2)
    found = {(c.outcome, c.factor): c for c in
             services.analytics.report(KpiRequest(), now=NOW).correlations}
    size = found["win", "size"]
    assert (size.test, size.n, size.significant) == ("spearman", 40, True)
    assert size.effect > 0.4
    assert size.p_value < 0.01
    assert size.summary.startswith("Larger deals are won more often.")
    source = found["win", "source"]
    assert (source.test, source.n, source.significant) == ("fisher", 40, True)
    assert "Win rates differ by lead source" in source.summary
    # no activities or scores recorded: nothing to test
    assert ("win", "activities") not in found
    assert ("win", "score") not in found


def test_five_deals_are_not_read_as_a_law(services: Services, db: Database,
                                          manager: Actor) -> None:
    set_zone(db)
    for n in range(12):
        won = n in (0, 2, 3, 7, 9, 10)
        add_deal(services, manager, path_through(
            WHOLE if won else ("Initial contact", "Lost"), dt.datetime(2026, 1, 5 + n, 9)),
            value=str(1000 + n), lost_reason=1)
    found = services.analytics.report(KpiRequest(), now=NOW).correlations
    assert found
    assert not any(c.significant for c in found)
    assert all("No link the data can vouch for yet" in c.summary for c in found)


def test_a_rep_far_below_the_team_at_a_stage_needs_training(
        services: Services, db: Database, manager: Actor, rep: Actor) -> None:
    set_zone(db)
    other = make_user(db, "other", "Olga Other")
    start = dt.datetime(2026, 1, 5, 9)
    for n in range(20):  # Rita moves 2 of 20 on from Proposal; the others 18 of 20 each
        for who, moves_on in ((rep, n < 2), (manager, n < 18), (other, n < 18)):
            names = WHOLE if moves_on else ("Initial contact", "Needs analysis", "Proposal",
                                            "Lost")
            add_deal(services, who, path_through(names, start + dt.timedelta(hours=n)),
                     owner=who.id, lost_reason=1)
    report = services.analytics.report(KpiRequest(), now=NOW)
    rita = {r.stage: r for r in report.reps if r.owner == "Rita Rep"}["Proposal"]
    assert (rita.conversion, rita.team_conversion, rita.deals) == (0.1, 0.9, 20)
    needs = report.training_needs
    assert [(t.owner, t.stage, t.kpi, t.n, t.team_n) for t in needs] == [
        ("Rita Rep", "Proposal", "conversion", 20, 40)]
    need = needs[0]
    assert (need.rep_value, need.team_value) == (0.1, 0.9)
    assert need.p_value < 0.001
    assert need.topics  # suggested topics for a middle stage
    assert "Proposals that answer the needs written down" in need.topics


def test_the_command_prints_every_part_as_json(services: Services, leaky: None,
                                               db: Database,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(db.path), "kpi", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"period", "deals", "win_rate", "sales_cycle_days", "won_value",
                        "weighted_pipeline", "stages", "by_owner", "by_source", "by_product",
                        "lost_reasons", "bottleneck", "anomalies", "correlations",
                        "training_needs"}
    assert out["bottleneck"]["reason"] == "low_conversion"
    assert out["bottleneck"]["stage"] == "Proposal"
    assert out["bottleneck"]["suggestions"]
    assert isinstance(out["won_value"], str)
    assert out["won_value"].endswith(".00")
    assert out["period"] == {"from": None, "to": None}
    assert 0 <= out["win_rate"] <= 1


def test_deals_still_in_a_stage_do_not_make_it_a_leak(services: Services, db: Database,
                                                      manager: Actor) -> None:
    set_zone(db)
    start = dt.datetime(2026, 6, 1, 9)
    for n in range(12):  # all reached Proposal this month; ten are still there
        names = WHOLE if n < 2 else ("Initial contact", "Needs analysis", "Proposal")
        add_deal(services, manager, path_through(names, start + dt.timedelta(hours=n),
                                                 dt.timedelta(days=1)))
    report = services.analytics.report(KpiRequest(), now=NOW)
    proposal = {s.name: s for s in report.core.stages}["Proposal"]
    assert (proposal.reached, proposal.waiting, proposal.decided_conversion) == (12, 10, 1.0)
    assert report.bottleneck is None


def test_a_funnel_whose_deals_are_all_still_in_their_first_stage_is_too_young_to_judge(
        services: Services, db: Database, manager: Actor) -> None:
    """Not "no bottleneck": nothing has had its chance to move on yet."""
    set_zone(db)
    for n in range(12):
        add_deal(services, manager, [("Initial contact", f"2026-06-{n + 1:02d} 09:00")])
    report = services.analytics.report(KpiRequest(), now=NOW)
    assert report.core.stages[0].reached == 12
    assert report.bottleneck is None
    assert no_bottleneck(report.judged) == ("Too few deals yet for the doctor to judge a "
                                            "stage (ten at least).")
    pane = services.analytics.pane(KpiRequest(), now=NOW)
    assert pane.headline is None
    assert not pane.judged
