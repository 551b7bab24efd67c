"""One user's planned activities as an iCalendar file that phone and desktop calendars
import, each with an alarm, so that the phone rings even when the laptop is shut.

An event's UID is ``activity-<id>@<database id>``: importing a newer file updates the
events an older one made instead of adding them again. Each export remembers the events it
wrote (``calendar_exports.events``); the next file writes once more, as cancelled with a
higher SEQUENCE, every event of the previous file that is no longer planned for the user
(done, cancelled, given to someone else, undated, its deal trashed or purged), so that
calendars drop it. A file is remembered only once it was written (``exported``)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from icalendar import Alarm, Calendar, Event
from sqlalchemy import select

from funneldesk.errors import InvalidInput, NotFound
from funneldesk.i18n import _
from funneldesk.models import Activity as ActivityRow
from funneldesk.models import ActivityState, CalendarExport, User
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


@dataclass(frozen=True, slots=True)
class CalendarFile:
    data: bytes  # the .ics file
    planned: int  # events written as planned
    cancelled: int  # events written as cancelled
    events: str  # what ``exported`` remembers of them (JSON)


class CalendarService(Service):
    def ics(self, user_id: int, *, alarm_minutes: int = DEFAULT_ALARM_MINUTES,
            now: dt.datetime | None = None) -> CalendarFile:
        """``user_id``'s planned activities with a day (overdue ones too), and the
        previous file's events no longer planned for them, as cancelled. Nothing is
        remembered until ``exported`` says the file was written."""
        if not 0 <= alarm_minutes <= MAX_ALARM_MINUTES:
            raise InvalidInput("alarm", _("An alarm fires from 0 to {most} minutes before "
                                          "its activity.").format(most=MAX_ALARM_MINUTES))
        now = now or dt.datetime.now(dt.UTC)
        with self.db.reading() as session:
            if session.get(User, user_id) is None:
                raise NotFound("user", user_id)
            database_id = setting(session_query(session), "database_id") or "funneldesk"
            before = session.scalar(select(CalendarExport.events)
                                    .where(CalendarExport.user_id == user_id)
                                    .order_by(CalendarExport.at.desc(),
                                              CalendarExport.id.desc()).limit(1))
            planned = reads.read_many(session, reads.activities_query().where(
                ActivityRow.assignee_id == user_id, ActivityRow.state == ActivityState.PLANNED,
                ActivityRow.due_on.is_not(None), reads.alive())
                .order_by(ActivityRow.due_on, ActivityRow.due_at, ActivityRow.id))
            sequences = dict(session.execute(
                select(ActivityRow.id, ActivityRow.sequence)
                .where(ActivityRow.id.in_([a.id for a in planned]))).all())
        previous: dict[str, dict[str, Any]] = json.loads(before or "{}")
        calendar = Calendar()
        calendar.add("prodid", PRODUCT)
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", _("FunnelDesk activities"))
        written: dict[str, dict[str, Any]] = {}
        for activity in planned:
            seen = previous.get(str(activity.id))
            sequence = sequences[activity.id]
            if seen is not None:  # never lower than what the calendar holds
                sequence = max(sequence, seen["seq"] + (1 if seen["cancelled"] else 0))
            start, all_day = _start(activity)
            written[str(activity.id)] = {"seq": sequence, "summary": activity.summary,
                                         "start": start, "all_day": all_day,
                                         "cancelled": False}
            calendar.add_component(_event(activity, database_id, sequence, now,
                                          alarm_minutes))
        cancelled = 0
        for ident, seen in previous.items():
            if ident in written:
                continue
            if seen["cancelled"]:
                written[ident] = seen  # remembered: a restored one must outrank it
                continue
            cancelled += 1
            written[ident] = {**seen, "seq": seen["seq"] + 1, "cancelled": True}
            calendar.add_component(_cancelled(int(ident), database_id, written[ident], now))
        return CalendarFile(calendar.to_ical(), len(planned), cancelled,
                            json.dumps(written, ensure_ascii=False))

    def exported(self, user_id: int, made: CalendarFile, at: dt.datetime) -> None:
        """The file ``made`` was written at ``at``: the next file starts from it."""
        with self.db.session() as session:
            session.add(CalendarExport(user_id=user_id, at=at, events=made.events))


def _start(activity: Activity) -> tuple[str, bool]:
    """When it starts, as remembered: a UTC moment, or a day for an all-day one."""
    if activity.due_at is not None:
        return activity.due_at.astimezone(dt.UTC).isoformat(), False
    assert activity.due_on is not None  # only activities with a day are written
    return activity.due_on.isoformat(), True


def _when(event: Event, start: str, all_day: bool, minutes: int | None) -> None:
    if all_day:
        day = dt.date.fromisoformat(start)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
    else:
        moment = dt.datetime.fromisoformat(start)
        event.add("dtstart", moment)
        event.add("dtend", moment + dt.timedelta(minutes=minutes or 30))


def _cancelled(activity_id: int, database_id: str, seen: dict[str, Any],
               now: dt.datetime) -> Event:
    """An event the previous file wrote, cancelled (from what that file wrote of it: the
    activity may be gone)."""
    event = Event()
    event.add("uid", uid(activity_id, database_id))
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("sequence", seen["seq"])
    event.add("summary", seen["summary"])
    _when(event, seen["start"], seen["all_day"], None)
    event.add("status", "CANCELLED")
    return event


def _event(activity: Activity, database_id: str, sequence: int, now: dt.datetime,
           alarm_minutes: int) -> Event:
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
    _when(event, *_start(activity), activity.minutes)
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
