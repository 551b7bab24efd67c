"""A contract as an A4 PDF with ReportLab: the letterhead on every page, the parties,
numbered clauses (the products and prices, the payment schedule, the terms, the service
commitments), a signature and seal block for both parties, "第 X 页 共 Y 页" at the foot,
and a watermark (机密 / CONFIDENTIAL, or a draft's) when there is one.

The CJK font is embedded (reports/fonts.py), as on quotes.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from funneldesk.i18n import N_, translated
from funneldesk.reports import fonts, page_parts
from funneldesk.reports.contract_document import ContractPdf
from funneldesk.reports.page_parts import ACCENT, BODY, MARGIN, RULE, SHADE
from funneldesk.reports.page_parts import para as _p

_NUMERALS = "零一二三四五六七八九"


def render(doc: ContractPdf) -> bytes:
    """The PDF's bytes (not encrypted: reports/encryption.py does that in memory)."""
    font = fonts.register()
    out = io.BytesIO()
    s = page_parts.styles(font)
    s["clause"] = ParagraphStyle("clause", s["body"], fontSize=10.5, leading=14,
                                 textColor=ACCENT, spaceBefore=7, spaceAfter=3)
    s["centre_title"] = ParagraphStyle("centre_title", s["title"], alignment=1)
    template = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                                 topMargin=40 * mm, bottomMargin=20 * mm,
                                 title=_t(doc, N_("Contract {number}")).format(
                                     number=doc.number),
                                 author=doc.letterhead.name, subject=doc.title,
                                 creator="FunnelDesk")

    def page(canvas: Canvas, _template: Any) -> None:
        page_parts.draw_letterhead(canvas, doc.letterhead, font)
        if doc.watermark:
            page_parts.draw_watermark(canvas, font, *doc.watermark)

    footer = "  ·  ".join(part for part in (doc.letterhead.name, _t(
        doc, N_("Contract {number}")).format(number=doc.number)) if part)
    template.build(_story(doc, s), onFirstPage=page, onLaterPages=page,
                   canvasmaker=page_parts.numbered(font, doc.language, footer))
    return out.getvalue()


def clause_number(number: int, language: str) -> str:
    """第一条 ... 第九十九条 in Chinese, "1." ... in English."""
    if language != "zh_CN":
        return f"{number}."
    tens, ones = divmod(number, 10)
    text = (("" if tens == 1 else _NUMERALS[tens]) + "十" if tens else "") + (
        _NUMERALS[ones] if ones else "")
    return f"第{text}条"


def _t(doc: ContractPdf, message: str) -> str:
    return translated(message, doc.language)


def _story(doc: ContractPdf, s: dict[str, ParagraphStyle]) -> list[Any]:
    story: list[Any] = [_p(_t(doc, N_("Sales Contract")), s["centre_title"]),
                        Spacer(1, 2 * mm)]
    facts = [(N_("Contract No."), doc.number), (N_("Date"), doc.date),
             (N_("Quote No."), doc.quote_number)]
    info = Table([[_p(_t(doc, label), s["label"]), _p(value, s["body"])]
                  for label, value in facts if value], colWidths=[26 * mm, 50 * mm],
                 hAlign="RIGHT")
    info.setStyle(TableStyle([("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                              ("TOPPADDING", (0, 0), (-1, -1), 1)]))
    story += [info, Spacer(1, 3 * mm), _parties(doc, s), Spacer(1, 2 * mm)]
    if doc.title:
        story.append(_p(doc.title, s["heading"]))
    story.append(_p(_t(doc, N_(
        "The parties agree on the following terms after friendly negotiation.")), s["body"]))
    sections: list[tuple[str, list[Any]]] = [
        (_t(doc, N_("Products and prices")), _items(doc, s)),
        (_t(doc, N_("Payment schedule")), _milestones(doc, s)),
    ]
    sections += [(heading, [_p(text, s["body"])]) for heading, text in doc.clauses]
    if doc.commitments:
        sections.append((_t(doc, N_("Service commitments")), _commitments(doc, s)))
    for number, (heading, body) in enumerate(sections, 1):
        title = " ".join(part for part in (clause_number(number, doc.language), heading)
                         if part)
        # a heading never stands alone at the foot of a page
        story += [CondPageBreak(25 * mm), _p(title, s["clause"]), *body]
    story.append(_signatures(doc, s))
    return story


def _parties(doc: ContractPdf, s: dict[str, ParagraphStyle]) -> Table:
    head = doc.letterhead

    def party(title: str, lines: list[tuple[str, str]]) -> list[Any]:
        cell: list[Any] = [_p(_t(doc, title), s["label"])]
        for label, value in lines:
            if value:
                cell.append(_p(f"{_t(doc, label)}{value}" if label else value, s["body"]))
        return cell

    buyer = party(N_("Party A (Buyer)"), [
        ("", doc.buyer or "—"), (N_("Address: "), doc.buyer_address),
        (N_("Contact: "), doc.buyer_contact)])
    seller = party(N_("Party B (Supplier)"), [
        ("", head.name or "—"), (N_("Address: "), head.address),
        (N_("Tax number: "), head.tax_number), (N_("Bank: "), head.bank),
        (N_("Account: "), head.account)])
    table = Table([[buyer, seller]], colWidths=[BODY / 2, BODY / 2])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                               ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
                               ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * mm)]))
    return table


