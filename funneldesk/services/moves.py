"""Moving deals between stages and within a column; undoing a move."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ColumnElement, Table, bindparam, func, select, update
from sqlalchemy.orm import Session

from funneldesk.errors import CriteriaNotMet, InvalidInput, StaleEdit
from funneldesk.i18n import _
from funneldesk.models import Deal, LostReason, StageChange, StageKind, User
from funneldesk.models.base import utcnow
from funneldesk.services import audit
from funneldesk.services.base import Service
from funneldesk.services.criteria import missing_for_move
from funneldesk.services.dto import Actor, ChangeSet, DealState, MoveResult, StageInfo
from funneldesk.services.lookups import deal_word, get_or_raise, load_pipeline, read_card

GAP = 1024.0
SPREAD = 32  # deals spread out again when a gap is used up


def check_version(session: Session, deal: Deal, expected_version: int) -> None:
    if deal.version != expected_version:
        who = session.get(User, deal.updated_by_id)
        raise StaleEdit(who.display_name if who else "?", deal.updated_at)


def _column(stage_id: int, deal_id: int) -> tuple[ColumnElement[bool], ...]:
    return (Deal.stage_id == stage_id, Deal.id != deal_id, Deal.deleted_at.is_(None))


def position_before(session: Session, deal: Deal, stage_id: int, before_id: int | None) -> float:
    """A position that puts the deal just above ``before_id`` (at the end when None)."""
    column = _column(stage_id, deal.id)
    anchor = None
    if before_id is not None:
        anchor = session.scalar(select(Deal.position).where(Deal.id == before_id, *column))
    if anchor is None:
        last = session.scalar(select(func.max(Deal.position)).where(*column))
        return (last or 0.0) + GAP
    prev = session.scalar(select(func.max(Deal.position)).where(*column, Deal.position < anchor))
    if prev is None:
        return anchor - GAP
    if anchor - prev < 1e-6:  # the gap is used up: make room just above the anchor
        if not respread(session, column, anchor):
            renumber(session, stage_id)
        return position_before(session, deal, stage_id, before_id)
    return (prev + anchor) / 2


def respread(session: Session, column: tuple[ColumnElement[bool], ...], anchor: float) -> bool:
    """Spreads the SPREAD deals just above ``anchor`` evenly between the deal above them
    and the anchor; False if even that leaves no room.

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
        return False
    deals = Deal.__table__
    assert isinstance(deals, Table)
    session.execute(update(deals).where(deals.c.id == bindparam("ident"))
                    .values(position=bindparam("new_position")),
                    [{"ident": row.id, "new_position": floor + step * (n + 1)}
                     for n, row in enumerate(movers)])
    return True


def renumber(session: Session, stage_id: int) -> None:
    """Spreads the stage's deals GAP apart again, in their current order."""
    # one statement: a column holds thousands of deals, and this runs inside the user's drop
    deals = Deal.__table__
    assert isinstance(deals, Table)
    ranked = (select(deals.c.id, func.row_number().over(order_by=(deals.c.position, deals.c.id))
                     .label("rank"))
              .where(deals.c.stage_id == stage_id).subquery())
    session.execute(update(deals).where(deals.c.id == ranked.c.id)
                    .values(position=ranked.c.rank * GAP))


def state_of(deal: Deal) -> DealState:
    return DealState(deal.stage_id, deal.stage_entered_at, deal.position, deal.value,
                     deal.closed_on, deal.lost_reason_id, deal.lost_reason_text)


