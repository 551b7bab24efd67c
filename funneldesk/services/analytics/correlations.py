"""How the outcome goes with what a deal had: winning (of the deals closed in the period)
and the sales cycle (of those won) against the activities done on it, its size, its
assessment score, its lead source, and its customer's industry and region.

Each link comes with its sample and a test from scipy.stats: Spearman's rank correlation
for counts and amounts; for groups, chi-square (Fisher's exact test for two groups) on
winning and Kruskal-Wallis on the cycle. Groups of fewer than five deals are pooled as
"Other". A link is significant at p < 0.05 with at least 30 deals: five deals are not a
law, and strong enough to act on (p-values adjusted for the number of links tested,
Benjamini–Hochberg): |ρ| or Cramér's V of at least 0.1 (ε² of at least 0.01
for the cycle by group), since with thousands of deals a trivial difference is "significant"
too.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from funneldesk import formatting
from funneldesk.enums import StageKind
from funneldesk.i18n import _
from funneldesk.services.activities.assessment import team_weights
from funneldesk.services.activities.assessment_records import ScoreFields, value_score
from funneldesk.services.analytics.core import CLOSED_DAY, Scope, in_base, marks, source_names
from funneldesk.services.analytics.records import Correlation
from funneldesk.services.analytics.significance import adjusted
from funneldesk.services.common.sql import Query
from funneldesk.services.team.reads import currency_rates as team_rates

SIGNIFICANT = 0.05
MIN_DEALS = 30  # for a link to count as significant
MIN_TESTED = 10  # below this, no test is run at all
MIN_GROUP = 5
MIN_EFFECT = 0.1  # |ρ| or V below this is too weak to act on, however many deals


@dataclass(frozen=True)
class _Closed:
    won: bool
    cycle: int | None
    activities: int
    size: float | None  # in the base currency (None: no rate for the deal's)
    score: int | None
    source: str
    industry: str
    region: str


def find(query: Query, scope: Scope) -> tuple[Correlation, ...]:
    deals = _closed_deals(query, scope)
    won = [d for d in deals if d.won]
    numeric: dict[str, Callable[[_Closed], float | None]] = {
        "activities": lambda d: d.activities, "size": lambda d: d.size,
        "score": lambda d: d.score}
    groups: dict[str, Callable[[_Closed], str]] = {
        "source": lambda d: d.source, "industry": lambda d: d.industry,
        "region": lambda d: d.region}
    found: list[Correlation | None] = []
    for factor, value in numeric.items():
        found.append(_ranked("win", factor, [(value(d), float(d.won)) for d in deals]))
        found.append(_ranked("cycle", factor, [(value(d), d.cycle) for d in won]))
    for factor, group in groups.items():
        found.append(_win_by_group(factor, [(group(d), d.won) for d in deals]))
        found.append(_cycle_by_group(factor, [(group(d), d.cycle) for d in won
                                              if d.cycle is not None]))
    tested = [c for c in found if c is not None]
    # the links are a family: each p-value adjusted for the others, then judged again
    fair = adjusted([c.p_value for c in tested])
    return tuple(_judged(c, p) for c, p in zip(tested, fair, strict=True))


def _judged(c: Correlation, p: float) -> Correlation:
    significant = c.significant and p < SIGNIFICANT
    summary = c.summary if significant else _no_link(c.n, p)
    return dataclasses.replace(c, p_value=p, significant=significant, summary=summary)


def _closed_deals(query: Query, scope: Scope) -> list[_Closed]:
    """The closed deals' outcomes and factors. Each part is its own narrow query (the
    deals from their covering index, activities counted per deal from theirs, the
    customers and scorecards whole), put together per deal: the tests need every deal's
    values, and a join per deal in SQL would read the deals' wide rows."""
    won_ids, lost_ids = scope.of_kind(StageKind.WON), scope.of_kind(StageKind.LOST)
    if not won_ids and not lost_ids:
        return []
    deals, params = scope.deals([*won_ids, *lost_ids])
    closed, more = scope.closed()
    rows = query(
        f"SELECT d.id, d.stage_id IN ({marks(won_ids) or 'NULL'}), "
        f"max(0, {CLOSED_DAY} - p.created_day), d.value, d.currency, d.lead_source_id, "
        f"d.company_id "
        f"FROM deals d JOIN deal_progress p ON p.deal_id = d.id WHERE {deals} {closed}",
        [*won_ids, *params, *more])
    # the activities done before the deal closed: visits after the sale say nothing of
    # what won it
    done: dict[int, int] = dict(query(
        "SELECT a.deal_id, count(*) FROM activities a JOIN deals d ON d.id = a.deal_id "
        "WHERE a.state = 'DONE' AND d.closed_on IS NOT NULL "
        "AND a.closed_at < date(d.closed_on, '+1 day') GROUP BY a.deal_id", ()))

    sources = source_names(query)
    customers = {i: (industry, region) for i, industry, region in query(
        "SELECT id, industry, province FROM companies", ())}
    weights = team_weights(query)
    scores = {deal: value_score(ScoreFields.of(ratings), weights) for deal, *ratings in query(
        "SELECT deal_id, intent, budget, decision, timeline, position FROM scorecards", ())}
    none, not_given = _("No source"), _("Not given")
    result = []
    rates = team_rates(query)
    for ident, is_won, cycle, value, currency, source, company in rows:
        industry, region = customers.get(company, ("", ""))
        result.append(_Closed(bool(is_won), int(cycle) if is_won else None,
                              int(done.get(ident, 0)), in_base(int(value), str(currency), rates),
                              scores.get(ident),
                              sources.get(source, none) if source is not None else none,
                              industry or not_given, region or not_given))
    return result


