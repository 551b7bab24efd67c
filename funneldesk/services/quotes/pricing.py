"""The pricing rules of a quote: one place that turns lines into amounts, and says which
lines are below their floor and which options below the minimum margin.

Accountants' rules: a line's amount is quantity × unit price less its discount, rounded
half-up to 0.01; its tax is computed on that rounded amount and rounded half-up too;
an option's totals are sums of rounded lines, never a rounding of a sum.

Catalogue prices (list, floor, cost) are before tax. A quote whose prices include tax
(含税) shows the floor with the line's tax added, rounded to the cent, and a line is below
its floor when its unit price after discount is below the floor as shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from funneldesk.money import round_cents

HUNDRED = Decimal(100)
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class LineTerms:
    """What a line's amounts depend on. Percentages are in percent (13 is 13%)."""

    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    tax_rate: Decimal
    floor_price: Decimal | None = None  # before tax
    cost: Decimal | None = None  # per unit, before tax


@dataclass(frozen=True, slots=True)
class LineAmounts:
    amount: Decimal  # the line total as printed (with tax when prices include it)
    tax: Decimal
    net: Decimal  # before tax
    floor_shown: Decimal | None  # the floor per unit, in the quote's prices (含税 or not)
    below_floor: bool
    cost: Decimal | None  # quantity × unit cost, None when the cost is not known


@dataclass(frozen=True, slots=True)
class OptionAmounts:
    lines: tuple[LineAmounts, ...]
    subtotal: Decimal  # the sum of the line totals as printed
    tax: Decimal
    total: Decimal  # what the customer pays, tax included
    net: Decimal  # before tax
    # (net - cost) / net over the lines whose cost is known; None when none is, or net is 0
    margin: Decimal | None
    cost_unknown: int  # lines without a known cost, which the margin leaves out
    below_floor: int  # lines below their floor
    below_margin: bool

    @property
    def needs_approval(self) -> bool:
        return bool(self.below_floor) or self.below_margin


def price_line(terms: LineTerms, *, include_tax: bool) -> LineAmounts:
    rate = terms.tax_rate / HUNDRED
    effective = terms.unit_price * (HUNDRED - terms.discount) / HUNDRED
    amount = round_cents(terms.quantity * effective)
    if include_tax:
        tax = round_cents(amount * rate / (1 + rate))
        net = amount - tax
    else:
        tax = round_cents(amount * rate)
        net = amount
    floor_shown = None
    if terms.floor_price is not None:
        floor_shown = round_cents(terms.floor_price * (1 + rate)) if include_tax \
            else terms.floor_price
    below = floor_shown is not None and effective < floor_shown
    cost = None if terms.cost is None else round_cents(terms.quantity * terms.cost)
    return LineAmounts(amount, tax, net, floor_shown, below, cost)


def price_option(lines: Sequence[LineTerms], *, include_tax: bool,
                 min_margin: Decimal | None = None) -> OptionAmounts:
    """The option's amounts; ``min_margin`` in percent (None: no minimum)."""
    priced = tuple(price_line(line, include_tax=include_tax) for line in lines)
    subtotal = sum((line.amount for line in priced), ZERO)
    tax = sum((line.tax for line in priced), ZERO)
    total = subtotal if include_tax else subtotal + tax
    known = [line for line in priced if line.cost is not None]
    known_net = sum((line.net for line in known), ZERO)
    known_cost = sum((line.cost or ZERO for line in known), ZERO)
    margin = (known_net - known_cost) / known_net if known and known_net > 0 else None
    if min_margin is None:
        below_margin = False
    elif margin is None:  # given away: below any minimum as soon as it costs something
        below_margin = known_cost > 0
    else:
        below_margin = margin * HUNDRED < min_margin
    return OptionAmounts(priced, subtotal, tax, total, total - tax, margin,
                         len(priced) - len(known), sum(line.below_floor for line in priced),
                         below_margin)
