"""One user's planned activities as an iCalendar file that phone and desktop calendars
import, each with an alarm, so that the phone rings even when the laptop is shut.

An event's UID is ``activity-<id>@<database id>``: importing a newer file updates the
events an older one made instead of adding them again. An activity done, cancelled, or
whose deal went to the Trash since the user's previous file is written once more, as
cancelled with a higher SEQUENCE, so that calendars drop it."""

from __future__ import annotations

import datetime as dt

from icalendar import Alarm, Calendar, Event
from sqlalchemy import and_, func, or_, select

from funneldesk.errors import InvalidInput, NotFound
from funneldesk.i18n import _
from funneldesk.models import Activity as ActivityRow
from funneldesk.models import ActivityState, CalendarExport, Deal, User
from funneldesk.services.activities import reads
from funneldesk.services.activities.records import Activity
from funneldesk.services.activities.reminders import ALL_DAY_REMINDER
from funneldesk.services.common.base import Service
from funneldesk.services.common.sql import session_query
from funneldesk.services.team.reads import setting

DEFAULT_ALARM_MINUTES = 15
MAX_ALARM_MINUTES = 7 * 24 * 60
PRODUCT = "-//FunnelDesk//Activities//EN"


def uid(activity_id: int, database_id: str) -> str:
    return f"activity-{activity_id}@{database_id}"


class CalendarService(Service):
    def ics(self, user_id: int, *, alarm_minutes: int = DEFAULT_ALARM_MINUTES,
            now: dt.datetime | None = None) -> tuple[bytes, int, int]:
        """``user_id``'s planned activities with a day (overdue ones too), and those
        closed since the previous file as cancelled; the file's bytes and how many events
        of each kind it holds. Nothing is remembered until ``exported`` says the file
        was written (a file that could not be written must not count as the previous
        one, or what closed before it would never be cancelled)."""
        if not 0 <= alarm_minutes <= MAX_ALARM_MINUTES:
            raise InvalidInput("alarm", _("An alarm fires from 0 to {most} minutes before "
                                          "its activity.").format(most=MAX_ALARM_MINUTES))
        now = now or dt.datetime.now(dt.UTC)
        with self.db.reading() as session:
            if session.get(User, user_id) is None:
                raise NotFound("user", user_id)
            database_id = setting(session_query(session), "database_id") or "funneldesk"
            previous = session.scalar(select(func.max(CalendarExport.at))
                                      .where(CalendarExport.user_id == user_id))
            mine = ActivityRow.assignee_id == user_id
            planned = reads.read_many(session, reads.activities_query().where(
                mine, ActivityRow.state == ActivityState.PLANNED,
                ActivityRow.due_on.is_not(None), reads.alive())
                .order_by(ActivityRow.due_on, ActivityRow.due_at, ActivityRow.id))
            sequences = dict(session.execute(
                select(ActivityRow.id, ActivityRow.sequence).where(mine)).all())
            dropped: list[Activity] = []
            if previous is not None:  # nothing is in a calendar before a first file
                dropped = reads.read_many(session, reads.activities_query().where(
                    mine, ActivityRow.due_on.is_not(None),
                    or_(and_(ActivityRow.state != ActivityState.PLANNED,
                             ActivityRow.closed_at > previous),
                        and_(ActivityRow.state == ActivityState.PLANNED,
                             Deal.deleted_at > previous)))
                    .order_by(ActivityRow.id))
        calendar = Calendar()
        calendar.add("prodid", PRODUCT)
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", _("FunnelDesk activities"))
        for activity in planned:
            calendar.add_component(_event(activity, database_id, sequences[activity.id], now,
                                          alarm_minutes))
        for activity in dropped:
            # a deal's Trash leaves its activity planned: its sequence is raised here only
            raised = 0 if activity.state is not ActivityState.PLANNED else 1
            calendar.add_component(_event(activity, database_id,
                                          sequences[activity.id] + raised, now, None))
        return calendar.to_ical(), len(planned), len(dropped)

    def exported(self, user_id: int, at: dt.datetime) -> None:
        """The file ``ics`` made at ``at`` was written: the next file cancels only what
        closes after it."""
        with self.db.session() as session:
            session.add(CalendarExport(user_id=user_id, at=at))


def _event(activity: Activity, database_id: str, sequence: int, now: dt.datetime,
           alarm_minutes: int | None) -> Event:
    """The activity as an event; ``alarm_minutes`` None: cancelled (no alarm)."""
    event = Event()
    event.add("uid", uid(activity.id, database_id))
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("sequence", sequence)
    event.add("summary", activity.summary)
    about = [text for text in (
        activity.agenda,
        _("Deal: {name}").format(name=activity.deal) if activity.deal else "",
        _("Company: {name}").format(name=activity.company) if activity.company else "",
        _("Contact: {name}").format(name=activity.contact) if activity.contact else "")
        if text]
    if about:
        event.add("description", "\n".join(about))
    assert activity.due_on is not None  # only activities with a day are written
    if activity.due_at is not None:
        start = activity.due_at.astimezone(dt.UTC)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=activity.minutes or 30))
    else:  # all day
        event.add("dtstart", activity.due_on)
        event.add("dtend", activity.due_on + dt.timedelta(days=1))
    if alarm_minutes is None:
        event.add("status", "CANCELLED")
        return event
    event.add("status", "CONFIRMED")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", event["summary"])
    if activity.due_at is not None:
        alarm.add("trigger", -dt.timedelta(minutes=alarm_minutes))
    else:  # as the app reminds of a day's activity: at nine, the alarm's minutes earlier
        nine = dt.datetime.combine(dt.date.min, ALL_DAY_REMINDER) - dt.datetime.min
        alarm.add("trigger", nine - dt.timedelta(minutes=alarm_minutes))
    event.add_component(alarm)
    return event
