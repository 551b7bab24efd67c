"""Amounts in the team's base currency: the one conversion that board totals and KPIs use.

Each deal converts and rounds half-up to the cent on its own, and totals add those rounded
lines (what an accountant re-adding the lines gets). A deal whose currency has no rate is
never counted at some guessed rate: the total records it as missing instead.

Free of SQLAlchemy and Qt, so that the board's columns can total at start-up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from funneldesk.money import round_cents
from funneldesk.services.dto import CurrencyRates, Total


def to_base(amount: Decimal, currency: str, rates: CurrencyRates) -> Decimal | None:
    """``amount`` in the base currency, rounded half-up to 0.01; None without a rate."""
    if currency == rates.base_currency:
        return round_cents(amount)
    rate = rates.rates.get(currency)
    return None if rate is None else round_cents(amount * rate)


def weighted(base_amount: Decimal, probability: int) -> Decimal:
    """One deal's weighted value: its base amount times the stage probability, to the cent."""
    return round_cents((base_amount * probability).scaleb(-2))  # scaleb: exact, and faster


class RunningTotal:
    """A total kept current while deals come and go (a board column)."""

    def __init__(self, rates: CurrencyRates | None, probability: int = 100) -> None:
        self.rates, self.probability = rates, probability
        self._known = Decimal("0.00")
        self._weighted = Decimal("0.00")
        self._missing: Counter[str] = Counter()

    def add(self, amount: Decimal, currency: str, sign: int = 1) -> None:
        converted = None if self.rates is None else to_base(amount, currency, self.rates)
        if converted is None:
            self._missing[currency] += sign
            if self._missing[currency] <= 0:
                del self._missing[currency]
            return
        self._known += sign * converted
        self._weighted += sign * weighted(converted, self.probability)

    def remove(self, amount: Decimal, currency: str) -> None:
        self.add(amount, currency, -1)

    def result(self) -> Total:
        return Total(self._known, self._weighted, tuple(sorted(self._missing.items())))


def total(lines: Iterable[tuple[Decimal, str]], rates: CurrencyRates,
          probability: int = 100) -> Total:
    """The total of (amount, currency) lines in the base currency."""
    running = RunningTotal(rates, probability)
    for amount, currency in lines:
        running.add(amount, currency)
    return running.result()


def offered_currencies(rates: CurrencyRates, current: str | None = None) -> tuple[str, ...]:
    """The currencies a deal can be entered in: the base and those with a rate, plus the
    deal's own (``current``) when it has lost its rate since."""
    codes = [rates.base_currency, *sorted(set(rates.rates) - {rates.base_currency})]
    if current and current not in codes:
        codes.append(current)
    return tuple(codes)
