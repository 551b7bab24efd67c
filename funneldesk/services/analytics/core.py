"""The core KPIs of one pipeline, exactly as docs/ARCHITECTURE.md defines them: deals,
win rate, sales cycle, won value, weighted pipeline, the stages' reach, conversion, time
and open deals, and the breakdowns by owner, source and product, and lost reasons.

A handful of SQL aggregates, each one pass over a covering index (ix_deals_stage_figures,
ix_stage_visits_stage_days) or the derived tables: no query returns a row per deal.
Distributions of days come back as (days, count) histograms, from which the mean and
median are exact. Money is summed in integer hundredths, each deal converted to the base
currency and rounded on its own (services/common/conversion.py).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from funneldesk.enums import StageKind
from funneldesk.i18n import _
from funneldesk.money import from_storage
from funneldesk.services.analytics.records import (
    CoreKpis,
    Days,
    DealCounts,
    GroupKpi,
    KpiRequest,
    OwnerKpi,
    ProductKpi,
    ReasonCount,
    SourceKpi,
    StageKpi,
    ratio,
)
from funneldesk.services.common.conversion import RunningTotal
from funneldesk.services.common.local_days import day_number, start_of
from funneldesk.services.common.records import CurrencyRates
from funneldesk.services.common.sql import Query

# a day of a closed_on column (ISO text) as a local day number
CLOSED_DAY = "CAST(julianday(d.closed_on) - 2440587.5 AS INTEGER)"


@dataclass(frozen=True)
class Stage:
    id: int
    name: str
    kind: StageKind
    position: int
    probability: int
    rot_days: int | None
    live: bool  # not deleted (a deleted stage keeps its history, and its place)


@dataclass(frozen=True)
class Scope:
    """A request made concrete: the pipeline's stages, the SQL that picks its deals, and
    the period as local day numbers and ISO dates."""

    pipeline_id: int
    pipeline: str
    stages: tuple[Stage, ...]  # every stage of the pipeline, deleted ones included
    request: KpiRequest
    zone: str
    as_of: int | None  # Unix seconds just after the period's last day; None: now

    @property
    def opens(self) -> list[Stage]:
        """Open stages in the funnel's order, deleted ones included."""
        return sorted((s for s in self.stages if s.kind is StageKind.OPEN),
                      key=lambda s: (s.position, s.id))

    def of_kind(self, kind: StageKind) -> list[int]:
        return [s.id for s in self.stages if s.kind is kind]

    def deals(self, stage_ids: Sequence[int] | None = None) -> tuple[str, list[Any]]:
        """SQL condition on ``d`` (deals) for the scope's deals (in ``stage_ids`` only,
        if given), with its parameters."""
        ids = [s.id for s in self.stages] if stage_ids is None else list(stage_ids)
        sql = [f"d.stage_id IN ({marks(ids)}) AND d.deleted_at IS NULL"]
        params: list[Any] = list(ids)
        r = self.request
        if r.owner_ids is not None:
            sql.append(f"d.owner_id IN ({marks(r.owner_ids)})")
            params += r.owner_ids
        if r.source_id is not None:
            sql.append("d.lead_source_id = ?")
            params.append(r.source_id)
        if r.product_id is not None:
            sql.append("d.product_id = ?")
            params.append(r.product_id)
        return " AND ".join(sql), params

    @property
    def filtered(self) -> bool:
        r = self.request
        return r.owner_ids is not None or r.source_id is not None or r.product_id is not None

    def created(self) -> tuple[str, list[Any]]:
        """SQL condition on ``p`` (deal_progress): created in the period."""
        return _between("p.created_day", *self.day_range())

    def closed(self) -> tuple[str, list[Any]]:
        """SQL condition on ``d``: closed in the period."""
        r = self.request
        return _between("d.closed_on", r.date_from and r.date_from.isoformat(),
                        r.date_to and r.date_to.isoformat())

    def left(self) -> tuple[str, list[Any]]:
        """SQL condition on ``v`` (stage_visits): the visit ended in the period."""
        return _between("v.left_day", *self.day_range())

    def day_range(self) -> tuple[int | None, int | None]:
        r = self.request
        return (None if r.date_from is None else day_number(r.date_from),
                None if r.date_to is None else day_number(r.date_to))


