"""The funnel doctor: which stage holds the funnel back, why, and what to do about it.

The bottleneck is the stage whose conversion (of the deals that have left it: those still
in it have not had their chance) falls furthest below its reference, or whose time runs
furthest over it, relative to that reference: the manager's target where there
is one, else the team's own history (the 12 months before the period), else for time the
stage's rot limit, else the other stages (their median). A stage needs ten deals (or
visits) to be judged, and must fall short by a tenth.

Its probable causes come from the deals lost or stuck there: their lost reasons, and the
sources, products, reps and deal sizes over-represented among them against every deal
that was in the stage, each with Fisher's exact test so that five deals are not read as
a law. Suggestions are the managers' rules (services/analytics/rules.py) that match.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from funneldesk import formatting
from funneldesk.enums import StageKind
from funneldesk.i18n import _
from funneldesk.services.analytics.core import Scope, in_base, marks, source_names
from funneldesk.services.analytics.records import (
    Bottleneck,
    Cause,
    CoreKpis,
    ReasonCount,
    StageKpi,
)
from funneldesk.services.analytics.significance import adjusted
from funneldesk.services.common.local_days import day_number
from funneldesk.services.common.sql import Query

MIN_SAMPLE = 10  # deals (or visits) a stage needs before it is judged
MIN_GAP = 0.10  # how far short of its reference a stage must fall to be the bottleneck
SIGNIFICANT = 0.05
LOW_CONVERSION, LONG_TIME = "low_conversion", "long_time"
# targets by (kpi, stage id): "conversion" (0..1) and "days" (a median)
Targets = Mapping[tuple[str, int], float]


@dataclass(frozen=True)
class Candidate:
    stage: StageKpi
    reason: str
    gap: float  # how far short of the reference, as a share of it
    compared_with: str
    reference: float


def candidates(k: CoreKpis, history: CoreKpis | None, targets: Targets) -> list[Candidate]:
    """Every stage that falls short of a reference by at least MIN_GAP, worst first."""
    before = {s.stage_id: s for s in history.stages} if history is not None else {}
    conversions = [s.decided_conversion for s in k.stages
                   if s.decided_conversion is not None and _decided(s) >= MIN_SAMPLE]
    medians = [s.days.median for s in k.stages
               if s.days.median is not None and s.days.n >= MIN_SAMPLE]
    found = []
    for stage in k.stages:
        old = before.get(stage.stage_id)
        rate = stage.decided_conversion
        if rate is not None and _decided(stage) >= MIN_SAMPLE:
            refs = _references(
                targets.get(("conversion", stage.stage_id)),
                old.decided_conversion if old and _decided(old) >= MIN_SAMPLE else None,
                None, statistics.median(conversions) if len(conversions) > 1 else None)
            for compared, ref in refs[:1]:  # the first there is: target, history, others
                if ref > 0 and rate < ref:
                    found.append(Candidate(stage, LOW_CONVERSION, (ref - rate) / ref,
                                           compared, ref))
        if stage.days.median is not None and stage.days.n >= MIN_SAMPLE:
            refs = _references(
                targets.get(("days", stage.stage_id)),
                old.days.median if old and old.days.n >= MIN_SAMPLE else None,
                stage.rot_days, statistics.median(medians) if len(medians) > 1 else None)
            for compared, ref in refs[:1]:
                if ref > 0 and stage.days.median > ref:
                    found.append(Candidate(stage, LONG_TIME,
                                           (stage.days.median - ref) / ref, compared, ref))
    return sorted((c for c in found if c.gap >= MIN_GAP), key=lambda c: -c.gap)


def _decided(stage: StageKpi) -> int:
    """The deals that reached the stage and have left it (moved on, or lost): those
    still in it have not had their chance yet, and would make a young period's funnel
    look like a leak."""
    return stage.reached - stage.waiting


def judged(k: CoreKpis) -> bool:
    """Whether any stage has enough deals that left it, or visits, to be judged at all
    (as ``candidates`` judges them)."""
    return any(_decided(s) >= MIN_SAMPLE or s.days.n >= MIN_SAMPLE for s in k.stages)


def _references(target: float | None, history: float | None, rot: int | None,
                stages: float | None) -> list[tuple[str, float]]:
    named = (("target", target), ("history", history), ("rot_days", rot),
             ("other_stages", stages))
    return [(name, float(value)) for name, value in named if value is not None]


def reason_label(c: Candidate) -> str:
    compared = {"target": _("the target"), "history": _("the previous 12 months"),
                "rot_days": _("the rot limit"), "other_stages": _("the other stages")}
    if c.reason == LOW_CONVERSION:
        return _("Few deals move on from {stage}: {rate} of those that left it, against "
                 "{reference} ({compared}).").format(stage=c.stage.name,
                          rate=formatting.percent(c.stage.decided_conversion or 0.0),
                          reference=formatting.percent(c.reference),
                          compared=compared[c.compared_with])
    return _("Deals stay long in {stage}: a median of {length} days against {reference} "
             "({compared}).").format(stage=c.stage.name, length=_number(c.stage.days.median),
                                     reference=_number(c.reference),
                                     compared=compared[c.compared_with])


def numbers(c: Candidate) -> dict[str, float | int | str | None]:
    s = c.stage
    return {"reached": s.reached, "conversion_to_next": s.conversion_to_next,
            "still_in_stage": s.waiting, "conversion_of_those_that_left": s.decided_conversion,
            "days_in_stage_median": s.days.median, "days_in_stage_mean": s.days.mean,
            "visits": s.days.n, "open_now": s.open_now, "rot_days": s.rot_days,
            "compared_with": c.compared_with, "reference": c.reference, "gap": c.gap}


def _number(value: float | None) -> str:
    return "–" if value is None else formatting.decimal(value)


# --- causes --------------------------------------------------------------------------


def diagnose(query: Query, scope: Scope, c: Candidate, now: dt.datetime,
             suggestions: Sequence[str]) -> Bottleneck:
    lost = _lost_at(query, scope, c.stage.stage_id)
    stuck = _stuck_in(query, scope, c.stage, now)
    population = _in_stage(query, scope, c.stage.stage_id)
    group = {deal for deal, _r in lost} | stuck
    reasons = Counter(r for _deal, r in lost)
    labels = _names(query, "SELECT id, label FROM lost_reasons")
    listed = tuple(sorted((ReasonCount(r if isinstance(r, int) else None,
                                       labels.get(r, "") if isinstance(r, int)
                                       else (r or _("No reason given")), n)
                           for r, n in reasons.items()), key=lambda x: (-x.count, x.reason)))
    return Bottleneck(c.stage.stage_id, c.stage.name, c.reason, reason_label(c), numbers(c),
                      listed, len(stuck), over_represented(query, population, group),
                      tuple(suggestions))


MIN_LOSSES = 5  # losses at a stage before their reasons' shares mean anything


def lost_shares(query: Query, scope: Scope, stage_id: int) -> dict[int, float]:
    """Each listed lost reason's share of the losses whose last open stage was this one
    (none below MIN_LOSSES losses: two deals lost on price are not "many")."""
    lost = _lost_at(query, scope, stage_id)
    reasons = Counter(r for _d, r in lost if isinstance(r, int))
    return {r: n / len(lost) for r, n in reasons.items()} if len(lost) >= MIN_LOSSES else {}


def _lost_at(query: Query, scope: Scope, stage_id: int) -> list[tuple[int, int | str]]:
    """(deal, reason id or typed reason) of the deals lost in the period straight from
    the stage."""
    lost_ids = scope.of_kind(StageKind.LOST)
    if not lost_ids:
        return []
    deals, params = scope.deals(lost_ids)
    closed, more = scope.closed()
    rows = query(
        f"SELECT d.id, d.lost_reason_id, trim(d.lost_reason_text) FROM stage_visits lv "
        f"JOIN stage_visits pv ON pv.deal_id = lv.deal_id AND pv.left_s = lv.entered_s "
        f"JOIN deals d ON d.id = lv.deal_id WHERE lv.stage_id IN ({marks(lost_ids)}) "
        f"AND lv.left_s IS NULL AND pv.stage_id = ? AND {deals} {closed}",
        [*lost_ids, stage_id, *params, *more])
    return [(int(d), int(r) if r is not None else str(t)) for d, r, t in rows]


def _stuck_in(query: Query, scope: Scope, stage: StageKpi, now: dt.datetime) -> set[int]:
    """Deals in the stage at the period's end for more calendar days than its rot limit."""
    if stage.rot_days is None:
        return set()
    end = scope.as_of if scope.as_of is not None else int(now.timestamp())
    today = now.astimezone(ZoneInfo(scope.zone)).date()
    end_day = day_number(min(scope.request.date_to or today, today))
    deals, params = scope.deals()
    rows = query(
        f"SELECT v.deal_id FROM stage_visits v JOIN deals d ON d.id = v.deal_id "
        f"WHERE v.stage_id = ? AND v.entered_day < ? AND (v.left_s IS NULL OR v.left_s > ?) "
        f"AND {deals}", [stage.stage_id, end_day - stage.rot_days, end, *params])
    return {int(r[0]) for r in rows}


