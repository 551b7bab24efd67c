"""What the Contracts area hands out and takes in: a contract's editable content, the
contract as read back, the receivables, and the money of a deal or a customer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from funneldesk.enums import Confidentiality, ContractState
from funneldesk.i18n import N_, _
from funneldesk.services.common.records import ChangeSet

MAX_FILE = 20_000_000  # bytes: a scanned contract, not a film

STATE_LABELS = {
    ContractState.DRAFT: N_("Draft"),
    ContractState.IN_REVIEW: N_("In review"),
    ContractState.APPROVED: N_("Approved"),
    ContractState.SENT: N_("Sent for signature"),
    ContractState.SIGNED: N_("Signed by customer"),
    ContractState.SEALED: N_("Our seal applied"),
    ContractState.RETURNED: N_("Countersigned copy returned"),
    ContractState.ARCHIVED: N_("Archived"),
    ContractState.CANCELLED: N_("Cancelled"),
}

# who the contract waits on in each state
WAITING_LABELS = {
    ContractState.DRAFT: N_("Us: finish the draft and send it to review"),
    ContractState.IN_REVIEW: N_("Reviewers: tick the checklist"),
    ContractState.APPROVED: N_("Us: print it and post it for signature"),
    ContractState.SENT: N_("Customer: sign and stamp it"),
    ContractState.SIGNED: N_("Us: apply our seal"),
    ContractState.SEALED: N_("Us: post the countersigned copy back"),
    ContractState.RETURNED: N_("Us: file it in the archive"),
}  # an archived or cancelled contract waits on nobody

WAITING_ON_US = (ContractState.DRAFT, ContractState.APPROVED, ContractState.SIGNED,
                 ContractState.SEALED, ContractState.RETURNED)

CONFIDENTIALITY_LABELS = {Confidentiality.NORMAL: N_("Normal"),
                          Confidentiality.CONFIDENTIAL: N_("Confidential")}

# who may tick a review item, beside a manager: the deal team's roles (DealRole values)
REVIEWER_LABELS = {"manager": N_("Manager"), "legal": N_("Legal"), "finance": N_("Finance"),
                   "presales": N_("Presales"), "tech_support": N_("Technical support"),
                   "customer_service": N_("Customer service")}


def state_label(state: ContractState) -> str:
    return _(STATE_LABELS[state])


READY_TO_APPROVE = N_("Us: approve it for signature")


def waiting_label(state: ContractState, review_complete: bool = False) -> str:
    """Whom the contract waits on, and for what (a review ticked through waits on us to
    approve it); "" once it is archived or cancelled."""
    if state is ContractState.IN_REVIEW and review_complete:
        return _(READY_TO_APPROVE)
    return _(WAITING_LABELS[state]) if state in WAITING_LABELS else ""


def confidentiality_label(level: Confidentiality) -> str:
    return _(CONFIDENTIALITY_LABELS[level])


def reviewer_label(who: str) -> str:
    return _(REVIEWER_LABELS[who]) if who in REVIEWER_LABELS else who


@dataclass(frozen=True, slots=True)
class MilestoneDraft:
    """A payment of the schedule as the form gives it: a share (``percent``) or a fixed
    ``amount``; the service works out the amounts, the last share taking the rounding."""

    label: str
    due_on: dt.date | None
    percent: Decimal | None = None
    amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Commitments:
    """What the team promises after signing."""

    support_scope: str = ""
    response_hours: int | None = None  # e.g. 4 or 24
    warranty_months: int | None = None
    service_contact: str = ""


@dataclass(frozen=True, slots=True)
class ContractContent:
    """What the contract form edits while the contract is a draft."""

    title: str
    language: str
    confidentiality: Confidentiality
    terms: str  # clauses with {placeholders}, one per paragraph, its first line the heading
    delivery_terms: str
    warranty_terms: str
    acceptance_terms: str
    milestones: tuple[MilestoneDraft, ...]
    commitments: Commitments = Commitments()


# the steps of the paper's journey, whose days the user gives (a step made in the app,
# such as an approval, is dated the day it is made); no step is before an earlier one
DATED = (ContractState.SENT, ContractState.SIGNED, ContractState.SEALED,
         ContractState.RETURNED, ContractState.ARCHIVED)


@dataclass(frozen=True, slots=True)
class StepDetails:
    """What a step of the signing path records beside its date."""

    on: dt.date | None = None  # None: today
    courier: str = ""
    tracking: str = ""
    note: str = ""
    file_name: str = ""  # a scanned copy attached with the step
    file_data: bytes = b""


@dataclass(frozen=True, slots=True)
class ItemView:
    name: str
    description: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    tax_rate: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PaymentView:
    id: int
    received_on: dt.date
    amount: Decimal
    method: str
    reference: str
    recorded_by: str
    recorded_by_id: int = 0  # who may take it back: its recorder, or a manager


@dataclass(frozen=True, slots=True)
class MilestoneView:
    id: int
    label: str
    due_on: dt.date | None
    percent: Decimal | None
    amount: Decimal
    payments: tuple[PaymentView, ...]

    @property
    def received(self) -> Decimal:
        return sum((p.amount for p in self.payments), Decimal(0))

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.received

    def overdue(self, today: dt.date) -> bool:
        return self.outstanding > 0 and self.due_on is not None and self.due_on < today


@dataclass(frozen=True, slots=True)
class ReviewItemView:
    id: int
    label: str
    who: str
    ticked_by: str  # "" when not ticked
    ticked_at: dt.datetime | None
    note: str
    may_tick: bool  # whether the reader may tick (or untick) it

    @property
    def ticked(self) -> bool:
        return self.ticked_at is not None


@dataclass(frozen=True, slots=True)
class StepView:
    state: ContractState
    on: dt.date
    by: str
    courier: str
    tracking: str
    note: str


@dataclass(frozen=True, slots=True)
class FileView:
    id: int
    filename: str
    size: int
    added_at: dt.datetime
    added_by: str
    step_state: ContractState | None


@dataclass(frozen=True, slots=True)
class VisitView:
    id: int
    activity_id: int
    after_days: int
    due_on: dt.date | None
    done: bool
    questionnaire: str
    satisfaction: int | None
    problems: str
    follow_up_needed: bool
    recorded_by: str
    cancelled: bool = False  # its activity was cancelled (with the contract)


@dataclass(frozen=True, slots=True)
class ContractSummary:
    id: int
    number: str
    title: str
    deal_id: int
    deal_title: str
    company_id: int | None
    customer: str
    owner: str
    owner_id: int
    state: ContractState
    confidentiality: Confidentiality
    currency: str
    amount: Decimal
    received: Decimal
    signed_on: dt.date | None
    updated_at: dt.datetime
    version: int
    review_complete: bool = False  # every item of its review ticked

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.received

    @property
    def waiting(self) -> str:
        """Whom it waits on, and for what ("" for nobody)."""
        return waiting_label(self.state, self.review_complete)

    @property
    def waits_on_us(self) -> bool:
        return self.state in WAITING_ON_US or (self.state is ContractState.IN_REVIEW
                                               and self.review_complete)


@dataclass(frozen=True, slots=True)
class ContractView:
    summary: ContractSummary
    quote_id: int
    quote_number: str
    option_name: str
    language: str
    prices_include_tax: bool
    subtotal: Decimal
    tax: Decimal
    customer_address: str
    customer_contact: str
    content: ContractContent
    items: tuple[ItemView, ...]
    milestones: tuple[MilestoneView, ...]
    reviews: tuple[ReviewItemView, ...]
    steps: tuple[StepView, ...]
    files: tuple[FileView, ...]
    visits: tuple[VisitView, ...]
    delivered_on: dt.date | None
    cancelled_reason: str
    # the terms' placeholders that no value fills: shown where the terms are edited
    unknown_placeholders: tuple[str, ...] = ()
    # whether the viewer may work on it (the deal's owner, its team, a manager): others
    # read it and are offered nothing they would be refused
    may_work: bool = True

    @property
    def id(self) -> int:
        return self.summary.id

    @property
    def state(self) -> ContractState:
        return self.summary.state

    @property
    def version(self) -> int:
        return self.summary.version

    @property
    def review_complete(self) -> bool:
        return self.summary.review_complete


@dataclass(frozen=True, slots=True)
class ContractResult:
    contract: ContractView
    changes: ChangeSet
    deal_won: bool = False  # the signature met the Won criterion and moved the deal
    removed: RemovedPayment | None = None  # a payment taken back, whole, for its undo
    payment_id: int | None = None  # the payment recorded or put back, for its undo
    # said to the user once the contract is made: how its payment schedule was read
    schedule_note: str = ""


@dataclass(frozen=True, slots=True)
class RemovedPayment:
    """A payment as it was before it was taken back: restored as it was (its id, who
    recorded it and when), so that the undo of recording it still finds it."""

    id: int
    milestone_id: int
    received_on: dt.date
    amount: Decimal
    method: str
    reference: str
    recorded_at: dt.datetime
    recorded_by_id: int


@dataclass(frozen=True, slots=True)
class Candidate:
    """An accepted quote with no contract yet."""

    quote_id: int
    quote_number: str
    deal_id: int
    deal_title: str
    customer: str
    option: str
    total: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class Receivable:
    """A milestone not fully paid, of a signed contract."""

    milestone_id: int
    contract_id: int
    contract_number: str
    label: str
    company_id: int | None
    customer: str
    owner_id: int
    owner: str
    currency: str
    due_on: dt.date | None
    amount: Decimal
    received: Decimal
    overdue_days: int  # 0: not overdue

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.received


@dataclass(frozen=True, slots=True)
class Money:
    """Contracted, received and outstanding amounts in one currency."""

    currency: str
    contracted: Decimal = Decimal(0)
    received: Decimal = Decimal(0)
    overdue: Decimal = Decimal(0)

    @property
    def outstanding(self) -> Decimal:
        return self.contracted - self.received


@dataclass(frozen=True, slots=True)
class AfterSales:
    """A deal's or a customer's service commitments and return visits, as their views
    show them."""

    money: tuple[Money, ...] = ()
    commitments: tuple[tuple[str, Commitments], ...] = ()  # (contract number, promises)
    visits: tuple[tuple[str, VisitView], ...] = field(default_factory=tuple)
