"""The periods a manager picks the KPIs for: all data, this or last month, quarter or
year, the last 12 months, or dates of their own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from funneldesk.i18n import _

PERIODS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("all", lambda: _("All data")),
    ("this_month", lambda: _("This month")),
    ("last_month", lambda: _("Last month")),
    ("this_quarter", lambda: _("This quarter")),
    ("last_quarter", lambda: _("Last quarter")),
    ("this_year", lambda: _("This year")),
    ("last_12_months", lambda: _("Last 12 months")),
    ("custom", lambda: _("Dates…")),
)


def period_dates(code: str, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day of a named period (None, None: all data). This month,
    quarter or year runs to its last day, so that its targets apply; the figures are
    those of today."""
    month = today.replace(day=1)
    quarter = month.replace(month=(month.month - 1) // 3 * 3 + 1)
    if code == "this_month":
        return month, _months_before(month, -1) - dt.timedelta(days=1)
    if code == "last_month":
        last = month - dt.timedelta(days=1)
        return last.replace(day=1), last
    if code == "this_quarter":
        return quarter, _months_before(quarter, -3) - dt.timedelta(days=1)
    if code == "last_quarter":
        last = quarter - dt.timedelta(days=1)
        return last.replace(month=(last.month - 1) // 3 * 3 + 1, day=1), last
    if code == "this_year":
        return today.replace(month=1, day=1), today.replace(month=12, day=31)
    if code == "last_12_months":
        return _months_before(month, 11), today
    return None, None


def _months_before(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)
