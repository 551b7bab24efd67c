"""A quote revision as its PDF shows it: texts in the quote's language, amounts formatted,
the 大写 amount for CNY, and the draft mark on one below its floor without approval."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from funneldesk.capitals import capitals
from funneldesk.models import Channel, User
from funneldesk.reports.quote_document import PdfLine, PdfOption, QuotePdf
from funneldesk.services.common.sql import session_query
from funneldesk.services.quotes.letterhead import letterhead
from funneldesk.services.quotes.records import QuoteView


def amount(value: Decimal) -> str:
    return f"{value:,.2f}"


def quantity(value: Decimal) -> str:
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return text or "0"


def percent(value: Decimal) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") + "%" if value else ""


def day(value: dt.date | None, language: str) -> str:
    return format_date(value, format="long", locale=language) if value else ""


def pdf_document(session: Session, quote: QuoteView) -> QuotePdf:
    revision = quote.revision
    language = quote.header.language
    options = tuple(PdfOption(
        option.name,
        tuple(PdfLine(line.name, line.description, line.unit, quantity(line.quantity),
                      amount(line.unit_price), percent(line.discount),
                      amount(line.amounts.amount), line.product_id) for line in option.lines),
        amount(option.amounts.subtotal), amount(option.amounts.tax),
        amount(option.amounts.total),
        capitals(option.amounts.total) if quote.currency == "CNY" else "")
        for option in revision.options)
    owner = session.get(User, quote.deal_owner_id)
    # the day it was sent where the rep is (a quote sent at 08:00 in Beijing is of that day)
    issued = (revision.sent_at or revision.created_at).astimezone().date()
    return QuotePdf(
        language=language, letterhead=letterhead(session_query(session)),
        number=quote.number, revision=revision.number, issued=day(issued, language),
        valid_until=day(revision.terms.valid_until, language), customer=quote.company,
        contact=quote.contact, contact_details=_channels(session, quote.contact_id),
        owner=owner.display_name if owner is not None else "", owner_details="",
        title=quote.header.title, currency=quote.currency,
        prices_include_tax=quote.header.prices_include_tax, options=options,
        payment_terms=revision.terms.payment_terms,
        delivery_terms=revision.terms.delivery_terms, notes=revision.terms.notes,
        draft=not revision.cleared)


def _channels(session: Session, contact_id: int | None) -> str:
    if contact_id is None:
        return ""
    values = session.scalars(select(Channel.value).where(
        Channel.contact_id == contact_id, Channel.kind.in_(("phone", "email")))
        .order_by(Channel.kind.desc(), Channel.position).limit(2)).all()
    return "  ·  ".join(values)
