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
