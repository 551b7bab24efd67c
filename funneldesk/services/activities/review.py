"""The review view: open deals untouched for some days, past their expected close date,
or rotting in their stage; and the quick update that reviews one (a new expected date, a
next step, a note), recorded as a review.

A deal is touched by anything anybody does on it: an edit, a move, an activity planned,
changed or done, a note, a review.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from funneldesk.db.stale import last_change
from funneldesk.errors import InvalidInput, NotFound
from funneldesk.i18n import _
from funneldesk.models import (
    Activity,
    ActivityState,
    Company,
    Deal,
    DealNote,
    DealReview,
    Stage,
    StageKind,
    User,
)
from funneldesk.models.base import utcnow
from funneldesk.services.activities.activities import delete_in, plan_in
from funneldesk.services.activities.records import TITLE_LIMIT, ActivityFields
from funneldesk.services.activities.review_records import (
    MAX_UNTOUCHED_DAYS,
    OVERDUE,
    REASONS,
    ROTTED,
    UNTOUCHED,
    ReviewFields,
    ReviewQuery,
    ReviewResult,
    ReviewRow,
    ReviewUndone,
)
from funneldesk.services.activities.team import owned_or_on_team
from funneldesk.services.activities.team_records import NOTE_LIMIT
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.permissions import require_deal_owner
from funneldesk.services.common.records import Actor, ChangeSet
from funneldesk.services.pipeline.moves import check_version


def _latest(column: InstrumentedAttribute[dt.datetime],
            deal_column: InstrumentedAttribute[int] | InstrumentedAttribute[int | None],
            *where: ColumnElement[bool]) -> ColumnElement[dt.datetime]:
    return (select(func.max(column)).where(deal_column == Deal.id, *where)
            .correlate(Deal).scalar_subquery())


def _local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone().date()


def check_review(fields: ReviewFields, before: dt.date | None, today: dt.date) -> ReviewFields:
    """The fields, trimmed, if a review can record them; raises InvalidInput naming the
    field."""
    if fields.expected_close != before and fields.expected_close is not None \
            and fields.expected_close < today:
        raise InvalidInput("expected_close", _("Give a close date from today on."))
    if fields.next_day is not None and fields.next_day < today:
        raise InvalidInput("next_day", _("Plan the next step for today or later."))
    title, note = fields.next_title.strip(), fields.note.strip()
    if len(title) > TITLE_LIMIT:
        raise InvalidInput("next_title", _("Keep the title under 300 characters."))
    if len(note) > NOTE_LIMIT:
        raise InvalidInput("note", _("Keep a note under 5,000 characters."))
    return ReviewFields(fields.expected_close, fields.next_kind, title, fields.next_day, note)


class ReviewService(Service):
    def deals(self, query: ReviewQuery, today: dt.date | None = None) -> list[ReviewRow]:
        """The open deals of the pipeline that need a look, those with the most reasons
        first, then the longest untouched; those reviewed lately last."""
        if not 1 <= query.untouched_days <= MAX_UNTOUCHED_DAYS:
            raise InvalidInput("untouched_days", _("Give from 1 to 365 days."))
        today = today or dt.date.today()
        statement = (
            select(Deal.id, Deal.version, Deal.title, Company.name, Stage.name, Deal.owner_id,
                   User.display_name, Deal.value, Deal.currency, Deal.expected_close,
                   Deal.next_step, Deal.next_step_date, Deal.updated_at,
                   Deal.stage_entered_at, Stage.rot_days,
                   _latest(Activity.updated_at, Activity.deal_id),
                   _latest(DealNote.created_at, DealNote.deal_id,
                           DealNote.deleted_at.is_(None)),
                   _latest(DealReview.at, DealReview.deal_id))
            .join(Stage, Stage.id == Deal.stage_id).join(User, User.id == Deal.owner_id)
            .outerjoin(Company, Company.id == Deal.company_id)
            .where(Deal.pipeline_id == query.pipeline_id, Deal.deleted_at.is_(None),
                   Deal.archived_at.is_(None), Stage.kind == StageKind.OPEN))
        if query.user_id:
            statement = statement.where(owned_or_on_team(query.user_id))
        rows = []

        def lately(day: dt.date | None) -> bool:
            return day is not None and (today - day).days < query.untouched_days

        with self.db.reading() as session:
            for (ident, version, title, company, stage, owner_id, owner, value, currency,
                 expected, next_step, next_day, updated, entered, rot_days,
                 *latest) in session.execute(statement):
                touched = _local_day(max([updated, entered, *(t for t in latest if t)]))
                reviewed = _local_day(latest[2]) if latest[2] is not None else None
                untouched = (today - touched).days
                in_stage = (today - _local_day(entered)).days
                reasons = tuple(code for code, applies in (
                    (UNTOUCHED, untouched >= query.untouched_days),
                    (OVERDUE, expected is not None and expected < today),
                    (ROTTED, rot_days is not None and in_stage >= rot_days)) if applies)
                if reasons:
                    rows.append(ReviewRow(ident, version, title, company or "", stage,
                                          owner_id, owner, value, currency, expected,
                                          next_step, next_day, touched, untouched,
                                          reviewed, lately(reviewed), in_stage, rot_days,
                                          reasons))
        # a deal reviewed lately was looked at: it goes after those nobody has
        rows.sort(key=lambda r: (r.reviewed_lately, -len(r.reasons), -r.untouched_days,
                                 r.deal_id))
        return rows

    def review(self, deal_id: int, fields: ReviewFields, *, expected_version: int,
               reasons: tuple[str, ...] = (), by: Actor,
               today: dt.date | None = None) -> ReviewResult:
        """Records a quick update of the deal as one review: its new expected close date,
        a next step planned for its owner, a note in its feed. The deal's owner or a
        manager reviews it."""
        today = today or dt.date.today()
        with self.db.session() as session:
            deal = get_or_raise(session, Deal, deal_id, "deal")
            check_version(session, deal, expected_version)
            require_deal_owner(by, deal.owner_id,
                               _("Only the deal's owner or a manager can review it."))
            before = deal.expected_close
            fields = check_review(fields, before, today)
            now = utcnow()
            version = None  # a review that leaves the deal's fields leaves its version
            if fields.expected_close != before:
                # not its updated_at: the review row says when it was touched, and an
                # undo that deletes it leaves the deal as untouched as it was
                deal.expected_close = fields.expected_close
                session.flush()
                version = deal.version
                audit.record(session, by, "update", "deal", deal_id,
                             changed={"expected_close": (before, fields.expected_close)})
            changes = ChangeSet.of_deal(deal_id, deal.stage_id)
            activity_id = None
            if fields.plans_next:
                planned = plan_in(session, ActivityFields(
                    fields.next_kind, fields.next_title, due_on=fields.next_day,
                    assignee_id=deal.owner_id, deal_id=deal_id), by)
                activity_id = planned.activity.id
                changes |= planned.changes
            note = None
            if fields.note:
                note = DealNote(deal_id=deal_id, author_id=by.id, body=fields.note,
                                created_at=now)
                session.add(note)
                session.flush()
            known = [code for code in reasons if code in REASONS]
            row = DealReview(deal_id=deal_id, by_id=by.id, at=now, reasons=",".join(known),
                             expected_before=before, expected_after=fields.expected_close,
                             activity_id=activity_id, note_id=note.id if note else None)
            session.add(row)
            session.flush()
            audit.record(session, by, "review", "deal", deal_id, review=row.id)
            return ReviewResult(row.id, deal_id, version, fields, activity_id, changes)

    def undo_review(self, result: ReviewResult, *, expected_version: int | None,
                    by: Actor) -> ReviewUndone:
        """Takes back a review: the expected date as it was (``expected_version``: the
        deal's as the review left it, when it changed the date), the next step it planned,
        its note and itself; refused whole when any of them changed since (the step
        done, the deal edited)."""
        with self.db.session() as session:
            row = session.get(DealReview, result.review_id)
            if row is None:
                raise NotFound("review", result.review_id)
            deal = get_or_raise(session, Deal, row.deal_id, "deal")
            require_deal_owner(by, deal.owner_id,
                               _("Only the deal's owner or a manager can review it."))
            moved_date = row.expected_after != row.expected_before
            if moved_date:
                check_version(session, deal, expected_version
                              if expected_version is not None else -1)
            changes = ChangeSet.of_deal(deal.id, deal.stage_id)
            _take_back_step(session, row, by)
            if row.activity_id is not None:
                changes |= ChangeSet(activity_ids=frozenset({row.activity_id}))
            version = None
            if moved_date:
                deal.expected_close = row.expected_before
                session.flush()
                version = deal.version
                audit.record(session, by, "update", "deal", deal.id, changed={
                    "expected_close": (row.expected_after, row.expected_before)})
            if row.note_id is not None:
                note = session.get(DealNote, row.note_id)
                if note is not None:
                    note.deleted_at = utcnow()
            session.delete(row)
            audit.record(session, by, "undo review", "deal", deal.id, review=result.review_id)
            session.flush()
            return ReviewUndone(deal.id, version, changes)


def _take_back_step(session: Session, row: DealReview, by: Actor) -> None:
    if row.activity_id is None:
        return
    activity = session.get(Activity, row.activity_id)
    if activity is None:  # deleted by its assignee since: nothing to take back
        return
    if activity.state is not ActivityState.PLANNED or activity.version != 1:
        raise last_change(session, Activity, activity.id)
    delete_in(session, activity, by)
