"""Team-wide settings kept in the database: base currency and exchange rates."""

from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from funneldesk.models import TeamSetting


def base_currency(session: Session) -> str:
    return session.scalar(select(TeamSetting.value).where(TeamSetting.key == "base_currency")) or "CNY"


def rates(session: Session) -> dict[str, Decimal]:
    raw = session.scalar(select(TeamSetting.value).where(TeamSetting.key == "rates"))
    return {code: Decimal(v) for code, v in json.loads(raw or "{}").items()}


def to_base(amount: Decimal, currency: str, base: str, table: dict[str, Decimal]) -> Decimal:
    if currency == base:
        return amount
    return amount * table.get(currency, Decimal(1))
