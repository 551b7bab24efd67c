"""Moving deals between stages and within a column; undoing a move."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Table, bindparam, func, select, tuple_, update
from sqlalchemy.orm import Session

from funneldesk.db.stale import last_change
from funneldesk.errors import CriteriaNotMet, InvalidInput, NotFound, StageDeleted
from funneldesk.i18n import _
from funneldesk.models import Deal, LostReason, Stage, StageChange, StageKind
from funneldesk.models.base import utcnow
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.money import check_amount
from funneldesk.services.common.permissions import require_deal_owner
from funneldesk.services.common.records import Actor, ChangeSet
from funneldesk.services.customers.pool import touch
from funneldesk.services.pipeline import visits
from funneldesk.services.pipeline.criteria import missing_for_move, move_check, record_ticks
from funneldesk.services.pipeline.lookups import load_pipeline, read_card
from funneldesk.services.pipeline.records import DealState, MoveCheck, MoveResult, PipelineInfo, StageInfo
from funneldesk.services.pipeline.search import raw_connection

GAP = 1024.0
SPREAD = 32  # deals spread out again when a gap is used up


def check_version(session: Session, deal: Deal, expected_version: int) -> None:
    """Refuses a change made on an older version of the deal than the saved one."""
    if deal.version != expected_version:
        raise last_change(session, Deal, deal.id)


def _column(stage_id: Any, deal_id: Any) -> tuple[ColumnElement[bool], ...]:
    return (Deal.stage_id == stage_id, Deal.id != deal_id, Deal.deleted_at.is_(None))


# The statements every move runs, built once: building them is most of what each costs
# besides SQLite itself (a move runs inside the user's drop).
_IN_COLUMN = _column(bindparam("stage_id"), bindparam("deal_id"))
_ANCHOR = select(Deal.position).where(Deal.id == bindparam("before_id"), *_IN_COLUMN)
_LAST = select(func.max(Deal.position)).where(*_IN_COLUMN)
_ABOVE = select(func.max(Deal.position)).where(*_IN_COLUMN, Deal.position < bindparam("anchor"))
_BELOW = (select(Deal.id)
          .where(*_IN_COLUMN, Deal.archived_at.is_(None),
                 tuple_(Deal.position, Deal.id) > tuple_(bindparam("position"), bindparam("deal_id")))
          .order_by(Deal.position, Deal.id).limit(1))

Positions = tuple[tuple[int, float], ...]  # (deal id, new position) of the deals that moved


def position_before(session: Session, deal: Deal, stage_id: int,
                    before_id: int | None) -> tuple[float, Positions]:
    """A position that puts the deal just above ``before_id`` (at the end when None), and
    the column's new positions if its gaps were used up and it had to be renumbered."""
    column = {"stage_id": stage_id, "deal_id": deal.id}
    anchor = None
    if before_id is not None:
        anchor = session.scalar(_ANCHOR, {**column, "before_id": before_id})
    if anchor is None:
        last = session.scalar(_LAST, column)
        return (last or 0.0) + GAP, ()
    prev = session.scalar(_ABOVE, {**column, "anchor": anchor})
    if prev is None:
        return anchor - GAP, ()
    if anchor - prev < 1e-6:  # the gap is used up: make room just above the anchor
        moved = respread(session, _column(stage_id, deal.id), anchor) or renumber(session, stage_id)
        return position_before(session, deal, stage_id, before_id)[0], moved
    return (prev + anchor) / 2, ()


def respread(session: Session, column: tuple[ColumnElement[bool], ...],
             anchor: float) -> Positions:
    """Spreads the SPREAD deals just above ``anchor`` evenly between the deal above them
    and the anchor, and returns their new positions; () if even that leaves no room.

    Gaps run out where cards keep being dropped into one place, so this is where room is
    needed; only those few rows change, in the order they had, and nothing else in the
    column moves (a full renumbering rewrites thousands of rows inside a drop).
    """
    rows = session.execute(select(Deal.id, Deal.position).where(*column, Deal.position < anchor)
                           .order_by(Deal.position.desc(), Deal.id.desc())
                           .limit(SPREAD + 1)).all()
    movers = rows[:SPREAD][::-1]
    floor = rows[SPREAD].position if len(rows) > SPREAD else movers[0].position - GAP
    step = (anchor - floor) / (len(movers) + 1)
    if step < 1.0:
        return ()
    positions = tuple((row.id, floor + step * (n + 1)) for n, row in enumerate(movers))
    write_positions(session, positions)
    return positions


