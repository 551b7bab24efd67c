"""``funneldesk kpi``: a pipeline's KPIs for a period, as text or as JSON."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from funneldesk.cli.common import opened_services
from funneldesk.i18n import _


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                 common: argparse.ArgumentParser) -> None:
    from funneldesk.services.analytics.definitions import DEFINITIONS

    command = sub.add_parser(
        "kpi", parents=[common], help=_("a pipeline's KPIs for a period"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=_("Prints a pipeline's KPIs: deals, win rate, sales cycle, won value, "
                      "weighted pipeline, each stage's reach, conversion and time, and the "
                      "breakdowns by owner, lead source and product."),
        epilog="\n\n".join(d.shown() for d in DEFINITIONS))
    command.add_argument("--from", dest="date_from", type=_day, metavar="DATE",
                         help=_("the period's first day (YYYY-MM-DD); without it, from the "
                                "start"))
    command.add_argument("--to", dest="date_to", type=_day, metavar="DATE",
                         help=_("the period's last day (YYYY-MM-DD); without it, up to now"))
    command.add_argument("--owner", metavar="NAME",
                         help=_("only the deals of this owner (display name or login)"))
    command.add_argument("--pipeline", metavar="NAME",
                         help=_("the pipeline (by default the first)"))
    output = command.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help=_("write JSON"))
    output.add_argument("--pdf", type=Path, metavar="FILE",
                        help=_("write the KPI report (charts, tables, targets and the "
                               "funnel doctor's findings) as a PDF"))
    command.set_defaults(run=run)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text} is not a date (write it as YYYY-MM-DD)").format(text=text)) from None


def run(args: argparse.Namespace) -> int:
    with opened_services(args) as services:
        request = services.analytics.request_for(
            date_from=args.date_from, date_to=args.date_to, pipeline=args.pipeline,
            owner=args.owner)
        viewer = services.users.current()  # a rep reads their own figures only
        if args.pdf is not None:
            services.analytics.write_report(request, args.pdf, owner_name=args.owner,
                                            viewer=viewer)
            print(_("Written: {path}").format(path=args.pdf))
            return 0
        report = services.analytics.report(request, viewer=viewer)
    if args.json:
        # allow_nan=False: a figure that is not a number must be null, never "Infinity"
        json.dump(as_json(report), sys.stdout, ensure_ascii=False, indent=1, allow_nan=False)
        print()
    else:
        print(as_text(report))
    return 0


def as_json(report: Any) -> dict[str, Any]:
    """The KPIs as the JSON rules of docs/ARCHITECTURE.md want them: ratios 0..1, money
    as strings with two decimals beside a currency, null for what has no data; codes, with
    the translated text in ``*_label`` fields."""
    k = report.core
    return {
        "pipeline": k.pipeline, "currency": k.currency, "time_zone": k.zone,
        "period": {"from": _iso(k.date_from), "to": _iso(k.date_to)},
        "deals": {"total": k.deals.total, "open": k.deals.open, "won": k.deals.won,
                  "lost": k.deals.lost},
        "win_rate": k.win_rate,
        "sales_cycle_days": _days(k.cycle),
        "won_value": _money(k.won_value), "weighted_pipeline": _money(k.weighted_pipeline),
        "stages": [{"name": s.name, "reached": s.reached,
                    "conversion_to_next": s.conversion_to_next,
                    "days_in_stage_mean": _number(s.days.mean),
                    "days_in_stage_median": _number(s.days.median),
                    "days_in_stage_n": s.days.n, "open_now": s.open_now,
                    "open_value": _money(s.open_value)} for s in k.stages],
        "by_owner": [{"owner": o.owner, "deals": o.deals, "won": o.won, "lost": o.lost,
                      "win_rate": o.win_rate, "won_value": _money(o.won_value),
                      "cycle_days_mean": _number(o.cycle.mean),
                      "cycle_days_median": _number(o.cycle.median)} for o in k.by_owner],
        "by_source": [{"source": s.source if s.source_id is not None else None,
                       "deals": s.deals, "won": s.won, "conversion": s.conversion}
                      for s in k.by_source],
        "by_product": [{"product": p.product if p.product_id is not None else None,
                        "won": p.won, "lost": p.lost, "open": p.open, "win_rate": p.win_rate,
                        "won_value": _money(p.won_value)} for p in k.by_product],
        "lost_reasons": [{"reason": r.reason, "count": r.count} for r in k.lost_reasons],
        "by_industry": [_group("industry", g) for g in report.by_industry],
        "by_region": [_group("region", g) for g in report.by_region],
        "missing_rates": list(k.missing_rates),
        "bottleneck": _bottleneck(report.bottleneck),
        "bottleneck_judged": report.judged,
        "anomalies": [{"series": a.series, "series_label": a.series_label,
                       "key": a.key or None, "key_label": a.key_label or None,
                       "grain": a.grain, "start": a.start.isoformat(), "value": a.value,
                       "expected": _number(a.expected), "expected_low": _number(a.low),
                       "expected_high": _number(a.high), "z": _number(a.z)}
                      for a in report.anomalies],
        "correlations": [{"outcome": c.outcome, "factor": c.factor,
                          "factor_label": c.factor_label, "test": c.test,
                          "statistic": _number(c.statistic, 4), "effect": _number(c.effect, 4),
                          "p_value": c.p_value, "n": c.n, "significant": c.significant,
                          "summary": c.summary} for c in report.correlations],
        "training_needs": [{"owner": t.owner, "stage": t.stage, "kpi": t.kpi,
                            "rep_value": _number(t.rep_value, 4),
                            "team_value": _number(t.team_value, 4), "gap": _number(t.gap, 4),
                            "n": t.n, "team_n": t.team_n, "p_value": t.p_value,
                            "topics": list(t.topics)} for t in report.training_needs],
    }


def _group(key: str, g: Any) -> dict[str, Any]:
    return {key: g.group or None, "won": g.won, "lost": g.lost, "win_rate": g.win_rate,
            "won_value": _money(g.won_value)}


def _bottleneck(b: Any) -> dict[str, Any] | None:
    if b is None:
        return None
    return {"stage": b.stage, "reason": b.reason, "reason_label": b.reason_label,
            "numbers": b.numbers,
            "lost_reasons": [{"reason": r.reason, "count": r.count} for r in b.lost_reasons],
            "stuck": b.stuck,
            "causes": [{"dimension": c.dimension, "value": c.label,
                        "stuck_or_lost": c.stuck_or_lost, "of_stuck_or_lost": c.group,
                        "in_stage": c.in_stage, "of_in_stage": c.population,
                        "lift": _number(c.lift), "p_value": c.p_value} for c in b.causes],
            "suggestions": list(b.suggestions)}


def as_text(report: Any) -> str:
    from funneldesk import formatting
    from funneldesk.services.analytics.tables import no_bottleneck

    k = report.core
    def pct(value: float | None) -> str:
        return "–" if value is None else f"{value:.0%}"

    def money(value: Decimal | None) -> str:
        return "–" if value is None else f"{k.currency} {value:,.2f}"

    def days(value: float | None) -> str:
        return "–" if value is None else f"{value:.1f}"

    since = formatting.date(k.date_from) if k.date_from else _("the start")
    until = formatting.date(k.date_to) if k.date_to else _("now")
    lines = [f"{k.pipeline}: {since} – {until}",
             _("Deals created {total}, open {open}, won {won}, lost {lost}").format(
                 total=k.deals.total, open=k.deals.open, won=k.deals.won, lost=k.deals.lost),
             _("Win rate {rate}. Sales cycle in days: mean {mean}, median {median} (won "
               "deals: {won})").format(rate=pct(k.win_rate), mean=days(k.cycle.mean),
                                       median=days(k.cycle.median), won=k.cycle.n),
             _("Won value {won}; weighted pipeline {weighted}").format(
                 won=money(k.won_value), weighted=money(k.weighted_pipeline)), ""]
    for s in k.stages:
        lines.append(_("{stage}: reached {reached}, to next {conversion}, days in stage "
                       "{days} (median {median}), open now {open} ({value})").format(
            stage=s.name, reached=s.reached, conversion=pct(s.conversion_to_next),
            days=days(s.days.mean), median=days(s.days.median), open=s.open_now,
            value=money(s.open_value)))
    b = report.bottleneck
    lines += ["", _("Bottleneck: {finding}").format(
        finding=b.reason_label if b is not None else no_bottleneck(report.judged))]
    if b is not None:
        lines += [f"  – {advice}" for advice in b.suggestions]
    lines += [f"{a.series_label}{' · ' + a.key_label if a.key_label else ''} "
              f"{formatting.date(a.start)}: {a.value} ({_number(a.low, 0)}–{_number(a.high, 0)})"
              for a in report.anomalies[:5]]
    lines += [f"{c.factor_label}: {c.summary}" for c in report.correlations if c.significant]
    for t in report.training_needs:
        if t.kpi == "conversion":
            lines.append(_("{owner} at {stage}: conversion {value} against {team} for the "
                           "rest of the team").format(owner=t.owner, stage=t.stage,
                                                     value=pct(t.rep_value),
                                                     team=pct(t.team_value)))
        else:
            lines.append(_("{owner} at {stage}: days in stage {value} (median) against "
                           "{team} for the rest of the team").format(
                owner=t.owner, stage=t.stage, value=days(t.rep_value), team=days(t.team_value)))
    return "\n".join(lines)


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _number(value: float | None, places: int = 2) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, places)


def _days(days: Any) -> dict[str, Any]:
    return {"mean": _number(days.mean), "median": _number(days.median), "n": days.n}
