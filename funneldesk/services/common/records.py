"""Records every area hands out: who acts, what a call changed, currencies and totals."""

from __future__ import annotations

from collections.abc import Mapping
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

    @classmethod
    def of_deal(cls, deal_id: int, *stage_ids: int) -> ChangeSet:
        """One deal changed, in the stages it was and is in."""
        return cls(frozenset({deal_id}), frozenset(stage_ids))


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
