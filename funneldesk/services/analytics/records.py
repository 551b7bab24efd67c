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
    # of the deals that reached it, those still in it (they have not had their chance to
    # move on yet), and the conversion of the others: what the funnel doctor judges
    waiting: int = 0
    decided_conversion: float | None = None


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
class GroupKpi:
    """Outcomes of the deals closed in the period, for one value of a customer's field
    (an industry, a region)."""

    group: str  # "" where the customer has none
    won: int
    lost: int
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


@dataclass(frozen=True)
class Cause:
    """A value over-represented among the deals lost or stuck at the bottleneck: its
    share there against its share of every deal that was in the stage, and how likely
    such a difference is by chance (Fisher's exact test, one-sided)."""

    dimension: str  # "source", "product", "owner", "size"
    key: str  # a stable code: the id, or the size band's bounds
    label: str
    stuck_or_lost: int  # of the deals lost or stuck at the stage, how many have it
    group: int  # deals lost or stuck at the stage
    in_stage: int  # of the deals that were in the stage, how many have it
    population: int  # deals that were in the stage
    p_value: float

    @property
    def lift(self) -> float:
        return (self.stuck_or_lost / self.group) / (self.in_stage / self.population)


@dataclass(frozen=True)
class Bottleneck:
    stage_id: int
    stage: str
    reason: str  # "low_conversion" or "long_time"
    reason_label: str
    # what makes it the bottleneck: the stage's figure, the reference it falls short of
    # ("target", "history", "rot_days" or "other_stages") and that reference's value
    numbers: dict[str, float | int | str | None]
    lost_reasons: tuple[ReasonCount, ...]  # the losses whose last open stage it was
    stuck: int  # deals in it now longer than its rot limit (or the target)
    causes: tuple[Cause, ...]
    suggestions: tuple[str, ...]


@dataclass(frozen=True)
class Anomaly:
    series: str  # "created", "won", "lost"
    series_label: str
    # the lead source's id for "created" per source ("none": the deals without one); ""
    # for the whole series
    key: str
    key_label: str
    grain: str  # "week" or "month"
    start: dt.date  # the week's Monday, or the month's first day
    value: int
    expected: float  # the median of the values before it
    low: float  # the expected range
    high: float
    z: float  # robust z-score


@dataclass(frozen=True)
class Correlation:
    """How an outcome goes with a factor, with its sample and a significance test."""

    outcome: str  # "win" (closed deals: won or lost) or "cycle" (won deals: days)
    factor: str  # "activities", "size", "score", "source", "industry", "region"
    factor_label: str
    test: str  # "spearman", "chi_square", "fisher", "kruskal"
    statistic: float | None  # None: Fisher's odds ratio where a group never lost
    effect: float  # Spearman's rho, or Cramér's V / epsilon² for groups
    p_value: float
    n: int
    significant: bool
    summary: str  # what it means, in the user's language


@dataclass(frozen=True)
class RepAtStage:
    """One rep against the rest of the team at one stage (None: no data)."""

    owner_id: int
    owner: str
    stage_id: int
    stage: str
    conversion: float | None
    team_conversion: float | None
    deals: int  # the rep's deals that reached the stage and left it
    days: float | None  # median
    team_days: float | None
    visits: int


@dataclass(frozen=True)
class TrainingNeed:
    """A rep significantly below the rest of the team at one stage."""

    owner_id: int
    owner: str
    stage_id: int
    stage: str
    kpi: str  # "conversion" or "days"
    rep_value: float
    team_value: float  # the rest of the team's
    gap: float  # rep − team (a share for conversion, days for time)
    n: int  # the rep's deals (conversion) or visits (days) at the stage
    team_n: int
    p_value: float
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Standing:
    """One KPI against its target."""

    kpi: str
    stage_id: int | None
    actual: float | None
    target: float  # as the period so far calls for
    status: str  # "green", "amber", "red", or "none" without an actual figure


@dataclass(frozen=True)
class KpiReport:
    """Everything ``funneldesk kpi`` gives: the core KPIs, the funnel doctor's findings,
    anomalies, correlations and training needs."""

    core: CoreKpis
    bottleneck: Bottleneck | None
    anomalies: tuple[Anomaly, ...]
    correlations: tuple[Correlation, ...]
    training_needs: tuple[TrainingNeed, ...]
    # each KPI that has a target for the period, against it
    standings: tuple[Standing, ...] = ()
    judged: bool = True  # False: no stage had deals enough for the doctor to judge
    reps: tuple[RepAtStage, ...] = ()  # each rep against the rest at every stage
    # outcomes of the deals closed in the period by their customer's industry, region
    by_industry: tuple[GroupKpi, ...] = ()
    by_region: tuple[GroupKpi, ...] = ()


@dataclass(frozen=True)
class ForecastAdjustment:
    """A manager's own forecast for a month, beside the computed one."""

    id: int
    version: int
    amount: Decimal  # base currency
    note: str
    by: str


@dataclass(frozen=True)
class ForecastMonth:
    """Open deals expected to close in one month (``start``), before this month (``late``,
    ``start`` None) or with no date (neither). Amounts in the base currency; None when a
    deal's currency has no rate."""

    start: dt.date | None
    late: bool
    deals: int
    value: Decimal | None  # every open deal's value
    weighted: Decimal | None  # value × stage probability
    commit: Decimal | None = None  # the deals their reps commit
    best_case: Decimal | None = None  # commit and best case deals
    adjusted: ForecastAdjustment | None = None
    target: Decimal | None = None  # the month's won-value target (the team's or the rep's)


@dataclass(frozen=True)
class TrendPoint:
    start: dt.date  # the week's Monday or the month's first day
    created: int
    won: int
    lost: int
    win_rate: float | None
    won_value: Decimal | None  # None: nothing won, or a currency without a rate


@dataclass(frozen=True)
class PlanEffect:
    """A training plan with the rep's figure before and after it (None: no data)."""

    plan_id: int
    version: int
    rep_id: int
    rep: str
    stage_id: int | None
    stage: str
    kpi: str
    topic: str
    planned_on: dt.date
    done_on: dt.date | None
    outcome: str
    before: float | None
    before_n: int
    after: float | None
    after_n: int


@dataclass(frozen=True)
class PaneFigures:
    """What the KPI pane beside the board shows: the funnel, the results, the forecast and
    the doctor's headline (its causes and advice are on the Insights page)."""

    core: CoreKpis
    forecast: tuple[ForecastMonth, ...]
    headline: str | None  # the bottleneck's sentence; None: no bottleneck
    standings: tuple[Standing, ...] = ()
    judged: bool = True  # False: no stage had deals enough for the doctor to judge


@dataclass(frozen=True)
class MoneyIn:
    """Contracted, collected and overdue amounts (base currency; None: nothing, or a
    currency without a rate), and return-visit satisfaction (1 to 5)."""

    contracted: Decimal | None
    collected: Decimal | None
    overdue: Decimal | None
    satisfaction: float | None
    visits: int
    satisfied: float | None  # the share of visits rated 4 or 5
    follow_ups: int  # visits that asked for a follow-up


@dataclass(frozen=True)
class Insights:
    """Everything the Insights page shows."""

    report: KpiReport
    forecast: tuple[ForecastMonth, ...]
    trends: tuple[TrendPoint, ...]
    grain: str  # "week" or "month"
    plans: tuple[PlanEffect, ...] = ()
    money_in: MoneyIn | None = None