def _items(doc: ContractPdf, s: dict[str, ParagraphStyle]) -> list[Any]:
    rows = page_parts.line_rows(doc.items, lambda text: _t(doc, text), s)
    tax_label = N_("of which tax") if doc.prices_include_tax else N_("Tax")
    totals = [] if doc.prices_include_tax else [(N_("Subtotal"), doc.subtotal, "cell_right")]
    totals += [(tax_label, doc.tax, "cell_right"), (N_("Total"), doc.total, "total")]
    for label, amount, look in totals:
        rows.append(["", _p(_t(doc, label), s["cell"]), "", "", "", "", _p(amount, s[look])])
    if doc.in_words:
        rows.append(["", _p(_t(doc, N_("In words: {amount}")).format(amount=doc.in_words),
                            s["words"]), "", "", "", "", ""])
    first_total = len(doc.items) + 1
    cell = s["cell"]
    table = Table(rows, colWidths=page_parts.LINE_WIDTHS, repeatRows=1)
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 1), (-1, -1), cell.fontName, cell.fontSize, cell.leading),
        ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, first_total - 1), 0.4, RULE),
        ("BACKGROUND", (0, first_total), (-1, -1), SHADE),
        ("LINEABOVE", (0, first_total), (-1, first_total), 0.8, ACCENT),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
    style += [("SPAN", (1, row), (5, row)) for row in range(first_total, len(rows))]
    table.setStyle(TableStyle(style))
    basis = (N_("Amounts in {currency}, tax included.") if doc.prices_include_tax
             else N_("Amounts in {currency}, before tax unless stated."))
    return [_p(_t(doc, basis).format(currency=doc.currency), s["small"]),
            Spacer(1, 1.5 * mm), table]


def _milestones(doc: ContractPdf, s: dict[str, ParagraphStyle]) -> list[Any]:
    head = [_p(_t(doc, text), s["head"] if i < 2 else s["head_right"]) for i, text in
            enumerate((N_("No."), N_("Payment"), N_("Due"), N_("Share"), N_("Amount")))]
    rows: list[list[Any]] = [head]
    for number, m in enumerate(doc.milestones, 1):
        rows.append([str(number), _p(m.label, s["cell"]), m.due, m.share, m.amount])
    widths = [10 * mm, 0, 36 * mm, 18 * mm, 32 * mm]
    widths[1] = BODY - sum(widths)
    cell = s["cell"]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 1), (-1, -1), cell.fontName, cell.fontSize, cell.leading),
        ("ALIGN", (2, 1), (-1, -1), "RIGHT"), ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return [table]


def _commitments(doc: ContractPdf, s: dict[str, ParagraphStyle]) -> list[Any]:
    table = Table([[_p(what, s["label"]), _p(promise, s["body"])]
                   for what, promise in doc.commitments], colWidths=[32 * mm, BODY - 32 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE),
                               ("TOPPADDING", (0, 0), (-1, -1), 3),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return [table]


def _signatures(doc: ContractPdf, s: dict[str, ParagraphStyle]) -> KeepTogether:
    def block(title: str, party: str) -> list[Any]:
        return [_p(_t(doc, title), s["label"]), _p(party or "—", s["body"]),
                Spacer(1, 12 * mm), _p(_t(doc, N_("Authorised representative (signature)")),
                                       s["small"]),
                Spacer(1, 22 * mm), _p(_t(doc, N_("Company seal")), s["small"]),
                Spacer(1, 5 * mm), _p(_t(doc, N_("Date")), s["small"])]

    table = Table([[block(N_("Party A (Buyer)"), doc.buyer),
                    block(N_("Party B (Supplier)"), doc.letterhead.name)]],
                  colWidths=[BODY / 2 - 3 * mm, BODY / 2 - 3 * mm], spaceBefore=6 * mm)
    table.setStyle(TableStyle([("BOX", (0, 0), (0, 0), 0.6, RULE),
                               ("BOX", (1, 0), (1, 0), 0.6, RULE),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
                               ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * mm)]))
    return KeepTogether([table])
