"""How KPI values read in the window beyond the tables (services/analytics/tables.py):
the pane's short amounts, a target's colours and tooltip, the forecast categories."""

from __future__ import annotations

import html
from decimal import Decimal

from funneldesk import formatting
from funneldesk.i18n import _, pgettext
from funneldesk.services.analytics.tables import NO_DATA

STATUS_COLOURS = {"green": "#2e7d45", "amber": "#b37400", "red": "#c0392b"}


def money_short(amount: Decimal | None, currency: str) -> str:
    return NO_DATA if amount is None else formatting.money_short(amount, currency)


def money_compact(amount: Decimal | None, currency: str) -> str:
    """A tile's amount, short enough for a narrow pane ($10.6M, ¥1024.8万)."""
    return NO_DATA if amount is None else formatting.money_compact(amount, currency)


def wrapped(text: str) -> str:
    """A long tooltip (a KPI's definition) as rich text, which Qt wraps into a block,
    rather than plain text, which it shows as one line across the screen."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>" if text else ""



def forecast_categories() -> tuple[tuple[str, str], ...]:
    """(code, name) of each forecast category, the least sure first."""
    return (("pipeline", pgettext("forecast", "Pipeline")), ("best_case", _("Best case")),
            ("commit", _("Commit")))
