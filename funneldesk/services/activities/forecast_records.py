"""What the forecast board hands out."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from funneldesk.services.common.records import ChangeSet, Total

MONTHS_SHOWN = 6  # months on the board, from the first one shown
PAST = "past"  # the column of deals expected before the first month shown
UNDATED = "undated"  # the column of deals with no expected close date


def month_key(month: dt.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def add_months(month: dt.date, count: int) -> dt.date:
    """The first day of the month ``count`` months after ``month``'s."""
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def day_in_month(month: dt.date, before: dt.date | None,
                 today: dt.date | None = None) -> dt.date:
    """The day a deal dropped on ``month`` is expected to close: the same day of the
    month as before (the month's last, if shorter), or its last day if it had no date;
    never before ``today`` (a drop on this month of a day gone by: today)."""
    last = calendar.monthrange(month.year, month.month)[1]
    day = dt.date(month.year, month.month, last if before is None else min(before.day, last))
    return max(day, today) if today is not None and month <= today else day


@dataclass(frozen=True, slots=True)
class ForecastCard:
    deal_id: int
    version: int
    title: str
    company: str
    stage: str
    probability: int
    owner_id: int
    owner: str
    value: Decimal
    currency: str
    expected_close: dt.date | None


@dataclass(frozen=True, slots=True)
class ForecastColumn:
    key: str  # "2026-12", PAST or UNDATED
    month: dt.date | None  # the month's first day (None: PAST and UNDATED)
    cards: tuple[ForecastCard, ...]  # by expected close, then value, largest first
    total: Total  # in the base currency, weighted by each deal's stage probability


@dataclass(frozen=True, slots=True)
class Forecast:
    pipeline_id: int
    first_month: dt.date
    base_currency: str
    columns: tuple[ForecastColumn, ...]


@dataclass(frozen=True, slots=True)
class CloseDateResult:
    """A deal's expected close date changed (a card dragged to another month)."""

    deal_id: int
    version: int
    before: dt.date | None
    after: dt.date | None
    changes: ChangeSet
