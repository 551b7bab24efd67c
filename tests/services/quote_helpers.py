"""Builders for quote tests: a small catalogue and quote content."""

from __future__ import annotations

from decimal import Decimal

from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.services.quotes.records import (
    CatalogueItem,
    LineDraft,
    OptionDraft,
    ProductDraft,
    QuoteContent,
    QuoteTerms,
)
from funneldesk.services.quotes.settings import QuoteRules


def catalogue(services: Services, manager: Actor) -> dict[str, CatalogueItem]:
    """A licence (list 1,000, floor 800, cost 300, 13% VAT) and a service day (list 2,000,
    floor 1,500, cost 1,200, 6%), both in USD (the English test database's base); new
    quotes' prices include tax, as a Chinese team's do (a USD team's default is not to)."""
    services.quote_rules.set_rules(QuoteRules(prices_include_tax=True), by=manager)
    add = services.catalogue.add
    return {
        "licence": add(ProductDraft("CRM 许可", "LIC-1", "CRM licence", "套", "",
                                    "", Decimal(1000), Decimal(800), Decimal(300),
                                    Decimal(13)), by=manager),
        "day": add(ProductDraft("实施服务", "SVC-1", "Implementation", "人天", "", "",
                                Decimal(2000), Decimal(1500), Decimal(1200), Decimal(6)),
                   by=manager),
    }


def content(products: dict[str, CatalogueItem], licence_price: str = "1130.00",
            *, valid: object = None, extra_option: bool = True) -> QuoteContent:
    """Two options: Standard (10 licences) and Premium (20 licences and 5 service days);
    prices include tax, so the licence's floor shows as 904.00."""
    from datetime import date, timedelta

    lic, day = products["licence"].id, products["day"].id
    standard = OptionDraft("Standard", (LineDraft(lic, Decimal(10), Decimal(licence_price)),))
    premium = OptionDraft("Premium", (LineDraft(lic, Decimal(20), Decimal(licence_price)),
                                      LineDraft(day, Decimal(5), Decimal("2120.00"))))
    until = valid if valid is not None else date.today() + timedelta(days=30)
    assert isinstance(until, date)
    return QuoteContent((standard, premium) if extra_option else (standard,),
                        QuoteTerms(until, "30% on signing, 70% on acceptance",
                                   "Within 20 working days", ""))
