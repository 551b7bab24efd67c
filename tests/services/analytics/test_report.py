"""The KPI report PDF: every section, the charts as images, Chinese text that can be
searched, written by the command only once it is whole."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from funneldesk import i18n
from funneldesk.cli import main
from funneldesk.db import Database
from funneldesk.services import Services
from funneldesk.services.analytics.records import KpiRequest
from funneldesk.services.dto import Actor


@pytest.fixture
def sample(services: Services, manager: Actor) -> None:
    services.demo.generate(deals=150, seed=4, by=manager)


def text_of(data: bytes) -> tuple[str, int, int]:
    reader = PdfReader(io.BytesIO(data))
    images = sum(len(page.images) for page in reader.pages)
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages), images


def test_the_report_has_every_section_its_charts_and_the_doctor_s_findings(
        services: Services, sample: None) -> None:
    report = services.analytics.report(KpiRequest())
    text, pages, images = text_of(services.analytics.report_pdf(KpiRequest()))
    for heading in ("KPI report", "Results", "Targets", "Funnel doctor", "Funnel",
                    "Time in stage", "Forecast by expected close month", "Trends",
                    "Lead-source conversion", "Lost reasons", "By owner", "By product",
                    "By industry", "By region", "each rep against the rest of the team",
                    "Money in", "Anomalies", "Correlations", "Coaching: training needs",
                    "Training plans"):
        assert heading in text, heading
    assert report.bottleneck is not None
    assert report.bottleneck.reason_label.split(":")[0] in text
    # funnel, time, forecast, trends, sources, reasons, owners, money in
    assert images == 8
    assert "Page 1 of" in text
    assert pages > 2


def test_in_chinese_the_report_s_text_is_chinese_and_searchable(
        services: Services, sample: None) -> None:
    i18n.set_language("zh_CN")
    try:
        text, _pages, _images = text_of(services.analytics.report_pdf(KpiRequest()))
    finally:
        i18n.set_language("en")
    assert "KPI 报告" in text
    assert "漏斗诊断" in text
    assert "第 1 页" in text


def test_the_command_writes_the_report(db: Database, sample: None, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "kpi.pdf"
    assert main(["--db", str(db.path), "kpi", "--from", "2026-01-01", "--pdf",
                 str(path)]) == 0
    assert path.read_bytes().startswith(b"%PDF")
    assert str(path) in capsys.readouterr().out
    assert main(["--db", str(db.path), "kpi", "--pdf", str(tmp_path / "no" / "x.pdf")]) == 1
    assert "Cannot write" in capsys.readouterr().err


@pytest.mark.parametrize(("lang", "days"), [
    ("en", ("Oct 24, 2026", "Nov 3, 2026")), ("zh_CN", ("2026年10月24日", "2026年11月3日"))])
def test_a_training_plan_s_day_is_never_broken_in_the_report(lang: str,
                                                              days: tuple[str, str]) -> None:
    """The plans table is the widest of the report: its cells wrap, its days do not."""
    from funneldesk.reports import fonts, kpi_pdf, page_parts

    i18n.set_language(lang)
    when = [i18n._("Done on\n{day}").format(day=days[0]),
            i18n._("Planned for\n{day}").format(day=days[1])]
    section = kpi_pdf.ReportSection(
        "Training plans", headers=("Rep", "Stage", "Topic", "When", "Figure", "Before",
                                   "After", "Outcome"),
        rows=tuple(tuple(kpi_pdf.ReportCell(t) for t in (
            "Dan Moore", "Negotiation", "Keeping deals moving: a dated next step for every "
            "deal", w, "Median days", "30 (of 2)", "41 (of 2)", "Went through every deal "
            "past its rot limit together; agreed a weekly review.")) for w in when),
        numeric=(False,) * 5 + (True, True, False))
    widths = kpi_pdf._widths(section.headers, section.rows)
    assert sum(widths) <= page_parts.BODY + 0.01
    style = page_parts.styles(fonts.register())["cell"]
    for text, day in zip(when, days, strict=True):
        cell = page_parts.para(text, style)
        cell.wrap(widths[3], 1000)
        lines = ["".join(w if isinstance(w, str) else w.text for w in line.words)
                 if hasattr(line, "words") else " ".join(line[1])
                 for line in cell.blPara.lines]
        assert any(day.replace(" ", "") == line.replace(" ", "") for line in lines), lines


def test_a_short_table_stays_whole_with_its_chart_and_heading_a_long_one_may_break() -> None:
    from PIL import Image
    from reportlab.platypus import KeepTogether, Table

    from funneldesk.reports import fonts, kpi_pdf, page_parts

    styles = page_parts.styles(fonts.register())
    png = io.BytesIO()
    Image.new("RGB", (40, 15), "white").save(png, format="PNG")

    def section(rows: int) -> list[object]:
        return kpi_pdf._section(kpi_pdf.ReportSection(
            "Funnel", chart=png.getvalue(), headers=("Stage", "Reached"),
            numeric=(False, True),
            rows=tuple((kpi_pdf.ReportCell(f"Stage {n}"), kpi_pdf.ReportCell(str(n)))
                       for n in range(rows))), styles)

    short = section(kpi_pdf.SHORT_TABLE)
    assert isinstance(short[0], KeepTogether)
    assert any(isinstance(f, Table) for f in short[0]._content)
    long = section(kpi_pdf.SHORT_TABLE + 1)
    assert isinstance(long[0], KeepTogether)  # the heading with the chart
    assert not any(isinstance(f, Table) for f in long[0]._content)
    assert isinstance(long[1], Table)  # apart: it may break across pages
