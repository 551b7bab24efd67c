"""Weekly and monthly values outside their expected range: leads per source, deals won
and lost. Each value of the period (without one, the last four weeks or two months) is
set against the values before it with a robust z-score, 0.6745 × (value − median) / MAD
(Iglewicz and Hoaglin), so that one odd week in the history does not hide the next; a
score beyond ±3.5 is an anomaly. Only whole weeks and months are judged (the one still
running is not). A series needs eight earlier values, and some spread; its history starts
with its own first value (the weeks before a source was used are not weeks without leads).
Each series is reported once, at its latest value out of range.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict

from funneldesk.enums import StageKind
from funneldesk.i18n import _
from funneldesk.services.analytics.core import CLOSED_DAY, Scope, source_names
from funneldesk.services.analytics.records import Anomaly
from funneldesk.services.common.local_days import (
    day_number,
    month_of,
    month_start,
    week_of,
    week_start,
)
from funneldesk.services.common.sql import Query

THRESHOLD = 3.5
MIN_HISTORY = 8
WEEKS, MONTHS = 26, 24  # how far back each series looks
RECENT = {"week": 4, "month": 2}  # what is checked without a period


# the key of the deals without a lead source, apart from "" (the whole series)
NO_SOURCE = "none"


def find(query: Query, scope: Scope, today: dt.date) -> tuple[Anomaly, ...]:
    end = scope.request.date_to or today
    deals, params = scope.deals()
    [(began,)] = query(f"SELECT min(p.created_day) FROM deals d JOIN deal_progress p "
                       f"ON p.deal_id = d.id WHERE {deals}", params)
    if began is None:
        return ()
    found: list[Anomaly] = []
    for grain, bucket, start_of, span in (
            ("week", week_of, week_start, WEEKS), ("month", month_of, month_start, MONTHS)):
        # the last whole week or month: one still running is not judged on its days so far
        last = bucket(day_number(min(end, today)) + 1) - 1
        # no earlier than the first deal: the weeks before it are not weeks without leads
        first = max(last - span + 1, bucket(int(began)))
        checked_from = (bucket(day_number(scope.request.date_from))
                        if scope.request.date_from else last - RECENT[grain] + 1)
        for series, key, label, values in _series(query, scope, grain, first, last):
            # a series (a new lead source) starts with its own first value
            start = min((i for i, v in values.items() if v), default=first)
            for index in range(max(checked_from, start + MIN_HISTORY), last + 1):
                history = [values.get(i, 0) for i in range(start, index)]
                scored = _score(values.get(index, 0), history)
                if scored is not None and abs(scored[0]) >= THRESHOLD:
                    z, median, spread = scored
                    found.append(Anomaly(series, _series_label(series), key, label, grain,
                                         start_of(index), values.get(index, 0), median,
                                         max(0.0, median - spread), median + spread, z))
    # each series once: its latest value out of range (a run of odd weeks is one story)
    latest: dict[tuple[str, str, str], Anomaly] = {}
    for anomaly in sorted(found, key=lambda a: a.start):
        latest[anomaly.series, anomaly.key, anomaly.grain] = anomaly
    return tuple(sorted(latest.values(), key=lambda a: (-abs(a.z), a.start)))


def _score(value: int, history: list[int]) -> tuple[float, float, float] | None:
    """(robust z, median, half-width of the expected range) or None without spread."""
    if len(history) < MIN_HISTORY:
        return None
    median = statistics.median(history)
    mad = statistics.median(abs(x - median) for x in history)
    if mad > 0:
        z = 0.6745 * (value - median) / mad
        return z, median, THRESHOLD * mad / 0.6745
    # over half the values equal: the mean absolute deviation stands in (scaled to agree
    # with the MAD on a normal distribution)
    mean_ad = statistics.fmean(abs(x - median) for x in history)
    if mean_ad == 0:
        return None
    z = (value - median) / (1.253314 * mean_ad)
    return z, median, THRESHOLD * 1.253314 * mean_ad


Series = tuple[str, str, str, dict[int, int]]


def _series(query: Query, scope: Scope, grain: str, first: int, last: int) -> list[Series]:
    bucket_sql = _WEEK_SQL if grain == "week" else _MONTH_SQL
    deals, params = scope.deals()
    start_of = week_start if grain == "week" else month_start
    lo, hi = start_of(first), start_of(last + 1)
    created = query(
        f"SELECT {bucket_sql.format(day='p.created_day')}, d.lead_source_id, count(*) "
        f"FROM deals d JOIN deal_progress p ON p.deal_id = d.id WHERE {deals} "
        f"AND p.created_day >= ? AND p.created_day < ? GROUP BY 1, 2",
        [*params, day_number(lo), day_number(hi)])
    names = source_names(query)
    total: dict[int, int] = defaultdict(int)
    by_source: dict[int | None, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for index, source, n in created:
        total[int(index)] += n
        by_source[source][int(index)] += n
    result: list[Series] = [("created", "", "", total)]
    if len(by_source) > 1:  # with one source, its series is the whole one
        result += [("created", str(source) if source is not None else NO_SOURCE,
                    names.get(source, "") if source is not None else _("No source"), values)
                   for source, values in by_source.items()]
    for kind, code in ((StageKind.WON, "won"), (StageKind.LOST, "lost")):
        ids = scope.of_kind(kind)
        if not ids:
            continue
        deals, params = scope.deals(ids)
        rows = query(
            f"SELECT {bucket_sql.format(day=CLOSED_DAY)}, count(*) FROM deals d "
            f"WHERE {deals} AND d.closed_on >= ? AND d.closed_on < ? GROUP BY 1",
            [*params, lo.isoformat(), hi.isoformat()])
        result.append((code, "", "", {int(i): int(n) for i, n in rows}))
    return result


def _series_label(code: str) -> str:
    return {"created": _("New deals"), "won": _("Deals won"), "lost": _("Deals lost")}[code]


# weeks start on Monday: day 0 (1970-01-01) was a Thursday
_WEEK_SQL = "(({day}) + 3) / 7"
# months as year × 12 + month − 1
_MONTH_SQL = ("(CAST(strftime('%Y', ({day}) * 86400, 'unixepoch') AS INTEGER) * 12 "
              "+ CAST(strftime('%m', ({day}) * 86400, 'unixepoch') AS INTEGER) - 1)")