def _ranked(outcome: str, factor: str, pairs: Sequence[tuple[float | None, float | None]]
            ) -> Correlation | None:
    from scipy.stats import spearmanr  # only here: scipy takes a while to import

    known = [(x, y) for x, y in pairs if x is not None and y is not None]
    xs, ys = [x for x, _y in known], [y for _x, y in known]
    n = len(known)
    if n < MIN_TESTED or len(set(xs)) < 2 or len(set(ys)) < 2:
        return None
    result = spearmanr(xs, ys)
    rho, p = float(result.statistic), float(result.pvalue)
    if math.isnan(rho) or math.isnan(p):
        return None
    significant = p < SIGNIFICANT and n >= MIN_DEALS and abs(rho) >= MIN_EFFECT
    return Correlation(outcome, factor, _factor_label(factor), "spearman", rho, rho, p, n,
                       significant, _ranked_summary(outcome, factor, rho, p, n, significant))


def _pooled(pairs: Sequence[tuple[str, Any]]) -> list[tuple[str, Any]]:
    sizes = Counter(group for group, _v in pairs)
    other = _("Other")
    return [(group if sizes[group] >= MIN_GROUP else other, value) for group, value in pairs]


def _win_by_group(factor: str, pairs: Sequence[tuple[str, bool]]) -> Correlation | None:
    import numpy as np
    from scipy.stats import chi2_contingency, fisher_exact

    pooled = _pooled(pairs)
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for group, won in pooled:
        table[group][0 if won else 1] += 1
    n = len(pooled)
    if n < MIN_TESTED or len(table) < 2 or not all(sum(col) for col in zip(*table.values(),
                                                                             strict=True)):
        return None
    rows = [table[g] for g in sorted(table)]
    if len(rows) == 2:
        statistic, p = fisher_exact(np.array(rows))
        test = "fisher"
    else:
        chi2 = chi2_contingency(rows)
        statistic, p, test = chi2.statistic, chi2.pvalue, "chi_square"
    chi_square = float(chi2_contingency(rows, correction=False).statistic)
    effect = math.sqrt(chi_square / n)  # Cramér's V of a table with two columns
    rates = {g: won / (won + lost) for g, (won, lost) in table.items()}
    best, worst = max(rates, key=lambda g: rates[g]), min(rates, key=lambda g: rates[g])
    significant = float(p) < SIGNIFICANT and n >= MIN_DEALS and effect >= MIN_EFFECT
    summary = _("Win rates differ by {factor}: {best} {best_rate}, {worst} {worst_rate}."
                ).format(factor=_factor_phrase(factor), best=best,
                         best_rate=formatting.percent(rates[best]), worst=worst,
                         worst_rate=formatting.percent(rates[worst])) if significant else \
        _no_link(n, float(p))
    value = float(statistic)  # Fisher's odds ratio is infinite when a group never lost
    return Correlation("win", factor, _factor_label(factor), test,
                       value if math.isfinite(value) else None, effect, float(p), n,
                       significant, summary)


