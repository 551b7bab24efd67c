"""A deal's or a customer's timeline: what is planned, then one stream of what happened,
newest first: activities done or cancelled (with what came of them), the deals' moves
from stage to stage, the notes of their feeds and their reviews."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, aliased

from funneldesk.models import Activity as ActivityRow
from funneldesk.models import (
    ActivityState,
    Deal,
    DealNote,
    DealReview,
    Stage,
    StageChange,
    User,
)
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
class FeedNote:
    """A note of a deal's feed."""

    deal_id: int
    deal: str
    author: str
    body: str


@dataclass(frozen=True, slots=True)
class Reviewed:
    """A deal reviewed: its expected close date before and after."""

    deal_id: int
    deal: str
    by: str
    before: dt.date | None
    after: dt.date | None


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """Something that happened: an activity done or cancelled, a stage move, a note or a
    review."""

    at: dt.datetime  # aware
    activity: Activity | None = None
    move: StageMove | None = None
    note: FeedNote | None = None
    review: Reviewed | None = None


@dataclass(frozen=True, slots=True)
class Timeline:
    planned: tuple[Activity, ...]  # by day and time, the undated last
    past: tuple[TimelineEntry, ...]  # newest first
    more: bool  # older entries were left out


class TimelineService(Service):
    def of_deal(self, deal_id: int, limit: int = LIMIT) -> Timeline:
        with self.db.reading() as session:
            get_or_raise(session, Deal, deal_id, "deal")
            return _timeline(session, ActivityRow.deal_id == deal_id, Deal.id == deal_id,
                             limit)

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


def _notes_and_reviews(session: Session, deals: ColumnElement[bool], limit: int
                       ) -> list[TimelineEntry]:
    notes = session.execute(
        select(DealNote.created_at, Deal.id, Deal.title, User.display_name, DealNote.body)
        .join(Deal, Deal.id == DealNote.deal_id).join(User, User.id == DealNote.author_id)
        .where(deals, Deal.deleted_at.is_(None), DealNote.deleted_at.is_(None))
        .order_by(DealNote.created_at.desc(), DealNote.id.desc()).limit(limit))
    reviews = session.execute(
        select(DealReview.at, Deal.id, Deal.title, User.display_name,
               DealReview.expected_before, DealReview.expected_after)
        .join(Deal, Deal.id == DealReview.deal_id).join(User, User.id == DealReview.by_id)
        .where(deals, Deal.deleted_at.is_(None))
        .order_by(DealReview.at.desc(), DealReview.id.desc()).limit(limit))
    entries = [TimelineEntry(at, note=FeedNote(deal_id, title, author, body))
               for at, deal_id, title, author, body in notes]
    entries += [TimelineEntry(at, review=Reviewed(deal_id, title, by, before, after))
                for at, deal_id, title, by, before, after in reviews]
    return entries


def _timeline(session: Session, activities: ColumnElement[bool],
              moves: ColumnElement[bool], limit: int) -> Timeline:
    """``moves``: which deals' moves, notes and reviews (a condition on ``Deal``)."""
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
    past += _notes_and_reviews(session, moves, limit)
    past.sort(key=lambda e: e.at, reverse=True)
    return Timeline(tuple(planned), tuple(past[:limit]), len(past) > limit)