def renumber(session: Session, stage_id: int) -> Positions:
    """Spreads the stage's deals GAP apart again, in their current order, and returns
    the column's new positions."""
    # one statement: a column holds thousands of deals, and this runs inside the user's drop
    deals = Deal.__table__
    assert isinstance(deals, Table)
    ranked = (select(deals.c.id, func.row_number().over(order_by=(deals.c.position, deals.c.id))
                     .label("rank"))
              .where(deals.c.stage_id == stage_id).subquery())
    session.execute(update(deals).where(deals.c.id == ranked.c.id)
                    .values(position=ranked.c.rank * GAP))
    rows = session.execute(select(deals.c.id, deals.c.position)
                           .where(deals.c.stage_id == stage_id))
    return tuple((int(ident), float(position)) for ident, position in rows)


def write_positions(session: Session, positions: Positions) -> None:
    """Writes positions in one executemany on the table: positions are not versioned, so
    no deal's version (nor who changed it last) changes."""
    table = Deal.__table__
    assert isinstance(table, Table)
    session.execute(update(table).where(table.c.id == bindparam("ident"))
                    .values(position=bindparam("new_position")),
                    [{"ident": ident, "new_position": p} for ident, p in positions])


def _reorder(session: Session, deal: Deal, before_id: int | None, by: Actor,
             action: str) -> MoveResult:
    """Moves a deal within its column, just above ``before_id``: a reorder never makes
    anyone's edit stale, and someone's edit never makes a reorder stale (it writes
    nothing else)."""
    before = state_of(session, deal)  # before any renumbering changes the positions
    position, renumbered = position_before(session, deal, deal.stage_id, before_id)
    write_positions(session, ((deal.id, position),))
    audit.record(session, by, action, "deal", deal.id, stage=deal.stage_id)
    changes = ChangeSet.of_deal(deal.id, deal.stage_id)
    return MoveResult(read_card(session, deal.id), before, None, changes, renumbered)


def stage_in(pipeline: PipelineInfo, stage_id: int) -> StageInfo:
    """The stage ``stage_id`` of ``pipeline``; refused if the pipeline has no such stage."""
    target = next((s for s in pipeline.stages if s.id == stage_id), None)
    if target is None:
        raise InvalidInput("stage", _("That stage is not part of this deal's pipeline."))
    return target


def state_of(session: Session, deal: Deal) -> DealState:
    with session.no_autoflush:  # a move's pending changes flush once, with the move
        below = session.scalar(_BELOW, {"stage_id": deal.stage_id, "deal_id": deal.id,
                                        "position": deal.position})
    return DealState(deal.stage_id, deal.stage_entered_at, deal.position, deal.won_value,
                     deal.closed_on, deal.lost_reason_id, deal.lost_reason_text, below)


# the fields besides the stage that a move (or its undo) may change
OUTCOME_FIELDS = ("won_value", "closed_on", "lost_reason_id", "lost_reason_text")


def with_outcome_of(state: DealState, deal: Deal) -> DealState:
    """``state`` with the deal's outcome fields as they are now (no query: only the
    outcome is compared)."""
    return replace(state, **{name: getattr(deal, name) for name in OUTCOME_FIELDS})


def outcome_changes(before: DealState, after: DealState) -> dict[str, list[str | int | None]]:
    """Before and after of each outcome field that differs, as JSON-ready values."""

    def plain(value: object) -> str | int | None:
        return value if value is None or isinstance(value, int) else str(value)

    return {name: [plain(getattr(before, name)), plain(getattr(after, name))]
            for name in OUTCOME_FIELDS if getattr(before, name) != getattr(after, name)}


@dataclass(frozen=True, slots=True)
class Moved:
    before: DealState
    change_id: int
    renumbered: Positions
    ticked: tuple[int, ...]


