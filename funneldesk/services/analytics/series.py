"""Figures over time: the forecast by expected close month, and the trends by week or
month (deals created, won and lost, the win rate and the won value)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from funneldesk.enums import StageKind
from funneldesk.money import from_storage
from funneldesk.services.analytics.core import CLOSED_DAY, Money, Scope, marks
from funneldesk.services.analytics.records import ForecastAdjustment, ForecastMonth, TrendPoint, ratio
from funneldesk.services.common.local_days import (
    day_number,
    month_of,
    month_start,
    week_of,
    week_start,
)
from funneldesk.services.common.records import CurrencyRates
from funneldesk.services.common.sql import Query

FORECAST_MONTHS = 6
TREND_MONTHS, TREND_WEEKS = 12, 13


def forecast(query: Query, scope: Scope, rates: CurrencyRates, today: dt.date
             ) -> tuple[ForecastMonth, ...]:
    """The open deals by the month they are expected to close: those expected before this
    month (``start`` None, ``late``), each of the next FORECAST_MONTHS months, and those
    with no date (``start`` None); each month with its commit, best case (commit and best
    case deals), total and weighted amounts, and the manager's own forecast beside them."""
    opens = scope.opens
    if not opens:
        return ()
    ids = [s.id for s in opens]
    chance = " ".join(f"WHEN {s.id} THEN {s.probability}" for s in opens)
    deals, params = scope.deals(ids)
    first = today.replace(day=1)
    rows = query(
        f"SELECT CASE WHEN d.expected_close IS NULL THEN 'none' "
        f"WHEN d.expected_close < ? THEN 'late' ELSE substr(d.expected_close, 1, 7) END, "
        f"d.stage_id, d.forecast_category, d.currency, "
        f"CASE WHEN d.currency = ? THEN NULL ELSE d.value END, count(*), sum(d.value), "
        f"sum((d.value * (CASE d.stage_id {chance} ELSE 0 END) + 50) / 100) FROM deals d "
        f"WHERE {deals} GROUP BY 1, 2, 3, 4, 5",
        [first.isoformat(), rates.base_currency, *params])
    probability = {s.id: s.probability for s in opens}
    money = Money(rates)
    counts: dict[str, int] = defaultdict(int)
    for month, stage, category, currency, each, count, summed, weighted in rows:
        counts[month] += count
        money.add((month, stage, category), currency, each, count, summed, weighted,
                  probability[stage])
    months = [_add_months(first, n).isoformat()[:7] for n in range(FORECAST_MONTHS)]
    adjusted = _adjustments(query, scope, first, _add_months(first, FORECAST_MONTHS))
    goals = _won_value_targets(query, scope, first, _add_months(first, FORECAST_MONTHS))
    result = []
    for key in ["late", *months, "none"]:
        if key in ("late", "none") and not counts.get(key):
            continue
        keys = [k for k in money.totals if k[0] == key]  # type: ignore[index]

        def total(categories: tuple[str, ...], weighted: bool = False,
                  keys: list[Any] = keys) -> Decimal | None:
            chosen = [k for k in keys if k[2] in categories]
            return money.value(chosen, weighted=weighted) if chosen else Decimal(0)

        month = dt.date.fromisoformat(key + "-01") if key not in ("late", "none") else None
        every = ("pipeline", "best_case", "commit")
        result.append(ForecastMonth(
            month, key == "late", counts.get(key, 0), total(every), total(every, True),
            total(("commit",)), total(("best_case", "commit")),
            adjusted.get(month) if month is not None else None,
            goals.get(month) if month is not None else None))
    return tuple(result)


def _won_value_targets(query: Query, scope: Scope, first: dt.date, end: dt.date
                       ) -> dict[dt.date, Decimal]:
    """Each month's won-value target: one rep's when the request is for one, else the
    team's."""
    owners = scope.request.owner_ids
    owner = owners[0] if owners is not None and len(owners) == 1 else None
    rows = query(
        "SELECT starts_on, value FROM kpi_targets WHERE kpi = 'won_value' AND period = "
        "'month' AND starts_on >= ? AND starts_on < ? AND "
        + ("user_id IS NULL" if owner is None else "user_id = ?"),
        [first.isoformat(), end.isoformat(), *([] if owner is None else [owner])])
    return {dt.date.fromisoformat(str(day)): Decimal(int(value)).scaleb(-4).quantize(
        Decimal("0.01")) for day, value in rows}


