"""What the Quotes area hands out and takes in: catalogue items, quote content as the
editor sends it, and quotes as read back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from funneldesk.enums import ApprovalState, QuoteState
from funneldesk.i18n import N_, _
from funneldesk.services.common.records import ChangeSet
from funneldesk.services.quotes.pricing import LineAmounts, OptionAmounts

STATE_LABELS = {"draft": N_("Draft"), "sent": N_("Sent"), "accepted": N_("Accepted"),
                "rejected": N_("Rejected"), "expired": N_("Expired")}


def state_label(code: str) -> str:
    """A quote's state (``QuoteSummary.state_code``) in the user's language."""
    return _(STATE_LABELS[code])


@dataclass(frozen=True, slots=True)
class CatalogueItem:
    """A product of the catalogue. Prices are before tax, in ``currency``."""

    id: int
    code: str
    name: str
    name_en: str
    unit: str
    description: str
    currency: str
    list_price: Decimal
    floor_price: Decimal | None
    cost: Decimal | None
    tax_rate: Decimal  # percent
    active: bool
    version: int = 1


@dataclass(frozen=True, slots=True)
class ProductDraft:
    """A product as the catalogue form or an import gives it."""

    name: str
    code: str = ""
    name_en: str = ""
    unit: str = ""
    description: str = ""
    currency: str = ""  # "": the team's base currency
    list_price: Decimal = Decimal(0)
    floor_price: Decimal | None = None
    cost: Decimal | None = None
    tax_rate: Decimal = Decimal(13)
    active: bool = True


@dataclass(frozen=True, slots=True)
class LineDraft:
    """A line as the editor gives it; the product's unit, tax and floor come from the
    catalogue when it is saved."""

    product_id: int
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal = Decimal(0)  # percent
    description: str = ""


@dataclass(frozen=True, slots=True)
class OptionDraft:
    name: str
    lines: tuple[LineDraft, ...] = ()


@dataclass(frozen=True, slots=True)
class QuoteTerms:
    valid_until: dt.date | None = None
    payment_terms: str = ""
    delivery_terms: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class QuoteContent:
    """What a revision holds: its options side by side and its terms."""

    options: tuple[OptionDraft, ...]
    terms: QuoteTerms = field(default_factory=QuoteTerms)


@dataclass(frozen=True, slots=True)
class QuoteHeader:
    """What belongs to the quote as a whole rather than to a revision."""

    title: str = ""
    language: str = "zh_CN"
    prices_include_tax: bool = True
    contact_id: int | None = None


@dataclass(frozen=True, slots=True)
class QuoteLineView:
    id: int
    product_id: int
    code: str
    name: str  # in the quote's language
    description: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    tax_rate: Decimal
    list_price: Decimal
    floor_price: Decimal | None  # before tax
    cost: Decimal | None
    amounts: LineAmounts

    def draft(self) -> LineDraft:
        return LineDraft(self.product_id, self.quantity, self.unit_price, self.discount,
                         self.description)


@dataclass(frozen=True, slots=True)
class QuoteOptionView:
    id: int
    name: str
    lines: tuple[QuoteLineView, ...]
    amounts: OptionAmounts

    def draft(self) -> OptionDraft:
        return OptionDraft(self.name, tuple(line.draft() for line in self.lines))


@dataclass(frozen=True, slots=True)
class Approval:
    state: ApprovalState
    asked_by: str | None = None
    asked_at: dt.datetime | None = None
    request: str = ""
    by: str | None = None
    at: dt.datetime | None = None
    reason: str = ""
    self_approved: bool = False


@dataclass(frozen=True, slots=True)
class RevisionView:
    id: int
    number: int
    terms: QuoteTerms
    options: tuple[QuoteOptionView, ...]
    approval: Approval
    created_at: dt.datetime
    sent_at: dt.datetime | None
    sent_by: str | None
    min_margin: Decimal | None = None  # the rule it is priced under (kept once sent)

    @property
    def sent(self) -> bool:
        return self.sent_at is not None

    @property
    def needs_approval(self) -> bool:
        """Below a floor or the minimum margin somewhere (approved or not)."""
        return any(option.amounts.needs_approval for option in self.options)

    @property
    def cleared(self) -> bool:
        """Whether it may be sent, printed as final or accepted: it needs no approval,
        or a manager gave it."""
        return not self.needs_approval or self.approval.state is ApprovalState.APPROVED

    def content(self) -> QuoteContent:
        return QuoteContent(tuple(option.draft() for option in self.options), self.terms)


@dataclass(frozen=True, slots=True)
class QuoteView:
    id: int
    number: str
    deal_id: int
    deal_title: str
    deal_owner_id: int
    company: str
    contact_id: int | None
    contact: str
    header: QuoteHeader
    currency: str
    state: QuoteState
    expired: bool  # sent, and the sent revision's validity has passed
    revision: RevisionView  # the one asked for (the newest by default)
    revisions: tuple[int, ...]  # every revision's number, oldest first
    latest_sent: int | None  # the newest revision the customer has
    accepted_option_id: int | None
    decided_on: dt.date | None
    rejected_reason: str
    created_by_id: int
    version: int

    @property
    def editable(self) -> bool:
        """Whether a change may be saved (it opens a new revision when the newest is
        sent); accepted and rejected quotes are closed."""
        return self.state in (QuoteState.DRAFT, QuoteState.SENT)

    @property
    def state_code(self) -> str:
        return "expired" if self.expired else self.state.value


@dataclass(frozen=True, slots=True)
class OptionTotal:
    name: str
    total: Decimal


@dataclass(frozen=True, slots=True)
class QuoteSummary:
    """A row of the Quotes page and of ``funneldesk quote list``."""

    id: int
    number: str
    title: str
    deal_id: int
    deal_title: str
    company: str
    owner: str
    state: QuoteState
    expired: bool
    revision: int
    revision_sent: bool
    currency: str
    options: tuple[OptionTotal, ...]
    valid_until: dt.date | None
    approval: ApprovalState
    needs_approval: bool
    accepted_option: str | None
    updated_at: dt.datetime

    @property
    def state_code(self) -> str:
        return "expired" if self.expired else self.state.value


@dataclass(frozen=True, slots=True)
class QuoteResult:
    quote: QuoteView
    changes: ChangeSet
    opened_revision: bool = False  # a change after a send began a new revision
    deal_version: int | None = None  # the deal's version, when the change set its value


@dataclass(frozen=True, slots=True)
class Difference:
    """One thing that changed between two revisions. ``kind``: price, discount, quantity,
    line_added, line_removed, option_added, option_removed, total, or a term's name
    (valid_until, payment_terms, delivery_terms, notes)."""

    kind: str
    option: str  # "" for the terms
    item: str  # the product's name, "" for an option's total or a term
    before: str
    after: str
    # for a total: newer minus older (negative: what the negotiation cost)
    amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Comparison:
    older: int
    newer: int
    currency: str
    differences: tuple[Difference, ...]

    @property
    def concessions(self) -> Decimal:
        """How much the options both revisions have came down in total (positive), or
        went up (negative)."""
        return -sum((d.amount for d in self.differences
                     if d.kind == "total" and d.amount is not None), Decimal(0))
