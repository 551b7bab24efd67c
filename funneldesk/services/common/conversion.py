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

from funneldesk.money import round_cents, to_hundredths
from funneldesk.services.common.records import CurrencyRates, Total


def to_base(amount: Decimal, currency: str, rates: CurrencyRates) -> Decimal | None:
    """``amount`` in the base currency, rounded half-up to 0.01; None without a rate."""
    if currency == rates.base_currency:
        return round_cents(amount)
    rate = rates.rates.get(currency)
    return None if rate is None else round_cents(amount * rate)


def weighted(base_amount: Decimal, probability: int) -> Decimal:
    """One deal's weighted value: its base amount times the stage probability, to the cent."""
    return round_cents((base_amount * probability).scaleb(-2))  # scaleb: exact, and faster


Line = tuple[int, int] | None  # a deal's converted and weighted cents; None: no rate


class RunningTotal:
    """A total kept current while deals come and go (a board column).

    Kept in integer cents: a board totals every card at each load and each search, and
    integer arithmetic gives the same half-up rounding of each deal as ``to_base`` and
    ``weighted`` several times faster (exactly: a rate is a fraction of two integers).
    """

    def __init__(self, rates: CurrencyRates | None, probability: int = 100) -> None:
        self.rates, self.probability = rates, probability
        self._ratios = {} if rates is None else {
            code: rate.as_integer_ratio() for code, rate in rates.rates.items()
            if code != rates.base_currency}
        self._known = 0
        self._weighted = 0
        self._missing: Counter[str] = Counter()

    def restart(self, total: Total) -> None:
        """Starts again from ``total`` (a sum worked out elsewhere, e.g. in SQL)."""
        self._known, self._weighted = to_hundredths(total.known), to_hundredths(total.weighted)
        self._missing = Counter(dict(total.missing))

    def add(self, amount: Decimal, currency: str, sign: int = 1) -> None:
        self.add_line(self.line(amount, currency), currency, sign)

    def line(self, amount: Decimal, currency: str) -> Line:
        """One deal's converted and weighted cents (None without a rate): what ``add_line``
        adds, worth keeping where the same deals are totalled again and again."""
        if self.rates is not None and currency == self.rates.base_currency:
            scaled = amount.scaleb(2)
            cents = int(scaled)
            if cents == scaled and cents >= 0:  # most deals: whole cents, no conversion
                return cents, (cents * self.probability + 50) // 100
        converted = self._cents(amount, currency)
        if converted is None:
            return None
        return converted, _half_up(converted * self.probability, 100)

    def add_line(self, line: Line, currency: str, sign: int = 1) -> None:
        if line is None:
            self._missing[currency] += sign
            if self._missing[currency] <= 0:
                del self._missing[currency]
            return
        self._known += sign * line[0]
        self._weighted += sign * line[1]

    def _cents(self, amount: Decimal, currency: str) -> int | None:
        """``amount`` in cents of the base currency, rounded half-up; None without a rate."""
        if self.rates is None:
            return None
        scaled = amount.scaleb(2)
        cents = int(scaled)
        if cents != scaled:  # finer than a cent: the Decimal rule, then whole cents
            converted = to_base(amount, currency, self.rates)
            return None if converted is None else int(converted.scaleb(2))
        if currency == self.rates.base_currency:
            return cents
        ratio = self._ratios.get(currency)
        return None if ratio is None else _half_up(cents * ratio[0], ratio[1])

    def remove(self, amount: Decimal, currency: str) -> None:
        self.add(amount, currency, -1)

    def result(self) -> Total:
        return Total(_from_cents(self._known), _from_cents(self._weighted),
                     tuple(sorted(self._missing.items())))


def _half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator to the nearest integer, a tie away from zero (ROUND_HALF_UP)."""
    whole, rest = divmod(abs(numerator), denominator)
    if 2 * rest >= denominator:
        whole += 1
    return whole if numerator >= 0 else -whole


def _from_cents(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


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