def scope_of(query: Query, request: KpiRequest, zone: str,
             now: dt.datetime | None = None) -> Scope:
    from funneldesk.errors import NotFound
    from funneldesk.services.pipeline.reads import read_pipelines

    pipelines = read_pipelines(query)
    if request.pipeline_id is None:
        if not pipelines:
            raise NotFound("pipeline", 0)
        pipeline_id, name = pipelines[0]
    else:
        named = dict(pipelines)
        if request.pipeline_id not in named:
            raise NotFound("pipeline", request.pipeline_id)
        pipeline_id, name = request.pipeline_id, named[request.pipeline_id]
    stages = tuple(
        Stage(int(i), str(n), StageKind[k], int(p), int(prob), rot, deleted is None)
        for i, n, k, p, prob, rot, deleted in query(
            "SELECT id, name, kind, position, probability, rot_days, deleted_at FROM stages "
            "WHERE pipeline_id = ?", (pipeline_id,)))
    as_of = None
    if request.date_to is not None:
        as_of = int(start_of(request.date_to + dt.timedelta(days=1), zone).timestamp())
        if as_of >= (now or dt.datetime.now(dt.UTC)).timestamp():
            as_of = None  # a period that ends later: as of now, each deal's current stage
    return Scope(pipeline_id, name, stages, request, zone, as_of)


Gather = Callable[[Sequence[Callable[[], Any]]], list[Any]]


def one_by_one(tasks: Sequence[Callable[[], Any]]) -> list[Any]:
    return [task() for task in tasks]


def compute(query: Query, scope: Scope, rates: CurrencyRates,
            gather: Gather = one_by_one) -> CoreKpis:
    """The KPIs of ``scope``. ``gather`` runs the independent queries (each a task that
    returns its result) and returns their results in order: one after the other, or at
    once on several connections (AnalyticsService)."""
    opens = scope.opens
    won_ids, lost_ids = scope.of_kind(StageKind.WON), scope.of_kind(StageKind.LOST)
    cohort, closed, cycles, open_now, stay, reasons = gather([
        lambda: _cohort(query, scope, won_ids),
        lambda: _closed(query, scope, won_ids, lost_ids, rates),
        lambda: _cycles(query, scope, won_ids),
        lambda: _open_now(query, scope, opens, rates),
        lambda: _time_in_stage(query, scope, [s.id for s in opens]),
        lambda: _reasons(query, scope, lost_ids)])

    reached = _reached(cohort.furthest, scope)
    live = [s for s in opens if s.live]
    stage_rows = []
    for i, stage in enumerate(live):
        after = reached[live[i + 1].id] if i + 1 < len(live) else cohort.won
        waiting = cohort.waiting[stage.id]
        stage_rows.append(StageKpi(
            stage.id, stage.name, stage.probability, stage.rot_days, reached[stage.id],
            ratio(after, reached[stage.id]), days_of(stay.get(stage.id, {})),
            open_now.count[stage.id], open_now.value(stage.id), waiting,
            ratio(after, reached[stage.id] - waiting)))
    won, lost = closed.count("won"), closed.count("lost")
    return CoreKpis(
        scope.pipeline_id, scope.pipeline, scope.request.date_from, scope.request.date_to,
        rates.base_currency, scope.zone,
        DealCounts(cohort.total, sum(open_now.count.values()), won, lost),
        ratio(won, won + lost), days_of(_merged(cycles.values())),
        closed.won_value(None) if won + lost else None,
        open_now.weighted(), tuple(stage_rows),
        _owners(query, cohort, closed, cycles), _sources(query, cohort),
        _products(query, closed, open_now), reasons,
        tuple(sorted(closed.missing | open_now.missing)))


# --- the queries ---------------------------------------------------------------------


@dataclass
class _Cohort:
    """Deals created in the period."""

    total: int
    won: int  # of those, in the Won stage now
    furthest: Counter[int | None]  # deals by the furthest stage reached
    by_owner: Counter[int]
    by_source: Counter[int | None]
    won_by_source: Counter[int | None]
    # deals still in the furthest stage they reached (open there, or won/lost: then the
    # stage is Won or Lost and never an open one)
    waiting: Counter[int | None]


