"""Records of the customers area: what forms edit, and what reads return."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# the buying-decision roles a contact can have (stored codes)
ROLES = ("decision_maker", "influencer", "user", "gatekeeper")
KEY_LEVELS = ("A", "B", "C")
CONSENTS = ("unknown", "given", "refused")


@dataclass(frozen=True, slots=True)
class Named:
    id: int
    name: str
    company_id: int | None = None


@dataclass(frozen=True, slots=True)
class CompanyFields:
    """What the company form edits. Phones and emails are as typed: saving stores them
    checked and in one form (E.164 for phones)."""

    name: str
    industry: str = ""
    segment: str = ""
    size: str = ""
    country: str = ""
    province: str = ""
    city: str = ""
    address: str = ""
    website: str = ""
    credit_code: str = ""
    owner_id: int | None = None
    key_level: str = ""
    lead_source_id: int | None = None
    campaign: str = ""
    notes: str = ""
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    external_id: str = ""


@dataclass(frozen=True, slots=True)
class ContactFields:
    name: str
    company_id: int | None = None
    title: str = ""
    role: str = ""
    wechat: str = ""
    owner_id: int | None = None
    lead_source_id: int | None = None
    campaign: str = ""
    notes: str = ""
    age_band: str = ""
    gender: str = ""
    occupation: str = ""
    income_band: str = ""
    education: str = ""
    preferences: str = ""
    decision_process: str = ""
    loyalty: str = ""
    data_origin: str = ""
    consent: str = "unknown"
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    external_id: str = ""


@dataclass(frozen=True, slots=True)
class ChannelInfo:
    id: int
    kind: str  # phone or email
    value: str  # as kept: E.164 for a phone
    shown: str  # as people write it
    verified_at: dt.datetime | None
    verified_by: str | None


@dataclass(frozen=True, slots=True)
class CompanyDetail:
    id: int
    fields: CompanyFields
    version: int
    channels: tuple[ChannelInfo, ...]
    owner_name: str | None  # None: in the public pool
    created_at: dt.datetime
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class ContactDetail:
    id: int
    fields: ContactFields
    version: int
    channels: tuple[ChannelInfo, ...]
    owner_name: str | None
    company_name: str | None
    consent_at: dt.datetime | None
    created_at: dt.datetime
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class SavedCustomer:
    """What a save returns: the record, and records that may be the same customer."""

    id: int
    name: str
    version: int
    possible_duplicates: tuple[Named, ...] = field(default=())


# the records the public pool holds, and what happens to them there
POOL_ENTITIES = ("company", "contact")
RETURNED, RELEASED, CLAIMED = "returned", "released", "claimed"


@dataclass(frozen=True, slots=True)
class PoolHistoryEntry:
    action: str  # returned (untouched too long), released (by hand) or claimed
    at: dt.datetime
    by: str | None  # None: FunnelDesk returned it on its own
    owner_before: str | None


@dataclass(frozen=True, slots=True)
class PooledRecord:
    """A company or contact in the public pool, as the pool's list shows it."""

    id: int
    name: str
    pooled_at: dt.datetime | None  # None: it never had an owner
    previous_owner: str | None
