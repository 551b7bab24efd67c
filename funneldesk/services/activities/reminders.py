"""What a user has to do: overdue, due today and the next 7 days (the Today pane and
``funneldesk reminders``), and which reminders fall due now (the tray's notifications).

Everything is read from the database on this computer: no network is ever needed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from funneldesk.errors import InvalidInput, NotAllowed, NotFound
from funneldesk.i18n import _
from funneldesk.models import Activity as ActivityRow
from funneldesk.models import ActivityState, Deal, User
from funneldesk.services.activities import reads
from funneldesk.services.activities.records import Activity, DueReminders, Reminders
from funneldesk.services.common.base import Service
from funneldesk.services.common.records import Actor

UPCOMING_DAYS = 7
# an activity with a day and no time reminds at this hour of its day
ALL_DAY_REMINDER = dt.time(9, 0)


def is_overdue(activity: Activity, now: dt.datetime) -> bool:
    """Past its day, or past its time on its day."""
    today = now.astimezone().date()
    if activity.due_on is None:
        return False
    return activity.due_on < today or (activity.due_at is not None and activity.due_at <= now)


def falls_due_at(activity: Activity) -> dt.datetime | None:
    return _fires(activity.due_on, activity.due_at)


def _fires(due_on: dt.date | None, due_at: dt.datetime | None) -> dt.datetime | None:
    """When a reminder fires: at its time, or at nine on its day when it has none."""
    if due_at is not None:
        return due_at
    if due_on is None:
        return None
    return dt.datetime.combine(due_on, ALL_DAY_REMINDER).astimezone()


class ReminderService(Service):
    def reminders(self, user_id: int, now: dt.datetime | None = None) -> Reminders:
        """``user_id``'s planned activities with a day up to 7 days ahead, sorted into
        overdue, today and upcoming (each by day and time)."""
        now = now or dt.datetime.now(dt.UTC)
        today = now.astimezone().date()
        with self.db.reading() as session:
            user = session.get(User, user_id)
            if user is None:
                raise NotFound("user", user_id)
            found = reads.read_many(session, reads.activities_query().where(
                ActivityRow.assignee_id == user_id, ActivityRow.state == ActivityState.PLANNED,
                ActivityRow.due_on <= today + dt.timedelta(days=UPCOMING_DAYS), reads.alive())
                .order_by(ActivityRow.due_on, ActivityRow.due_at.is_(None), ActivityRow.due_at,
                          ActivityRow.id))
            name = user.display_name
        overdue = tuple(a for a in found if is_overdue(a, now))
        later = [a for a in found if not is_overdue(a, now)]
        return Reminders(user_id, name, overdue,
                         tuple(a for a in later if a.due_on == today),
                         tuple(a for a in later if a.due_on != today))

    def due_now(self, user_id: int, now: dt.datetime | None = None) -> list[Activity]:
        """``user_id``'s reminders to show now: fallen due, not shown yet, not put off
        (those that fell due while FunnelDesk was not running included)."""
        now = now or dt.datetime.now(dt.UTC)
        with self.db.reading() as session:
            return _due(session, user_id, now)

    def take_due(self, user_id: int, now: dt.datetime | None = None,
                 listed: Sequence[int] = ()) -> DueReminders:
        """One look of the reminders window: the reminders due now (``due_now``), stamped
        shown in the change that reads them again, so that one moved meanwhile is not
        silenced; of the ``listed`` ones, those still planned for the user, as they now
        are; and when the next one falls due. A look that finds none due writes nothing."""
        now = now or dt.datetime.now(dt.UTC)
        with self.db.reading() as session:
            due = _due(session, user_id, now)
            still = reads.read_many(session, reads.activities_query().where(
                ActivityRow.id.in_(list(listed)), ActivityRow.assignee_id == user_id,
                ActivityRow.state == ActivityState.PLANNED, reads.alive())
                .order_by(ActivityRow.id)) if listed else []
            following = _next_due(session, user_id, now)  # after now: none of those due
        if due:
            with self.db.session() as session:
                due = _due(session, user_id, now)
                session.execute(update(ActivityRow)
                                .where(ActivityRow.id.in_([a.id for a in due]))
                                .values(reminded_at=now, snoozed_until=None)
                                .execution_options(synchronize_session=False))
        return DueReminders(tuple(due), tuple(still), following)

    def next_due(self, user_id: int, now: dt.datetime | None = None) -> dt.datetime | None:
        """When ``user_id``'s next reminder after ``now`` fires (None: none planned), so
        that the tray can wait for it rather than look every minute."""
        now = now or dt.datetime.now(dt.UTC)
        with self.db.reading() as session:
            return _next_due(session, user_id, now)

    def shown(self, activity_ids: list[int], at: dt.datetime | None = None) -> None:
        """The reminders of these activities were shown: they do not show again (unless
        put off, or the activity is moved)."""
        if not activity_ids:
            return
        with self.db.session() as session:
            session.execute(update(ActivityRow).where(ActivityRow.id.in_(activity_ids))
                            .values(reminded_at=at or dt.datetime.now(dt.UTC),
                                    snoozed_until=None)
                            .execution_options(synchronize_session=False))

    def snooze(self, activity_id: int, until: dt.datetime, *, by: Actor) -> None:
        """Shows the reminder again at ``until``. Not an edit of the activity: its version
        stays, so that a Today pane showing it can still mark it done."""
        if until.tzinfo is None:
            raise InvalidInput("until", _("Give the time to remind again with its zone."))
        with self.db.session() as session:
            row = session.get(ActivityRow, activity_id)
            if row is None:
                raise NotFound("activity", activity_id)
            if by.id != row.assignee_id:
                raise NotAllowed(_("Only whoever the activity is assigned to can put its "
                                   "reminder off."))
            session.execute(update(ActivityRow).where(ActivityRow.id == activity_id)
                            .values(reminded_at=None, snoozed_until=until)
                            .execution_options(synchronize_session=False))


def _due(session: Session, user_id: int, now: dt.datetime) -> list[Activity]:
    today = now.astimezone().date()
    found = reads.read_many(session, reads.activities_query().where(
        ActivityRow.assignee_id == user_id, ActivityRow.state == ActivityState.PLANNED,
        ActivityRow.due_on <= today, ActivityRow.reminded_at.is_(None),
        or_(ActivityRow.snoozed_until.is_(None), ActivityRow.snoozed_until <= now),
        reads.alive()).order_by(ActivityRow.due_on, ActivityRow.due_at, ActivityRow.id))
    return [a for a in found if (falls_due_at(a) or now) <= now]


def _next_due(session: Session, user_id: int, now: dt.datetime) -> dt.datetime | None:
    rows = session.execute(
        select(ActivityRow.due_on, ActivityRow.due_at, ActivityRow.snoozed_until)
        .outerjoin(Deal, Deal.id == ActivityRow.deal_id)
        .where(ActivityRow.assignee_id == user_id,
               ActivityRow.state == ActivityState.PLANNED,
               # an older one waits only when put off (due_now shows the rest)
               or_(ActivityRow.due_on >= now.astimezone().date() - dt.timedelta(days=1),
                   ActivityRow.snoozed_until > now),
               ActivityRow.reminded_at.is_(None), reads.alive())).all()
    times = []
    for due_on, due_at, snoozed in rows:
        fires = _fires(due_on, due_at)
        if fires is None:
            continue
        fires = max(fires, snoozed) if snoozed is not None else fires
        if fires > now:
            times.append(fires)
    return min(times, default=None)
