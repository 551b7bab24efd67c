"""What managers keep for the KPIs: the funnel doctor's suggestion rules, targets, their
own forecast beside the computed one, and training plans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from funneldesk.models.base import Base, Money, Scaled, UTCDateTime, utcnow


class DoctorRule(Base):
    """A condition on the bottleneck and the advice it gives: "many losses on price at
    Negotiation → review the quote options and floor prices". Every condition left empty
    matches anything; all given must hold."""

    __tablename__ = "doctor_rules"
    __table_args__ = (
        CheckConstraint("min_share BETWEEN 0 AND 100", name="min_share_percent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    # the bottleneck stage it applies to; None: any stage
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"))
    # why the stage is the bottleneck: "low_conversion", "long_time", or "": either
    reason: Mapped[str] = mapped_column(String(20), default="")
    # a lost reason that makes up at least min_share percent of the losses at the stage
    lost_reason_id: Mapped[int | None] = mapped_column(ForeignKey("lost_reasons.id"))
    min_share: Mapped[int] = mapped_column(default=0)
    advice: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads a dict


class KpiTarget(Base):
    """A manager's target for one KPI over one month, quarter or year, for one rep or
    (``user_id`` None) the team. Conversion is a ratio (0.35), days and counts are plain
    numbers, won value is in the team's base currency."""

    __tablename__ = "kpi_targets"
    __table_args__ = (
        CheckConstraint("period IN ('month', 'quarter', 'year')", name="period_kind"),
        CheckConstraint("value >= 0", name="value_not_negative"),
        Index("ix_kpi_targets_starts", "starts_on", "kpi"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # deals_created, conversion, days_in_stage, sales_cycle, won_value, activities_done
    kpi: Mapped[str] = mapped_column(String(30))
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    period: Mapped[str] = mapped_column(String(10))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(Scaled(4))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    is_sample: Mapped[bool] = mapped_column(default=False, server_default=false())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads a dict


class ForecastAdjustment(Base):
    """A manager's own forecast for one expected-close month of a pipeline (for one rep,
    or the team), kept beside the computed weighted forecast, never instead of it."""

    __tablename__ = "forecast_adjustments"

    id: Mapped[int] = mapped_column(primary_key=True)
    pipeline_id: Mapped[int] = mapped_column(ForeignKey("pipelines.id"))
    month: Mapped[dt.date] = mapped_column(Date)  # the month's first day
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    amount: Mapped[Decimal] = mapped_column(Money())  # the base currency
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    is_sample: Mapped[bool] = mapped_column(default=False, server_default=false())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads a dict


class TrainingPlan(Base):
    """Training a manager plans for a rep (a need the coaching found, or their own), and
    what came of it: the rep's figures before and after are worked out when shown."""

    __tablename__ = "training_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"))
    kpi: Mapped[str] = mapped_column(String(20), default="")  # conversion, days or ""
    topic: Mapped[str] = mapped_column(Text)
    planned_on: Mapped[dt.date] = mapped_column(Date)
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    is_sample: Mapped[bool] = mapped_column(default=False, server_default=false())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads a dict