@dataclass(frozen=True)
class _Deal:
    id: int
    source: int | None
    product: int | None
    owner: int
    value: float | None  # in the base currency (None: no rate for the deal's)


def _in_stage(query: Query, scope: Scope, stage_id: int) -> list[_Deal]:
    """Every deal that was in the stage during the period."""
    deals, params = scope.deals()
    start, _end = scope.day_range()
    period = ""
    extra: list[Any] = []
    if start is not None:
        period += " AND (v.left_day IS NULL OR v.left_day >= ?)"
        extra.append(start)
    if scope.as_of is not None:
        period += " AND v.entered_s < ?"
        extra.append(scope.as_of)
    rows = query(
        f"SELECT DISTINCT d.id, d.lead_source_id, d.product_id, d.owner_id, d.value, d.currency "
        f"FROM stage_visits v JOIN deals d ON d.id = v.deal_id "
        f"WHERE v.stage_id = ? {period} AND {deals}", [stage_id, *extra, *params])
    from funneldesk.services.team.reads import currency_rates

    rates = currency_rates(query)
    return [_Deal(int(i), s, p, int(o), in_base(int(v), str(c), rates))
            for i, s, p, o, v, c in rows]


def over_represented(query: Query, population: list[_Deal], group: set[int],
                     limit: int = 6) -> tuple[Cause, ...]:
    """Sources, products, reps and size bands more common among ``group`` than among
    ``population``, significant by Fisher's exact test, the most certain first."""
    import numpy as np
    from scipy.stats import fisher_exact  # only here: scipy takes a while to import

    size = len(population)
    inside = [d for d in population if d.id in group]
    if size < MIN_SAMPLE or len(inside) < 5 or len(inside) == size:
        return ()
    bands = _size_bands([d.value for d in population if d.value is not None])
    names = {
        "source": source_names(query),
        "product": _names(query, "SELECT id, name FROM products"),
        "owner": _names(query, "SELECT id, display_name FROM users"),
    }
    keys: dict[str, Callable[[_Deal], Any]] = {"source": lambda d: d.source, "product": lambda d: d.product,
            "owner": lambda d: d.owner,
            "size": lambda d: None if d.value is None else _band(bands, d.value)}
    found = []
    for dimension, key in keys.items():
        everyone = Counter(key(d) for d in population)
        among = Counter(key(d) for d in inside)
        for value, n in among.items():
            if dimension == "size" and value is None:
                continue  # a deal without a rate has no size to compare
            total = everyone[value]
            if n < 5:
                continue
            table = [[n, len(inside) - n], [total - n, size - len(inside) - (total - n)]]
            p_value = float(fisher_exact(np.array(table), alternative="greater").pvalue)
            label = _band_label(bands, value) if dimension == "size" else (
                names[dimension].get(value, "") if value is not None else _("None"))
            found.append(Cause(dimension, str(value), label, n, len(inside), total, size,
                               p_value))
    # every value tested is one of a family, the ones less common among the group too:
    # p-values adjusted for their number before any is picked for being over-represented
    fair = adjusted([c.p_value for c in found])
    kept = [dataclasses.replace(c, p_value=p) for c, p in zip(found, fair, strict=True)
            if p < SIGNIFICANT and c.lift > 1]
    return tuple(sorted(kept, key=lambda c: (c.p_value, -c.lift))[:limit])


def _size_bands(values: list[float]) -> list[int]:
    """The quartiles' upper bounds (whole units of the base currency): four bands of
    deal size."""
    if len(values) < 4:
        return []
    cuts = statistics.quantiles(values, n=4, method="inclusive")
    return sorted({int(c) for c in cuts})


def _band(bands: list[int], value: float) -> int:
    return next((i for i, bound in enumerate(bands) if value <= bound), len(bands))


def _band_label(bands: list[int], band: int) -> str:
    def amount(units: int) -> str:
        return formatting.number(units)

    if not bands:
        return _("Any size")
    if band == 0:
        return _("Up to {amount}").format(amount=amount(bands[0]))
    if band >= len(bands):
        return _("Over {amount}").format(amount=amount(bands[-1]))
    return _("{low} to {high}").format(low=amount(bands[band - 1]), high=amount(bands[band]))


def _names(query: Query, sql: str) -> dict[int, str]:
    return {int(i): str(n) for i, n in query(sql, ())}


def period_before(scope: Scope) -> tuple[dt.date, dt.date] | None:
    """The team's own history for a period: the year before it (None without a start)."""
    start = scope.request.date_from
    if start is None:
        return None
    return start - dt.timedelta(days=365), start - dt.timedelta(days=1)

