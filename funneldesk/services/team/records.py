"""Records of the team area: users and exchange rates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from funneldesk.services.common.records import CurrencyRates


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: int
    display_name: str


@dataclass(frozen=True, slots=True)
class RateInfo:
    currency: str
    rate: Decimal  # base units per one unit of ``currency``, 6 decimal places
    changed_at: dt.datetime | None  # None: set before FunnelDesk kept the time
    changed_by: str


@dataclass(frozen=True, slots=True)
class RateTable:
    """The team's base currency and its exchange rates, by currency code."""

    base_currency: str
    rates: tuple[RateInfo, ...]

    def rate(self, currency: str) -> Decimal | None:
        return next((r.rate for r in self.rates if r.currency == currency), None)

    @property
    def currency_rates(self) -> CurrencyRates:
        return CurrencyRates(self.base_currency, {r.currency: r.rate for r in self.rates})
