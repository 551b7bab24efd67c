"""The numbers under each chart, as plain tables of text in the user's language: the
Insights page shows them (and copies them), the KPI report prints them. A figure with no
data reads "–"."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from funneldesk import formatting
from funneldesk.i18n import _, ngettext, pgettext
from funneldesk.services.analytics.records import Insights
from funneldesk.services.analytics.target_kinds import KPIS

NO_DATA = "–"


@dataclass(frozen=True)
class Cell:
    text: str
    tip: str = ""
    status: str = ""  # a target's "green", "amber" or "red"


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric: tuple[bool, ...]  # right-aligned columns
    empty: str = ""  # what to say instead when there are no rows
    notes: tuple[str, ...] = field(default=())  # lines said above the table


def percent(ratio: float | None) -> str:
    return NO_DATA if ratio is None else formatting.percent(ratio)


def days(value: float | None) -> str:
    return NO_DATA if value is None else formatting.decimal(value)


def money(amount: Decimal | None, currency: str) -> str:
    return NO_DATA if amount is None else formatting.money(amount, currency)


def missing_rates(currencies: Sequence[str]) -> str:
    if not currencies:
        return ""
    return _("Totals that need a rate for {currencies} are not shown: set one under "
             "Settings ▸ Exchange rates.").format(
        currencies=formatting.listing(list(currencies)))


def status_words(status: str) -> str:
    return {"green": _("Target met"), "amber": _("Close to the target"),
            "red": _("Short of the target"), "none": _("No figure yet")}[status]


def target_tip(standing: Any, shown: str) -> str:
    """A KPI's tooltip beside its target: where it stands, and the target so far."""
    return _("{standing}: target {target} for the period so far").format(
        standing=status_words(standing.status), target=shown)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str | Cell]],
           numeric: Sequence[bool], empty: str = "", notes: Sequence[str] = ()) -> Table:
    return Table(tuple(headers),
                 tuple(tuple(c if isinstance(c, Cell) else Cell(c) for c in r) for r in rows),
                 tuple(numeric), empty, tuple(notes))


def _numbers(count: int) -> tuple[bool, ...]:
    return (False,) + (True,) * (count - 1)


def month_label(month: Any) -> str:
    if month.start is not None:
        return formatting.month(month.start)
    return _("Before this month") if month.late else _("No date")