class MoveService(Service):
    def move_deal(
        self, *, deal_id: int, to_stage_id: int, before_id: int | None, expected_version: int,
        by: Actor, lost_reason_id: int | None = None, lost_reason_text: str = "",
        won_on: dt.date | None = None, final_value: Decimal | None = None,
    ) -> MoveResult:
        """Moves a deal to a stage (or reorders it within its stage) above ``before_id``.

        A forward move needs the criteria of criteria.required_for_move; Lost needs a
        reason, Won a close date and final value.
        """
        with self.db.session() as session:
            deal = get_or_raise(session, Deal, deal_id, deal_word())
            check_version(session, deal, expected_version)
            before = state_of(deal)
            pipeline = load_pipeline(session, deal.pipeline_id)
            stages = {s.id: s for s in pipeline.stages}
            if to_stage_id not in stages:
                raise InvalidInput("stage", _("That stage is not part of this deal's pipeline."))
            target = stages[to_stage_id]
            change = None
            position = position_before(session, deal, to_stage_id, before_id)
            if to_stage_id != deal.stage_id:
                missing = missing_for_move(session, pipeline, deal.id, deal.stage_id, to_stage_id)
                if missing:
                    raise CriteriaNotMet(target.name, [c.label for c in missing])
                self._apply_outcome(session, deal, target, lost_reason_id, lost_reason_text,
                                    won_on, final_value)
                change = self._record_change(session, deal, to_stage_id, by, reverts_id=None)
            deal.position = position
            deal.updated_by_id, deal.updated_at = by.id, utcnow()
            session.flush()  # once: the deal's version goes up by one per move
            change_id = change.id if change else None
            audit.record(session, by, "move" if change_id else "reorder", "deal", deal.id,
                         from_stage=before.stage_id, to_stage=to_stage_id)
            card = read_card(session, deal.id)
        return MoveResult(card, before, change_id,
                          ChangeSet(frozenset({deal_id}), frozenset({before.stage_id, to_stage_id})))

    def revert_move(self, *, deal_id: int, before: DealState, change_id: int | None,
                    expected_version: int, by: Actor) -> MoveResult:
        """Undo: puts the deal back as ``before`` with a change that names the one reverted."""
        with self.db.session() as session:
            deal = get_or_raise(session, Deal, deal_id, deal_word())
            check_version(session, deal, expected_version)
            now_state = state_of(deal)
            change = None
            if deal.stage_id != before.stage_id:
                change = self._record_change(session, deal, before.stage_id, by,
                                             reverts_id=change_id)
            deal.stage_entered_at, deal.position = before.stage_entered_at, before.position
            deal.value, deal.closed_on = before.value, before.closed_on
            deal.lost_reason_id, deal.lost_reason_text = before.lost_reason_id, before.lost_reason_text
            deal.updated_by_id, deal.updated_at = by.id, utcnow()
            session.flush()
            new_change = change.id if change else None
            audit.record(session, by, "undo-move", "deal", deal.id, reverts=change_id)
            card = read_card(session, deal.id)
        return MoveResult(card, now_state, new_change, ChangeSet(
            frozenset({deal_id}), frozenset({now_state.stage_id, before.stage_id})))

    def lost_reasons(self) -> list[tuple[int, str]]:
        with self.db.session() as session:
            rows = session.execute(select(LostReason.id, LostReason.label)
                                   .where(LostReason.active).order_by(LostReason.position))
            return [(r.id, r.label) for r in rows]

    @staticmethod
    def _apply_outcome(session: Session, deal: Deal, target: StageInfo, lost_reason_id: int | None,
                       lost_reason_text: str, won_on: dt.date | None,
                       final_value: Decimal | None) -> None:
        if target.kind is StageKind.LOST:
            if lost_reason_id is None and not lost_reason_text.strip():
                raise InvalidInput("lost_reason", _("Choose or type a reason why the deal was lost."))
            if lost_reason_id is not None:
                get_or_raise(session, LostReason, lost_reason_id, _("Lost reason"))
            deal.lost_reason_id, deal.lost_reason_text = lost_reason_id, lost_reason_text.strip()
            deal.closed_on = won_on or dt.date.today()
        elif target.kind is StageKind.WON:
            if won_on is None:
                raise InvalidInput("won_on", _("Enter the date the deal was won."))
            if won_on > dt.date.today():
                raise InvalidInput("won_on", _("The close date cannot be in the future."))
            if final_value is None or final_value < 0:
                raise InvalidInput("final_value", _("Enter the final value (zero or more)."))
            deal.closed_on, deal.value = won_on, final_value
            deal.lost_reason_id, deal.lost_reason_text = None, ""
        else:  # reopened or still open: no outcome
            deal.closed_on, deal.lost_reason_id, deal.lost_reason_text = None, None, ""

    @staticmethod
    def _record_change(session: Session, deal: Deal, to_stage_id: int, by: Actor,
                       reverts_id: int | None) -> StageChange:
        """Adds the change row (flushed, with the deal, by the caller)."""
        now = utcnow()
        change = StageChange(deal_id=deal.id, from_stage_id=deal.stage_id, to_stage_id=to_stage_id,
                             at=now, by_id=by.id, reverts_id=reverts_id)
        session.add(change)
        deal.stage_id, deal.stage_entered_at = to_stage_id, now
        return change