def _cohort(query: Query, scope: Scope, won_ids: list[int]) -> _Cohort:
    deals, params = scope.deals()
    created, more = scope.created()
    rows = query(
        f"SELECT p.furthest_stage_id, d.owner_id, d.lead_source_id, "
        f"d.stage_id IN ({marks(won_ids) or 'NULL'}), d.stage_id = p.furthest_stage_id, "
        f"count(*) FROM deals d JOIN deal_progress p ON p.deal_id = d.id "
        f"WHERE {deals} {created} GROUP BY 1, 2, 3, 4, 5", [*won_ids, *params, *more])
    result = _Cohort(0, 0, Counter(), Counter(), Counter(), Counter(), Counter())
    for furthest, owner, source, is_won, still_there, count in rows:
        result.total += count
        result.furthest[furthest] += count
        if still_there:
            result.waiting[furthest] += count
        result.by_owner[owner] += count
        result.by_source[source] += count
        if is_won:
            result.won += count
            result.won_by_source[source] += count
    return result


class Money:
    """Totals in the base currency by key, from grouped rows (see ``add``)."""

    def __init__(self, rates: CurrencyRates) -> None:
        self.rates = rates
        self.totals: dict[Hashable, RunningTotal] = {}
        self.missing: set[str] = set()

    def add(self, key: Hashable, currency: str, amount: Any, count: int, summed: Any,
            weighted: Any = None, probability: int = 100) -> None:
        """One grouped row: base-currency deals come summed (``summed`` hundredths, and
        ``weighted``: the sum of each one's weighted hundredths), other currencies one
        amount at a time (``amount``, ``count`` deals of it)."""
        total = self.totals.get(key)
        if total is None:
            total = self.totals[key] = RunningTotal(self.rates, probability)
        if amount is None:
            cents = int(summed)
            total.add_line((cents, cents if weighted is None else int(weighted)), currency)
            return
        line = total.line(from_storage(amount), currency)
        if line is None:
            self.missing.add(currency)
        total.add_line(line, currency, count)

    def value(self, keys: Iterable[Hashable], weighted: bool = False) -> Decimal | None:
        """The sum over ``keys`` (of the weighted values, if ``weighted``); None over no
        deal at all, or when one of them has no rate."""
        found = [self.totals[key].result() for key in keys if key in self.totals]
        if not found or any(total.missing for total in found):
            return None
        return sum((t.weighted if weighted else t.known for t in found), Decimal(0))


@dataclass
class _Closed:
    """Deals closed in the period: counts by (outcome, owner, product), won value."""

    counts: Counter[tuple[str, int, int | None]]
    money: Money

    @property
    def missing(self) -> set[str]:
        return self.money.missing

    def count(self, outcome: str, owner: int | None = None, product: Any = ...) -> int:
        return sum(n for (o, who, what), n in self.counts.items() if o == outcome
                   and (owner is None or who == owner) and (product is ... or what == product))

    def won_value(self, owner: int | None, product: Any = ...) -> Decimal | None:
        """What the won deals among these came to: 0.00 when some closed and none was won
        (a known nothing, as a win rate of 0 is); None when a rate is missing."""
        keys = [k for k in self.money.totals if isinstance(k, tuple) and k[0] == "won"
                and (owner is None or k[1] == owner) and (product is ... or k[2] == product)]
        return self.money.value(keys) if keys else Decimal(0)


def _closed(query: Query, scope: Scope, won_ids: list[int], lost_ids: list[int],
            rates: CurrencyRates) -> _Closed:
    rows = _closed_sums(query, scope, won_ids, lost_ids, rates,
                        ["d.owner_id", "d.product_id"])
    result = _Closed(Counter(), Money(rates))
    for is_won, owner, product, currency, each, count, summed in rows:
        outcome = "won" if is_won else "lost"
        result.counts[outcome, owner, product] += count
        if is_won:
            result.money.add((outcome, owner, product), currency, each, count, summed)
    return result


