"""Plain-SQL reads of team settings and users."""

from __future__ import annotations

import json
from decimal import Decimal

from funneldesk.i18n import language
from funneldesk.services.common.local_days import known_zone, system_zone_name
from funneldesk.services.common.records import CurrencyRates
from funneldesk.services.common.sql import Query
from funneldesk.services.team.defaults import base_currency_for
from funneldesk.services.team.records import UserInfo


def read_owners(query: Query) -> tuple[UserInfo, ...]:
    rows = query("SELECT id, display_name FROM users WHERE active ORDER BY display_name", ())
    return tuple(UserInfo(int(r[0]), str(r[1])) for r in rows)


def setting(query: Query, key: str) -> str | None:
    rows = query("SELECT value FROM team_settings WHERE key = ?", (key,))
    return str(rows[0][0]) if rows else None


TIME_ZONE = "time_zone"  # the team's zone, in which KPIs count calendar days


def time_zone(query: Query) -> str:
    """The team's time zone (an IANA name): its setting, else the system's."""
    name = setting(query, TIME_ZONE)
    return name if name and known_zone(name) else system_zone_name()


def base_currency(query: Query) -> str:
    return setting(query, "base_currency") or base_currency_for(language())


def rates(query: Query) -> dict[str, Decimal]:
    return {code: Decimal(v) for code, v in json.loads(setting(query, "rates") or "{}").items()}


def currency_rates(query: Query) -> CurrencyRates:
    """The base currency and the rates to it, as totals convert with them."""
    return CurrencyRates(base_currency(query), rates(query))
