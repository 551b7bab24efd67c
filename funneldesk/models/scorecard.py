"""A deal's scorecard: how the rep rates its purchase intent, budget fit, access to the
decision maker, timeline and competitive position (each 0: not rated, 1 to 3), and the
competitors named."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from funneldesk.models.base import Base, UTCDateTime, utcnow

FACTORS = ("intent", "budget", "decision", "timeline", "position")


class Scorecard(Base):
    __tablename__ = "scorecards"
    __table_args__ = tuple(
        CheckConstraint(f"{name} BETWEEN 0 AND 3", name=f"{name}_range") for name in FACTORS)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"), unique=True)
    intent: Mapped[int] = mapped_column(default=0)
    budget: Mapped[int] = mapped_column(default=0)
    decision: Mapped[int] = mapped_column(default=0)
    timeline: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)
    competitors: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads a dict
