"""A manager's own forecast for an expected-close month, kept beside the computed one
(never replacing it): for the team, or for one rep."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from funneldesk.i18n import _
from funneldesk.models import ForecastAdjustment, Pipeline, User
from funneldesk.models.base import utcnow
from funneldesk.services.common import audit
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.money import check_amount
from funneldesk.services.common.permissions import require_manager
from funneldesk.services.common.records import Actor


def save(session: Session, pipeline_id: int, month: dt.date, user_id: int | None,
         amount: Decimal | None, note: str, by: Actor,
         expected_version: int | None = None) -> int | None:
    """Sets the month's own forecast (None: removes it); its id."""
    require_manager(by, _("Only a manager can adjust the forecast."))
    get_or_raise(session, Pipeline, pipeline_id, "pipeline")
    if user_id is not None:
        get_or_raise(session, User, user_id, "user")
    first = month.replace(day=1)
    row = session.scalars(select(ForecastAdjustment).where(
        ForecastAdjustment.pipeline_id == pipeline_id, ForecastAdjustment.month == first,
        ForecastAdjustment.user_id.is_(None) if user_id is None
        else ForecastAdjustment.user_id == user_id)).first()
    if row is not None and expected_version is not None and row.version != expected_version:
        from funneldesk.db.stale import last_change

        raise last_change(session, ForecastAdjustment, row.id)
    before = str(row.amount) if row is not None else None
    if amount is None:
        if row is not None:
            audit.record(session, by, "delete", "forecast_adjustment", row.id,
                         amount=[before, None])
            session.delete(row)
        return None
    amount = check_amount(amount, "amount")
    if row is None:
        row = ForecastAdjustment(pipeline_id=pipeline_id, month=first, user_id=user_id,
                                 amount=amount, note=note.strip(), updated_by_id=by.id)
        session.add(row)
    else:
        row.amount, row.note = amount, note.strip()
        row.updated_by_id, row.updated_at = by.id, utcnow()
    session.flush()
    audit.record(session, by, "adjust-forecast", "forecast_adjustment", row.id,
                 month=first.isoformat(), amount=[before, str(amount)])
    return row.id
