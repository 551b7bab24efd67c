"""Follow-up plans: how a deal is followed up (a cadence, what to talk about, a goal, the
people and budget it needs), and the activities a manager has entering each stage
propose."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from funneldesk.models.base import Base, Money, UTCDateTime, utcnow
from funneldesk.models.enums import ActivityKind


class FollowUpPlan(Base):
    """One deal's plan; a deal has at most one."""

    __tablename__ = "follow_up_plans"
    __table_args__ = (
        CheckConstraint("every_days IS NULL OR every_days BETWEEN 1 AND 365",
                        name="every_days_range"),
        CheckConstraint("budget IS NULL OR budget >= 0", name="budget_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"), unique=True)
    # the cadence: an activity of this kind every so many days (a visit every 14 days)
    every_kind: Mapped[ActivityKind | None] = mapped_column(
        Enum(ActivityKind, native_enum=False, length=10))
    every_days: Mapped[int | None] = mapped_column()
    # the day the cadence was set: it counts from there until one is done (an edit of
    # the goal or budget must not move it)
    cadence_since: Mapped[dt.date | None] = mapped_column(Date)
    agenda: Mapped[str] = mapped_column(Text, default="")  # what to talk about, show, bring
    goal: Mapped[str] = mapped_column(Text, default="")
    people: Mapped[str] = mapped_column(Text, default="")  # who is needed: a demo engineer ...
    budget: Mapped[Decimal | None] = mapped_column(Money())  # in the deal's currency
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads a dict


class StagePlanStep(Base):
    """An activity that entering a stage proposes: e.g. entering Needs analysis, a call
    within 2 days and an on-site visit within 7."""

    __tablename__ = "stage_plan_steps"
    __table_args__ = (
        CheckConstraint("within_days BETWEEN 0 AND 365", name="within_days_range"),
        Index("ix_stage_plan_steps_stage", "stage_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    kind: Mapped[ActivityKind] = mapped_column(Enum(ActivityKind, native_enum=False, length=10))
    title: Mapped[str] = mapped_column(String(300))
    within_days: Mapped[int] = mapped_column(default=0)  # due this many days after entering
    position: Mapped[int] = mapped_column(default=0)