def _closed_sums(query: Query, scope: Scope, won_ids: list[int], lost_ids: list[int],
                 rates: CurrencyRates, keys: Sequence[str], join: str = "") -> list[Any]:
    """The deals closed in the period, grouped by whether they were won, ``keys`` (SQL on
    ``d`` and ``join``), their currency and (in another than the base) each amount: rows
    of (won, *keys, currency, amount or None, count, summed amount), as Money adds them."""
    deals, params = scope.deals([*won_ids, *lost_ids])
    closed, more = scope.closed()
    amount = "COALESCE(d.won_value, d.value)"
    grouped = ", ".join(str(n) for n in range(1, len(keys) + 4))
    return query(
        f"SELECT d.stage_id IN ({marks(won_ids) or 'NULL'}), {', '.join(keys)}, d.currency, "
        f"CASE WHEN d.currency = ? THEN NULL ELSE {amount} END, count(*), sum({amount}) "
        f"FROM deals d {join} WHERE {deals} {closed} GROUP BY {grouped}",
        [*won_ids, rates.base_currency, *params, *more])


def _cycles(query: Query, scope: Scope, won_ids: list[int]) -> dict[int, Counter[int]]:
    """Sales cycles of the deals won in the period: per owner, days -> deals."""
    deals, params = scope.deals(won_ids)
    closed, more = scope.closed()
    rows = query(
        f"SELECT d.owner_id, max(0, {CLOSED_DAY} - p.created_day), count(*) "
        f"FROM deals d JOIN deal_progress p ON p.deal_id = d.id "
        f"WHERE {deals} {closed} GROUP BY 1, 2", [*params, *more])
    result: dict[int, Counter[int]] = defaultdict(Counter)
    for owner, days, count in rows:
        result[owner][int(days)] += count
    return result


@dataclass
class _Open:
    """Deals open as of the period's end: counts and money by (stage, product)."""

    counts: Counter[tuple[int, int | None]]
    money: Money

    @property
    def count(self) -> Counter[int]:
        by_stage: Counter[int] = Counter()
        for (stage, _product), n in self.counts.items():
            by_stage[stage] += n
        return by_stage

    @property
    def missing(self) -> set[str]:
        return self.money.missing

    def value(self, stage: int) -> Decimal | None:
        return self.money.value(k for k in self.money.totals if k[0] == stage)  # type: ignore[index]

    def weighted(self) -> Decimal | None:
        return self.money.value(self.money.totals, weighted=True)


def _open_now(query: Query, scope: Scope, opens: list[Stage], rates: CurrencyRates) -> _Open:
    ids = [s.id for s in opens]
    chance = " ".join(f"WHEN {s.id} THEN {s.probability}" for s in opens)
    weight = f"(CASE {{stage}} {chance} ELSE 0 END)" if opens else "0"
    result = _Open(Counter(), Money(rates))
    if not ids:
        return result
    if scope.as_of is None:  # now: each deal's current stage
        deals, params = scope.deals(ids)
        stage, source, extra, more = "d.stage_id", "deals d", "", []
    else:  # then: the stage each deal was in just before the period's end
        deals, params = scope.deals()
        stage, source = "v.stage_id", "stage_visits v JOIN deals d ON d.id = v.deal_id"
        extra = (f"AND v.stage_id IN ({marks(ids)}) AND v.entered_s < ? "
                 f"AND (v.left_s IS NULL OR v.left_s >= ?)")
        more = [*ids, scope.as_of, scope.as_of]
    w = weight.format(stage=stage)
    rows = query(
        f"SELECT {stage}, d.product_id, d.currency, CASE WHEN d.currency = ? THEN NULL "
        f"ELSE d.value END, count(*), sum(d.value), sum((d.value * {w} + 50) / 100) "
        f"FROM {source} WHERE {deals} {extra} GROUP BY 1, 2, 3, 4",
        [rates.base_currency, *params, *more])
    probability = {s.id: s.probability for s in opens}
    for stage_id, product, currency, each, count, summed, weighted in rows:
        result.counts[stage_id, product] += count
        result.money.add((stage_id, product), currency, each, count, summed, weighted,
                         probability[stage_id])
    return result


