"""A deal's or a customer's timeline: what is planned, then one stream of what happened,
newest first: activities done or cancelled (with what came of them) and the deals' moves
from stage to stage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, aliased

from funneldesk.models import Activity as ActivityRow
from funneldesk.models import ActivityState, Deal, Stage, StageChange, User
from funneldesk.services.activities import reads
from funneldesk.services.activities.records import Activity
from funneldesk.services.common.base import Service
from funneldesk.services.common.lookups import get_or_raise

LIMIT = 100  # entries of each kind a timeline shows (planned; and what happened)


@dataclass(frozen=True, slots=True)
class StageMove:
    """A deal entering a stage (``from_stage`` "": the deal was created there)."""

    deal_id: int
    deal: str
    from_stage: str
    to_stage: str
    by: str
    undone: bool  # the move took back an earlier one


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """Something that happened: an activity done or cancelled, or a stage move."""

    at: dt.datetime  # aware
    activity: Activity | None = None
    move: StageMove | None = None


@dataclass(frozen=True, slots=True)
class Timeline:
    planned: tuple[Activity, ...]  # by day and time, the undated last
    past: tuple[TimelineEntry, ...]  # newest first
    more: bool  # older entries were left out


class TimelineService(Service):
    def of_deal(self, deal_id: int, limit: int = LIMIT) -> Timeline:
        with self.db.reading() as session:
            get_or_raise(session, Deal, deal_id, "deal")
            return _timeline(session, ActivityRow.deal_id == deal_id,
                             StageChange.deal_id == deal_id, limit)

    def of_customer(self, entity: str, record_id: int, limit: int = LIMIT) -> Timeline:
        """A company's or contact's: its activities (a company's include those of its
        deals) and the moves of its deals."""
        own = ActivityRow.company_id if entity == "company" else ActivityRow.contact_id
        deals = Deal.company_id if entity == "company" else Deal.contact_id
        with self.db.reading() as session:
            return _timeline(session, own == record_id, deals == record_id, limit)


def planned_and_closed(session: Session, where: ColumnElement[bool], limit: int
                       ) -> tuple[list[Activity], list[Activity]]:
    """The activities ``where`` finds (deals in the Trash left out): the planned by day,
    the done or cancelled latest first, ``limit`` of each."""
    query = reads.activities_query().where(where, reads.alive())
    planned = reads.read_many(session, query.where(
        ActivityRow.state == ActivityState.PLANNED).order_by(
        ActivityRow.due_on.is_(None), ActivityRow.due_on, ActivityRow.due_at,
        ActivityRow.id).limit(limit))
    closed = reads.read_many(session, query.where(
        ActivityRow.state != ActivityState.PLANNED).order_by(
        ActivityRow.closed_at.desc(), ActivityRow.id.desc()).limit(limit))
    return planned, closed


def _timeline(session: Session, activities: ColumnElement[bool],
              moves: ColumnElement[bool], limit: int) -> Timeline:
    planned, closed = planned_and_closed(session, activities, limit)
    src, dst = aliased(Stage), aliased(Stage)
    changes = session.execute(
        select(StageChange.at, Deal.id, Deal.title, src.name, dst.name, User.display_name,
               StageChange.reverts_id)
        .join(Deal, Deal.id == StageChange.deal_id)
        .outerjoin(src, src.id == StageChange.from_stage_id)
        .join(dst, dst.id == StageChange.to_stage_id)
        .join(User, User.id == StageChange.by_id)
        .where(moves, Deal.deleted_at.is_(None))
        .order_by(StageChange.at.desc(), StageChange.id.desc()).limit(limit))
    past = [TimelineEntry(a.closed_at, activity=a) for a in closed if a.closed_at is not None]
    past += [TimelineEntry(at, move=StageMove(deal_id, title, before or "", after, by,
                                              reverts is not None))
             for at, deal_id, title, before, after, by, reverts in changes]
    past.sort(key=lambda e: e.at, reverse=True)
    return Timeline(tuple(planned), tuple(past[:limit]), len(past) > limit)
