"""The KPI report's content: the Insights page's sections, each with its chart drawn at the
page's width and its table, for a period and an owner (or everyone), in the user's
language; reports/kpi_pdf.py lays it out."""

from __future__ import annotations

import datetime as dt

from funneldesk import formatting
from funneldesk.i18n import N_, _, language
from funneldesk.reports.kpi_pdf import KpiDocument, ReportCell, ReportSection
from funneldesk.services.analytics import tables
from funneldesk.services.analytics.charting import charts_of
from funneldesk.services.analytics.definitions import definition
from funneldesk.services.analytics.records import Insights

# the order the report follows, each section's title and the definition printed under it
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("results", N_("Results"), "win_rate"),
    ("targets", N_("Targets"), ""),
    ("doctor", N_("Funnel doctor"), ""),
    ("funnel", N_("Funnel"), "conversion"),
    ("time", N_("Time in stage"), "time_in_stage"),
    ("forecast", N_("Forecast by expected close month"), "weighted_pipeline"),
    ("trends", N_("Trends"), ""),
    ("sources", N_("Lead-source conversion"), "lead_conversion"),
    ("reasons", N_("Lost reasons"), ""),
    ("owners", N_("By owner"), ""),
    ("products", N_("By product"), ""),
    ("industries", N_("By industry"), ""),
    ("regions", N_("By region"), ""),
    ("money", N_("Money in"), ""),
    ("anomalies", N_("Anomalies"), ""),
    ("correlations", N_("Correlations"), ""),
    ("reps", N_("Coaching: each rep against the rest of the team"), ""),
    ("coaching", N_("Coaching: training needs"), ""),
    ("plans", N_("Training plans"), ""),
)
CHART_SIZE, CHART_DPI = (6.8, 2.6), 150.0


def document(insights: Insights, owner_name: str | None, now: dt.datetime) -> KpiDocument:
    from funneldesk.charts.render import png

    k = insights.report.core
    every = tables.all_tables(insights)
    charts = charts_of(insights)
    sections = []
    for key, title, defined in SECTIONS:
        table = every[key]
        notes = list(table.notes)
        if not table.rows and table.empty:
            notes.append(table.empty)
        chart = None
        if key in charts and table.rows:
            chart = png(charts[key][1](CHART_SIZE, CHART_DPI))
        sections.append(ReportSection(
            _(title), tuple(notes), chart, CHART_SIZE[1] / CHART_SIZE[0], table.headers,
            tuple(tuple(ReportCell(c.text, c.status) for c in row) for row in table.rows),
            table.numeric, definition(defined).shown() if defined else ""))
    since = formatting.date(k.date_from) if k.date_from else _("the start")
    until = formatting.date(k.date_to) if k.date_to else _("now")
    lines = [_("{pipeline}: {first} – {last}").format(pipeline=k.pipeline, first=since,
                                                      last=until),
             _("For: {whom}").format(whom=owner_name or _("Everyone")),
             _("Written on {day}; amounts in {currency}, days in {zone}.").format(
                 day=formatting.date(now.astimezone().date()), currency=k.currency,
                 zone=k.zone)]
    missing = tables.missing_rates(k.missing_rates)
    if missing:
        lines.append(missing)
    return KpiDocument(language(), _("KPI report"), tuple(lines),
                       _("FunnelDesk KPI report"), tuple(sections))
