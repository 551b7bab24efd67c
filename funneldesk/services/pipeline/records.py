"""Records of the pipeline area: pipelines, stages, cards, deals, moves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from funneldesk.enums import CriterionKind, StageKind
from funneldesk.services.common.records import ChangeSet, CurrencyRates, Total
from funneldesk.services.team.records import UserInfo


@dataclass(frozen=True, slots=True)
class CriterionInfo:
    id: int
    stage_id: int
    kind: CriterionKind
    label: str
    rule: str = ""  # "": ticked by hand; else met by the data (models.pipeline)


@dataclass(frozen=True, slots=True)
class StageInfo:
    id: int
    pipeline_id: int
    name: str
    kind: StageKind
    position: int
    probability: int
    rot_days: int | None
    guidance: str
    criteria: tuple[CriterionInfo, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.kind is StageKind.OPEN


@dataclass(frozen=True, slots=True)
class PipelineInfo:
    id: int
    name: str
    version: int
    stages: tuple[StageInfo, ...]

    def signature_may_meet(self, stage_id: int, kind: CriterionKind) -> bool:
        """Whether a contract signed by the customer may meet a criterion of that kind on
        that stage: it is what wins a deal, so only on the way into Won (an exit criterion
        of the last open stage, or an entry criterion of the Won stage)."""
        stage = next((s for s in self.stages if s.id == stage_id), None)
        open_ = [s for s in self.stages if s.is_open]
        if stage is None:
            return False
        if stage.kind is StageKind.WON:
            return kind is CriterionKind.ENTRY
        return bool(open_) and stage.id == open_[-1].id and kind is CriterionKind.EXIT


# where a deal's next step stands on a day, as its card shows it
StepState = Literal["overdue", "today", "planned", "none"]


@dataclass(frozen=True, slots=True)
class Card:
    """What a board card shows of a deal."""

    id: int
    stage_id: int
    position: float
    title: str
    company: str
    value: Decimal
    currency: str
    owner_id: int
    owner: str
    stage_entered_at: dt.datetime
    next_step: str
    next_step_date: dt.date | None
    expected_close: dt.date | None
    version: int
    closed_on: dt.date | None = None
    lost_reason: str = ""
    won_value: Decimal | None = None  # what was signed; ``value`` stays the estimate

    @property
    def amount(self) -> Decimal:
        """What the deal is worth now: the won value once won, else the estimate."""
        return self.value if self.won_value is None else self.won_value

    def days_in_stage(self, today: dt.date) -> int:
        return (today - self.stage_entered_at.astimezone().date()).days

    def step_state(self, today: dt.date) -> StepState:
        """Where the deal's next step stands on ``today``: overdue, due today, planned
        (later, or with no day) or none planned."""
        if self.next_step_date is not None:
            if self.next_step_date < today:
                return "overdue"
            if self.next_step_date == today:
                return "today"
            return "planned"
        return "planned" if self.next_step else "none"


@dataclass(frozen=True, slots=True)
class ColumnStart:
    """A column of which a board holds only the first cards: what all its cards add up to.

    The first cards are those the owner filter ``owner_id`` shows (0: everyone), in the
    column's sort order; the rest come with the whole board (``BoardService.load``).
    """

    owner_id: int
    cards: int  # every card of the column, whatever the filter
    matching: int  # the cards that the owner filter shows
    total: Total  # of the matching cards
    # the matching card just below the first ones, not shown: what a card dropped below
    # them lands above (None: not read, as when only the sums are read again)
    next_card: Card | None = None


@dataclass(frozen=True, slots=True)
class Board:
    pipeline: PipelineInfo
    cards: tuple[Card, ...]
    base_currency: str
    rates: Mapping[str, Decimal]  # units of base currency per unit of the keyed currency
    owners: tuple[UserInfo, ...]
    # stage id -> the column's counts and totals, for each column of which ``cards`` holds
    # only the first ones (``BoardService.start``); a column not named here is whole
    starts: Mapping[int, ColumnStart] = field(default_factory=dict)

    @property
    def whole(self) -> bool:
        return not self.starts

    @property
    def currency_rates(self) -> CurrencyRates:
        return CurrencyRates(self.base_currency, self.rates)


@dataclass(frozen=True, slots=True)
class DealState:
    """The parts of a deal a move touches; restoring it undoes the move."""

    stage_id: int
    stage_entered_at: dt.datetime
    position: float
    won_value: Decimal | None
    closed_on: dt.date | None
    lost_reason_id: int | None
    lost_reason_text: str
    # the card it sat just above (None: the last of its column); an undo puts it back
    # there, since positions change when a column is renumbered
    before_id: int | None = None


@dataclass(frozen=True, slots=True)
class MoveResult:
    card: Card
    before: DealState
    change_id: int | None  # None when only the order within the column changed
    changes: ChangeSet
    # (deal id, position) of every card in the card's column when the move had to renumber
    # it; empty otherwise
    renumbered: tuple[tuple[int, float], ...] = ()
    ticked: tuple[int, ...] = ()  # criteria the move ticked (its undo unticks them)


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    criterion: CriterionInfo
    stage_name: str
    checked: bool
    checked_by: str
    checked_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: dt.datetime
    from_stage: str
    to_stage: str
    by: str
    is_revert: bool


@dataclass(frozen=True, slots=True)
class DealFields:
    """The fields a rep edits in the deal form."""

    title: str
    company_id: int | None
    contact_id: int | None
    value: Decimal
    currency: str
    expected_close: dt.date | None
    owner_id: int
    next_step: str = ""
    next_step_date: dt.date | None = None
    notes: str = ""
    lead_source_id: int | None = None
    campaign: str = ""
    product_id: int | None = None
    # the rep's call for the forecast (FORECAST_CATEGORIES)
    forecast_category: str = "pipeline"


FORECAST_CATEGORIES = ("pipeline", "best_case", "commit")


@dataclass(frozen=True, slots=True)
class DealDetail:
    id: int
    pipeline_id: int
    stage_id: int
    stage_name: str
    fields: DealFields
    version: int
    closed_on: dt.date | None
    lost_reason: str
    archived: bool
    checklist: tuple[ChecklistItem, ...]
    history: tuple[HistoryEntry, ...]
    created_at: dt.datetime
    guidance: str = ""
    won_value: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ArchivedDeal:
    id: int
    title: str
    company: str
    stage: str
    archived_at: dt.datetime
    version: int  # as listed: restoring it refuses a deal changed since


@dataclass(frozen=True, slots=True)
class DealResult:
    card: Card
    changes: ChangeSet
    previous: DealFields | None = None
    # (criterion id, checked before) of each criterion the call ticked or unticked
    previous_ticks: tuple[tuple[int, bool], ...] = ()


@dataclass(frozen=True, slots=True)
class MissingCriterion:
    criterion: CriterionInfo
    stage_name: str  # the stage the criterion belongs to


@dataclass(frozen=True, slots=True)
class MoveCheck:
    """What a move still needs before it can be saved: the unticked exit criteria of the
    stages left or skipped, and the unticked entry criteria of the target."""

    target_stage: str
    exit: tuple[MissingCriterion, ...] = ()
    entry: tuple[MissingCriterion, ...] = ()

    @property
    def allowed(self) -> bool:
        return not self.exit and not self.entry


@dataclass(frozen=True, slots=True)
class OffBoardResult:
    """A deal taken off the board (into the Trash or the archive) or put back on it."""

    deal_id: int
    version: int  # the version it has now: the undo of this step carries it
    card: Card | None  # the card back on the board; None in the Trash or the archive
    changes: ChangeSet


@dataclass(frozen=True, slots=True)
class TrashedDeal:
    id: int
    title: str
    company: str
    stage: str
    owner_id: int
    deleted_by: str
    deleted_at: dt.datetime
    version: int
