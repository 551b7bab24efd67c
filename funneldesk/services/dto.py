"""Plain frozen records that services hand out (never live ORM objects).

The enums are re-exported here so that the UI needs nothing from funneldesk.models.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from funneldesk.enums import CriterionKind, Role, StageKind


@dataclass(frozen=True, slots=True)
class Actor:
    id: int
    login: str
    display_name: str
    role: Role

    @property
    def is_manager(self) -> bool:
        return self.role is Role.MANAGER


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: int
    display_name: str


@dataclass(frozen=True, slots=True)
class CriterionInfo:
    id: int
    stage_id: int
    kind: CriterionKind
    label: str


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

    def days_in_stage(self, today: dt.date) -> int:
        return (today - self.stage_entered_at.astimezone().date()).days


@dataclass(frozen=True, slots=True)
class Board:
    pipeline: PipelineInfo
    cards: tuple[Card, ...]
    base_currency: str
    rates: dict[str, Decimal]  # units of base currency per unit of the keyed currency
    owners: tuple[UserInfo, ...]


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """What a call changed, so that each view refreshes only its part."""

    deal_ids: frozenset[int] = frozenset()
    stage_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class DealState:
    """The parts of a deal a move touches; restoring it undoes the move."""

    stage_id: int
    stage_entered_at: dt.datetime
    position: float
    value: Decimal
    closed_on: dt.date | None
    lost_reason_id: int | None
    lost_reason_text: str


@dataclass(frozen=True, slots=True)
class MoveResult:
    card: Card
    before: DealState
    change_id: int | None  # None when only the order within the column changed
    changes: ChangeSet


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


@dataclass(frozen=True, slots=True)
class ArchivedDeal:
    id: int
    title: str
    company: str
    stage: str
    archived_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Named:
    id: int
    name: str
    company_id: int | None = None


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


__all__ = [
    "Actor", "ArchivedDeal", "Board", "Card", "ChangeSet", "ChecklistItem", "CriterionInfo", "CriterionKind",
    "DealDetail", "DealFields", "DealResult", "DealState", "HistoryEntry", "MissingCriterion",
    "MoveCheck", "MoveResult", "Named",
    "PipelineInfo", "Role", "StageInfo", "StageKind", "UserInfo",
]
