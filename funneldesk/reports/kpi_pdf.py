"""The KPI report: a title block, then each section's heading, its notes, its chart (a
PNG drawn by funneldesk/charts) and its numbers, in the document's language and with the
CJK font every FunnelDesk PDF embeds; "Page X of Y" at the foot of every page."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from funneldesk.reports import fonts, page_parts
from funneldesk.reports.page_parts import BODY, MARGIN, RULE, SHADE, para

STATUS = {"green": colors.HexColor("#2e7d45"), "amber": colors.HexColor("#b37400"),
          "red": colors.HexColor("#c0392b")}


@dataclass(frozen=True)
class ReportCell:
    text: str
    status: str = ""


@dataclass(frozen=True)
class ReportSection:
    title: str
    notes: tuple[str, ...] = ()
    chart: bytes | None = None  # a PNG
    chart_ratio: float = 0.38  # height over width
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[ReportCell, ...], ...] = ()
    numeric: tuple[bool, ...] = ()
    definition: str = ""


@dataclass(frozen=True)
class KpiDocument:
    language: str
    title: str
    lines: tuple[str, ...]  # under the title: pipeline, period, whose, when
    footer: str
    sections: tuple[ReportSection, ...] = field(default=())


def render(doc: KpiDocument) -> bytes:
    font = fonts.register()
    out = io.BytesIO()
    styles = page_parts.styles(font)
    template = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                                 topMargin=16 * mm, bottomMargin=20 * mm, title=doc.title,
                                 creator="FunnelDesk")
    story: list[Any] = [para(doc.title, styles["title"]), Spacer(1, 2 * mm)]
    story += [para(line, styles["small"]) for line in doc.lines]
    story.append(Spacer(1, 4 * mm))
    for section in doc.sections:
        story += _section(section, styles)

    def page(canvas: Canvas, _template: Any) -> None:
        canvas.setStrokeColor(RULE)
        canvas.line(MARGIN, A4[1] - 11 * mm, A4[0] - MARGIN, A4[1] - 11 * mm)

    template.build(story, onFirstPage=page, onLaterPages=page,
                   canvasmaker=page_parts.numbered(font, doc.language, doc.footer))
    return out.getvalue()


SHORT_TABLE = 15  # rows
CJK_DATE = re.compile(r"\d+年\d+月\d+日")


def _section(section: ReportSection, styles: dict[str, Any]) -> list[Any]:
    head: list[Any] = [para(section.title, styles["heading"])]
    if section.definition:
        head.append(para(section.definition, styles["small"]))
    head += [para(note, styles["body"]) for note in section.notes]
    parts: list[Any] = []
    if section.chart is not None:
        width = BODY
        parts.append(Image(io.BytesIO(section.chart), width=width,
                           height=width * section.chart_ratio))
    if section.rows:
        parts.append(_table(section, styles))
    # the heading stays with what follows it; a short table stays whole, with its chart
    # (a row or two left at the foot of a page reads as if the table ended there); a long
    # one may break across pages, its headers repeated
    if len(section.rows) <= SHORT_TABLE:
        return [KeepTogether([*head, *parts]), Spacer(1, 3 * mm)]
    return [KeepTogether([*head, *parts[:1]]), *parts[1:], Spacer(1, 3 * mm)]


def _table(section: ReportSection, styles: dict[str, Any]) -> Table:
    def cell(c: ReportCell, right: bool) -> Paragraph:
        style = styles["cell_right" if right else "cell"]
        text = para(c.text, style)
        if c.status in STATUS:
            colour = "#" + STATUS[c.status].hexval()[2:]
            text = Paragraph(f'<font color="{colour}"><b>{_escape(c.text)}</b></font>', style)
        return text

    numeric = section.numeric
    head = [para(h, styles["head_right" if i < len(numeric) and numeric[i] else "head"])
            for i, h in enumerate(section.headers)]
    body = [[cell(c, i < len(numeric) and numeric[i]) for i, c in enumerate(row)]
            for row in section.rows]
    table = Table([head, *body], repeatRows=1, hAlign="LEFT",
                  colWidths=_widths(section.headers, section.rows))
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), page_parts.ACCENT),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, SHADE]),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _widths(headers: Sequence[str], rows: Sequence[Sequence[ReportCell]]) -> list[float]:
    """Columns as wide as their texts want, never so narrow that a word, a number or a
    name breaks (a CJK text may wrap, but not character by character), the whole as wide
    as the page at most."""
    def points(text: str) -> float:  # at the cells' 8.5 points, with their padding
        return max(sum(8.6 if ord(ch) > 0x2E7F else 4.9 for ch in line) + 8
                   for line in text.split("\n"))

    def unbreakable(text: str) -> float:
        if "\n" in text:  # lines of their own: each as it needs
            return max(unbreakable(line) for line in text.split("\n"))
        if points(text) <= 72:  # a name, a date, a number: never broken
            return points(text)
        if any(ord(ch) > 0x2E7F for ch in text):
            # a CJK text wraps, six characters at least a line, a date never
            return max([points(text[:6]), *(points(d) for d in CJK_DATE.findall(text))])
        return max((points(word) for word in text.split()), default=8.0)

    columns = [[h, *[r[i].text for r in rows if i < len(r)]] for i, h in enumerate(headers)]
    wanted = [min(max(points(t) for t in texts), 220.0) for texts in columns]
    least = [min(max(unbreakable(t) for t in texts), w) for texts, w in zip(
        columns, wanted, strict=True)]
    if sum(least) >= BODY:
        return [BODY * w / sum(least) for w in least]
    spare = sum(w - m for w, m in zip(wanted, least, strict=True))
    share = min(1.0, (BODY - sum(least)) / spare) if spare else 0.0
    return [m + (w - m) * share for w, m in zip(wanted, least, strict=True)]


def _escape(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)