def _cycle_by_group(factor: str, pairs: Sequence[tuple[str, int | None]]
                    ) -> Correlation | None:
    import statistics

    from scipy.stats import kruskal

    pooled = _pooled(pairs)
    groups: dict[str, list[int]] = defaultdict(list)
    for group, days in pooled:
        groups[group].append(int(days))
    n = len(pooled)
    if n < MIN_TESTED or len(groups) < 2 or len({d for _g, d in pooled}) < 2:
        return None
    result = kruskal(*groups.values())
    h, p = float(result.statistic), float(result.pvalue)
    effect = h / (n - 1)  # epsilon squared: H / ((n² − 1) / (n + 1))
    medians = {g: statistics.median(v) for g, v in groups.items()}
    fast, slow = min(medians, key=lambda g: medians[g]), max(medians, key=lambda g: medians[g])
    significant = p < SIGNIFICANT and n >= MIN_DEALS and effect >= MIN_EFFECT ** 2
    summary = _("Sales cycles differ by {factor}: {fast} {fast_days} days (median), "
                "{slow} {slow_days}.").format(
        factor=_factor_phrase(factor), fast=fast, fast_days=formatting.decimal(medians[fast]),
        slow=slow, slow_days=formatting.decimal(medians[slow])) if significant else \
        _no_link(n, p)
    return Correlation("cycle", factor, _factor_label(factor), "kruskal", h, max(0.0, effect),
                       p, n, significant, summary)


def _ranked_summary(outcome: str, factor: str, rho: float, p: float, n: int,
                    significant: bool) -> str:
    if not significant:
        return _no_link(n, p)
    more = rho > 0
    sentences = {
        ("win", "activities"): (_("Deals with more activities done are won more often."),
                                _("Deals with more activities done are won less often.")),
        ("win", "size"): (_("Larger deals are won more often."),
                          _("Larger deals are won less often.")),
        ("win", "score"): (_("Deals with a higher assessment score are won more often."),
                           _("Deals with a higher assessment score are won less often.")),
        ("cycle", "activities"): (_("Deals with more activities done take longer to win."),
                                  _("Deals with more activities done are won sooner.")),
        ("cycle", "size"): (_("Larger deals take longer to win."),
                            _("Larger deals are won sooner.")),
        ("cycle", "score"): (_("Deals with a higher assessment score take longer to win."),
                             _("Deals with a higher assessment score are won sooner.")),
    }
    sentence = sentences[outcome, factor][0 if more else 1]
    return _("{sentence} (ρ = {rho}, n = {sample})").format(
        sentence=sentence, rho=formatting.decimal(rho, 2), sample=n)


def _no_link(n: int, p: float) -> str:
    return _("No link the data can vouch for yet (n = {sample}, p = {p}).").format(
        sample=n, p="< 0.001" if p < 0.001 else formatting.decimal(p, 3))


def _factor_phrase(factor: str) -> str:
    """A factor's name inside a sentence ("Win rates differ by lead source")."""
    return {"source": _("lead source"), "industry": _("industry"),
            "region": _("region")}[factor]


def _factor_label(factor: str) -> str:
    return {"activities": _("Activities done"), "size": _("Deal size"),
            "score": _("Assessment score"), "source": _("Lead source"),
            "industry": _("Industry"), "region": _("Region")}[factor]
