"""The Insights charts, each as a title and a function that draws it at a size: the page
draws them off the GUI thread at the size shown, the report at the page's width."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from matplotlib.figure import Figure

from funneldesk import formatting
from funneldesk.i18n import _, pgettext
from funneldesk.services.analytics.records import Insights
from funneldesk.services.analytics.tables import trend_label

Draw = Callable[[tuple[float, float], float], Figure]


def charts_of(insights: Insights) -> dict[str, tuple[str, Draw]]:
    from funneldesk.charts import figures as charts

    k = insights.report.core
    stages = k.stages
    names = [s.name for s in stages]
    goals = {s.stage_id: s.target for s in insights.report.standings if s.kpi == "conversion"}
    dated = [m for m in insights.forecast if m.start is not None]
    points = insights.trends
    label = trend_label(insights)
    sources, reasons, owners = k.by_source, k.lost_reasons, k.by_owner
    m = insights.money_in
    return {
        "funnel": (_("Funnel"), lambda size, dpi: charts.funnel(
            names, [s.reached for s in stages], [s.conversion_to_next for s in stages],
            targets=[goals.get(s.stage_id) for s in stages], size=size, dpi=dpi)),
        "time": (_("Time in stage"), lambda size, dpi: charts.stage_times(
            names, [s.days.median for s in stages], [s.rot_days for s in stages], size=size,
            dpi=dpi)),
        "forecast": (_("Forecast"), lambda size, dpi: charts.columns(
            [formatting.month_short(m.start) for m in dated if m.start],
            [(_("Commit"), [_float(m.commit) for m in dated]),
             (_("Weighted"), [_float(m.weighted) for m in dated]),
             (_("Your forecast"), [_float(m.adjusted.amount) if m.adjusted else None
                                   for m in dated]),
             (_("Target"), [_float(m.target) for m in dated]),
             (_("Total"), [_float(m.value) for m in dated])],
            value_text=lambda v: formatting.number(int(v)), size=size, dpi=dpi)),
        "trends": (_("Trends"), lambda size, dpi: charts.columns(
            [label(p.start) for p in points],
            [(pgettext("kpi", "Created"), [float(p.created) for p in points]),
             (_("Won"), [float(p.won) for p in points]),
             (_("Lost"), [float(p.lost) for p in points])],
            line=(_("Win rate"), [p.win_rate for p in points]), size=size, dpi=dpi)),
        "sources": (_("Lead-source conversion"), lambda size, dpi: charts.bars(
            [s.source for s in sources], [s.conversion for s in sources],
            value_text=formatting.percent, size=size, dpi=dpi)),
        "reasons": (_("Lost reasons"), lambda size, dpi: charts.bars(
            [r.reason for r in reasons], [float(r.count) for r in reasons],
            value_text=lambda v: formatting.number(int(v)), size=size, dpi=dpi)),
        "owners": (_("Win rate by owner"), lambda size, dpi: charts.bars(
            [o.owner for o in owners], [o.win_rate for o in owners],
            value_text=formatting.percent, size=size, dpi=dpi)),
        "money": (_("Money in"), lambda size, dpi: charts.bars(
            [_("Contracted"), _("Collected"), _("Overdue")],
            [_float(m.contracted), _float(m.collected), _float(m.overdue)] if m else [],
            value_text=lambda v: formatting.money_short(Decimal(str(round(v))), k.currency),
            highlight=(False, False, True), size=size, dpi=dpi)),
    }


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
