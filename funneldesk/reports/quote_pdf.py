"""A quote as an A4 PDF with ReportLab: the letterhead on every page, the customer, the
options side by side (or one section each when they are long), totals with the amount in
capital numerals, the terms, and a block for signatures and the company seal.

The CJK font is embedded (reports/fonts.py), so that Chinese shows on any computer.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from funneldesk.i18n import N_, translated
from funneldesk.reports import fonts, page_parts
from funneldesk.reports.page_parts import ACCENT, BODY, MARGIN, RULE, SHADE
from funneldesk.reports.page_parts import para as _p
from funneldesk.reports.quote_document import PdfOption, QuotePdf

SIDE_BY_SIDE_ROWS = 14  # more distinct items than this: one section per option


def render(doc: QuotePdf) -> bytes:
    """The PDF's bytes."""
    font = fonts.register()
    out = io.BytesIO()
    styles = page_parts.styles(font)
    template = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                                 topMargin=40 * mm, bottomMargin=20 * mm,
                                 title=_t(doc, N_("Quotation {number}")).format(number=doc.number),
                                 author=doc.letterhead.name, subject=doc.title,
                                 creator="FunnelDesk")
    story = _story(doc, styles)

    def page(canvas: Canvas, _template: Any) -> None:
        page_parts.draw_letterhead(canvas, doc.letterhead, font)
        if doc.draft:
            page_parts.draw_watermark(canvas, font, "草稿", "DRAFT – NOT APPROVED")

    footer = "  ·  ".join(part for part in (doc.letterhead.name, _t(
        doc, N_("Quotation {number}")).format(number=doc.number)) if part)
    template.build(story, onFirstPage=page, onLaterPages=page,
                   canvasmaker=page_parts.numbered(font, doc.language, footer))
    return out.getvalue()


def _t(doc: QuotePdf, message: str) -> str:
    return translated(message, doc.language)


def _story(doc: QuotePdf, s: dict[str, ParagraphStyle]) -> list[Any]:
    story: list[Any] = []
    facts = [(N_("Quote No."), doc.number), (N_("Revision"), str(doc.revision)),
             (N_("Date"), doc.issued), (N_("Valid until"), doc.valid_until)]
    info = Table([[_p(_t(doc, label), s["label"]), _p(value, s["right"])]
                  for label, value in facts], colWidths=[24 * mm, 38 * mm])
    info.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                              ("TOPPADDING", (0, 0), (-1, -1), 1)]))
    head = Table([[_p(_t(doc, N_("Quotation")), s["title"]), info]],
                 colWidths=[BODY - 62 * mm, 62 * mm])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    story += [head, Spacer(1, 4 * mm)]
    to = [_p(_t(doc, N_("Customer")), s["label"]), _p(doc.customer or "—", s["body"])]
    if doc.contact:
        to.append(_p(doc.contact, s["body"]))
    if doc.contact_details:
        to.append(_p(doc.contact_details, s["small"]))
    sender = [_p(_t(doc, N_("Quoted by")), s["label"]), _p(doc.letterhead.name, s["body"]),
              _p(doc.owner, s["body"])]
    if doc.owner_details:
        sender.append(_p(doc.owner_details, s["small"]))
    parties = Table([[to, sender]], colWidths=[BODY / 2, BODY / 2])
    parties.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                                 ("LINEAFTER", (0, 0), (0, 0), 0.5, colors.white),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
                                 ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * mm)]))
    story += [parties, Spacer(1, 3 * mm)]
    if doc.title:
        story.append(_p(doc.title, s["heading"]))
    basis = (N_("Prices in {currency}, tax included.") if doc.prices_include_tax
             else N_("Prices in {currency}, before tax."))
    story.append(_p(_t(doc, basis).format(currency=doc.currency), s["small"]))
    story.append(Spacer(1, 2 * mm))
    items = {line.product_key for option in doc.options for line in option.lines}
    # side by side, a row is a product: only when no option lists one twice
    if 1 < len(doc.options) <= 3 and len(items) <= SIDE_BY_SIDE_ROWS and all(
            len({line.product_key for line in o.lines}) == len(o.lines) for o in doc.options):
        story += _side_by_side(doc, s)
    else:
        for option in doc.options:
            story += _section(doc, option, s)
    story += _terms(doc, s)
    story.append(_signatures(doc, s))
    return story


