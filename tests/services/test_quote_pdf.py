"""A quote's PDF as a customer receives it: Chinese text that is really there (extractable,
its font embedded), the amount in capital numerals, pages that render, a long option
broken over pages, and the draft mark on every page of an unapproved quote below floor."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from pypdf import PdfReader

from funneldesk.cli import main
from funneldesk.i18n import set_language
from funneldesk.reports.quote_document import Letterhead
from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.services.quotes.records import LineDraft, OptionDraft, QuoteContent, QuoteHeader
from tests.helpers import make_deal
from tests.services.quote_helpers import catalogue, content


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def embedded_fonts(data: bytes) -> set[str]:
    """The names of the fonts whose file is inside the PDF."""
    found = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor")
            if descriptor is not None and any(
                    key in descriptor.get_object() for key in ("/FontFile2", "/FontFile3")):
                found.add(str(font["/BaseFont"]))
    return found


def ink(data: bytes, page: int = 0) -> float:
    """The share of a rendered page's pixels that are not white."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    image = document[page].render(scale=0.5).to_pil().convert("L")
    counts = image.histogram()  # pixels per grey level, 0 (black) to 255 (white)
    document.close()
    return sum(counts[:200]) / sum(counts)


def test_a_chinese_quote_has_its_text_its_font_and_the_amount_in_words(
        services: Services, manager: Actor, rep: Actor) -> None:
    set_language("zh_CN")
    services.letterhead.set_letterhead(Letterhead("北京星辰科技有限公司", "北京市海淀区中关村大街1号",
                                                  bank="招商银行", account="1109 0812"),
                                       by=manager)
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    quote = services.quotes.create(deal.id, content(products), by=rep,
                                   header=QuoteHeader("仓储系统报价", "zh_CN", True, None)).quote
    data = services.quotes.pdf(quote.id)
    text = "\n".join(pages_text(data))
    for expected in ("北京星辰科技有限公司", "仓储系统报价", "报价单", "CRM 许可", "实施服务",
                     "33,200.00", "第 1 页"):
        assert expected in text, expected
    # a subset of the TrueType face is inside the file (AAAAAA+WenQuanYiMicroHei-0 ...)
    assert any("+" in name for name in embedded_fonts(data))
    assert 0.01 < ink(data) < 0.5  # drawn, and not a page of black boxes
    assert "DRAFT" not in text


def test_a_cny_quote_writes_each_total_in_capital_numerals(
        services: Services, manager: Actor, rep: Actor) -> None:
    from funneldesk.services.pipeline.records import DealFields
    from tests.helpers import stage

    products = catalogue(services, manager)
    first = stage(services, "Initial contact")
    fields = DealFields("仓库系统", None, None, Decimal(0), "CNY", None, rep.id)
    services.rates.set_rate(currency="CNY", rate=Decimal("0.14"), by=manager)
    deal = services.deals.create(pipeline_id=first.pipeline_id, stage_id=first.id,
                                 fields=fields, by=rep).card
    lic = products["licence"].id
    one = QuoteContent((OptionDraft("标准版", (LineDraft(lic, Decimal(3),
                                                         Decimal("12345.67")),)),),
                       content(products).terms)
    quote = services.quotes.create(deal.id, one, by=rep).quote
    assert quote.revision.options[0].amounts.total == Decimal("37037.01")
    text = "".join(pages_text(services.quotes.pdf(quote.id)))
    assert "叁万柒仟零叁拾柒元零壹分" in text


def test_an_english_quote_speaks_english_whatever_the_window_speaks(
        services: Services, manager: Actor, rep: Actor) -> None:
    set_language("zh_CN")
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    quote = services.quotes.create(deal.id, content(products), by=rep,
                                   header=QuoteHeader("", "en", True, None)).quote
    text = "\n".join(pages_text(services.quotes.pdf(quote.id)))
    assert "Quotation" in text
    assert "CRM licence" in text
    assert "Page 1 of" in text
    assert "报价单" not in text


def test_a_long_option_breaks_over_pages_and_an_unapproved_quote_below_floor_is_marked(
        services: Services, manager: Actor, rep: Actor, tmp_path: Path, db_path: Path) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    lic, day = products["licence"].id, products["day"].id
    lines = tuple(LineDraft(lic if i % 2 else day, Decimal(1), Decimal("2120.00"),
                            description=f"Site {i}: installation and acceptance test")
                  for i in range(60))
    cheap = (LineDraft(lic, Decimal(1), Decimal("100.00")),)
    long = QuoteContent((OptionDraft("Rollout", lines), OptionDraft("Cheap", cheap)),
                        content(products).terms)
    quote = services.quotes.create(deal.id, long, by=rep).quote
    out = tmp_path / "quote.pdf"
    assert main(["--db", str(db_path), "quote", "pdf", str(quote.id), "-o", str(out)]) == 0
    pages = pages_text(out.read_bytes())
    assert len(pages) >= 3
    assert all("DRAFT – NOT APPROVED" in page for page in pages)
    assert all("Item" in page for page in pages[:2])  # the header row repeats
    assert "Site 59" in pages[-1] or "Site 59" in pages[-2]
    services.quotes.approve(quote.id, "pilot", expected_version=quote.version, by=manager)
    assert main(["--db", str(db_path), "quote", "pdf", str(quote.id), "-o", str(out)]) == 0
    assert not any("DRAFT" in page for page in pages_text(out.read_bytes()))


def test_options_that_describe_a_product_apart_are_printed_one_section_each(
        services: Services, manager: Actor, rep: Actor) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    lic = products["licence"].id
    terms = content(products).terms
    options = (OptionDraft("Standard", (LineDraft(lic, Decimal(10), Decimal("1130.00"),
                                                  description="100 users"),)),
               OptionDraft("Premium", (LineDraft(lic, Decimal(20), Decimal("1130.00"),
                                                 description="500 users, SSO, audit log"),)))
    quote = services.quotes.create(deal.id, QuoteContent(options, terms), by=rep).quote
    text = "".join(pages_text(services.quotes.pdf(quote.id)))
    assert "100 users" in text
    assert "500 users, SSO, audit log" in text
