"""Quotes: a deal's offer to its customer, kept revision by revision.

A quote has revisions; each revision has options side by side (基础版 / 标准版 / 旗舰版),
and each option has lines. The newest revision is the one being worked on until it is
sent; a sent revision is never changed again, so that every version the customer saw
stays readable.
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
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from funneldesk.models.base import Base, Money, Scaled, UTCDateTime, utcnow
from funneldesk.models.enums import ApprovalState, QuoteState


class Quote(Base):
    __tablename__ = "quotes"
    __table_args__ = (Index("ix_quotes_deal", "deal_id"),
                      Index("ix_quotes_state", "state", "updated_at"),
                      # the audit and the undo name quotes by id
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"))
    # whom it is addressed to (the deal's contact when it was made)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    title: Mapped[str] = mapped_column(String(300), default="")
    # the PDF's language: zh_CN or en
    language: Mapped[str] = mapped_column(String(10))
    currency: Mapped[str] = mapped_column(String(3))
    # prices typed and printed include tax (含税) or not
    prices_include_tax: Mapped[bool] = mapped_column(default=True)
    state: Mapped[QuoteState] = mapped_column(
        Enum(QuoteState, native_enum=False, length=10), default=QuoteState.DRAFT)
    # what the customer chose (accepted) or why they said no (rejected); no foreign key:
    # options belong to revisions, which belong to quotes, and the cycle would need one
    # table created before the other exists
    accepted_option_id: Mapped[int | None] = mapped_column()
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rejected_reason: Mapped[str] = mapped_column(Text, default="")
    # the deal's value before acceptance set it, so that undoing the acceptance puts it back
    deal_value_before: Mapped[Decimal | None] = mapped_column(Money())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    is_sample: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads a dict


class QuoteRevision(Base):
    """One version of a quote. ``sent_at`` None: still being worked on (only the newest
    revision can be); once sent, nothing in it changes again."""

    __tablename__ = "quote_revisions"
    __table_args__ = (UniqueConstraint("quote_id", "number"),
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id"))
    number: Mapped[int] = mapped_column()
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    payment_terms: Mapped[str] = mapped_column(Text, default="")
    delivery_terms: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # who last saved its content (a manager who priced it does not approve it)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # the team's minimum margin (percent) when it was sent: a later rule does not reach
    # back into what the customer has
    min_margin: Mapped[Decimal | None] = mapped_column(Scaled(2))
    # approval below the floor or the minimum margin: asked by a rep, decided by a manager
    approval: Mapped[ApprovalState] = mapped_column(
        Enum(ApprovalState, native_enum=False, length=10), default=ApprovalState.NONE)
    approval_asked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    approval_asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approval_request: Mapped[str] = mapped_column(Text, default="")
    approval_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    approval_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approval_reason: Mapped[str] = mapped_column(Text, default="")
    # approved by the quote's own author, the team having no other manager
    self_approved: Mapped[bool] = mapped_column(default=False)


class QuoteOption(Base):
    """One of a revision's options; its totals are kept as the pricing rules computed
    them when the revision was saved (lists and sums read them, the lines are the truth)."""

    __tablename__ = "quote_options"
    __table_args__ = (Index("ix_quote_options_revision", "revision_id", "position"),
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("quote_revisions.id"))
    position: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(100))
    subtotal: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    tax: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    total: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))


class QuoteLine(Base):
    """A line of an option. The product's tax rate, list price, floor and cost are copied
    in (converted to the quote's currency) when the line is saved, so that a sent revision
    keeps the rules it was checked against."""

    __tablename__ = "quote_lines"
    __table_args__ = (
        Index("ix_quote_lines_option", "option_id", "position"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
        CheckConstraint("discount >= 0", name="discount_not_negative"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("quote_options.id"))
    position: Mapped[int] = mapped_column()
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    # the product's names when saved: a renamed product leaves sent revisions as they were
    name: Mapped[str] = mapped_column(String(200), default="")
    name_en: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(20), default="")
    quantity: Mapped[Decimal] = mapped_column(Scaled(3))
    unit_price: Mapped[Decimal] = mapped_column(Money())
    discount: Mapped[Decimal] = mapped_column(Scaled(2), default=Decimal(0))  # percent
    tax_rate: Mapped[Decimal] = mapped_column(Scaled(2))  # percent
    list_price: Mapped[Decimal] = mapped_column(Money())
    floor_price: Mapped[Decimal | None] = mapped_column(Money())
    cost: Mapped[Decimal | None] = mapped_column(Money())


class OutboxMessage(Base):
    """An email waiting to go out, or gone: kept in the database so that a message written
    on a laptop with no network goes when the mail server can be reached, whatever
    happens to the process meanwhile."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_waiting", "sent_at", "id"),
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quotes.id"))
    revision: Mapped[int | None] = mapped_column()
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    attachment: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    filename: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