def all_tables(insights: Insights) -> dict[str, Table]:
    """Every table of the Insights page and the report, by section."""
    report, k = insights.report, insights.report.core
    c = k.currency
    stages = k.stages
    names = {s.stage_id: s.name for s in stages}
    standing = {(t.kpi, t.stage_id): t for t in report.standings}

    def against(kpi: str, stage_id: int, text: str) -> str | Cell:
        """A stage's figure in its target's colour, as the pane shows it."""
        t = standing.get((kpi, stage_id))
        if t is None:
            return text
        target = percent(t.target) if kpi == "conversion" else days(t.target)
        return Cell(text, target_tip(t, target), t.status)

    tables = {
        "funnel": _table(
            [_("Stage"), _("Reached"), _("To next"), _("Open now"), _("Open value")],
            [[s.name, formatting.number(s.reached),
              against("conversion", s.stage_id, percent(s.conversion_to_next)),
              formatting.number(s.open_now), money(s.open_value, c)] for s in stages],
            _numbers(5)),
        "time": _table(
            [_("Stage"), _("Median days"), _("Mean days"), _("Visits"), _("Rot limit")],
            [[s.name, against("days_in_stage", s.stage_id, days(s.days.median)),
              days(s.days.mean), formatting.number(s.days.n),
              str(s.rot_days) if s.rot_days else NO_DATA] for s in stages], _numbers(5)),
        "results": _table([_("Figure"), pgettext("kpi", "Value")], [
            [_("Deals created"), formatting.number(k.deals.total)],
            [_("Open at the end"), formatting.number(k.deals.open)],
            [_("Won"), formatting.number(k.deals.won)],
            [_("Lost"), formatting.number(k.deals.lost)],
            [_("Win rate"), percent(k.win_rate)],
            [_("Sales cycle, mean (days)"), days(k.cycle.mean)],
            [_("Sales cycle, median (days)"), days(k.cycle.median)],
            [_("Won value"), money(k.won_value, c)],
            [_("Weighted pipeline"), money(k.weighted_pipeline, c)]], (False, True)),
        "forecast": _forecast(insights),
        "trends": _trends(insights),
        "sources": _table(
            [_("Lead source"), _("Deals created"), _("Won"), _("Conversion")],
            [[s.source, formatting.number(s.deals), formatting.number(s.won),
              percent(s.conversion)] for s in k.by_source], _numbers(4)),
        "reasons": _table([_("Reason"), pgettext("kpi", "Deals")],
                          [[r.reason, formatting.number(r.count)] for r in k.lost_reasons],
                          _numbers(2)),
        "owners": _table(
            [_("Owner"), _("Deals created"), _("Won"), _("Lost"), _("Win rate"),
             _("Won value"), _("Cycle, mean"), _("Cycle, median")],
            [[o.owner, formatting.number(o.deals), formatting.number(o.won),
              formatting.number(o.lost), percent(o.win_rate), money(o.won_value, c),
              days(o.cycle.mean), days(o.cycle.median)] for o in k.by_owner], _numbers(8)),
        "products": _table(
            [_("Product"), _("Won"), _("Lost"), pgettext("kpi", "Open"), _("Win rate"),
             _("Won value")],
            [[p.product, formatting.number(p.won), formatting.number(p.lost),
              formatting.number(p.open), percent(p.win_rate), money(p.won_value, c)]
             for p in k.by_product], _numbers(6)),
        "targets": _targets(insights, names),
        "doctor": _doctor(insights),
        "anomalies": _table(
            [_("Series"), _("Week or month of"), pgettext("kpi", "Value"), _("Expected"),
             _("z")],
            [[_series_name(a), formatting.date(a.start) if a.grain == "week"
              else formatting.month(a.start), formatting.number(a.value),
              f"{formatting.decimal(a.low)}–{formatting.decimal(a.high)}",
              formatting.decimal(a.z, 1)] for a in report.anomalies[:ANOMALIES_SHOWN]],
            (False, False, True, True, True), _("No value outside its expected range.")),
        "correlations": _table(
            [_("Outcome"), _("Factor"), _("What it means"), pgettext("kpi", "Deals"), _("p")],
            [[_("Winning") if x.outcome == "win" else _("Sales cycle"), x.factor_label,
              Cell(x.summary, x.summary), formatting.number(x.n), p_value(x.p_value)]
             for x in report.correlations],
            (False, False, False, True, True), _("Too few closed deals to test.")),
        "coaching": _table(
            [_("Rep"), _("Stage"), _("Figure"), _("The rep's"), _("Rest of the team"),
             _("Deals or visits"), _("p"), _("Suggested topics")],
            [[t.owner, t.stage, _("Conversion") if t.kpi == "conversion" else _("Median days"),
              _kpi_value(t.kpi, t.rep_value), _kpi_value(t.kpi, t.team_value),
              f"{t.n} / {t.team_n}", p_value(t.p_value), "; ".join(t.topics)]
             for t in report.training_needs],
            (False, False, False, True, True, True, True, False),
            _("No rep is significantly below the rest of the team at any stage.")),
        "plans": _plans(insights),
        "money": _money_in(insights),
        "industries": _groups(report.by_industry, _("Industry"), c),
        "regions": _groups(report.by_region, _("Region"), c),
        "reps": _table(
            [_("Rep"), _("Stage"), _("Conversion"), _("Rest of the team: conversion"),
             pgettext("kpi", "Deals"), _("Median days"), _("Rest of the team: median days"),
             _("Visits")],
            [[r.owner, r.stage, percent(r.conversion), percent(r.team_conversion),
              formatting.number(r.deals), days(r.days), days(r.team_days),
              formatting.number(r.visits)] for r in report.reps],
            (False, False, True, True, True, True, True, True),
            _("No rep's deals in the period.")),
    }
    return tables


ANOMALIES_SHOWN = 12  # the furthest from their range: the rest say little more


def _series_name(a: Any) -> str:
    """A series as the table names it: what, from which source, by week or by month."""
    grain = _("by week") if a.grain == "week" else _("by month")
    if a.key_label:
        return _("{series} · {source} ({grain})").format(series=a.series_label,
                                                        source=a.key_label, grain=grain)
    return _("{series} ({grain})").format(series=a.series_label, grain=grain)


def p_value(value: float) -> str:
    return "< 0.001" if value < 0.001 else formatting.decimal(value, 3)


def _kpi_value(kpi: str, value: float | None) -> str:
    return percent(value) if kpi == "conversion" else days(value)


def _forecast(insights: Insights) -> Table:
    c = insights.report.core.currency

    def own(m: Any) -> str | Cell:
        if m.adjusted is None:
            return NO_DATA
        return Cell(money(m.adjusted.amount, c),
                    _("{note} ({who})").format(note=m.adjusted.note or NO_DATA,
                                               who=m.adjusted.by))

    return _table(
        [_("Expected close"), pgettext("kpi", "Deals"), _("Commit"), _("Best case"),
         _("Total"), _("Weighted"), _("Your forecast"), _("Target")],
        [[month_label(m), formatting.number(m.deals), money(m.commit, c),
          money(m.best_case, c), money(m.value, c), money(m.weighted, c), own(m),
          money(m.target, c)] for m in insights.forecast], _numbers(8))


def trend_label(insights: Insights) -> Callable[[Any], str]:
    weekly = insights.grain == "week"
    return lambda day: formatting.date_short(day) if weekly else formatting.month_short(day)


def _trends(insights: Insights) -> Table:
    label = trend_label(insights)
    c = insights.report.core.currency
    return _table(
        [_("Week of") if insights.grain == "week" else _("Month"), pgettext("kpi", "Created"),
         _("Won"), _("Lost"), _("Win rate"), _("Won value")],
        [[label(p.start), formatting.number(p.created), formatting.number(p.won),
          formatting.number(p.lost), percent(p.win_rate), money(p.won_value, c)]
         for p in insights.trends], _numbers(6))


