"""Activities: calls, visits, meetings ... planned on a deal, a company or a contact, and
done with their outcome."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, Enum, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from funneldesk.models.base import Base, UTCDateTime, utcnow
from funneldesk.models.enums import ActivityKind, ActivityState


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint("deal_id IS NOT NULL OR company_id IS NOT NULL "
                        "OR contact_id IS NOT NULL", name="hangs_on_something"),
        CheckConstraint("minutes IS NULL OR minutes > 0", name="minutes_positive"),
        # the Today pane: one user's planned activities by day
        Index("ix_activities_assignee_due", "assignee_id", "state", "due_on"),
        # a card's next step, a deal's timeline
        Index("ix_activities_deal_due", "deal_id", "state", "due_on", "due_at"),
        # an id is never given again, not even a purged one (migration 0014)
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ActivityKind] = mapped_column(Enum(ActivityKind, native_enum=False, length=10))
    state: Mapped[ActivityState] = mapped_column(
        Enum(ActivityState, native_enum=False, length=10), default=ActivityState.PLANNED)
    title: Mapped[str] = mapped_column(String(300), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")  # what to talk about, bring, ask
    outcome: Mapped[str] = mapped_column(Text, default="")  # what came of it, once done
    # the day it is due, in the team's local calendar; None: planned with no date yet
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    # the moment it is due when it has a time of day; None: all day (or no date)
    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    minutes: Mapped[int | None] = mapped_column()  # how long it takes (calendars need it)
    assignee_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    # done or cancelled: when, and by whom
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # the reminder: shown at (None: not yet), or put off until
    reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    snoozed_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # an exported calendar event's SEQUENCE: raised by each change a calendar must see
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    is_sample: Mapped[bool] = mapped_column(default=False, server_default=false())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads a dict


class CalendarExport(Base):
    """When a user wrote their activities to an iCalendar file, and what it held: the
    next file writes once more, as cancelled, the events no longer planned for them, so
    that calendars drop them."""

    __tablename__ = "calendar_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # activity id -> {"seq", "summary", "start", "all_day", "cancelled"}: what it wrote
    events: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
