"""How KPI values read in the window: a dash where there is no data, never 0."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from funneldesk import formatting
from funneldesk.i18n import _

NO_DATA = "–"


def percent_text(ratio: float | None) -> str:
    return NO_DATA if ratio is None else formatting.percent(ratio)


def days_text(days: float | None) -> str:
    return NO_DATA if days is None else formatting.decimal(days)


def money_text(amount: Decimal | None, currency: str, short: bool = False) -> str:
    if amount is None:
        return NO_DATA
    return formatting.money_short(amount, currency) if short else \
        formatting.money(amount, currency)


def month_label(month: Any) -> str:
    """A forecast month's row: its month, "Before this month" or "No date"."""
    if month.start is not None:
        return formatting.month(month.start)
    return _("Before this month") if month.late else _("No date")


def missing_rates_text(currencies: tuple[str, ...]) -> str:
    """Why some totals show a dash: the currencies that have no rate."""
    if not currencies:
        return ""
    return _("Totals that need a rate for {currencies} are not shown: set one under "
             "Settings ▸ {rates}").format(currencies=formatting.listing(currencies),
                                          rates=_("Exchange rates…").rstrip("…."))
