"""Contracts: made from a quote's accepted option, reviewed, signed and sealed on paper,
paid for milestone by milestone, and served after delivery with return visits (回访).

A contract keeps copies of what it was made from (the option's lines, the customer's
name), so that a later change to the quote, the catalogue or the customer does not
reach into what was signed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from funneldesk.models.base import Base, Money, Scaled, UTCDateTime, utcnow
from funneldesk.models.enums import Confidentiality, ContractState


class Contract(Base):
    __tablename__ = "contracts"
    __table_args__ = (Index("ix_contracts_deal", "deal_id"),
                      Index("ix_contracts_state", "state", "updated_at"),
                      CheckConstraint("response_hours IS NULL OR response_hours > 0",
                                      name="response_hours_positive"),
                      CheckConstraint("warranty_months IS NULL OR warranty_months >= 0",
                                      name="warranty_months_not_negative"),
                      # the audit and the undo name contracts by id
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"))
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id"))
    option_id: Mapped[int] = mapped_column(ForeignKey("quote_options.id"))
    title: Mapped[str] = mapped_column(String(300), default="")
    language: Mapped[str] = mapped_column(String(10))  # the PDF's: zh_CN or en
    currency: Mapped[str] = mapped_column(String(3))
    prices_include_tax: Mapped[bool] = mapped_column(default=True)
    subtotal: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    tax: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))  # with tax
    # the customer's side as it was when the contract was made
    customer_name: Mapped[str] = mapped_column(String(300), default="")
    customer_address: Mapped[str] = mapped_column(Text, default="")
    customer_contact: Mapped[str] = mapped_column(String(300), default="")
    confidentiality: Mapped[Confidentiality] = mapped_column(
        Enum(Confidentiality, native_enum=False, length=20), default=Confidentiality.NORMAL)
    state: Mapped[ContractState] = mapped_column(
        Enum(ContractState, native_enum=False, length=20), default=ContractState.DRAFT)
    # the terms as text with {placeholders}, from the team's template and edited since
    terms: Mapped[str] = mapped_column(Text, default="")
    delivery_terms: Mapped[str] = mapped_column(Text, default="")
    warranty_terms: Mapped[str] = mapped_column(Text, default="")
    acceptance_terms: Mapped[str] = mapped_column(Text, default="")
    # service commitments
    support_scope: Mapped[str] = mapped_column(Text, default="")
    response_hours: Mapped[int | None] = mapped_column()
    warranty_months: Mapped[int | None] = mapped_column()
    service_contact: Mapped[str] = mapped_column(String(200), default="")
    signed_on: Mapped[dt.date | None] = mapped_column(Date)  # by the customer
    delivered_on: Mapped[dt.date | None] = mapped_column(Date)  # return visits count from it
    cancelled_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    is_sample: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads a dict


class ContractItem(Base):
    """A line of the accepted option, copied in when the contract was made."""

    __tablename__ = "contract_items"
    __table_args__ = (Index("ix_contract_items_contract", "contract_id", "position"),
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"))
    position: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(20), default="")
    quantity: Mapped[Decimal] = mapped_column(Scaled(3))
    unit_price: Mapped[Decimal] = mapped_column(Money())
    discount: Mapped[Decimal] = mapped_column(Scaled(2), default=Decimal(0))  # percent
    tax_rate: Mapped[Decimal] = mapped_column(Scaled(2))  # percent
    amount: Mapped[Decimal] = mapped_column(Money())


class ContractMilestone(Base):
    """A payment the contract schedules: a share of the amount, due on a date."""

    __tablename__ = "contract_milestones"
    __table_args__ = (Index("ix_contract_milestones_contract", "contract_id", "position"),
                      Index("ix_contract_milestones_due", "due_on"),
                      CheckConstraint("amount > 0", name="amount_positive"),
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"))
    position: Mapped[int] = mapped_column()
    label: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    percent: Mapped[Decimal | None] = mapped_column(Scaled(2))  # None: a fixed amount
    amount: Mapped[Decimal] = mapped_column(Money())
    # the owner's activity to collect it, planned on its due day once the contract is
    # signed: unpaid after that day, it is an overdue reminder like any other
    reminder_activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id"))


class ContractPayment(Base):
    """Money received (回款) against a milestone; several part payments add up."""

    __tablename__ = "contract_payments"
    __table_args__ = (Index("ix_contract_payments_milestone", "milestone_id"),
                      CheckConstraint("amount > 0", name="amount_positive"),
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("contract_milestones.id"))
    received_on: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money())
    method: Mapped[str] = mapped_column(String(60), default="")  # bank transfer, cheque ...
    reference: Mapped[str] = mapped_column(String(120), default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class ContractReview(Base):
    """One item of the review checklist, copied from the team's list when the contract
    went into review; ``ticked_at`` None: not ticked."""

    __tablename__ = "contract_reviews"
    __table_args__ = (Index("ix_contract_reviews_contract", "contract_id", "position"),
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"))
    position: Mapped[int] = mapped_column()
    label: Mapped[str] = mapped_column(String(200))
    # who may tick it: "manager", or a deal-team role (legal, finance ...), which a
    # manager may also tick
    who: Mapped[str] = mapped_column(String(30))
    ticked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    ticked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")


class ContractStep(Base):
    """A step of the signing path: the state reached, the day it happened, who recorded
    it, and what belongs to it (the courier and tracking number of a posting)."""

    __tablename__ = "contract_steps"
    __table_args__ = (Index("ix_contract_steps_contract", "contract_id", "id"),
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"))
    state: Mapped[ContractState] = mapped_column(
        Enum(ContractState, native_enum=False, length=20))
    on: Mapped[dt.date] = mapped_column(Date)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    courier: Mapped[str] = mapped_column(String(100), default="")
    tracking: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class ContractFile(Base):
    """A scanned copy (the signed contract), kept inside the database so that a backup
    of the database holds it."""

    __tablename__ = "contract_files"
    __table_args__ = (Index("ix_contract_files_contract", "contract_id"),
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"))
    step_id: Mapped[int | None] = mapped_column(ForeignKey("contract_steps.id"))
    filename: Mapped[str] = mapped_column(String(260))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class ReturnVisit(Base):
    """A return visit (回访) after delivery: the planned activity, and what the customer
    said once it was done."""

    __tablename__ = "return_visits"
    __table_args__ = (Index("ix_return_visits_contract", "contract_id"),
                      CheckConstraint("satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5",
                                      name="satisfaction_range"),
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"))
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"), unique=True)
    after_days: Mapped[int] = mapped_column()
    questionnaire: Mapped[str] = mapped_column(Text, default="")
    satisfaction: Mapped[int | None] = mapped_column()  # 1 (poor) to 5 (very satisfied)
    problems: Mapped[str] = mapped_column(Text, default="")
    follow_up_needed: Mapped[bool] = mapped_column(default=False)
    recorded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
