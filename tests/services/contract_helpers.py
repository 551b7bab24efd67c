"""Builders for contract tests: an accepted quote, a contract made from it, and a
contract taken along its path as far as a test needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from funneldesk.enums import ContractState
from funneldesk.reports.quote_document import Letterhead
from funneldesk.services import Services
from funneldesk.services.contracts.records import ContractView, StepDetails
from funneldesk.services.dto import Actor, Card
from tests.helpers import make_deal
from tests.services.quote_helpers import catalogue, content


def accepted_quote(services: Services, manager: Actor, by: Actor,
                   stage_name: str = "Contract",
                   payment_terms: str = "30% on signing, 70% on acceptance",
                   ) -> tuple[Card, int]:
    """A deal at ``stage_name`` whose quote's Premium option (33,200.00 USD, tax
    included) the customer accepted on ``payment_terms``."""
    priced = services.quotes.catalogue("USD")
    products = ({"licence": next(p for p in priced.values() if p.code == "LIC-1"),
                 "day": next(p for p in priced.values() if p.code == "SVC-1")}
                if priced else catalogue(services, manager))  # a second contract: as it is
    taken = len(services.contracts.candidates(viewer=manager)) + len(
        services.contracts.all(viewer=manager))
    customer = services.customers.create_company(
        name=f"Northwind Traders {taken + 1}" if taken else "Northwind Traders", by=manager)
    deal = make_deal(services, by, stage_name=stage_name, value="5000", company_id=customer.id)
    drafted = content(products)
    drafted = replace(drafted, terms=replace(drafted.terms, payment_terms=payment_terms))
    quote = services.quotes.create(deal.id, drafted, by=by).quote
    sent = services.quotes.send(quote.id, expected_version=quote.version, by=by).quote
    services.quotes.accept(quote.id, sent.revision.options[1].id,
                           expected_version=sent.version, by=by)
    return deal, quote.id


def contract(services: Services, manager: Actor, by: Actor,
             stage_name: str = "Contract", on: dt.date | None = None) -> ContractView:
    """A draft made ``on`` that day (today) whose every placeholder has a value: the
    company's letterhead is set, and the warranty and acceptance terms written."""
    if not services.letterhead.letterhead().name:
        services.letterhead.set_letterhead(Letterhead(name="Acme Systems Ltd",
                                                      address="1 Main Street"), by=manager)
    _deal, quote_id = accepted_quote(services, manager, by, stage_name)
    view = services.contracts.create(quote_id, by=by, on=on).contract
    content = replace(view.content, warranty_terms="12 months from acceptance.",
                      acceptance_terms="Signed acceptance report within 10 days.")
    return services.contracts.save(view.id, content, expected_version=view.version,
                                   by=by).contract


def reviewed(services: Services, manager: Actor, view: ContractView,
             on: dt.date | None = None) -> ContractView:
    """In review (since ``on``, or today) with every item ticked by the manager."""
    view = services.contracts.advance(view.id, ContractState.IN_REVIEW, StepDetails(on=on),
                                      expected_version=view.version, by=manager).contract
    for item in view.reviews:
        view = services.contracts.tick(view.id, item.id, True, expected_version=view.version,
                                       by=manager).contract
    return view


def signed(services: Services, manager: Actor, view: ContractView,
           on: dt.date | None = None) -> ContractView:
    """Reviewed, approved, posted and signed by the customer, all on one day (``on``, or
    today; the contract was made that day or before)."""
    view = reviewed(services, manager, view, on)
    view = services.contracts.advance(view.id, ContractState.APPROVED, StepDetails(on=on),
                                      expected_version=view.version, by=manager).contract
    view = services.contracts.advance(view.id, ContractState.SENT,
                                      StepDetails(on, "顺丰速运", "SF1234567890"),
                                      expected_version=view.version, by=manager).contract
    return services.contracts.advance(view.id, ContractState.SIGNED, StepDetails(on=on),
                                      expected_version=view.version, by=manager).contract
