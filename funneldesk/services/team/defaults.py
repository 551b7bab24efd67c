"""The team settings of a new database: its base currency, exchange rates and language."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the board's first read imports this module, before SQLAlchemy is loaded
    from sqlalchemy.orm import Session

# base units per unit of each currency, to start from (a manager sets the real ones)
STARTING_RATES = {
    "CNY": {"CNY": "1", "USD": "7.1", "EUR": "7.7"},
    "USD": {"USD": "1", "CNY": "0.14", "EUR": "1.08"},
}


def base_currency_for(lang: str) -> str:
    return "CNY" if lang == "zh_CN" else "USD"


def add_team_defaults(session: Session, lang: str) -> None:
    from funneldesk.models import TeamSetting

    base = base_currency_for(lang)
    session.add(TeamSetting(key="base_currency", value=base))
    session.add(TeamSetting(key="rates", value=json.dumps(STARTING_RATES[base])))
    session.add(TeamSetting(key="language", value=lang))