def _adjustments(query: Query, scope: Scope, first: dt.date, end: dt.date
                 ) -> dict[dt.date, ForecastAdjustment]:
    """The manager's own forecast of each month: one rep's when the request is for one,
    else the team's."""
    owners = scope.request.owner_ids
    owner = owners[0] if owners is not None and len(owners) == 1 else None
    rows = query(
        "SELECT a.id, a.version, a.month, a.amount, a.note, u.display_name FROM "
        "forecast_adjustments a JOIN users u ON u.id = a.updated_by_id "
        "WHERE a.pipeline_id = ? AND a.month >= ? AND a.month < ? AND "
        + ("a.user_id IS NULL" if owner is None else "a.user_id = ?"),
        [scope.pipeline_id, first.isoformat(), end.isoformat(),
         *([] if owner is None else [owner])])
    return {dt.date.fromisoformat(str(month)): ForecastAdjustment(
        int(i), int(v), from_storage(amount), str(note), str(by))
        for i, v, month, amount, note, by in rows}


def trends(query: Query, scope: Scope, rates: CurrencyRates, today: dt.date,
           grain: str = "month") -> tuple[TrendPoint, ...]:
    """Deals created, won and lost, the win rate and the won value per week or month:
    the period's (without one, the last 12 months or 13 weeks up to today)."""
    end = scope.request.date_to or today
    if grain == "week":
        last = week_of(day_number(end))
        first = week_of(day_number(scope.request.date_from)) if scope.request.date_from \
            else last - TREND_WEEKS + 1
        buckets = [(i, week_start(i)) for i in range(first, last + 1)]
        created_sql, closed_sql = "(p.created_day + 3) / 7", f"({CLOSED_DAY} + 3) / 7"
    else:
        last = month_of(day_number(end))
        first = month_of(day_number(scope.request.date_from)) if scope.request.date_from \
            else last - TREND_MONTHS + 1
        buckets = [(i, month_start(i)) for i in range(first, last + 1)]
        created_sql = ("(CAST(strftime('%Y', p.created_day * 86400, 'unixepoch') AS INTEGER)"
                       " * 12 + CAST(strftime('%m', p.created_day * 86400, 'unixepoch') "
                       "AS INTEGER) - 1)")
        closed_sql = ("(CAST(substr(d.closed_on, 1, 4) AS INTEGER) * 12 "
                      "+ CAST(substr(d.closed_on, 6, 2) AS INTEGER) - 1)")
    if not buckets:
        return ()
    lo, hi = buckets[0][1], _next(buckets[-1][1], grain)
    deals, params = scope.deals()
    created: dict[int, int] = dict(query(
        f"SELECT {created_sql}, count(*) FROM deals d JOIN deal_progress p "
        f"ON p.deal_id = d.id WHERE {deals} AND p.created_day >= ? AND p.created_day < ? "
        f"GROUP BY 1", [*params, day_number(lo), day_number(hi)]))
    won_ids, lost_ids = scope.of_kind(StageKind.WON), scope.of_kind(StageKind.LOST)
    closed: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    money = Money(rates)
    if won_ids or lost_ids:
        deals, params = scope.deals([*won_ids, *lost_ids])
        amount = "COALESCE(d.won_value, d.value)"
        for bucket, is_won, currency, each, count, summed in query(
                f"SELECT {closed_sql}, d.stage_id IN ({marks(won_ids) or 'NULL'}), d.currency, "
                f"CASE WHEN d.currency = ? THEN NULL ELSE {amount} END, count(*), sum({amount}) "
                f"FROM deals d WHERE {deals} AND d.closed_on >= ? AND d.closed_on < ? "
                f"GROUP BY 1, 2, 3, 4", [*won_ids, rates.base_currency, *params,
                                         lo.isoformat(), hi.isoformat()]):
            closed[bucket][0 if is_won else 1] += count
            if is_won:
                money.add(bucket, currency, each, count, summed)
    # won value: 0.00 in a week or month that closed deals and won none, as its win rate
    # is 0; none at all where nothing closed
    return tuple(TrendPoint(start, int(created.get(i, 0)), closed[i][0], closed[i][1],
                            ratio(closed[i][0], closed[i][0] + closed[i][1]),
                            (money.value([i]) if i in money.totals else Decimal(0))
                            if sum(closed[i]) else None)
                 for i, start in buckets)



def _next(start: dt.date, grain: str) -> dt.date:
    return start + dt.timedelta(days=7) if grain == "week" else _add_months(start, 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    return month_start(month_of(day_number(day)) + months)
