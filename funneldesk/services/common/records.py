"""Records every area hands out: who acts, what a call changed, currencies and totals."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from funneldesk.enums import Role


@dataclass(frozen=True, slots=True)
class Actor:
    id: int
    login: str
    display_name: str
    role: Role

    @property
    def is_manager(self) -> bool:
        return self.role is Role.MANAGER


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """What a call changed, so that each view refreshes only its part."""

    deal_ids: frozenset[int] = frozenset()
    stage_ids: frozenset[int] = frozenset()
    # pipelines, stages, rates or many deals changed: every view reads its data again
    everything: bool = False
    # companies and contacts saved, merged, claimed or released (a company's contacts
    # that followed it in or out of the pool included); the deals that show a renamed
    # customer's name are in ``deal_ids``
    company_ids: frozenset[int] = frozenset()
    contact_ids: frozenset[int] = frozenset()
    # activities planned, done, moved or cancelled (the Today pane, timelines, cards)
    activity_ids: frozenset[int] = frozenset()
    # quotes made, changed, sent, approved or decided (the Quotes page, the deal's quotes)
    quote_ids: frozenset[int] = frozenset()
    # contracts made, changed, moved along their signing path or paid (the Contracts
    # page, receivables, the deal's and the customer's money)
    contract_ids: frozenset[int] = frozenset()

    @classmethod
    def of_deal(cls, deal_id: int, *stage_ids: int) -> ChangeSet:
        """One deal changed, in the stages it was and is in."""
        return cls(frozenset({deal_id}), frozenset(stage_ids))

    @classmethod
    def of_customers(cls, entity: str, ids: Iterable[int],
                     deal_ids: Iterable[int] = ()) -> ChangeSet:
        """Companies (``entity`` "company") or contacts changed, and the deals that
        show them."""
        if entity == "company":
            return cls(frozenset(deal_ids), company_ids=frozenset(ids))
        return cls(frozenset(deal_ids), contact_ids=frozenset(ids))

    @property
    def customers(self) -> bool:
        """Whether any company or contact changed."""
        return bool(self.company_ids or self.contact_ids)

    def __or__(self, other: ChangeSet) -> ChangeSet:
        return ChangeSet(self.deal_ids | other.deal_ids, self.stage_ids | other.stage_ids,
                         self.everything or other.everything,
                         self.company_ids | other.company_ids,
                         self.contact_ids | other.contact_ids,
                         self.activity_ids | other.activity_ids,
                         self.quote_ids | other.quote_ids,
                         self.contract_ids | other.contract_ids)

    @property
    def empty(self) -> bool:
        """Nothing changed: nobody needs to hear of it."""
        return not (self.deal_ids or self.stage_ids or self.everything or self.customers
                    or self.activity_ids or self.quote_ids or self.contract_ids)


@dataclass(frozen=True, slots=True)
class CurrencyRates:
    """What converting to the base currency needs."""

    base_currency: str
    rates: Mapping[str, Decimal]  # base units per one unit of the keyed currency


@dataclass(frozen=True, slots=True)
class Total:
    """A sum in the base currency of deals converted one by one.

    ``known`` and ``weighted`` add up the deals that could be converted; ``missing`` counts
    the others per currency. With any missing, the total itself is unknown (``value`` None).
    """

    known: Decimal
    weighted: Decimal
    missing: tuple[tuple[str, int], ...] = ()  # (currency without a rate, deals), by code

    @property
    def value(self) -> Decimal | None:
        return None if self.missing else self.known

    @property
    def weighted_value(self) -> Decimal | None:
        return None if self.missing else self.weighted

    @property
    def missing_deals(self) -> int:
        return sum(n for _code, n in self.missing)

    @property
    def missing_currencies(self) -> tuple[str, ...]:
        return tuple(code for code, _n in self.missing)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A record found by the search-everything box (or recently opened from it).

    ``match`` is how well it matched: ``exact`` (the whole title), ``prefix`` (the title
    starts with the query), ``substring`` (the words occur in its title or detail) or
    ``recent`` (the empty query's list). ``title_spans`` and ``detail_spans`` are the
    matched parts, (start, length) in the shown text's characters.
    """

    kind: str
    record_id: int
    kind_label: str
    title: str
    detail: str
    archived: bool
    match: str
    recent: bool
    title_spans: tuple[tuple[int, int], ...] = ()
    detail_spans: tuple[tuple[int, int], ...] = ()