def move_in(session: Session, deal: Deal, to_stage_id: int, before_id: int | None, by: Actor,
            lost_reason_id: int | None = None, lost_reason_text: str = "",
            won_on: dt.date | None = None, final_value: Decimal | None = None,
            tick_criteria: Sequence[int] = ()) -> Moved:
    """A move to another stage inside the caller's transaction (a move of the board, or
    the move to Won that a signed contract makes): the criteria, the outcome, the change
    row and the audit. The caller has checked the version and the permission."""
    before = state_of(session, deal)
    pipeline = load_pipeline(session, deal.pipeline_id)
    target = stage_in(pipeline, to_stage_id)
    position, renumbered = position_before(session, deal, to_stage_id, before_id)
    ticked = tuple(ident for ident, was in record_ticks(
        session, pipeline, deal, dict.fromkeys(tick_criteria, True), by)
        if not was) if tick_criteria else ()
    missing = missing_for_move(session, pipeline, deal.id, deal.stage_id, to_stage_id)
    if missing:
        raise CriteriaNotMet(target.name, [c.label for c in missing])
    apply_outcome(session, deal, target, lost_reason_id, lost_reason_text, won_on, final_value)
    changed = outcome_changes(before, with_outcome_of(before, deal))
    change = record_change(session, deal, to_stage_id, by, reverts_id=None, details=changed)
    deal.position = position
    deal.updated_by_id, deal.updated_at = by.id, utcnow()
    session.flush()  # once: the deal's version goes up by one per move
    visits.refresh(raw_connection(session), [deal.id])
    touch(session, deal.company_id, deal.contact_id, deal.updated_at)
    audit.record(session, by, "move", "deal", deal.id,
                 stage_id=[before.stage_id, to_stage_id], **changed)
    return Moved(before, change.id, renumbered, ticked)


class MoveService(Service):
    def move_deal(
        self, *, deal_id: int, to_stage_id: int, before_id: int | None, expected_version: int,
        by: Actor, lost_reason_id: int | None = None, lost_reason_text: str = "",
        won_on: dt.date | None = None, final_value: Decimal | None = None,
        tick_criteria: Sequence[int] = (),
    ) -> MoveResult:
        """Moves a deal to a stage (or reorders it within its stage) above ``before_id``.

        A forward move needs the criteria of criteria.required_for_move; ``tick_criteria``
        ticks some first, as ``by``, in the same transaction (kept only if the move is).
        Lost needs a reason, Won a close date and final value.
        """
        with self.db.session() as session:
            deal = get_or_raise(session, Deal, deal_id, "deal")
            require_deal_owner(by, deal.owner_id, _("Only the deal's owner or a manager can move this deal."))
            if to_stage_id == deal.stage_id:
                return _reorder(session, deal, before_id, by, "reorder")
            check_version(session, deal, expected_version)
            moved = move_in(session, deal, to_stage_id, before_id, by, lost_reason_id,
                            lost_reason_text, won_on, final_value, tick_criteria)
            card = read_card(session, deal.id)
        return MoveResult(card, moved.before, moved.change_id,
                          ChangeSet.of_deal(deal_id, moved.before.stage_id, to_stage_id),
                          moved.renumbered, moved.ticked)

    def revert_move(self, *, deal_id: int, before: DealState, change_id: int | None,
                    expected_version: int, by: Actor, untick: Sequence[int] = ()) -> MoveResult:
        """Undo: puts the deal back as ``before`` with a change that names the one reverted
        (``change_id`` None: the move only reordered the column), and unticks ``untick``,
        the criteria the move ticked."""
        with self.db.session() as session:
            deal = get_or_raise(session, Deal, deal_id, "deal")
            require_deal_owner(by, deal.owner_id, _("Only the deal's owner or a manager can move this deal."))
            if change_id is None and deal.stage_id == before.stage_id:
                return _reorder(session, deal, before.before_id, by, "undo-reorder")
            check_version(session, deal, expected_version)
            back_to = session.get(Stage, before.stage_id)
            if back_to is None or back_to.pipeline_id != deal.pipeline_id:
                raise NotFound("stage", before.stage_id)
            if back_to.deleted_at is not None:
                raise StageDeleted(back_to.name)
            now_state = state_of(session, deal)
            # the place first: its reads would flush the deal once more, and an undo,
            # like every change, moves the deal's version up by exactly one
            position, renumbered = position_before(session, deal, before.stage_id,
                                                   before.before_id)
            if untick:
                record_ticks(session, load_pipeline(session, deal.pipeline_id), deal,
                             dict.fromkeys(untick, False), by)
            change = None
            if deal.stage_id != before.stage_id:
                change = record_change(session, deal, before.stage_id, by,
                                             reverts_id=change_id,
                                             details=outcome_changes(now_state, before))
            deal.stage_entered_at, deal.position = before.stage_entered_at, position
            deal.won_value, deal.closed_on = before.won_value, before.closed_on
            deal.lost_reason_id, deal.lost_reason_text = before.lost_reason_id, before.lost_reason_text
            deal.updated_by_id, deal.updated_at = by.id, utcnow()
            session.flush()
            visits.refresh(raw_connection(session), [deal.id])
            touch(session, deal.company_id, deal.contact_id, deal.updated_at)
            new_change = change.id if change else None
            audit.record(session, by, "undo-move", "deal", deal.id, reverts=change_id,
                         stage_id=[now_state.stage_id, before.stage_id],
                         **outcome_changes(now_state, before))
            card = read_card(session, deal.id)
        return MoveResult(card, now_state, new_change,
                          ChangeSet.of_deal(deal_id, now_state.stage_id, before.stage_id),
                          renumbered)

    def can_move(self, *, deal_id: int, to_stage_id: int,
                 expected_version: int | None = None) -> MoveCheck:
        """What a move of the deal to ``to_stage_id`` still needs (nothing when
        ``allowed``), so that the UI asks for ticks before it asks for an outcome.
        With ``expected_version``, a deal changed since is refused as stale. Only reads:
        it runs before each drop, and must not wait while another program writes."""
        with self.db.reading() as session:
            deal = get_or_raise(session, Deal, deal_id, "deal")
            if expected_version is not None:
                check_version(session, deal, expected_version)
            pipeline = load_pipeline(session, deal.pipeline_id)
            target = stage_in(pipeline, to_stage_id)
            if to_stage_id == deal.stage_id:
                return MoveCheck(target.name)
            return move_check(session, pipeline, deal.id, deal.stage_id, to_stage_id)

    def lost_reasons(self) -> list[tuple[int, str]]:
        with self.db.reading() as session:
            rows = session.execute(select(LostReason.id, LostReason.label)
                                   .where(LostReason.active).order_by(LostReason.position))
            return [(r.id, r.label) for r in rows]


