"""What every FunnelDesk document shares: its colours and paragraph styles, the company's
letterhead at the top of each page, a watermark across it, and the footer that numbers
pages "Page X of Y" (第 X 页 共 Y 页) once the last page is known."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from funneldesk.i18n import N_, translated
from funneldesk.reports.quote_document import Letterhead, PdfLine

ACCENT = colors.HexColor("#1F4E79")
GREY = colors.HexColor("#5F6B7A")
RULE = colors.HexColor("#C9D3DD")
SHADE = colors.HexColor("#EEF3F8")
WARNING = colors.Color(0.8, 0.1, 0.1, alpha=0.16)  # a watermark: faint red
WIDTH, HEIGHT = A4
MARGIN = 18 * mm
BODY = WIDTH - 2 * MARGIN


def styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=9, leading=12.5, wordWrap="CJK")
    return {
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=10, textColor=GREY),
        "label": ParagraphStyle("label", base, fontSize=7.5, leading=10, textColor=GREY),
        "right": ParagraphStyle("right", base, alignment=TA_RIGHT),
        "title": ParagraphStyle("title", base, fontSize=20, leading=24, textColor=ACCENT),
        "heading": ParagraphStyle("heading", base, fontSize=11.5, leading=15,
                                  textColor=ACCENT, spaceBefore=8, spaceAfter=4),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=11),
        "cell_right": ParagraphStyle("cell_right", base, fontSize=8.5, leading=11,
                                     alignment=TA_RIGHT),
        "head": ParagraphStyle("head", base, fontSize=8, leading=10.5,
                               textColor=colors.white),
        "head_right": ParagraphStyle("head_right", base, fontSize=8, leading=10.5,
                                     textColor=colors.white, alignment=TA_RIGHT),
        "total": ParagraphStyle("total", base, fontSize=10, leading=13, alignment=TA_RIGHT,
                                textColor=ACCENT),
        "detail": ParagraphStyle("detail", base, fontSize=7.5, leading=10, textColor=GREY,
                                 alignment=TA_RIGHT),
        "words": ParagraphStyle("words", base, fontSize=8, leading=10.5, alignment=TA_LEFT),
    }


def para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


# the columns of a table of lines: 序号 on one line, the item taking what is left
LINE_WIDTHS = (10 * mm, BODY - 110 * mm, 12 * mm, 16 * mm, 26 * mm, 16 * mm, 30 * mm)


def line_rows(lines: Sequence[PdfLine], t: Callable[[str], str],
              s: dict[str, ParagraphStyle]) -> list[list[Any]]:
    """A table's header and one row per line (number, item and its description, unit,
    quantity, unit price, discount, amount), its labels in the document's language."""
    head = [para(text, s["head"] if i < 2 else s["head_right"]) for i, text in enumerate(
        t(label) for label in (N_("No."), N_("Item"), N_("Unit"), N_("Qty"),
                               N_("Unit price"), N_("Discount"), N_("Amount")))]
    rows: list[list[Any]] = [head]
    for number, line in enumerate(lines, 1):
        item = [para(line.name, s["cell"])]
        if line.description:
            item.append(para(line.description, s["small"]))
        # figures never wrap: plain strings, drawn in the cell style by the caller
        rows.append([str(number), item, line.unit, line.quantity, line.unit_price,
                     line.discount, line.amount])
    return rows


def draw_letterhead(canvas: Canvas, head: Letterhead, font: str) -> None:
    top = HEIGHT - 14 * mm
    x = MARGIN
    canvas.saveState()
    if head.logo:
        image = ImageReader(io.BytesIO(head.logo))
        width, height = image.getSize()
        shown = 16 * mm
        canvas.drawImage(image, x, top - shown + 2 * mm, width=shown * width / height,
                         height=shown, mask="auto")
        x += shown * width / height + 4 * mm
    canvas.setFont(font, 14)
    canvas.setFillColor(ACCENT)
    canvas.drawString(x, top - 3 * mm, head.name)
    canvas.setFont(font, 7.5)
    canvas.setFillColor(GREY)
    lines = [head.address, "  ·  ".join(p for p in (head.phone, head.email) if p)]
    for i, text in enumerate(t for t in lines if t):
        canvas.drawString(x, top - 8 * mm - i * 3.6 * mm, text)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.2)
    canvas.line(MARGIN, HEIGHT - 32 * mm, WIDTH - MARGIN, HEIGHT - 32 * mm)
    canvas.restoreState()


def draw_watermark(canvas: Canvas, font: str, big: str, small: str,
                   colour: colors.Color = WARNING) -> None:
    """``big`` and ``small`` across the page's middle, at a slant, faint enough to read
    through."""
    canvas.saveState()
    canvas.setFillColor(colour)
    canvas.translate(WIDTH / 2, HEIGHT / 2)
    canvas.rotate(40)
    room = 190 * mm  # across the page at its slant, with a margin
    for text, size, y in ((big, 64, 12 * mm), (small, 36, -10 * mm)):
        width = canvas.stringWidth(text, font, size)
        canvas.setFont(font, size * min(1, room / width) if width else size)
        canvas.drawCentredString(0, y, text)
    canvas.restoreState()


def numbered(font: str, language: str, footer: str) -> type[Canvas]:
    """A canvas that writes ``footer`` and "Page X of Y" (in ``language``) at the foot of
    every page once it knows Y."""

    class Numbered(Canvas):  # type: ignore[misc]  # ReportLab ships no types
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                self.setFont(font, 7.5)
                self.setFillColor(GREY)
                self.drawString(MARGIN, 11 * mm, footer)
                self.drawRightString(WIDTH - MARGIN, 11 * mm, translated(
                    N_("Page {page} of {pages}"), language).format(page=number, pages=total))
                super().showPage()
            super().save()

    return Numbered
