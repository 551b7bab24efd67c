"""A contract as its PDF shows it: texts in the contract's language, the terms' placeholders
filled from the deal, the customer and the quote, amounts formatted with the 大写 amount
for CNY, and the watermark: 机密 / CONFIDENTIAL for a confidential contract, a draft's
mark before the review approved it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from funneldesk.capitals import capitals
from funneldesk.enums import Confidentiality, ContractState
from funneldesk.i18n import N_, translated, translated_plural
from funneldesk.models import Deal, User
from funneldesk.reports.contract_document import ContractPdf, PdfMilestone
from funneldesk.reports.quote_document import PdfLine
from funneldesk.services.common.sql import session_query
from funneldesk.services.contracts import templates
from funneldesk.services.contracts.records import ContractView
from funneldesk.services.quotes.document import amount, day, percent, quantity
from funneldesk.services.quotes.letterhead import letterhead

UNAPPROVED = (ContractState.DRAFT, ContractState.IN_REVIEW)


def placeholder_values(session: Session, view: ContractView, today: dt.date,
                       gap: str | None = None) -> dict[str, str]:
    """What each placeholder stands for in this contract. The delivery, warranty and
    acceptance terms may hold placeholders of their own, filled here (``gap``: as in
    ``templates.fill``)."""
    language = view.language
    deal = session.get(Deal, view.summary.deal_id)
    owner = session.get(User, deal.owner_id) if deal is not None else None
    c = view.content.commitments
    values = {
        "contract_number": view.summary.number, "quote_number": view.quote_number,
        "date": day(today, language), "customer": view.summary.customer,
        "customer_address": view.customer_address, "contact": view.customer_contact,
        "our_company": letterhead(session_query(session)).name,
        "owner": owner.display_name if owner is not None else "",
        "deal": view.summary.deal_title, "option": view.option_name,
        "currency": view.summary.currency, "amount": amount(view.summary.amount),
        "amount_in_words": capitals(view.summary.amount) if view.summary.currency == "CNY"
        else amount(view.summary.amount),
        "subtotal": amount(view.subtotal), "tax": amount(view.tax),
        "support_scope": c.support_scope,
        "response_hours": str(c.response_hours or ""),
        "warranty_months": str(c.warranty_months if c.warranty_months is not None else ""),
        "service_contact": c.service_contact,
    }
    for name, text in (("delivery", view.content.delivery_terms),
                       ("warranty", view.content.warranty_terms),
                       ("acceptance", view.content.acceptance_terms)):
        filled = templates.fill(text, values, f"{name}_terms", gap) if text.strip() else ""
        values[name] = filled
    return values


def signed_day(view: ContractView) -> dt.date | None:
    """The day a contract is dated once approved: its approval (the text the customer
    receives), so that a reprint later shows the same date."""
    approved = [step.on for step in view.steps if step.state is ContractState.APPROVED]
    return approved[-1] if approved and view.state not in UNAPPROVED else None


def pdf_document(session: Session, view: ContractView, today: dt.date | None = None) -> ContractPdf:
    """The PDF's content; refuses terms with a placeholder nothing fills."""
    language = view.language
    printed = signed_day(view) or today or dt.date.today()
    # a draft shows what is still missing where it goes; a contract past its review never
    # prints with a blank
    # a draft, or a contract cancelled (void, as it was left), prints a gap as missing
    gap = (translated(N_("[missing: {name}]"), language)
           if view.state in UNAPPROVED or view.state is ContractState.CANCELLED else None)
    values = placeholder_values(session, view, printed, gap)
    clauses = tuple(
        (templates.fill(heading, values, gap=gap), templates.fill(body, values, gap=gap))
        for heading, body in templates.clauses(view.content.terms))
    c = view.content.commitments

    def t(message: str) -> str:
        return translated(message, language)

    commitments = tuple((t(label), text) for label, text in (
        (N_("Support scope"), c.support_scope),
        (N_("Response time"), translated_plural(
            "Within {hours} hour", "Within {hours} hours", c.response_hours, language).format(
            hours=c.response_hours) if c.response_hours else ""),
        (N_("Warranty period"), translated_plural(
            "{months} month", "{months} months", c.warranty_months, language).format(
            months=c.warranty_months) if c.warranty_months is not None else ""),
        (N_("Service contact"), c.service_contact)) if text)
    # the marks are in both languages whatever the contract's, not translated: a courier,
    # a clerk or a customer's lawyer of either language reads them at a glance
    confidential = view.summary.confidentiality is Confidentiality.CONFIDENTIAL
    # a cancelled contract is no contract at all; a secret draft is still a draft
    state = (("已作废", "CANCELLED – VOID") if view.state is ContractState.CANCELLED
             else ("草稿", "DRAFT – NOT FOR SIGNATURE") if view.state in UNAPPROVED else None)
    watermark: tuple[str, str] | None
    if confidential and state:
        watermark = (f"机密 · {state[0]}", f"CONFIDENTIAL – {state[1]}")
    elif confidential:
        watermark = ("机密", "CONFIDENTIAL")
    else:
        watermark = state
    return ContractPdf(
        language=language, letterhead=letterhead(session_query(session)),
        number=view.summary.number, title=view.content.title, date=day(printed, language),
        quote_number=view.quote_number, buyer=view.summary.customer,
        buyer_address=view.customer_address, buyer_contact=view.customer_contact,
        currency=view.summary.currency, prices_include_tax=view.prices_include_tax,
        items=tuple(PdfLine(i.name, i.description, i.unit, quantity(i.quantity),
                            amount(i.unit_price), percent(i.discount), amount(i.amount))
                    for i in view.items),
        subtotal=amount(view.subtotal), tax=amount(view.tax),
        total=amount(view.summary.amount),
        in_words=capitals(view.summary.amount) if view.summary.currency == "CNY" else "",
        milestones=tuple(PdfMilestone(m.label, day(m.due_on, language),
                                      percent(m.percent) if m.percent is not None else "",
                                      amount(m.amount)) for m in view.milestones),
        clauses=clauses, commitments=commitments, watermark=watermark)
