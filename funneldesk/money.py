"""Exact amounts: rounding to the cent, and the integer-hundredths form SQLite stores.

Free of SQLAlchemy, so that the plain-SQL board reads at start-up can use it too.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")


def round_cents(value: Decimal) -> Decimal:
    """Half-up to 0.01, the rounding accountants expect (2.345 -> 2.35)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_hundredths(value: Decimal) -> int:
    return int(round_cents(value).scaleb(2))


def from_storage(value: Any) -> Decimal:
    """A stored amount as Decimal: integer hundredths (SQLite) or an exact decimal."""
    if isinstance(value, bool):
        raise TypeError("a truth value is not an amount")
    if isinstance(value, int):
        return Decimal(value).scaleb(-2)  # exponent -2 already: no quantize needed
    if isinstance(value, float):  # FunnelDesk never writes one: a float would be inexact
        raise TypeError(f"amount stored as a binary float: {value!r}")
    return Decimal(value).quantize(CENT)