def _time_in_stage(query: Query, scope: Scope, stage_ids: list[int]
                   ) -> dict[int, Counter[int]]:
    """Completed visits that ended in the period: per stage, days -> visits."""
    if not stage_ids:
        return {}
    left, more = scope.left()
    stages = f"v.stage_id IN ({marks(stage_ids)}) AND v.days IS NOT NULL {left}"
    result: dict[int, Counter[int]] = defaultdict(Counter)
    # some deals' visits: from the deals, through the index of their visits (CROSS JOIN
    # keeps SQLite from reading every visit and looking up its deal instead)
    per_deal = (f"SELECT v.stage_id, v.days, count(*) FROM deals d CROSS JOIN stage_visits v "
                f"ON v.deal_id = d.id WHERE {{deals}} AND +{stages} GROUP BY 1, 2")
    if scope.filtered:
        deals, params = scope.deals()
        sign = {1: query(per_deal.format(deals=deals), [*params, *stage_ids, *more])}
    else:
        # every visit of the pipeline's stages, one pass over the index, less those of the
        # deals in the Trash (few): a join to every deal would cost three times as much
        rows = query(f"SELECT v.stage_id, v.days, count(*) FROM stage_visits v "
                     f"WHERE {stages} GROUP BY 1, 2", [*stage_ids, *more])
        every = [s.id for s in scope.stages]
        trashed = query(per_deal.format(
            deals=f"d.stage_id IN ({marks(every)}) AND d.deleted_at IS NOT NULL"),
            [*every, *stage_ids, *more])
        sign = {1: rows, -1: trashed}
    for factor, found in sign.items():
        for stage, days, count in found:
            result[stage][int(days)] += factor * count
    return result


def by_customer(query: Query, scope: Scope, rates: CurrencyRates
                ) -> tuple[tuple[GroupKpi, ...], tuple[GroupKpi, ...]]:
    """Outcomes of the deals closed in the period by their customer's industry and region
    (province): one grouped pass over the closed deals and their companies. Not one of
    the core KPIs (the pane never shows them): the report reads them."""
    won_ids, lost_ids = scope.of_kind(StageKind.WON), scope.of_kind(StageKind.LOST)
    rows = _closed_sums(query, scope, won_ids, lost_ids, rates,
                        ["COALESCE(c.industry, '')", "COALESCE(c.province, '')"],
                        "LEFT JOIN companies c ON c.id = d.company_id")
    result = []
    for column in (1, 2):
        counts: Counter[tuple[str, bool]] = Counter()
        money = Money(rates)
        for row in rows:
            group, is_won = str(row[column]), bool(row[0])
            counts[group, is_won] += row[5]
            if is_won:
                money.add(group, row[3], row[4], row[5], row[6])
        groups = {g for g, _w in counts}
        shown = [GroupKpi(g, counts[g, True], counts[g, False],
                          ratio(counts[g, True], counts[g, True] + counts[g, False]),
                          money.value([g]) if g in money.totals else Decimal(0))
                 for g in groups]
        result.append(tuple(sorted(shown, key=lambda x: (-(x.won + x.lost), x.group))))
    return result[0], result[1]


def _reasons(query: Query, scope: Scope, lost_ids: list[int]) -> tuple[ReasonCount, ...]:
    deals, params = scope.deals(lost_ids)
    closed, more = scope.closed()
    listed = query(
        f"SELECT d.lost_reason_id, r.label, count(*) FROM deals d "
        f"JOIN lost_reasons r ON r.id = d.lost_reason_id "
        f"WHERE {deals} {closed} GROUP BY 1", [*params, *more])
    typed = query(  # reasons typed in, not chosen from the list: few, read from the rows
        f"SELECT trim(d.lost_reason_text), count(*) FROM deals d "
        f"WHERE {deals} AND d.lost_reason_id IS NULL {closed} GROUP BY 1", [*params, *more])
    reasons = [ReasonCount(int(i), str(label), int(n)) for i, label, n in listed]
    reasons += [ReasonCount(None, str(text) or _("No reason given"), int(n))
                for text, n in typed]
    return tuple(sorted(reasons, key=lambda r: (-r.count, r.reason)))


# --- the breakdowns ------------------------------------------------------------------


def _owners(query: Query, cohort: _Cohort, closed: _Closed,
            cycles: Mapping[int, Counter[int]]) -> tuple[OwnerKpi, ...]:
    ids = set(cohort.by_owner) | {owner for (_o, owner, _p) in closed.counts}
    names = _names(query, "SELECT id, display_name FROM users", ids)
    rows = []
    for owner in ids:
        won, lost = closed.count("won", owner), closed.count("lost", owner)
        rows.append(OwnerKpi(owner, names.get(owner, "?"), cohort.by_owner[owner], won, lost,
                             ratio(won, won + lost),
                             closed.won_value(owner) if won + lost else None,
                             days_of(cycles.get(owner, Counter()))))
    return tuple(sorted(rows, key=lambda r: (r.owner, r.owner_id)))


