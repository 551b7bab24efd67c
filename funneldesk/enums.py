"""Enumerations stored by name."""

from __future__ import annotations

import enum


class StageKind(enum.StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class CriterionKind(enum.StrEnum):
    ENTRY = "entry"
    EXIT = "exit"


class Role(enum.StrEnum):
    REP = "rep"
    MANAGER = "manager"


class ActivityKind(enum.StrEnum):
    CALL = "call"
    VISIT = "visit"
    MEETING = "meeting"
    EMAIL = "email"
    WECHAT = "wechat"
    DEMO = "demo"
    OTHER = "other"


class ActivityState(enum.StrEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class DealRole(enum.StrEnum):
    """What a colleague does on one deal's team (not a user role: that stays rep or
    manager)."""

    PRESALES = "presales"
    TECH_SUPPORT = "tech_support"
    CUSTOMER_SERVICE = "customer_service"
    FINANCE = "finance"
    LEGAL = "legal"
    OTHER = "other"


class QuoteState(enum.StrEnum):
    """Where a quote stands with the customer. An expired quote is a sent one whose
    validity has passed (worked out when read, never stored)."""

    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class ApprovalState(enum.StrEnum):
    """A quote revision's approval below the price floor or the minimum margin."""

    NONE = "none"
    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"


class ContractState(enum.StrEnum):
    """The offline path of a contract, in order: printed, signed by hand, sealed (盖章)
    and posted; ``CANCELLED`` leaves the path from any step before it is archived."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    SENT = "sent"  # posted to the customer for signature
    SIGNED = "signed"  # signed (and stamped) by the customer
    SEALED = "sealed"  # our seal applied
    RETURNED = "returned"  # the countersigned copy is back with the customer
    ARCHIVED = "archived"
    CANCELLED = "cancelled"


class Confidentiality(enum.StrEnum):
    """Who may read a contract: ``NORMAL`` everyone of the team; ``CONFIDENTIAL`` its
    deal's owner, its team and the managers (and its PDF is watermarked and encrypted)."""

    NORMAL = "normal"
    CONFIDENTIAL = "confidential"


# a stage criterion's rule (StageCriterion.rule): met when a contract of the deal is
# signed by the customer, never ticked by hand ("" is a criterion ticked by hand)
CONTRACT_SIGNED = "contract_signed"

# the states of a contract the customer has signed (and that owes its payments)
SIGNED_STATES = (ContractState.SIGNED, ContractState.SEALED, ContractState.RETURNED,
                 ContractState.ARCHIVED)
