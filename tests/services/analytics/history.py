"""Deals with a history written directly (dates the tests choose), as an import or years
of use leave them: what the KPI tests count by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from funneldesk.db import Database
from funneldesk.models import Deal, StageChange, TeamSetting
from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.services.pipeline import visits
from funneldesk.services.pipeline.search import raw_connection
from tests.helpers import stage

ZONE = "Asia/Shanghai"


def at(text: str, zone: str = ZONE) -> dt.datetime:
    """'2026-03-01 09:00' in the team's zone, as an aware UTC moment."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)


def set_zone(db: Database, zone: str = ZONE) -> None:
    with db.session() as session:
        session.merge(TeamSetting(key="time_zone", value=zone))


def add_deal(services: Services, by: Actor, path: Sequence[tuple[str, str]], *,
             value: str = "1000", won_value: str | None = None, owner: int | None = None,
             source: int | None = None, product: int | None = None,
             closed_on: str | None = None, lost_reason: int | None = None,
             lost_text: str = "", currency: str | None = None, undone: Mapping[int, str] | None = None,
             deleted: bool = False, zone: str = ZONE) -> int:
    """A deal that went through ``path`` ((stage name, local time) pairs: its creation
    first). ``undone``: right after the n-th change (0: the creation), a move to the stage
    named and its undo, half an hour apart. The deal's outcome
    fields are as given (a closed deal's close day defaults to its last move's day)."""
    from funneldesk.services.team.reads import base_currency

    currency = currency or base_currency(services.db.query)
    stages = [stage(services, name) for name, _when in path]
    times = [at(when, zone) for _name, when in path]
    last = stages[-1]
    closed = None
    if not last.is_open:
        closed = dt.date.fromisoformat(closed_on) if closed_on else \
            times[-1].astimezone(ZoneInfo(zone)).date()
    with services.db.session() as session:
        ident = session.execute(insert(Deal).returning(Deal.id), [{
            "pipeline_id": last.pipeline_id, "stage_id": last.id, "stage_entered_at": times[-1],
            "title": "Deal", "value": Decimal(value),
            "won_value": Decimal(won_value or value) if last.kind.name == "WON" else None,
            "currency": currency, "owner_id": owner or by.id, "created_by_id": by.id,
            "updated_by_id": by.id, "created_at": times[0], "updated_at": times[-1],
            "lead_source_id": source, "product_id": product, "closed_on": closed,
            "lost_reason_id": lost_reason, "lost_reason_text": lost_text,
            "deleted_at": times[-1] if deleted else None}]).scalar_one()
        previous = None
        for n, (target, when) in enumerate(zip(stages, times, strict=True)):
            session.add(StageChange(deal_id=ident, from_stage_id=previous and previous.id,
                                    to_stage_id=target.id, at=when, by_id=by.id))
            session.flush()
            if n in (undone or {}):
                ahead = stage(services, (undone or {})[n])
                slip = StageChange(deal_id=ident, from_stage_id=target.id,
                                   to_stage_id=ahead.id, at=when + dt.timedelta(minutes=30),
                                   by_id=by.id)
                session.add(slip)
                session.flush()
                session.add(StageChange(deal_id=ident, from_stage_id=ahead.id,
                                        to_stage_id=target.id, reverts_id=slip.id,
                                        at=when + dt.timedelta(minutes=60), by_id=by.id))
            previous = target
        session.flush()
        # as every writer of stage changes does (nothing before the first KPI read)
        visits.refresh(raw_connection(session), [ident])
    return int(ident)
