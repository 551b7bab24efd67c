"""Amounts typed by users."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from funneldesk.errors import InvalidInput
from funneldesk.i18n import _


def parse_money(text: str) -> Decimal:
    """A value typed by a user ("12,500.5", "3 000") as Decimal; raises InvalidInput."""
    cleaned = text.strip().replace(",", "").replace("，", "").replace(" ", "")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput("value", _("“{text}” is not an amount.").format(text=text)) from None