def _side_by_side(doc: QuotePdf, s: dict[str, ParagraphStyle]) -> list[Any]:
    """One table: an item per row, an option per column; totals and words below."""
    keys: list[int] = []
    names: dict[int, str] = {}
    described: dict[int, set[str]] = {}
    for option in doc.options:
        for line in option.lines:
            if line.product_key not in names:
                keys.append(line.product_key)
                names[line.product_key] = line.name
            described.setdefault(line.product_key, set()).add(line.description)
    columns = len(doc.options)
    option_width = min(44 * mm, (BODY - 70 * mm) / columns)
    item_width = BODY - option_width * columns
    rows: list[list[Any]] = [[_p(_t(doc, N_("Item")), s["head"])]
                             + [_p(o.name, s["head_right"]) for o in doc.options]]
    for key in keys:
        # one description for the row when every option says the same; else each its own
        shared = next(iter(described[key])) if len(described[key]) == 1 else ""
        item = [_p(names[key], s["cell"])]
        if shared:
            item.append(_p(shared, s["small"]))
        row: list[Any] = [item]
        for option in doc.options:
            found = next((x for x in option.lines if x.product_key == key), None)
            if found is None:
                row.append(_p("—", s["cell_right"]))
                continue
            detail = f"{found.quantity} {found.unit} × {found.unit_price}".replace("  ", " ")
            if found.discount:
                detail += f"  −{found.discount}"
            cell = [_p(found.amount, s["cell_right"]), _p(detail, s["detail"])]
            if found.description and not shared:
                cell.append(_p(found.description, s["detail"]))
            row.append(cell)
        rows.append(row)
    tax_label = N_("of which tax") if doc.prices_include_tax else N_("Tax")
    first_total = len(rows)
    if not doc.prices_include_tax:
        rows.append([_p(_t(doc, N_("Subtotal")), s["cell"])]
                    + [_p(o.subtotal, s["cell_right"]) for o in doc.options])
    rows.append([_p(_t(doc, tax_label), s["cell"])]
                + [_p(o.tax, s["cell_right"]) for o in doc.options])
    rows.append([_p(_t(doc, N_("Total")), s["cell"])]
                + [_p(o.total, s["total"]) for o in doc.options])
    if any(o.in_words for o in doc.options):
        rows.append([_p(_t(doc, N_("In words")), s["cell"])]
                    + [_p(o.in_words, s["words"]) for o in doc.options])
    table = Table(rows, colWidths=[item_width] + [option_width] * columns, repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, first_total - 1), 0.4, RULE),
        ("BACKGROUND", (0, first_total), (-1, -1), SHADE),
        ("LINEABOVE", (0, first_total), (-1, first_total), 0.8, ACCENT),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return [table]


def _section(doc: QuotePdf, option: PdfOption, s: dict[str, ParagraphStyle]) -> list[Any]:
    """One option in full: a line per row, its totals and words at the end."""
    rows = page_parts.line_rows(option.lines, lambda text: _t(doc, text), s)
    tax_label = N_("of which tax") if doc.prices_include_tax else N_("Tax")
    totals = ([] if doc.prices_include_tax else [(N_("Subtotal"), option.subtotal, "cell_right")])
    totals += [(tax_label, option.tax, "cell_right"), (N_("Total"), option.total, "total")]
    sums: list[list[Any]] = [["", _p(_t(doc, label), s["cell"]), "", "", "", "",
                              _p(amount, s[look])] for label, amount, look in totals]
    if option.in_words:
        sums.append(["", _p(_t(doc, N_("In words: {amount}")).format(amount=option.in_words),
                            s["words"]), "", "", "", "", ""])
    widths = page_parts.LINE_WIDTHS
    cell = s["cell"]
    lines = Table(rows, colWidths=widths, repeatRows=1)
    lines.setStyle(TableStyle([
        ("FONT", (0, 1), (-1, -1), cell.fontName, cell.fontSize, cell.leading),
        ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    # the totals never split, nor stand alone under a repeated header on a page of their own
    totals_table = Table(sums, colWidths=widths)
    style: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, -1), SHADE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
    style += [("SPAN", (1, row), (5, row)) for row in range(len(sums))]
    totals_table.setStyle(TableStyle(style))
    return [_p(option.name, s["heading"]), lines, KeepTogether([totals_table])]


def _terms(doc: QuotePdf, s: dict[str, ParagraphStyle]) -> list[Any]:
    entries = [(N_("Payment terms"), doc.payment_terms), (N_("Delivery"), doc.delivery_terms),
               (N_("Validity"), _t(doc, N_("This quotation is valid until {date}."))
                .format(date=doc.valid_until) if doc.valid_until else ""),
               (N_("Notes"), doc.notes)]
    head = doc.letterhead
    bank = "\n".join(part for part in (
        _t(doc, N_("Bank: {bank}")).format(bank=head.bank) if head.bank else "",
        _t(doc, N_("Account: {account}")).format(account=head.account) if head.account else "",
        _t(doc, N_("Tax number: {number}")).format(number=head.tax_number)
        if head.tax_number else "") if part)
    entries.append((N_("Payment to"), bank))
    rows = [[_p(_t(doc, label), s["label"]), _p(text, s["body"])]
            for label, text in entries if text.strip()]
    if not rows:
        return []
    table = Table(rows, colWidths=[28 * mm, BODY - 28 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 3),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return [_p(_t(doc, N_("Terms")), s["heading"]), table]


def _signatures(doc: QuotePdf, s: dict[str, ParagraphStyle]) -> KeepTogether:
    def block(title: str, party: str) -> list[Any]:
        return [_p(_t(doc, title), s["label"]), _p(party or "—", s["body"]), Spacer(1, 10 * mm),
                _p(_t(doc, N_("Authorised signature")), s["small"]), Spacer(1, 8 * mm),
                _p(_t(doc, N_("Company seal")), s["small"]), Spacer(1, 4 * mm),
                _p(_t(doc, N_("Date")), s["small"])]

    table = Table([[block(N_("Supplier"), doc.letterhead.name),
                    block(N_("Customer's confirmation"), doc.customer)]],
                  colWidths=[BODY / 2 - 3 * mm, BODY / 2 - 3 * mm], spaceBefore=5 * mm)
    table.setStyle(TableStyle([("BOX", (0, 0), (0, 0), 0.6, RULE),
                               ("BOX", (1, 0), (1, 0), 0.6, RULE),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
                               ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * mm)]))
    return KeepTogether([table])
