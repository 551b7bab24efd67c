"""Amounts typed by users: one validator for every form and dialog that takes money."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from funneldesk.errors import InvalidInput
from funneldesk.i18n import _

# the largest amount a money column holds (14 digits, 2 of them decimals)
MAX_AMOUNT = Decimal("999999999999.99")
CENT = Decimal("0.01")


def check_amount(value: Decimal, field: str = "value") -> Decimal:
    """``value`` rounded to cents if it is a storable amount; raises InvalidInput with
    one message per fault."""
    if not value.is_finite():
        raise InvalidInput(field, _("Enter the amount in digits, for example 12,500.50."))
    if value < 0:
        raise InvalidInput(field, _("The amount cannot be negative."))
    if value > MAX_AMOUNT:
        raise InvalidInput(field, _("The amount is too large: at most 999,999,999,999.99."))
    if value != value.quantize(CENT):
        raise InvalidInput(field, _("Use at most two decimal places."))
    return value.quantize(CENT)


def parse_money(text: str, field: str = "value") -> Decimal:
    """A value typed by a user ("12,500.5", "3 000") as Decimal in cents; raises
    InvalidInput for anything that is not a storable amount."""
    cleaned = text.strip().replace(",", "").replace("，", "").replace(" ", "")
    if not cleaned:
        raise InvalidInput(field, _("Enter an amount (0 if there is none yet)."))
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():  # "nan" and "inf" parse, but are no amount
        raise InvalidInput(field, _("“{text}” is not an amount.").format(text=text.strip()))
    return check_amount(value, field)


def parse_percent(text: str, field: str) -> Decimal | None:
    """A percentage typed by a user ("15", "15%", "12.5 %") with at most two decimals;
    None when the field is left empty. Raises InvalidInput for anything else."""
    cleaned = text.strip().replace("%", "").replace("％", "").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or not 0 <= value <= 100 or value != value.quantize(CENT):
        raise InvalidInput(field, _("Enter a percentage from 0 to 100, with at most two "
                                    "decimals."))
    return value
