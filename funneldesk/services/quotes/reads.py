"""Quotes read back as the editor, the PDF and the lists show them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from funneldesk.enums import QuoteState
from funneldesk.errors import InvalidInput
from funneldesk.i18n import _
from funneldesk.models import (
    Company,
    Contact,
    Deal,
    Product,
    Quote,
    QuoteLine,
    QuoteOption,
    QuoteRevision,
    User,
)
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.sql import session_query
from funneldesk.services.quotes.pricing import LineTerms, price_option
from funneldesk.services.quotes.records import (
    Approval,
    OptionTotal,
    QuoteHeader,
    QuoteLineView,
    QuoteOptionView,
    QuoteSummary,
    QuoteTerms,
    QuoteView,
    RevisionView,
)
from funneldesk.services.quotes.settings import quote_rules


def terms_of(line: QuoteLine) -> LineTerms:
    return LineTerms(line.quantity, line.unit_price, line.discount, line.tax_rate,
                     line.floor_price, line.cost)


def revisions_of(session: Session, quote_id: int) -> list[QuoteRevision]:
    return list(session.scalars(select(QuoteRevision).where(QuoteRevision.quote_id == quote_id)
                                .order_by(QuoteRevision.number)))


def newest(session: Session, quote_id: int) -> QuoteRevision:
    return revisions_of(session, quote_id)[-1]


def revision_view(session: Session, quote: Quote, revision: QuoteRevision,
                  min_margin: Decimal | None) -> RevisionView:
    """The revision as priced; ``min_margin`` (the rule now) holds for one being drafted,
    one sent keeps the rule it went out under."""
    if revision.sent_at is not None:
        min_margin = revision.min_margin
    options = session.scalars(select(QuoteOption).where(QuoteOption.revision_id == revision.id)
                              .order_by(QuoteOption.position)).all()
    lines: dict[int, list[tuple[QuoteLine, Product]]] = defaultdict(list)
    if options:
        rows = session.execute(
            select(QuoteLine, Product).join(Product, Product.id == QuoteLine.product_id)
            .where(QuoteLine.option_id.in_([o.id for o in options]))
            .order_by(QuoteLine.position))
        for line, product in rows:
            lines[line.option_id].append((line, product))
    english = quote.language == "en"
    shown = []
    for option in options:
        own = lines[option.id]
        amounts = price_option([terms_of(line) for line, _p in own],
                               include_tax=quote.prices_include_tax, min_margin=min_margin)
        shown.append(QuoteOptionView(option.id, option.name, tuple(
            QuoteLineView(line.id, product.id, product.code,
                          line.name_en if english and line.name_en else (line.name
                                                                        or product.name),
                          line.description, line.unit, line.quantity, line.unit_price,
                          line.discount, line.tax_rate, line.list_price, line.floor_price,
                          line.cost, priced)
            for (line, product), priced in zip(own, amounts.lines, strict=True)), amounts))
    return RevisionView(
        revision.id, revision.number,
        QuoteTerms(revision.valid_until, revision.payment_terms, revision.delivery_terms,
                   revision.notes),
        tuple(shown), _approval(session, revision), revision.created_at, revision.sent_at,
        _name(session, revision.sent_by_id), min_margin)


def _approval(session: Session, revision: QuoteRevision) -> Approval:
    return Approval(revision.approval, _name(session, revision.approval_asked_by_id),
                    revision.approval_asked_at, revision.approval_request,
                    _name(session, revision.approval_by_id), revision.approval_at,
                    revision.approval_reason, revision.self_approved)


def _name(session: Session, user_id: int | None) -> str | None:
    user = session.get(User, user_id) if user_id is not None else None
    return user.display_name if user is not None else None


def quote_view(session: Session, quote_id: int, number: int | None = None,
               today: dt.date | None = None) -> QuoteView:
    """The quote with revision ``number`` (the newest when None)."""
    quote = get_or_raise(session, Quote, quote_id, "quote")
    deal = session.get(Deal, quote.deal_id)
    assert deal is not None  # a quote's deal is soft-deleted at most, never removed
    revisions = revisions_of(session, quote_id)
    chosen = revisions[-1] if number is None else next(
        (r for r in revisions if r.number == number), None)
    if chosen is None:
        raise InvalidInput("revision", _("Quote {number} has no revision {revision}.").format(
            number=quote.number, revision=number))
    company = session.get(Company, deal.company_id) if deal.company_id else None
    contact = session.get(Contact, quote.contact_id) if quote.contact_id else None
    sent = [r for r in revisions if r.sent_at is not None]
    rules = quote_rules(session_query(session))
    return QuoteView(
        quote.id, quote.number, deal.id, deal.title, deal.owner_id,
        company.name if company is not None else "", quote.contact_id,
        contact.name if contact is not None else "",
        QuoteHeader(quote.title, quote.language, quote.prices_include_tax, quote.contact_id),
        quote.currency, quote.state, is_expired(quote.state, sent[-1] if sent else None, today),
        revision_view(session, quote, chosen, rules.min_margin),
        tuple(r.number for r in revisions), sent[-1].number if sent else None,
        quote.accepted_option_id, quote.decided_on, quote.rejected_reason,
        quote.created_by_id, quote.version)


def is_expired(state: QuoteState, sent: QuoteRevision | None, today: dt.date | None) -> bool:
    if state is not QuoteState.SENT or sent is None or sent.valid_until is None:
        return False
    return sent.valid_until < (today or dt.date.today())


def summaries(session: Session, quotes: Sequence[Quote],
              today: dt.date | None = None) -> list[QuoteSummary]:
    """The list rows of ``quotes``, in their order, read in a few queries."""
    ids = [q.id for q in quotes]
    if not ids:
        return []
    revisions: dict[int, list[QuoteRevision]] = defaultdict(list)
    for revision in session.scalars(select(QuoteRevision).where(QuoteRevision.quote_id.in_(ids))
                                    .order_by(QuoteRevision.number)):
        revisions[revision.quote_id].append(revision)
    newest_ids = {rs[-1].id for rs in revisions.values()}
    options: dict[int, list[QuoteOption]] = defaultdict(list)
    names: dict[int, str] = {}
    for option in session.scalars(select(QuoteOption).order_by(QuoteOption.position)
                                  .where(QuoteOption.revision_id.in_(newest_ids))):
        options[option.revision_id].append(option)
    accepted = [q.accepted_option_id for q in quotes if q.accepted_option_id is not None]
    for option_id, name in session.execute(select(QuoteOption.id, QuoteOption.name)
                                           .where(QuoteOption.id.in_(accepted))):
        names[option_id] = name
    deals = {d.id: d for d in session.scalars(select(Deal).where(
        Deal.id.in_({q.deal_id for q in quotes})))}
    companies = {ident: name for ident, name in session.execute(
        select(Company.id, Company.name).where(
            Company.id.in_({d.company_id for d in deals.values() if d.company_id})))}
    owners = {ident: name for ident, name in session.execute(
        select(User.id, User.display_name))}
    needing = _needing_approval(session, newest_ids, quotes)
    rows = []
    for quote in quotes:
        revs = revisions[quote.id]
        last = revs[-1]
        sent = [r for r in revs if r.sent_at is not None]
        deal = deals[quote.deal_id]
        shown_validity = last.valid_until
        rows.append(QuoteSummary(
            quote.id, quote.number, quote.title, deal.id, deal.title,
            companies.get(deal.company_id or 0, ""), owners.get(deal.owner_id, ""),
            quote.state, is_expired(quote.state, sent[-1] if sent else None, today),
            last.number, last.sent_at is not None, quote.currency,
            tuple(OptionTotal(o.name, o.total) for o in options[last.id]), shown_validity,
            last.approval, last.id in needing,
            names.get(quote.accepted_option_id) if quote.accepted_option_id else None,
            quote.updated_at))
    return rows


def _needing_approval(session: Session, revision_ids: set[int],
                      quotes: Sequence[Quote]) -> set[int]:
    """Of ``revision_ids``, those below a floor or the minimum margin."""
    taxed = {q.id: q.prices_include_tax for q in quotes}
    rule = quote_rules(session_query(session)).min_margin
    include, margins = {}, {}
    for revision_id, quote_id, sent_at, kept in session.execute(
            select(QuoteRevision.id, QuoteRevision.quote_id, QuoteRevision.sent_at,
                   QuoteRevision.min_margin).where(QuoteRevision.id.in_(revision_ids))):
        include[revision_id] = taxed[quote_id]
        margins[revision_id] = kept if sent_at is not None else rule  # as revision_view
    lines: dict[tuple[int, int], list[LineTerms]] = defaultdict(list)
    for revision_id, option_id, line in session.execute(
            select(QuoteOption.revision_id, QuoteOption.id, QuoteLine)
            .join(QuoteLine, QuoteLine.option_id == QuoteOption.id)
            .where(QuoteOption.revision_id.in_(revision_ids))):
        lines[(revision_id, option_id)].append(terms_of(line))
    return {revision_id for (revision_id, _o), terms in lines.items()
            if price_option(terms, include_tax=include[revision_id],
                            min_margin=margins[revision_id]).needs_approval}

