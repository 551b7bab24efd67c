"""What the KPIs are: plain records, free of SQL and Qt (the pane, the report and the
command all read these)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class KpiRequest:
    """What to compute: a pipeline (None: the first), a period of local calendar days
    (inclusive; None: unbounded), and filters (None: all)."""

    pipeline_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    owner_ids: tuple[int, ...] | None = None
    source_id: int | None = None
    product_id: int | None = None


@dataclass(frozen=True)
class Days:
    """A distribution of whole days: mean and median (None without data) over ``n``."""

    mean: float | None
    median: float | None
    n: int


@dataclass(frozen=True)
class StageKpi:
    stage_id: int
    name: str
    probability: int
    rot_days: int | None
    reached: int
    conversion_to_next: float | None
    days: Days  # completed visits that ended in the period
    open_now: int
    # in the base currency; None when a deal's currency has no rate
    open_value: Decimal | None


@dataclass(frozen=True)
class OwnerKpi:
    owner_id: int
    owner: str
    deals: int  # created in the period
    won: int  # closed in the period
    lost: int
    win_rate: float | None
    won_value: Decimal | None
    cycle: Days


@dataclass(frozen=True)
class SourceKpi:
    source_id: int | None
    source: str
    deals: int  # created in the period
    won: int  # of those, won
    conversion: float | None


@dataclass(frozen=True)
class ProductKpi:
    product_id: int | None
    product: str
    won: int
    lost: int
    open: int
    win_rate: float | None
    won_value: Decimal | None


@dataclass(frozen=True)
class ReasonCount:
    reason_id: int | None
    reason: str
    count: int


@dataclass(frozen=True)
class DealCounts:
    total: int  # created in the period
    open: int  # open as of the period's end
    won: int  # closed in the period
    lost: int


@dataclass(frozen=True)
class CoreKpis:
    pipeline_id: int
    pipeline: str
    date_from: dt.date | None
    date_to: dt.date | None
    currency: str
    zone: str
    deals: DealCounts
    win_rate: float | None
    cycle: Days
    won_value: Decimal | None
    weighted_pipeline: Decimal | None
    stages: tuple[StageKpi, ...]
    by_owner: tuple[OwnerKpi, ...]
    by_source: tuple[SourceKpi, ...]
    by_product: tuple[ProductKpi, ...]
    lost_reasons: tuple[ReasonCount, ...]
    # currencies some amount was in that have no rate (the totals that needed them are None)
    missing_rates: tuple[str, ...] = field(default=())


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None