def in_base(hundredths: int, currency: str, rates: CurrencyRates) -> float | None:
    """A deal's stored value in the base currency, as a number for statistics (None
    without a rate): deal sizes in several currencies are compared in one."""
    if currency == rates.base_currency:
        return hundredths / 100
    rate = rates.rates.get(currency)
    return None if rate is None else float(rate) * hundredths / 100


def source_names(query: Query) -> dict[int, str]:
    """Every lead source's name as shown (a seeded one in the user's language)."""
    from funneldesk.services.team.lead_sources import shown

    return {int(i): shown(code, str(label))
            for i, code, label in query("SELECT id, code, label FROM lead_sources", ())}


def _sources(query: Query, cohort: _Cohort) -> tuple[SourceKpi, ...]:
    names = source_names(query)
    rows = [SourceKpi(source, names.get(source, "") if source is not None
                      else _("No source"), n, cohort.won_by_source[source],
                      ratio(cohort.won_by_source[source], n))
            for source, n in cohort.by_source.items()]
    return tuple(sorted(rows, key=lambda r: (-r.deals, r.source)))


def _products(query: Query, closed: _Closed, open_now: _Open) -> tuple[ProductKpi, ...]:
    ids = {p for (_o, _w, p) in closed.counts} | {p for (_s, p) in open_now.counts}
    names = _names(query, "SELECT id, name FROM products", ids)
    rows = []
    for product in ids:
        won, lost = closed.count("won", product=product), closed.count("lost", product=product)
        still = sum(n for (_s, p), n in open_now.counts.items() if p == product)
        rows.append(ProductKpi(product, names.get(product, "") if product is not None
                               else _("No product"), won, lost, still, ratio(won, won + lost),
                               closed.won_value(None, product) if won + lost else None))
    return tuple(sorted(rows, key=lambda r: (-(r.won + r.lost + r.open), r.product)))


# --- helpers -------------------------------------------------------------------------


def _reached(furthest: Mapping[int | None, int], scope: Scope) -> Counter[int]:
    """Per open stage, the deals whose furthest stage is it or a later one (Won: all)."""
    opens = scope.opens
    rank = {s.id: i for i, s in enumerate(opens, start=1)}
    for won in scope.of_kind(StageKind.WON):
        rank[won] = len(opens) + 1
    reached: Counter[int] = Counter()
    for stage_id, count in furthest.items():
        got = rank.get(stage_id, 0) if stage_id is not None else 0
        for stage in opens[:got]:
            reached[stage.id] += count
    return reached


def days_of(histogram: Mapping[int, int]) -> Days:
    """The mean, the exact median and the count of a histogram: days -> how many."""
    n = sum(histogram.values())
    if n <= 0:
        return Days(None, None, 0)
    ordered = sorted(histogram.items())
    mean = sum(d * c for d, c in ordered) / n

    def at(position: int) -> int:  # the value at a 0-based position in the sorted list
        seen = 0
        for days, count in ordered:
            seen += count
            if position < seen:
                return days
        raise AssertionError("position beyond the histogram")

    median = (at((n - 1) // 2) + at(n // 2)) / 2
    return Days(mean, median, n)


def _merged(histograms: Iterable[Mapping[int, int]]) -> Counter[int]:
    total: Counter[int] = Counter()
    for histogram in histograms:
        total.update(histogram)
    return total


def _names(query: Query, sql: str, ids: set[Any]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return {int(i): str(n) for i, n in query(f"{sql} WHERE id IN ({marks(wanted)})", wanted)}


def marks(values: Sequence[Any] | tuple[Any, ...]) -> str:
    return ", ".join("?" * len(values))


def _between(column: str, low: Any, high: Any) -> tuple[str, list[Any]]:
    sql, params = "", []
    if low is not None:
        sql += f" AND {column} >= ?"
        params.append(low)
    if high is not None:
        sql += f" AND {column} <= ?"
        params.append(high)
    return sql, params
