"""Money in on the sample data, against the payments, milestones and visits read row by
row: collected, contracted, overdue at a day, and return-visit satisfaction."""

from __future__ import annotations

import datetime as dt
import statistics
from decimal import ROUND_HALF_UP, Decimal

from funneldesk.services import Services
from funneldesk.services.analytics.records import KpiRequest
from funneldesk.services.dto import Actor

SIGNED = ("SIGNED", "SEALED", "RETURNED", "ARCHIVED")


def test_money_in_matches_the_contracts_row_by_row(services: Services,
                                                   manager: Actor) -> None:
    services.demo.generate(deals=160, seed=9, by=manager)
    today = dt.date.today()
    shown = services.analytics.insights(KpiRequest()).money_in
    assert shown is not None
    q = services.db.query
    rates = services.rates.currency_rates()

    def base(hundredths: int, currency: str) -> Decimal:
        amount = Decimal(hundredths).scaleb(-2)
        if currency == rates.base_currency:
            return amount
        return (amount * rates.rates[currency]).quantize(Decimal("0.01"), ROUND_HALF_UP)

    live = "d.deleted_at IS NULL"
    collected = sum((base(a, c) for a, c in q(
        f"SELECT p.amount, k.currency FROM contract_payments p JOIN contract_milestones m "
        f"ON m.id = p.milestone_id JOIN contracts k ON k.id = m.contract_id JOIN deals d "
        f"ON d.id = k.deal_id WHERE {live} AND p.received_on <= ?", (today.isoformat(),))),
        Decimal(0))
    contracted = sum((base(a, c) for a, c, state in q(
        f"SELECT k.amount, k.currency, k.state FROM contracts k JOIN deals d ON d.id = "
        f"k.deal_id WHERE {live} AND EXISTS (SELECT 1 FROM contract_steps s WHERE "
        f"s.contract_id = k.id AND s.state = 'SIGNED')") if state in SIGNED), Decimal(0))
    overdue = Decimal(0)
    for ident, amount, currency, state, due in q(
            f"SELECT m.id, m.amount, k.currency, k.state, m.due_on FROM contract_milestones m "
            f"JOIN contracts k ON k.id = m.contract_id JOIN deals d ON d.id = k.deal_id "
            f"WHERE {live}"):
        paid = sum(p for (p,) in q("SELECT amount FROM contract_payments WHERE "
                                   "milestone_id = ?", (ident,)))
        if state in SIGNED and due is not None and due < today.isoformat() and amount > paid:
            overdue += base(amount - paid, currency)
    scores = [s for (s,) in q("SELECT satisfaction FROM return_visits WHERE satisfaction "
                              "IS NOT NULL AND recorded_at IS NOT NULL")]
    assert collected > 0
    assert scores
    assert (shown.collected, shown.contracted, shown.overdue) == (collected, contracted,
                                                                  overdue or None)
    assert shown.visits == len(scores)
    assert shown.satisfaction == statistics.fmean(scores)
    assert shown.satisfied == sum(1 for s in scores if s >= 4) / len(scores)


def test_outcomes_by_industry_and_region_match_the_rows(services: Services,
                                                        manager: Actor) -> None:
    from collections import Counter

    services.demo.generate(deals=160, seed=9, by=manager)
    report = services.analytics.report(KpiRequest())
    rows = services.db.query(
        "SELECT COALESCE(c.industry, ''), COALESCE(c.province, ''), s.kind FROM deals d "
        "JOIN stages s ON s.id = d.stage_id LEFT JOIN companies c ON c.id = d.company_id "
        "WHERE d.deleted_at IS NULL AND s.kind IN ('WON', 'LOST')")
    for column, shown in ((0, report.by_industry), (1, report.by_region)):
        expected = Counter((r[column], r[2]) for r in rows)
        assert {(g.group, "WON"): g.won for g in shown} | {
            (g.group, "LOST"): g.lost for g in shown} == {
            key: expected[key] for g in shown for key in ((g.group, "WON"), (g.group, "LOST"))}
        assert sum(g.won + g.lost for g in shown) == len(rows)
