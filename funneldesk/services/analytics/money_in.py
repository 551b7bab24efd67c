"""Money in: what the scope's deals were contracted for, collected and owe, from the
contracts and their payments (回款), and what customers said at return visits.

Contracted: the amounts of the contracts the customer signed in the period (the day the
signature was recorded), not cancelled since. Collected: the payments received in the
period. Overdue: at the period's end (today, if that is later), what signed contracts'
payments due before that day still lack. Satisfaction: the return visits recorded in
the period, from 1 (poor) to 5 (very satisfied). Amounts in the base currency, each contract's own
converted as deals are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from funneldesk.services.analytics.core import Money, Scope
from funneldesk.services.analytics.records import MoneyIn
from funneldesk.services.common.records import CurrencyRates
from funneldesk.services.common.sql import Query

_SIGNED = ("SIGNED", "SEALED", "RETURNED", "ARCHIVED")


def money_in(query: Query, scope: Scope, rates: CurrencyRates, today: dt.date) -> MoneyIn:
    deals, params = scope.deals()
    first = scope.request.date_from
    last = scope.request.date_to or today
    live = ", ".join(f"'{s}'" for s in _SIGNED)
    signed_on = _between('s."on"', first, last)  # "on" is a word of SQL
    contracted = _sum(rates, query(
        f"SELECT c.currency, c.amount, count(*) FROM contracts c JOIN deals d "
        f"ON d.id = c.deal_id WHERE {deals} AND c.state IN ({live}) AND EXISTS (SELECT 1 "
        f"FROM contract_steps s WHERE s.contract_id = c.id AND s.state = 'SIGNED' "
        f"{signed_on}) GROUP BY 1, 2", [*params, *_days(first, last)]))
    collected = _sum(rates, query(
        f"SELECT c.currency, p.amount, count(*) FROM contract_payments p "
        f"JOIN contract_milestones m ON m.id = p.milestone_id "
        f"JOIN contracts c ON c.id = m.contract_id JOIN deals d ON d.id = c.deal_id "
        f"WHERE {deals} {_between('p.received_on', first, last)} GROUP BY 1, 2",
        [*params, *_days(first, last)]))
    due_by = min(last, today)  # a payment due later is not overdue yet
    owed = query(
        f"SELECT c.currency, m.amount - COALESCE((SELECT sum(p.amount) FROM contract_payments p "
        f"WHERE p.milestone_id = m.id AND p.received_on <= ?), 0), count(*) "
        f"FROM contract_milestones m JOIN contracts c ON c.id = m.contract_id "
        f"JOIN deals d ON d.id = c.deal_id WHERE {deals} AND c.state IN ({live}) "
        f"AND m.due_on < ? GROUP BY 1, 2", [due_by.isoformat(), *params, due_by.isoformat()])
    overdue = _sum(rates, [row for row in owed if int(row[1]) > 0])
    # a visit's moment, recorded in UTC, falls on the team's calendar day
    since = [] if first is None else [_moment(first, scope.zone)]
    visits = query(
        f"SELECT v.satisfaction, v.follow_up_needed, count(*) FROM return_visits v "
        f"JOIN contracts c ON c.id = v.contract_id JOIN deals d ON d.id = c.deal_id "
        f"WHERE {deals} AND v.recorded_at IS NOT NULL AND v.satisfaction IS NOT NULL "
        f"{'AND v.recorded_at >= ?' if since else ''} AND v.recorded_at < ? GROUP BY 1, 2",
        [*params, *since, _moment(last + dt.timedelta(days=1), scope.zone)])
    n = sum(int(count) for _s, _f, count in visits)
    mean = sum(int(s) * int(count) for s, _f, count in visits) / n if n else None
    happy = sum(int(count) for s, _f, count in visits if int(s) >= 4)
    follow = sum(int(count) for _s, f, count in visits if f)
    return MoneyIn(contracted, collected, overdue, mean, n, happy / n if n else None, follow)


def _sum(rates: CurrencyRates, rows: Sequence[Any]) -> Any:
    money = Money(rates)
    for currency, amount, count in rows:
        # every amount one at a time, as a deal's: converted and rounded on its own
        money.add("all", str(currency), amount if currency != rates.base_currency else None,
                  int(count), int(amount) * int(count))
    return money.value(["all"]) if money.totals else None


def _moment(day: dt.date, zone: str) -> str:
    """The first moment of a local day, as the UTC text timestamps are stored in."""
    from funneldesk.services.common.local_days import start_of

    return start_of(day, zone).strftime("%Y-%m-%d %H:%M:%S")


def _between(column: str, first: dt.date | None, last: dt.date | None) -> str:
    return (f"AND {column} >= ? " if first is not None else "") + f"AND {column} <= ?"


def _days(first: dt.date | None, last: dt.date) -> list[str]:
    return ([first.isoformat()] if first is not None else []) + [last.isoformat()]