def apply_outcome(session: Session, deal: Deal, target: StageInfo, lost_reason_id: int | None,
                  lost_reason_text: str, won_on: dt.date | None,
                  final_value: Decimal | None) -> None:
    """Sets the outcome fields a move to ``target`` gives the deal (Lost needs a reason,
    Won a close date and final value; an open stage clears them)."""
    if target.kind is StageKind.LOST:
        if lost_reason_id is None and not lost_reason_text.strip():
            raise InvalidInput("lost_reason", _("Choose or type a reason why the deal was lost."))
        if lost_reason_id is not None:
            get_or_raise(session, LostReason, lost_reason_id, "lost_reason")
        deal.lost_reason_id, deal.lost_reason_text = lost_reason_id, lost_reason_text.strip()
        deal.closed_on, deal.won_value = won_on or dt.date.today(), None
    elif target.kind is StageKind.WON:
        if won_on is None:
            raise InvalidInput("won_on", _("Enter the date the deal was won."))
        if won_on > dt.date.today():
            raise InvalidInput("won_on", _("The close date cannot be in the future."))
        if final_value is None:
            raise InvalidInput("final_value", _("Enter the final value (zero or more)."))
        final_value = check_amount(final_value, "final_value")
        deal.closed_on, deal.won_value = won_on, final_value  # the estimate stays
        deal.lost_reason_id, deal.lost_reason_text = None, ""
    else:  # reopened or still open: no outcome (the history keeps the old one)
        deal.closed_on, deal.lost_reason_id, deal.lost_reason_text = None, None, ""
        deal.won_value = None


def record_change(session: Session, deal: Deal, to_stage_id: int, by: Actor,
                  reverts_id: int | None, details: dict[str, Any]) -> StageChange:
    """Adds the change row (flushed, with the deal, by the caller)."""
    now = utcnow()
    change = StageChange(deal_id=deal.id, from_stage_id=deal.stage_id, to_stage_id=to_stage_id,
                         at=now, by_id=by.id, reverts_id=reverts_id,
                         details=json.dumps(details, ensure_ascii=False, sort_keys=True))
    session.add(change)
    deal.stage_id, deal.stage_entered_at = to_stage_id, now
    return change
