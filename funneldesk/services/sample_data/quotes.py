"""The sample's catalogue and quotes: prices, floors and costs on the products the deals
name, service lines to go with them, and quotes in every state: drafts, sent ones, some in
a second revision of the negotiation, some waiting for or given a manager's approval below
the floor, expired ones, accepted ones on won deals and rejected ones on lost deals."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from funneldesk.enums import ApprovalState, QuoteState
from funneldesk.models import Deal, Product, Quote, QuoteOption, QuoteRevision
from funneldesk.money import round_cents
from funneldesk.services.common import sql
from funneldesk.services.common.sql import next_new_id
from funneldesk.services.pipeline.search import raw_connection
from funneldesk.services.quotes.catalogue import item_of
from funneldesk.services.quotes.content import write_content
from funneldesk.services.quotes.records import (
    CatalogueItem,
    LineDraft,
    OptionDraft,
    QuoteContent,
    QuoteTerms,
)
from funneldesk.services.quotes.search import index_new_quotes
from funneldesk.services.quotes.settings import quote_rules
from funneldesk.services.team.products import product_named

QUOTED_OPEN = 0.3  # of the open deals past their first stage
QUOTED_WON = 0.7
QUOTED_LOST = 0.4
_OPEN_STATES = ("draft", "draft", "sent", "sent", "negotiating", "resent", "asking",
                "approved", "expired")


def price_catalogue(session: Session, words: dict[str, Any]) -> dict[str, int]:
    """Prices the sample products (those without a price yet) and adds the service lines;
    the ids of the service products, by name."""
    for name, (english, unit, price, rate) in words["catalogue"].items():
        product = session.scalar(select(Product).where(Product.name == name))
        if product is not None and not product.list_price:
            _price(product, english, unit, Decimal(price), Decimal(rate))
    services = {}
    for name, english, unit, price in words["services"]:
        product = product_named(session, name, None, sample=True)
        if not product.list_price:
            _price(product, english, unit, Decimal(price), Decimal(words["service_tax"]))
        services[name] = product.id
    session.flush()
    return services


def _price(product: Product, english: str, unit: str, price: Decimal, rate: Decimal) -> None:
    product.name_en = english if english != product.name else ""
    product.unit, product.list_price, product.tax_rate = unit, price, rate
    product.floor_price = round_cents(price * Decimal("0.8"))
    product.cost = round_cents(price * Decimal("0.45"))


def add(session: Session, rng: random.Random, words: dict[str, Any],
        deal_rows: Sequence[dict[str, Any]], stages: dict[int, str], managers: list[int],
        now: dt.datetime) -> None:
    """Quotes on some of ``deal_rows``; ``stages``: each stage's kind (open, won, lost)
    by id, the first open stage as "first"."""
    services = price_catalogue(session, words)
    catalogue = {p.id: item_of(p) for p in session.scalars(select(Product))}
    include_tax = words["options"][0] == "基础版"
    margin = quote_rules(sql.session_query(session)).min_margin
    today = now.date()
    first_quote = next_new_id(session, "quotes")
    numbers: dict[int, int] = {}  # the last number given in each year (an appended sample
    for number in session.scalars(select(Quote.number)):  # goes on after what is there)
        year, _dash, serial = number.removeprefix("Q").partition("-")
        if year.isdigit() and serial.isdigit():
            numbers[int(year)] = max(numbers.get(int(year), 0), int(serial))
    for row in deal_rows:
        kind = stages[row["stage_id"]]
        chance = {"won": QUOTED_WON, "lost": QUOTED_LOST, "open": QUOTED_OPEN}.get(kind, 0.0)
        if rng.random() >= chance:
            continue
        state = {"won": "accepted", "lost": "rejected"}.get(kind) or rng.choice(_OPEN_STATES)
        # an expired quote went out more than its 30 days of validity ago
        days = rng.randint(35, 60) if state == "expired" else rng.randint(3, 25)
        created = max(row["created_at"], now - dt.timedelta(days=days))
        if kind in ("won", "lost"):
            created = max(row["created_at"],
                          row["stage_entered_at"] - dt.timedelta(days=rng.randint(3, 20)))
        numbers[created.year] = numbers.get(created.year, 0) + 1
        quote = Quote(number=f"Q{created.year}-{numbers[created.year]:04d}", deal_id=row["id"],
                      contact_id=row["contact_id"], title="",
                      language="zh_CN" if include_tax else "en", currency=row["currency"],
                      prices_include_tax=include_tax, state=QuoteState.DRAFT,
                      created_at=created, created_by_id=row["owner_id"], updated_at=created,
                      updated_by_id=row["owner_id"], is_sample=True)
        session.add(quote)
        session.flush()
        target = Decimal(row["won_value"] or row["value"])
        below = state in ("asking", "approved")
        first = _content(rng, words, catalogue, row["product_id"], services, target,
                         include_tax, below=below, valid=created.date() + dt.timedelta(days=30))
        revision = _revision(session, quote, 1, first, catalogue, created)
        if state == "draft":
            continue
        if state in ("asking", "approved"):
            revision.approval = ApprovalState.REQUESTED
            revision.approval_asked_at, revision.approval_asked_by_id = created, row["owner_id"]
            revision.approval_request = rng.choice(words["approval_asks"])
            if state == "asking":
                continue
            revision.approval = ApprovalState.APPROVED
            revision.approval_at = created + dt.timedelta(hours=rng.randint(1, 30))
            approver = next((m for m in managers if m != row["owner_id"]), managers[0])
            revision.approval_by_id = approver
            revision.self_approved = approver == row["owner_id"]
            revision.approval_reason = rng.choice(words["approvals"])
        sent_at = created + dt.timedelta(days=1)
        revision.sent_at, revision.sent_by_id = sent_at, row["owner_id"]
        revision.min_margin = margin
        quote.state, quote.updated_at = QuoteState.SENT, sent_at
        if state == "expired":
            continue
        if state in ("negotiating", "resent", "accepted"):
            # the customer pushed back: a cheaper second revision
            second = _cheaper(rng, first)
            later = min(now, sent_at + dt.timedelta(days=rng.randint(2, 8)))
            revision = _revision(session, quote, 2, second, catalogue, later)
            if state == "negotiating":
                quote.updated_at = later
                continue
            revision.sent_at, revision.sent_by_id = later, row["owner_id"]
            revision.min_margin = margin
            quote.updated_at = later
        if state == "accepted":
            options = session.scalars(select(QuoteOption).where(
                QuoteOption.revision_id == revision.id).order_by(QuoteOption.position)).all()
            chosen = rng.choice(options)
            quote.state, quote.accepted_option_id = QuoteState.ACCEPTED, chosen.id
            # the deal's value follows the option the customer chose, as accepting sets it
            deal = session.get(Deal, row["id"])
            assert deal is not None
            quote.deal_value_before, deal.value = deal.value, chosen.total
            quote.decided_on = row["closed_on"] or today
            quote.decided_by_id = row["owner_id"]
        elif state == "rejected":
            quote.state = QuoteState.REJECTED
            quote.rejected_reason = rng.choice(words["rejections"])
            quote.decided_on = row["closed_on"] or today
            quote.decided_by_id = row["owner_id"]
    session.flush()
    index_new_quotes(raw_connection(session), first_quote)


def _revision(session: Session, quote: Quote, number: int, content: QuoteContent,
              catalogue: dict[int, CatalogueItem], at: dt.datetime) -> QuoteRevision:
    revision = QuoteRevision(quote_id=quote.id, number=number, created_at=at,
                             created_by_id=quote.created_by_id)
    session.add(revision)
    session.flush()
    write_content(session, revision, content, catalogue, quote.prices_include_tax,
                  quote.created_by_id)
    return revision


def _content(rng: random.Random, words: dict[str, Any], catalogue: dict[int, CatalogueItem],
             product_id: int, services: dict[str, int], target: Decimal, include_tax: bool,
             *, below: bool, valid: dt.date) -> QuoteContent:
    """One to three options around ``target`` (the deal's value): the deal's product in
    growing quantities, with more service at each level."""
    levels = rng.choice((1, 2, 3, 3))
    names = words["options"][3 - levels:] if levels < 3 else words["options"]
    # one discount for the quote, so that each option costs more than the one before
    discount = Decimal(rng.choice((0, 0, 5, 8, 10)))
    options = []
    for level, name in enumerate(names):
        lines = []
        share = Decimal(("0.75", "1.0", "1.35")[3 - levels + level])
        for number, (product, part) in enumerate(((product_id, Decimal("0.8")),
                                                  *((services[s], Decimal("0.1"))
                                                    for s in list(services)[:level + 1]))):
            item = catalogue[product]
            price = item.list_price * (1 + item.tax_rate / 100) if include_tax \
                else item.list_price
            price = round_cents(price)
            quantity = max(Decimal(1), (target * share * part / price).to_integral_value())
            cut = Decimal(30) if below and number == 0 else discount
            lines.append(LineDraft(product, quantity, price, cut))
        options.append(OptionDraft(name, tuple(lines)))
    return QuoteContent(tuple(options), QuoteTerms(
        valid, rng.choice(words["payment"]), rng.choice(words["delivery"]),
        rng.choice(words["notes"])))


def _cheaper(rng: random.Random, content: QuoteContent) -> QuoteContent:
    """The next revision of a negotiation: a few more points of discount on each main
    line, and sometimes a service day less."""
    options = []
    for option in content.options:
        main, *rest = option.lines
        main = LineDraft(main.product_id, main.quantity, main.unit_price,
                         min(Decimal(20), main.discount + 3))
        if rest and rest[0].quantity > 1 and rng.random() < 0.5:
            rest[0] = LineDraft(rest[0].product_id, rest[0].quantity - 1, rest[0].unit_price,
                                rest[0].discount)
        options.append(OptionDraft(option.name, (main, *rest)))
    return QuoteContent(tuple(options), content.terms)
