"""Pipelines, their stages and the checklist criteria of each stage."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from funneldesk.models.base import Base, UTCDateTime, utcnow
from funneldesk.models.enums import CriterionKind, StageKind


class Pipeline(Base):
    __tablename__ = "pipelines"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads a dict


class Stage(Base):
    __tablename__ = "stages"
    __table_args__ = (
        CheckConstraint("probability BETWEEN 0 AND 100", name="probability_range"),
        CheckConstraint("rot_days IS NULL OR rot_days > 0", name="rot_days_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pipeline_id: Mapped[int] = mapped_column(ForeignKey("pipelines.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[StageKind] = mapped_column(Enum(StageKind, native_enum=False, length=10))
    position: Mapped[int] = mapped_column(default=0)
    probability: Mapped[int] = mapped_column(default=0)
    rot_days: Mapped[int | None] = mapped_column()
    guidance: Mapped[str] = mapped_column(Text, default="")
    # a stage with history is never removed: old stage changes still point at it
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class StageCriterion(Base):
    __tablename__ = "stage_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"), index=True)
    kind: Mapped[CriterionKind] = mapped_column(Enum(CriterionKind, native_enum=False, length=10))
    label: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(default=0)
    # "": ticked by hand; CONTRACT_SIGNED: met by the data, when a contract of the deal is
    # signed by the customer (it is never ticked)
    rule: Mapped[str] = mapped_column(String(30), default="", server_default="")
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
