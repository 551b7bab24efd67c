"""Planning, doing, moving and cancelling activities; each call is one transaction that
also keeps the deal's next step (its card) and the customers' pool clocks current."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy import update as sa_update
from sqlalchemy.orm import Session

from funneldesk.db.stale import last_change
from funneldesk.errors import InvalidInput, NotAllowed, NotFound
from funneldesk.i18n import _
from funneldesk.models import Activity as ActivityRow
from funneldesk.models import (
    ActivityKind,
    ActivityState,
    Company,
    Contact,
    ContractMilestone,
    Deal,
    ReturnVisit,
    User,
)
from funneldesk.models.base import utcnow
from funneldesk.services.activities import reads
from funneldesk.services.activities.records import (
    MAX_MINUTES,
    TITLE_LIMIT,
    ActivitiesResult,
    Activity,
    ActivityFields,
    ActivityResult,
)
from funneldesk.services.activities.search import forget_activities, index_activities
from funneldesk.services.activities.team import may_work_on
from funneldesk.services.activities.timeline import planned_and_closed
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.records import Actor, ChangeSet
from funneldesk.services.customers.pool import touch
from funneldesk.services.pipeline import next_step
from funneldesk.services.pipeline.search import raw_connection


class ActivityService(Service):
    def plan(self, fields: ActivityFields, *, by: Actor,
             again: tuple[int, int] | None = None) -> ActivityResult:
        """A planned activity (a day, perhaps a time, an assignee, an agenda). ``again``:
        the id and version of one withdrawn (an undone Plan, redone): it comes back as
        that activity, one version on, where no other has taken its id since, so that
        the steps undone after it (an Edit) find it when they are redone."""
        with self.db.session() as session:
            row = _new(session, fields, by, again)
            return _result(session, row, by, "plan")

    def log(self, fields: ActivityFields, outcome: str, *, by: Actor,
            again: tuple[int, int] | None = None) -> ActivityResult:
        """An activity done already (a call just made), with what came of it; its day is
        today unless given. ``again``: as for ``plan``."""
        with self.db.session() as session:
            row = _new(session, replace(fields, due_on=fields.due_on or dt.date.today()), by,
                       again)
            _done_by_now(row.due_on)
            row.state, row.outcome = ActivityState.DONE, outcome.strip()
            row.closed_at, row.closed_by_id = utcnow(), by.id
            return _result(session, row, by, "log")

    def plan_many(self, many: Sequence[ActivityFields], *, by: Actor,
                  again: Sequence[tuple[int, int]] | None = None) -> ActivitiesResult:
        """Plans several activities in one change (what entering a stage proposes).
        ``again``: the ids and versions of those an undo withdrew, as ``plan`` takes
        one."""
        backs: Sequence[tuple[int, int] | None] = again or [None] * len(many)
        with self.db.session() as session:
            results = [_result(session, _new(session, fields, by, back), by, "plan")
                       for fields, back in zip(many, backs, strict=True)]
        changes = ChangeSet()
        for result in results:
            changes = changes | result.changes
        return ActivitiesResult(tuple(r.activity for r in results), changes)

    def withdraw_many(self, seen: Sequence[tuple[int, int]], *, by: Actor
                      ) -> ActivitiesResult:
        """Takes several activities away in one change (undoing ``plan_many``): all of
        them, or none when one changed since (``seen``: ids with the versions seen)."""
        with self.db.session() as session:
            rows = [_editable(session, ident, version, by) for ident, version in seen]
            gone = tuple(reads.read(session, row.id) for row in rows)
            if not all(by.is_manager or by.id == row.created_by_id for row in rows):
                raise NotAllowed(_("Only whoever planned or logged this activity, or a "
                                   "manager, can take it away."))
            deals = {row.deal_id for row in rows if row.deal_id is not None}
            changes = ChangeSet()
            for row in rows:
                changes = changes | _changes(row, {d for d in (row.deal_id,) if d is not None})
                _delete(session, row, by)
            next_step.refresh(session, deals)
            return ActivitiesResult(gone, changes)

    def update(self, activity_id: int, fields: ActivityFields, *, expected_version: int,
               by: Actor, outcome: str | None = None) -> ActivityResult:
        """Changes what the activity is, when and for whom (a planned one, or a done
        one's record, and then its ``outcome`` too when given)."""
        with self.db.session() as session:
            row = _editable(session, activity_id, expected_version, by)
            deals = {row.deal_id}
            _fill(session, row, fields, by)
            if row.state is ActivityState.DONE:
                _done_by_now(row.due_on)
            if outcome is not None:
                if row.state is ActivityState.PLANNED:
                    raise InvalidInput("outcome", _("An activity still planned has no "
                                                    "outcome yet."))
                row.outcome = outcome.strip()
            row.sequence += 1
            return _result(session, row, by, "update", also=deals)

    def complete(self, activity_id: int, outcome: str, *, expected_version: int, by: Actor,
                 next_one: ActivityFields | None = None) -> ActivityResult:
        """Marks the activity done with its outcome, and plans ``next_one`` in the same
        change (so that an open deal keeps a next step)."""
        with self.db.session() as session:
            row = _editable(session, activity_id, expected_version, by)
            if row.state is not ActivityState.PLANNED:
                raise InvalidInput("state", _("This activity is no longer planned."))
            row.state, row.outcome = ActivityState.DONE, outcome.strip()
            row.closed_at, row.closed_by_id = utcnow(), by.id
            row.sequence += 1
            following = _new(session, next_one, by) if next_one is not None else None
            result = _result(session, row, by, "complete")
            if following is None:
                return result
            planned = _result(session, following, by, "plan")
            return ActivityResult(result.activity, result.changes | planned.changes,
                                  planned.activity)

    def cancel(self, activity_id: int, *, expected_version: int, by: Actor) -> ActivityResult:
        with self.db.session() as session:
            row = _editable(session, activity_id, expected_version, by)
            if row.state is not ActivityState.PLANNED:
                raise InvalidInput("state", _("This activity is no longer planned."))
            row.state, row.closed_at, row.closed_by_id = ActivityState.CANCELLED, utcnow(), by.id
            row.sequence += 1
            return _result(session, row, by, "cancel")

    def reopen(self, activity_id: int, *, expected_version: int, by: Actor,
               planned_since: tuple[int, int] | None = None,
               outcome: str | None = None) -> ActivityResult:
        """Plans again an activity done or cancelled (what undoing either does); its
        outcome stays, unless ``outcome`` gives the one it had before. ``planned_since``
        (an id and the version seen): the next activity completing it planned, taken
        away in the same change (an undo leaves no trace of it)."""
        with self.db.session() as session:
            row = _editable(session, activity_id, expected_version, by)
            if row.state is ActivityState.PLANNED:
                raise InvalidInput("state", _("This activity is planned already."))
            row.state, row.closed_at, row.closed_by_id = ActivityState.PLANNED, None, None
            row.reminded_at = None
            row.sequence += 1
            if outcome is not None:
                row.outcome = outcome
            gone = ChangeSet()
            if planned_since is not None:
                following = _editable(session, *planned_since, by)
                gone = ChangeSet(frozenset(d for d in (following.deal_id,) if d is not None),
                                 activity_ids=frozenset({following.id}))
                _delete(session, following, by)
            result = _result(session, row, by, "reopen", also=set(gone.deal_ids))
            return ActivityResult(result.activity, result.changes | gone)

    def withdraw(self, activity_id: int, *, expected_version: int, by: Actor
                 ) -> ActivityResult:
        """Takes away an activity as if it had never been planned or logged (what undoing
        either does): only the audit keeps that it was. The result: the activity as it
        was, and what changed."""
        with self.db.session() as session:
            row = _editable(session, activity_id, expected_version, by)
            if not (by.is_manager or by.id == row.created_by_id):
                raise NotAllowed(_("Only whoever planned or logged this activity, or a "
                                   "manager, can take it away."))
            gone = reads.read(session, row.id)
            _delete(session, row, by)
            deals = {row.deal_id} if row.deal_id is not None else set()
            next_step.refresh(session, deals)
            return ActivityResult(gone, _changes(row, deals))

    def of_customer(self, entity: str, record_id: int, limit: int = 20) -> list[Activity]:
        """A company's or contact's activities (a company's include those of its deals):
        the planned ones by day, then the latest done or cancelled, ``limit`` at most."""
        column = ActivityRow.company_id if entity == "company" else ActivityRow.contact_id
        with self.db.reading() as session:
            planned, closed = planned_and_closed(session, column == record_id, limit)
        return planned + closed[:max(0, limit - len(planned))]

    def activity(self, activity_id: int) -> Activity:
        with self.db.reading() as session:
            get_or_raise(session, ActivityRow, activity_id, "activity")
            return reads.read(session, activity_id)


def plan_in(session: Session, fields: ActivityFields, by: Actor) -> ActivityResult:
    """Plans an activity inside the caller's transaction (a review's next step)."""
    return _result(session, _new(session, fields, by), by, "plan")


def delete_in(session: Session, row: ActivityRow, by: Actor) -> None:
    """Deletes an activity inside the caller's transaction, its deal's next step after it
    (a review undone takes back the step it planned)."""
    deal_id = row.deal_id
    _delete(session, row, by)
    if deal_id is not None:
        next_step.refresh(session, {deal_id})


def _new(session: Session, fields: ActivityFields, by: Actor,
         again: tuple[int, int] | None = None) -> ActivityRow:
    row = ActivityRow(created_by_id=by.id, assignee_id=fields.assignee_id or by.id)
    back = again if again is not None and session.get(ActivityRow, again[0]) is None else None
    if back is not None:
        row.id = back[0]
    _fill(session, row, fields, by)
    session.add(row)
    if back is not None:
        # the ORM numbers a new row's versions from 1: it goes on from where it was
        session.flush()
        session.execute(sa_update(ActivityRow).where(ActivityRow.id == row.id)
                        .values(version=back[1] + 1)
                        .execution_options(synchronize_session=False))
        session.expire(row, ["version"])
    return row


def _delete(session: Session, row: ActivityRow, by: Actor) -> None:
    """Takes the activity away; only the audit keeps that it was. A contract's return
    visit or payment reminder stays (the Contracts area's tables, read through the
    shared models): it is cancelled instead."""
    held = session.scalar(select(func.count()).select_from(ReturnVisit).where(
        ReturnVisit.activity_id == row.id)) or session.scalar(
        select(func.count()).select_from(ContractMilestone).where(
            ContractMilestone.reminder_activity_id == row.id))
    if held:
        raise InvalidInput("activity", _(
            "This activity belongs to a contract's after-sales (a return visit or a "
            "payment to collect): cancel it instead of taking it away."))
    audit.record(session, by, "delete", "activity", row.id, title=row.title)
    forget_activities(raw_connection(session), [row.id])
    session.delete(row)
    session.flush()


def _fill(session: Session, row: ActivityRow, fields: ActivityFields, by: Actor) -> None:
    """Checks the fields and sets them on ``row``; raises InvalidInput naming the field."""
    try:
        kind = ActivityKind(fields.kind)
    except ValueError:
        raise InvalidInput("kind", _("Choose what kind of activity it is.")) from None
    title = fields.title.strip()
    if len(title) > TITLE_LIMIT:
        raise InvalidInput("title", _("Keep the title under 300 characters."))
    if fields.due_time is not None and fields.due_on is None:
        raise InvalidInput("due_on", _("Give the day as well as the time."))
    if fields.minutes is not None and not 0 < fields.minutes <= MAX_MINUTES:
        raise InvalidInput("minutes", _("Give a length from 1 minute to 24 hours."))
    deal_id, company_id, contact_id = fields.deal_id, fields.company_id, fields.contact_id
    if deal_id is not None:
        deal = get_or_raise(session, Deal, deal_id, "deal")
        if row.deal_id != deal_id and not may_work_on(session, deal, by):
            raise NotAllowed(_("Only the deal's owner, its team or a manager can plan "
                               "activities on it."))
        # it shows on the deal's customers' timelines too
        company_id = company_id if company_id is not None else deal.company_id
        contact_id = contact_id if contact_id is not None else deal.contact_id
    if company_id is not None:
        get_or_raise(session, Company, company_id, "company")
    if contact_id is not None:
        contact = get_or_raise(session, Contact, contact_id, "contact")
        if company_id is not None and contact.company_id not in (None, company_id):
            raise InvalidInput("contact", _("This contact works for another company."))
    if deal_id is None and company_id is None and contact_id is None:
        raise InvalidInput("deal", _("Choose the deal, company or contact the activity is "
                                     "for."))
    assignee = fields.assignee_id if fields.assignee_id is not None else row.assignee_id
    if session.get(User, assignee) is None:
        raise InvalidInput("assignee", _("Choose who does it."))
    if not title and fields.due_on is None:  # it would show nowhere: no line, no day
        raise InvalidInput("title", _("Give it a title or a day."))
    due = (fields.due_on, reads.local_moment(fields.due_on, fields.due_time))
    if (row.due_on, row.due_at) != due:  # moved: it reminds again when it falls due
        row.reminded_at = row.snoozed_until = None
    row.kind, row.title, row.agenda = kind, title, fields.agenda.strip()
    row.due_on, row.due_at = due
    row.minutes, row.assignee_id = fields.minutes, assignee
    row.deal_id, row.company_id, row.contact_id = deal_id, company_id, contact_id
    row.updated_at = utcnow()


def _done_by_now(day: dt.date | None) -> None:
    if day is not None and day > dt.date.today():
        raise InvalidInput("due_on", _("An activity done cannot be on a day to come: plan "
                                       "it instead."))


def _editable(session: Session, activity_id: int, expected_version: int,
              by: Actor) -> ActivityRow:
    row = session.get(ActivityRow, activity_id)
    if row is None:
        raise NotFound("activity", activity_id)
    if row.version != expected_version:
        raise last_change(session, ActivityRow, activity_id)
    deal = session.get(Deal, row.deal_id) if row.deal_id is not None else None
    if not (by.is_manager or by.id in (row.assignee_id, row.created_by_id)
            or (deal is not None and deal.owner_id == by.id)):
        raise NotAllowed(_("Only whoever it is assigned to, whoever planned it, the deal's "
                           "owner or a manager can change this activity."))
    return row


def _result(session: Session, row: ActivityRow, by: Actor, action: str, *,
            also: set[int | None] | None = None) -> ActivityResult:
    """Writes what follows every change: the deals' next steps, the customers' pool
    clocks, the audit; the activity as it now is, and what changed."""
    session.flush()
    index_activities(raw_connection(session), [row.id])
    deals = {d for d in {row.deal_id, *(also or set())} if d is not None}
    next_step.refresh(session, deals)
    touch(session, row.company_id, row.contact_id, utcnow())
    audit.record(session, by, action, "activity", row.id, kind=row.kind.value,
                 title=row.title, state=row.state.value,
                 due=row.due_at.isoformat() if row.due_at else row.due_on)
    session.flush()
    return ActivityResult(reads.read(session, row.id), _changes(row, deals))


def _changes(row: ActivityRow, deals: set[int]) -> ChangeSet:
    """What a change of the activity ``row`` changed: it, the ``deals`` whose next step
    it may move, and the customers it hangs on."""
    return ChangeSet(frozenset(deals), activity_ids=frozenset({row.id}),
                     company_ids=frozenset(i for i in (row.company_id,) if i is not None),
                     contact_ids=frozenset(i for i in (row.contact_id,) if i is not None))
