"""Records of the customers list: the query a list shows (companies or contacts), its
rows, saved segments, tag counts and the read-only overview of one customer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

from funneldesk.i18n import N_, _
from funneldesk.services.customers.records import CompanyDetail, ContactDetail, Named

COMPANY, CONTACT = "company", "contact"
ENTITIES = (COMPANY, CONTACT)

# how a contact's role and consent are shown (stored codes -> messages)
ROLE_LABELS = {"decision_maker": N_("Decision maker"), "influencer": N_("Influencer"),
               "user": N_("User"), "gatekeeper": N_("Gatekeeper")}
CONSENT_LABELS = {"unknown": N_("Not asked yet"), "given": N_("Consented"),
                  "refused": N_("Refused")}


def role_label(code: str) -> str:
    return _(ROLE_LABELS[code]) if code in ROLE_LABELS else code


def consent_label(code: str) -> str:
    return _(CONSENT_LABELS[code]) if code in CONSENT_LABELS else code


class CustomerColumn(StrEnum):
    """The columns of the customers lists; each can sort its list."""

    NAME = "name"
    COMPANY = "company"
    TITLE = "title"
    ROLE = "role"
    CITY = "city"
    INDUSTRY = "industry"
    SEGMENT = "segment"
    OWNER = "owner"
    KEY_LEVEL = "key_level"
    LEAD_SOURCE = "lead_source"
    TAGS = "tags"
    OPEN_DEALS = "open_deals"
    PHONE = "phone"
    EMAIL = "email"
    CONSENT = "consent"
    CREATED = "created"


C = CustomerColumn
COMPANY_COLUMNS: tuple[CustomerColumn, ...] = (
    C.NAME, C.CITY, C.INDUSTRY, C.SEGMENT, C.OWNER, C.KEY_LEVEL, C.LEAD_SOURCE, C.TAGS,
    C.OPEN_DEALS, C.PHONE, C.CREATED)
CONTACT_COLUMNS: tuple[CustomerColumn, ...] = (
    C.NAME, C.COMPANY, C.TITLE, C.ROLE, C.PHONE, C.EMAIL, C.OWNER, C.LEAD_SOURCE, C.CONSENT,
    C.TAGS, C.CREATED)


def columns_of(entity: str) -> tuple[CustomerColumn, ...]:
    return COMPANY_COLUMNS if entity == COMPANY else CONTACT_COLUMNS


# profile fields a query may match exactly, beside its named filters: text columns of
# the record's own row (the forms' fields without phones, emails and tags)
COMPANY_FIELDS = frozenset({
    "industry", "segment", "size", "country", "province", "city", "website", "credit_code",
    "key_level", "campaign", "external_id"})
CONTACT_FIELDS = frozenset({
    "title", "role", "wechat", "campaign", "age_band", "gender", "occupation", "income_band",
    "education", "loyalty", "consent", "external_id"})


def profile_fields(entity: str) -> frozenset[str]:
    return COMPANY_FIELDS if entity == COMPANY else CONTACT_FIELDS


ANY_KEY_LEVEL = "*"  # CustomerQuery.key_level: every key customer, whatever the level


@dataclass(frozen=True, slots=True)
class CustomerQuery:
    """Which companies or contacts a list shows, and in which order. Empty text and None
    mean "any". ``in_pool``: True for the public pool only, False for owned records only.
    ``profile``: (field, value) pairs matched exactly, for any field of
    ``profile_fields(entity)`` (the named filters are the usual ones). Deleted and merged
    records are never listed."""

    entity: str = COMPANY
    text: str = ""  # in the name, a phone number or an email address
    owner_id: int | None = None
    in_pool: bool | None = None
    key_level: str = ""  # A, B or C; ANY_KEY_LEVEL: any of them
    lead_source_id: int | None = None
    tag: str = ""
    industry: str = ""
    province: str = ""
    city: str = ""
    segment: str = ""
    consent: str = ""
    company_id: int | None = None  # contacts of one company
    profile: tuple[tuple[str, str], ...] = ()
    sort: CustomerColumn = CustomerColumn.NAME
    descending: bool = False

    def filters_only(self) -> CustomerQuery:
        """The same filters in the default order."""
        return replace(self, sort=CustomerColumn.NAME, descending=False)


def query_to_dict(query: CustomerQuery) -> dict[str, Any]:
    """The query as JSON-ready values (a segment keeps it in the database)."""
    data = {f.name: getattr(query, f.name) for f in fields(CustomerQuery)}
    data["sort"] = str(query.sort)
    data["profile"] = [list(pair) for pair in query.profile]
    return data


def query_from_dict(data: dict[str, Any]) -> CustomerQuery:
    """The query ``query_to_dict`` gave; anything unreadable falls back to the default."""
    default = CustomerQuery()
    values: dict[str, Any] = {}
    for f in fields(CustomerQuery):
        value = data.get(f.name)
        expected = getattr(default, f.name)
        if f.name in ("owner_id", "lead_source_id", "company_id"):
            values[f.name] = value if isinstance(value, int) else None
        elif f.name == "in_pool":
            values[f.name] = value if isinstance(value, bool) else None
        elif f.name == "descending":
            values[f.name] = bool(value)
        elif f.name == "sort":
            known = {str(c) for c in CustomerColumn}
            values[f.name] = CustomerColumn(value) if value in known else expected
        elif f.name == "profile":
            pairs = value if isinstance(value, list) else []
            values[f.name] = tuple((str(p[0]), str(p[1])) for p in pairs
                                   if isinstance(p, list) and len(p) == 2)
        elif f.name == "entity":
            values[f.name] = value if value in ENTITIES else expected
        else:
            values[f.name] = value if isinstance(value, str) else expected
    return CustomerQuery(**values)


@dataclass(frozen=True, slots=True)
class CompanyRow:
    """A row of the companies list (texts as shown: the lead source in the user's
    language, the first phone as written nationally)."""

    id: int
    version: int
    name: str
    city: str
    province: str
    industry: str
    segment: str
    owner_id: int | None  # None: in the public pool
    owner: str | None
    key_level: str  # "", A, B or C
    lead_source: str
    tags: tuple[str, ...]
    open_deals: int
    phone: str
    phone_verified: bool
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ContactRow:
    id: int
    version: int
    name: str
    company_id: int | None
    company: str
    title: str
    role: str  # the stored code
    role_label: str
    phone: str
    phone_verified: bool
    email: str
    email_verified: bool
    owner_id: int | None
    owner: str | None
    lead_source: str
    consent: str  # the stored code
    consent_label: str
    tags: tuple[str, ...]
    created_at: dt.datetime


CustomerRow = CompanyRow | ContactRow


@dataclass(frozen=True, slots=True)
class SegmentInfo:
    """A saved filter over companies or contacts that the whole team sees."""

    id: int
    entity: str
    name: str
    query: CustomerQuery
    created_by_id: int
    created_by: str


@dataclass(frozen=True, slots=True)
class TagCount:
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class CustomerDeal:
    """A deal of a customer, as its overview lists it."""

    id: int
    title: str
    stage: str
    outcome: str  # open, won, lost or archived
    value: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """An audit entry about a customer: who did what, when; ``fields`` names the fields
    an update changed."""

    at: dt.datetime
    by: str | None
    action: str
    fields: tuple[str, ...]
    value: str = ""  # the phone or email verified, the name of the record merged in


@dataclass(frozen=True, slots=True)
class CustomerOverview:
    """One company or contact with what hangs on it: what opening it shows."""

    entity: str
    id: int
    detail: CompanyDetail | ContactDetail
    lead_source: str
    contacts: tuple[Named, ...]  # a company's people; none for a contact
    deals: tuple[CustomerDeal, ...]
    history: tuple[HistoryLine, ...]
