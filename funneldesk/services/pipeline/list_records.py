"""Records of the deals list: the query a list shows, its rows, and bulk actions' results."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from funneldesk.enums import StageKind
from funneldesk.errors import FunnelDeskError
from funneldesk.services.common.records import ChangeSet
from funneldesk.services.pipeline.records import DealState


class Outcome(StrEnum):
    """Where a deal stands, as the list filters it: archived deals are neither open nor
    closed there (they are shown only when ``ARCHIVED`` is asked for)."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"
    ARCHIVED = "archived"


STAGE_OUTCOME = {StageKind.OPEN: Outcome.OPEN, StageKind.WON: Outcome.WON,
                 StageKind.LOST: Outcome.LOST}


class ListColumn(StrEnum):
    """The columns of the deals list, in their default order; each can sort the list."""

    TITLE = "title"
    COMPANY = "company"
    STAGE = "stage"
    VALUE = "value"
    OWNER = "owner"
    EXPECTED_CLOSE = "expected_close"
    NEXT_STEP = "next_step"
    DAYS_IN_STAGE = "days_in_stage"
    CREATED = "created"
    CLOSED = "closed"
    OUTCOME = "outcome"


@dataclass(frozen=True, slots=True)
class DateRange:
    """Inclusive calendar days; None leaves that end open."""

    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def is_open(self) -> bool:
        return self.start is None and self.end is None


DEFAULT_OUTCOMES = frozenset({Outcome.OPEN, Outcome.WON, Outcome.LOST})


@dataclass(frozen=True, slots=True)
class DealQuery:
    """Which deals a list shows, and in which order. Empty id sets mean "any"; deals in
    the Trash are never shown, archived ones only with ``Outcome.ARCHIVED``."""

    pipeline_id: int | None = None
    stage_ids: frozenset[int] = frozenset()
    owner_ids: frozenset[int] = frozenset()
    # the deals this user owns or is on the team of (the Activities area's deal teams)
    team_of: int | None = None
    outcomes: frozenset[Outcome] = DEFAULT_OUTCOMES
    created: DateRange = DateRange()
    expected_close: DateRange = DateRange()
    closed: DateRange = DateRange()
    sort: ListColumn = ListColumn.CREATED
    descending: bool = True


@dataclass(frozen=True, slots=True)
class DealRow:
    """A row of the deals list."""

    id: int
    version: int
    title: str
    company: str
    pipeline_id: int
    stage_id: int
    stage: str
    outcome: Outcome
    value: Decimal  # the estimate
    won_value: Decimal | None
    currency: str
    owner_id: int
    owner: str
    expected_close: dt.date | None
    next_step: str
    next_step_date: dt.date | None
    stage_entered_at: dt.datetime
    created_at: dt.datetime
    closed_on: dt.date | None

    @property
    def amount(self) -> Decimal:
        """What the deal is worth now: the won value once won, else the estimate."""
        return self.value if self.won_value is None else self.won_value

    def days_in_stage(self, today: dt.date) -> int:
        return (today - self.stage_entered_at.astimezone().date()).days


class BulkKind(StrEnum):
    OWNER = "owner"
    ARCHIVE = "archive"
    MOVE = "move"


@dataclass(frozen=True, slots=True)
class BulkSpec:
    """What a bulk action does to each deal (the same for all of them)."""

    kind: BulkKind
    owner_id: int | None = None  # OWNER: the new owner
    stage_id: int | None = None  # MOVE: the target stage
    lost_reason_id: int | None = None  # MOVE to Lost: the one reason for every deal
    lost_reason_text: str = ""


@dataclass(frozen=True, slots=True)
class BulkDone:
    """A deal a bulk step changed: what it was before (its undo restores that) and the
    version the step left (an undo refuses a deal changed since)."""

    deal_id: int
    title: str
    version: int
    owner_id: int  # before the step
    archived_at: dt.datetime | None  # before the step
    state: DealState | None = None  # MOVE: the deal's stage and outcome before the step
    change_id: int | None = None  # MOVE: the stage change the step added


@dataclass(frozen=True, slots=True)
class BulkRefusal:
    """A deal a bulk action left as it was, and why (``error.message()``)."""

    deal_id: int
    title: str
    error: FunnelDeskError


@dataclass(frozen=True, slots=True)
class BulkResult:
    """One bulk step (the action, its undo or its redo): the deals it changed and those it
    refused. ``undone`` tells an undo's result from the action's."""

    spec: BulkSpec
    done: tuple[BulkDone, ...]
    refused: tuple[BulkRefusal, ...] = ()
    changes: ChangeSet = field(default_factory=ChangeSet)
    undone: bool = False
    skipped: int = 0  # deals that already were as the action would leave them

    @property
    def versions(self) -> tuple[tuple[int, int], ...]:
        """(deal id, the version this step left it at) for every deal it changed: what
        the window's ActionRunner remembers as its own changes."""
        return tuple((d.deal_id, d.version) for d in self.done)


def query_to_dict(query: DealQuery) -> dict[str, Any]:
    """The query as JSON-ready values (saved views keep it in the settings)."""

    def days(r: DateRange) -> list[str | None]:
        return [None if r.start is None else r.start.isoformat(),
                None if r.end is None else r.end.isoformat()]

    return {"pipeline_id": query.pipeline_id, "stage_ids": sorted(query.stage_ids),
            "owner_ids": sorted(query.owner_ids), "team_of": query.team_of,
            "outcomes": sorted(query.outcomes),
            "created": days(query.created), "expected_close": days(query.expected_close),
            "closed": days(query.closed), "sort": str(query.sort),
            "descending": query.descending}


def query_from_dict(data: dict[str, Any]) -> DealQuery:
    """The query ``query_to_dict`` gave; anything unreadable falls back to the default."""

    def day(value: Any) -> dt.date | None:
        try:
            return dt.date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

    def days(value: Any) -> DateRange:
        pair = value if isinstance(value, list) and len(value) == 2 else [None, None]
        return DateRange(day(pair[0]), day(pair[1]))

    def ids(value: Any) -> frozenset[int]:
        return frozenset(v for v in value if isinstance(v, int)) if isinstance(value, list) else frozenset()

    outcome_values = {str(o) for o in Outcome}
    column_values = {str(c) for c in ListColumn}
    default = DealQuery()
    outcomes = data.get("outcomes")
    pipeline = data.get("pipeline_id")
    sort = data.get("sort")
    return DealQuery(
        pipeline_id=pipeline if isinstance(pipeline, int) else None,
        stage_ids=ids(data.get("stage_ids")), owner_ids=ids(data.get("owner_ids")),
        team_of=team_of if isinstance(team_of := data.get("team_of"), int) else None,
        outcomes=(frozenset(Outcome(o) for o in outcomes
                            if isinstance(o, str) and o in outcome_values)
                  if isinstance(outcomes, list) else default.outcomes),
        created=days(data.get("created")), expected_close=days(data.get("expected_close")),
        closed=days(data.get("closed")),
        sort=(ListColumn(sort) if isinstance(sort, str) and sort in column_values
              else default.sort),
        descending=bool(data.get("descending", default.descending)))
