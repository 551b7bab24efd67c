"""What the deals list shows, as the filter bar and saved views keep it (no Qt here).

A view is a query plus an optional date period relative to today ("closing this month"),
so that a saved view still means this month next month. Views are kept in the settings
per database file, since the ids they hold (owners, stages) belong to one database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from funneldesk.i18n import N_, _
from funneldesk.services.dto import DateRange, DealQuery, query_from_dict, query_to_dict

# the date a view's period applies to: a field of DealQuery
DATE_FIELDS = {"created": N_("Created"), "expected_close": N_("Expected close"),
               "closed": N_("Closed")}
PERIODS = {
    "this_month": N_("This month"), "next_month": N_("Next month"),
    "last_month": N_("Last month"), "next_30": N_("Next 30 days"),
    "last_30": N_("Last 30 days"), "this_year": N_("This year"), "custom": N_("Custom"),
}


# the name the view a first start offers is kept under (shown translated: view_label)
DEFAULT_VIEW = "funneldesk:my-open-deals-closing-this-month"


def view_label(name: str) -> str:
    """A saved view's name as the list of views shows it, in the current language."""
    return _("My open deals closing this month") if name == DEFAULT_VIEW else name


def _month(first: dt.date, months: int) -> DateRange:
    year, month = divmod(first.month - 1 + months, 12)
    start = dt.date(first.year + year, month + 1, 1)
    following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return DateRange(start, following - dt.timedelta(days=1))


NO_DAYS = DateRange()
DEFAULT_QUERY = DealQuery()


def with_days(query: DealQuery, field: str, days: DateRange) -> DealQuery:
    """``query`` with ``days`` as the range of its date ``field`` (a key of DATE_FIELDS)."""
    if field == "created":
        return replace(query, created=days)
    if field == "expected_close":
        return replace(query, expected_close=days)
    if field == "closed":
        return replace(query, closed=days)
    return query


def days_of(query: DealQuery, field: str) -> DateRange:
    ranges = {"created": query.created, "expected_close": query.expected_close,
              "closed": query.closed}
    return ranges.get(field, NO_DAYS)


def period_range(period: str, today: dt.date, custom: DateRange = NO_DAYS) -> DateRange:
    """The days of ``period`` (a key of PERIODS) as of ``today``."""
    first = today.replace(day=1)
    ranges = {
        "this_month": lambda: _month(first, 0),
        "next_month": lambda: _month(first, 1),
        "last_month": lambda: _month(first, -1),
        "next_30": lambda: DateRange(today, today + dt.timedelta(days=30)),
        "last_30": lambda: DateRange(today - dt.timedelta(days=30), today),
        "this_year": lambda: DateRange(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)),
    }
    return ranges[period]() if period in ranges else custom


@dataclass(frozen=True)
class ListView:
    """The filters and sort of the list; ``date_field`` "" when no date is filtered."""

    query: DealQuery = DEFAULT_QUERY
    date_field: str = ""
    period: str = "this_month"

    def resolved(self, today: dt.date) -> DealQuery:
        """The query, its date period as of ``today`` (a custom period keeps its days)."""
        cleared = replace(self.query, created=DateRange(), expected_close=DateRange(),
                          closed=DateRange())
        if self.date_field not in DATE_FIELDS:
            return cleared
        custom = days_of(self.query, self.date_field)
        return with_days(cleared, self.date_field, period_range(self.period, today, custom))

    def to_dict(self) -> dict[str, Any]:
        return {"query": query_to_dict(self.query), "date_field": self.date_field,
                "period": self.period}

    @classmethod
    def from_dict(cls, data: object) -> ListView:
        if not isinstance(data, dict):
            return cls()
        query = data.get("query")
        field, period = data.get("date_field"), data.get("period")
        return cls(query_from_dict(query if isinstance(query, dict) else {}),
                   field if isinstance(field, str) and field in DATE_FIELDS else "",
                   period if isinstance(period, str) and period in PERIODS else "this_month")
