"""Deals, their stage history, criteria ticks and lost reasons."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from funneldesk.models.base import Base, Money, UTCDateTime, utcnow


class LostReason(Base):
    __tablename__ = "lost_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class Deal(Base):
    __tablename__ = "deals"
    __table_args__ = (
        CheckConstraint("value >= 0", name="value_not_negative"),
        CheckConstraint("won_value IS NULL OR won_value >= 0", name="won_value_not_negative"),
        Index("ix_deals_stage_position", "stage_id", "position"),
        # covers the column totals of the board's first read (services/reads.column_sums)
        # and every per-deal figure of the KPIs (services/analytics/core.py), so that
        # neither reads the wide rows
        Index("ix_deals_stage_figures", "stage_id", "deleted_at", "archived_at", "owner_id",
              "currency", "value", "won_value", "lead_source_id", "product_id", "closed_on",
              "lost_reason_id", "company_id"),
        # the deals list in its default order, newest first (services/pipeline/deal_list);
        # not the stage or owner, which every move or owner change would have to update
        Index("ix_deals_list_created", "created_at", "deleted_at", "archived_at",
              "pipeline_id"),
        # an id is never given again, not even a purged one (migration 0014)
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pipeline_id: Mapped[int] = mapped_column(ForeignKey("pipelines.id"))
    # stage_id and stage_entered_at cache the deal's last StageChange for fast board reads;
    # only the pipeline service writes them, in the same transaction as the change row.
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    stage_entered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    position: Mapped[float] = mapped_column(default=0.0)
    title: Mapped[str] = mapped_column(String(300))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    # the estimate; winning keeps it and records the final amount in won_value
    value: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    won_value: Mapped[Decimal | None] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3))
    expected_close: Mapped[dt.date | None] = mapped_column(Date)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    next_step: Mapped[str] = mapped_column(String(500), default="")
    next_step_date: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    lead_source_id: Mapped[int | None] = mapped_column(ForeignKey("lead_sources.id"))
    campaign: Mapped[str] = mapped_column(String(200), default="")
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    # the rep's call for the forecast: pipeline, best_case or commit
    forecast_category: Mapped[str] = mapped_column(String(12), default="pipeline",
                                                   server_default="pipeline")
    # the record's id in the system an import came from: what an update matches on
    external_id: Mapped[str] = mapped_column(String(100), default="", index=True)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    lost_reason_id: Mapped[int | None] = mapped_column(ForeignKey("lost_reasons.id"))
    lost_reason_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    is_sample: Mapped[bool] = mapped_column(default=False, server_default=false())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads a dict


class StageChange(Base):
    """One move of a deal; never updated or deleted."""

    __tablename__ = "stage_changes"
    __table_args__ = (Index("ix_stage_changes_deal_at", "deal_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"))
    from_stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"))
    to_stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # set when this change undoes an earlier one: KPIs then count neither
    reverts_id: Mapped[int | None] = mapped_column(ForeignKey("stage_changes.id"))
    # JSON: before and after of every other field the move changed (value, won value,
    # close date, lost reason), so that no history is overwritten
    details: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")


class CriterionCheck(Base):
    """A tick or untick of a stage criterion on a deal; the latest row per pair wins."""

    __tablename__ = "criterion_checks"
    __table_args__ = (Index("ix_criterion_checks_deal", "deal_id", "criterion_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("stage_criteria.id"))
    checked: Mapped[bool] = mapped_column()
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class StageVisit(Base):
    """A stretch of time a deal spent in one stage, derived from its stage changes (an
    undone move and its undo leave none): what the KPIs read, so that "days in a stage"
    is a subtraction of integers. Kept by services/pipeline/visits.py in the transaction
    of each change and rebuilt from the history whenever in doubt; never edited by hand.

    Times are Unix seconds; days are local day numbers (services/common/local_days.py) in
    the zone the team setting ``visits_zone`` names."""

    __tablename__ = "stage_visits"
    __table_args__ = (
        # time in stage: every completed visit of a stage, by its length, streamed in order
        Index("ix_stage_visits_stage_days", "stage_id", "days", "left_day"),
        # a deal's visits (kept by deal), and the same per owner for coaching, read from the
        # index alone
        Index("ix_stage_visits_deal", "deal_id", "stage_id", "days", "left_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    entered_s: Mapped[int] = mapped_column()
    left_s: Mapped[int | None] = mapped_column()
    entered_day: Mapped[int] = mapped_column()
    left_day: Mapped[int | None] = mapped_column()
    days: Mapped[int | None] = mapped_column()  # left_day - entered_day, once left


class DealProgress(Base):
    """How far a deal got and the local day it was created, derived as ``StageVisit``."""

    __tablename__ = "deal_progress"

    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"), primary_key=True)
    # the furthest open stage it was ever in (by the stages' order), or the Won stage if it
    # was ever won; None when it was in neither
    furthest_stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"))
    created_day: Mapped[int] = mapped_column()
