"""A part of a deal kept in a table of its own, one row a deal (its follow-up plan, its
scorecard): found for a change by the deal's owner or a manager, at the version seen."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from funneldesk.db.stale import last_change
from funneldesk.models import Deal, FollowUpPlan, Scorecard
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.permissions import require_deal_owner
from funneldesk.services.common.records import Actor

Part = TypeVar("Part", FollowUpPlan, Scorecard)


def part_to_change(session: Session, model: type[Part], deal_id: int,
                   expected_version: int | None, by: Actor, refusal: str
                   ) -> tuple[Deal, Part | None]:
    """The deal and its row of ``model``, if the one ``by`` saw (its version; None:
    none) is still the one saved and ``by`` may change it (``refusal`` says why not)."""
    deal = get_or_raise(session, Deal, deal_id, "deal")
    require_deal_owner(by, deal.owner_id, refusal)
    row = session.scalars(select(model).where(model.deal_id == deal_id)).first()
    if (row.version if row is not None else None) != expected_version:
        raise last_change(session, model, row.id) if row is not None else \
            last_change(session, None, deal_id)
    return deal, row
