"""What managers keep for the KPIs: the funnel doctor's suggestion rules."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from funneldesk.models.base import Base


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
