"""Records of the customers area: what forms edit, and what reads return."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from funneldesk.i18n import N_, _
from funneldesk.services.common.records import ChangeSet

# the buying-decision roles a contact can have (stored codes)
ROLES = ("decision_maker", "influencer", "user", "gatekeeper")
KEY_LEVELS = ("A", "B", "C")
CONSENTS = ("unknown", "given", "refused")


@dataclass(frozen=True, slots=True)
class Named:
    id: int
    name: str
    company_id: int | None = None
    company: str = ""  # a contact's company's name, where a list shows it beside theirs


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
    verified_by_id: int | None = None


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
    """What a save returns: the record, records that may be the same customer, and what
    the save changed (the record; on a rename, the deals that show its name)."""

    id: int
    name: str
    version: int
    possible_duplicates: tuple[Named, ...] = field(default=())
    changes: ChangeSet = field(default=ChangeSet())


@dataclass(frozen=True, slots=True)
class PoolMove:
    """What a claim or a release changed, and the version each record it moved has now
    (entity, id, version): a window's undo follows its own changes by them."""

    changes: ChangeSet
    versions: tuple[tuple[str, int, int], ...]


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


# --- duplicates and merges -----------------------------------------------------------------

# why two records may be one customer (stable codes), and the sentence each is shown as
REASONS = {
    "credit_code": N_("The same Unified Social Credit Code."),
    "phone": N_("The same phone number."),
    "email": N_("The same email address."),
    "wechat": N_("The same WeChat ID."),
    "external_id": N_("The same ID in the system it was imported from."),
    "name": N_("A similar name."),
}


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    """A saved record that may be the customer a form or an imported row describes.
    ``score`` is 100 for an exact match, else how alike the names are (0 to 100)."""

    entity: str  # company or contact
    id: int
    name: str
    reason: str  # a code of REASONS
    score: float
    detail: str = ""  # what tells it apart: its city (a company's) or company, its owner

    def reason_label(self) -> str:
        return _(REASONS[self.reason])


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Records that may all be one customer: each is linked to another of the group by
    one of ``reasons``; ``score`` is the strongest of those links."""

    entity: str
    members: tuple[Named, ...]  # by id
    reasons: tuple[str, ...]  # codes of REASONS, in that order
    score: float

    def reason_labels(self) -> tuple[str, ...]:
        return tuple(_(REASONS[r]) for r in self.reasons)


@dataclass(frozen=True, slots=True)
class FieldChoice:
    """One field of two records about to be merged: the user keeps one of the values."""

    field: str
    kept: str | int | None
    merged: str | int | None

    @property
    def differs(self) -> bool:
        return self.kept != self.merged


@dataclass(frozen=True, slots=True)
class MergePreview:
    """What merging ``merged`` into ``kept`` would do: the fields to choose between, the
    phones, emails and tags the kept record would then have (both records' together), and
    how much moves to it."""

    entity: str
    kept: Named
    merged: Named
    versions: tuple[int, int]  # (kept, merged): what merge() expects
    fields: tuple[FieldChoice, ...]
    phones: tuple[str, ...]
    emails: tuple[str, ...]
    tags: tuple[str, ...]
    deals: int
    contacts: int  # a company's contacts; 0 for a contact
    channels: int  # phones and emails that move (those the kept record lacks)
    tags_added: int
    refused: str = ""  # why the user asking may not merge them ("" if they may)
