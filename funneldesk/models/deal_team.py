"""A deal's team (colleagues from other departments, each with a role on that deal), the
notes feed the team shares, and the reviews that keep a deal current."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from funneldesk.models.base import Base, UTCDateTime, utcnow
from funneldesk.models.enums import DealRole


class DealMember(Base):
    __tablename__ = "deal_members"
    __table_args__ = (UniqueConstraint("deal_id", "user_id"),
                      Index("ix_deal_members_user", "user_id", "deal_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[DealRole] = mapped_column(Enum(DealRole, native_enum=False, length=20))
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class DealNote(Base):
    """One post of a deal's notes feed. A note is never edited; one taken back keeps its
    row (``deleted_at``), so that undo brings it back as it was."""

    __tablename__ = "deal_notes"
    __table_args__ = (Index("ix_deal_notes_deal_at", "deal_id", "created_at"),
                      # the audit names notes by id: one is never given again
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class DealReview(Base):
    """A quick update made from the review view: what brought the deal there, and what
    the reviewer set (a new expected close date, a next step, a note)."""

    __tablename__ = "deal_reviews"
    __table_args__ = (Index("ix_deal_reviews_deal_at", "deal_id", "at"),
                      # the audit names reviews by id, and an undo deletes one
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"))
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # comma-separated codes: untouched, overdue, rotted
    reasons: Mapped[str] = mapped_column(String(100), default="")
    expected_before: Mapped[dt.date | None] = mapped_column(Date)
    expected_after: Mapped[dt.date | None] = mapped_column(Date)
    # the activity planned as the next step, and the note posted, if any; no foreign key
    # on the activity, which its assignee may delete later (the review stays)
    activity_id: Mapped[int | None] = mapped_column()
    note_id: Mapped[int | None] = mapped_column(ForeignKey("deal_notes.id"))
