"""Companies, the people who work there, how to reach them, their tags, and the team's
lists that profiles pick from (lead sources)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, false
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column, validates

from funneldesk.collation import sort_key
from funneldesk.models.base import Base, Money, Scaled, UTCDateTime, utcnow


def _key_of_name(person: bool) -> Any:
    """The default of ``sort_name`` for a Core insert that gives a name and no key."""

    def key(context: DefaultExecutionContext) -> str:
        given = context.get_current_parameters()  # type: ignore[no-untyped-call] # untyped in SQLAlchemy
        return sort_key(str(given["name"]), person=person)

    return key


class LeadSource(Base):
    """Where a lead came from. The seeded ones carry a ``code`` and are shown in the
    user's language; the team's own carry only their label."""

    __tablename__ = "lead_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(30), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class Company(Base):
    __tablename__ = "companies"
    # an id is never given again, not even a purged one (migration 0014)
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    # the name's key in the lists' order (funneldesk/collation.py: pinyin for Chinese);
    # up to 7 letters a character (zhuang1)
    sort_name: Mapped[str] = mapped_column(String(2100), default=_key_of_name(False),
                                           index=True)
    external_id: Mapped[str] = mapped_column(String(100), default="", index=True)
    industry: Mapped[str] = mapped_column(String(100), default="")
    segment: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[str] = mapped_column(String(30), default="")
    country: Mapped[str] = mapped_column(String(100), default="")
    province: Mapped[str] = mapped_column(String(100), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    # Unified Social Credit Code, 18 characters, upper case; "" when unknown
    credit_code: Mapped[str] = mapped_column(String(18), default="", index=True)
    # None: in the public pool
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # "" for an ordinary customer, else the key-customer level (A, B, C)
    key_level: Mapped[str] = mapped_column(String(1), default="")
    lead_source_id: Mapped[int | None] = mapped_column(ForeignKey("lead_sources.id"))
    campaign: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # the last edit, move or note on it or its deals and contacts: the public pool's clock
    touched_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    pooled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    is_sample: Mapped[bool] = mapped_column(default=False, server_default=false())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads a dict

    @validates("name")
    def _keyed(self, _key: str, name: str) -> str:
        self.sort_name = sort_key(name)
        return name


class Contact(Base):
    __tablename__ = "contacts"
    # an id is never given again, not even a purged one (migration 0014)
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    sort_name: Mapped[str] = mapped_column(String(1400), default=_key_of_name(True),
                                           index=True)
    external_id: Mapped[str] = mapped_column(String(100), default="", index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    # decision_maker, influencer, user, gatekeeper; "" when unknown
    role: Mapped[str] = mapped_column(String(20), default="")
    wechat: Mapped[str] = mapped_column(String(100), default="", index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    lead_source_id: Mapped[int | None] = mapped_column(ForeignKey("lead_sources.id"))
    campaign: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # a consumer customer's profile and buying behaviour
    age_band: Mapped[str] = mapped_column(String(20), default="")
    gender: Mapped[str] = mapped_column(String(20), default="")
    occupation: Mapped[str] = mapped_column(String(100), default="")
    income_band: Mapped[str] = mapped_column(String(30), default="")
    education: Mapped[str] = mapped_column(String(30), default="")
    preferences: Mapped[str] = mapped_column(Text, default="")
    decision_process: Mapped[str] = mapped_column(Text, default="")
    loyalty: Mapped[str] = mapped_column(String(30), default="")
    # personal data: where it came from, and whether the person agreed to be contacted
    data_origin: Mapped[str] = mapped_column(String(300), default="")
    consent: Mapped[str] = mapped_column(String(10), default="unknown")
    consent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    touched_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    pooled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    is_sample: Mapped[bool] = mapped_column(default=False, server_default=false())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads a dict

    @validates("name")
    def _keyed(self, _key: str, name: str) -> str:
        self.sort_name = sort_key(name, person=True)
        return name


class Channel(Base):
    """A phone number or email address of a company or a contact, and whether someone
    checked that it reaches them."""

    __tablename__ = "channels"
    __table_args__ = (
        CheckConstraint("(company_id IS NULL) <> (contact_id IS NULL)", name="one_owner"),
        CheckConstraint("kind IN ('phone', 'email')", name="kind"),
        # exact duplicate search: the same number or address on two records
        Index("ix_channels_kind_key", "kind", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    # as kept: E.164 for a phone, the address as written for an email
    value: Mapped[str] = mapped_column(String(200))
    # what duplicates are matched on: E.164, or the address in lower case; "" for a
    # value kept from before validation that does not parse
    key: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class CompanyTag(Base):
    __tablename__ = "company_tags"

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id"), primary_key=True, index=True)


class ContactTag(Base):
    __tablename__ = "contact_tags"

    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id"), primary_key=True, index=True)


class PoolEvent(Base):
    """A lead returned to the public pool or claimed from it; never edited."""

    __tablename__ = "pool_events"
    __table_args__ = (Index("ix_pool_events_record", "entity", "record_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(10))
    record_id: Mapped[int] = mapped_column()
    # returned (untouched too long, by_id None), released (by its owner), claimed
    action: Mapped[str] = mapped_column(String(10))
    owner_before_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Merge(Base):
    """Two records made one: what moved and what the kept one held before, so that the
    merge can be undone."""

    __tablename__ = "merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(10))
    kept_id: Mapped[int] = mapped_column()
    merged_id: Mapped[int] = mapped_column()
    details: Mapped[str] = mapped_column(Text, default="{}")
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    undone_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class Segment(Base):
    """A named filter over companies or contacts that the team keeps."""

    __tablename__ = "segments"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    query: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class Product(Base):
    """What a deal sells, and the catalogue a quote's lines come from.

    Prices are before tax, in ``currency``; a quote that includes tax adds it per line.
    ``floor_price`` is the lowest unit price a rep may offer without a manager's approval
    (None: no floor); ``cost`` gives the margin (None: not known).
    """

    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("list_price >= 0", name="list_price_not_negative"),
        CheckConstraint("floor_price IS NULL OR floor_price >= 0",
                        name="floor_price_not_negative"),
        CheckConstraint("cost IS NULL OR cost >= 0", name="cost_not_negative"),
        CheckConstraint("tax_rate >= 0", name="tax_rate_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    code: Mapped[str] = mapped_column(String(50), default="")
    name_en: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(20), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3))
    list_price: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    floor_price: Mapped[Decimal | None] = mapped_column(Money())
    cost: Mapped[Decimal | None] = mapped_column(Money())
    # percent, e.g. 13.00 (China's VAT on goods); 6.00 on most services
    tax_rate: Mapped[Decimal] = mapped_column(Scaled(2), default=Decimal(13))
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    is_sample: Mapped[bool] = mapped_column(default=False, server_default=false())

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads a dict