def _targets(insights: Insights, names: dict[int, str]) -> Table:
    c = insights.report.core.currency

    def shown(kpi: str, value: float | None) -> str:
        if value is None:
            return NO_DATA
        if kpi == "conversion":
            return formatting.percent(value)
        if kpi == "won_value":
            return money(Decimal(str(round(value, 2))), c)
        return formatting.decimal(value)

    return _table(
        [_("KPI"), _("Stage"), _("Figure"), _("Target so far"), _("Standing")],
        [[_(KPIS[t.kpi][0]), names.get(t.stage_id, "") if t.stage_id else "",
          shown(t.kpi, t.actual), shown(t.kpi, t.target),
          Cell(status_words(t.status), "", t.status)] for t in insights.report.standings],
        (False, False, True, True, False),
        _("No targets for this period (targets are set for a month, a quarter or a year)."))


def no_bottleneck(judged: bool, long: bool = False) -> str:
    """What the doctor says when it names no stage."""
    if not judged:
        return _("Too few deals yet for the doctor to judge a stage (ten at least).")
    if long:
        return _("No bottleneck among the stages with ten deals or more to judge: each is "
                 "within a tenth of its reference (its target, the year before, its rot "
                 "limit or the other stages).")
    return _("No bottleneck among the stages with ten deals or more to judge.")


def _doctor(insights: Insights) -> Table:
    b = insights.report.bottleneck
    if b is None:
        return _table([], [], [], no_bottleneck(insights.report.judged, long=True))
    notes = [b.reason_label]
    if b.lost_reasons:
        notes.append(_("Lost there: {reasons}.").format(reasons=formatting.listing(
            [_("{reason} ({deals})").format(reason=r.reason, deals=formatting.number(r.count))
             for r in b.lost_reasons])))
    if b.stuck:
        notes.append(ngettext("{n} deal there is past the rot limit now.",
                              "{n} deals there are past the rot limit now.",
                              b.stuck).format(n=formatting.number(b.stuck)))
    notes += [f"→ {advice}" for advice in b.suggestions]
    dimension = {"source": _("Lead source"), "product": _("Product"), "owner": _("Owner"),
                 "size": _("Deal size")}
    return _table(
        [_("Over-represented among deals lost or stuck there"), _("Of those"),
         _("Of all in the stage"), _("Times as common"), _("p")],
        [[_("{dimension}: {value}").format(dimension=dimension[x.dimension], value=x.label),
          f"{x.stuck_or_lost} / {x.group}",
          f"{x.in_stage} / {x.population}", formatting.decimal(x.lift, 2),
          p_value(x.p_value)] for x in b.causes],
        (False, True, True, True, True), "", notes)


def _plans(insights: Insights) -> Table:
    def figure(kpi: str, value: float | None, n: int) -> str:
        if value is None:
            return NO_DATA
        return _("{figure} (of {sample})").format(figure=_kpi_value(kpi, value), sample=n)

    def when(plan: Any) -> str:  # one column for both days, so that the table fits a page;
        # the day on a line of its own, never broken
        if plan.done_on is not None:
            return _("Done on\n{day}").format(day=formatting.date(plan.done_on))
        return _("Planned for\n{day}").format(day=formatting.date(plan.planned_on))

    followed = {"conversion": _("Conversion"), "days": _("Median days"), "": NO_DATA}
    return _table(
        [_("Rep"), _("Stage"), _("Topic"), _("When"), _("Figure"), _("Before"), _("After"),
         _("Outcome")],
        [[p.rep, p.stage, p.topic, when(p), followed[p.kpi],
          figure(p.kpi, p.before, p.before_n), figure(p.kpi, p.after, p.after_n),
          Cell(p.outcome, p.outcome)] for p in insights.plans],
        (False, False, False, False, False, True, True, False),
        _("No training planned yet."))


def _groups(groups: Sequence[Any], heading: str, currency: str) -> Table:
    return _table(
        [heading, _("Won"), _("Lost"), _("Win rate"), _("Won value")],
        [[g.group or _("Not given"), formatting.number(g.won), formatting.number(g.lost),
          percent(g.win_rate), money(g.won_value, currency)] for g in groups], _numbers(5),
        _("No deals closed in the period."))


def _money_in(insights: Insights) -> Table:
    m, c = insights.money_in, insights.report.core.currency
    if m is None:
        return _table([], [], [])
    return _table([_("Figure"), pgettext("kpi", "Value")], [
        [_("Contracted (signed in the period)"), money(m.contracted, c)],
        [_("Collected (received in the period)"), money(m.collected, c)],
        [_("Overdue at the end"), money(m.overdue, c)],
        [_("Return-visit satisfaction (1 to 5)"), days(m.satisfaction)],
        [_("Return visits rated"), formatting.number(m.visits)],
        [_("Rated 4 or 5"), percent(m.satisfied)],
        [_("Asked for a follow-up"), formatting.number(m.follow_ups)]], (False, True))
