"""Bulk actions on deals chosen in the deals list: change the owner, archive, move to a
stage; and their undo and redo.

Each call is one transaction. An action checks every deal as the single change would
(permission, the version the list showed, a move's stage criteria): the deals that pass
are changed, the others are returned as refused with the reason, untouched. An action
that changes none of its deals (each refused, or already as the action would leave it) is
refused as a whole (NothingChanged), so that nothing says "done" and no undo is kept.
An archive and its undo mark the deals archived or not in the search index, in the same
transaction.

An undo reverts every deal the action changed, or, if any of them changed since (its
version is no longer the one the action left) or can no longer be reverted, none of them
(BulkStepRefused names the deal and why). A redo likewise applies to all or none. Undoing
a move adds, per deal, a stage change that names the one it reverts, as
MoveService.revert_move does; a redo is a new move.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from funneldesk.errors import (
    BulkStepRefused,
    CriteriaNotMet,
    FunnelDeskError,
    InvalidInput,
    NotAllowed,
    NotFound,
    NothingChanged,
    StageDeleted,
)
from funneldesk.i18n import _
from funneldesk.models import Company, Deal, LostReason, Stage, StageKind, User
from funneldesk.models.base import utcnow
from funneldesk.services.common import audit, search_index
from funneldesk.services.common.base import Service
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.permissions import may_change_deal, require_deal_owner
from funneldesk.services.common.records import Actor, ChangeSet
from funneldesk.services.pipeline import visits
from funneldesk.services.pipeline.criteria import missing_for_move
from funneldesk.services.pipeline.list_records import (
    BulkDone,
    BulkKind,
    BulkRefusal,
    BulkResult,
    BulkSpec,
)
from funneldesk.services.pipeline.lookups import load_pipeline
from funneldesk.services.pipeline.moves import (
    apply_outcome,
    check_version,
    outcome_changes,
    position_before,
    record_change,
    stage_in,
    state_of,
    with_outcome_of,
)
from funneldesk.services.pipeline.records import DealState, PipelineInfo
from funneldesk.services.pipeline.search import KIND as SEARCH_KIND
from funneldesk.services.pipeline.search import raw_connection

# (deal id, the version the caller saw)
Chosen = Sequence[tuple[int, int]]


class _Skip(Exception):
    """The deal already is as the action would leave it: nothing to do, nothing refused."""


def _refusal_reason(kind: BulkKind) -> str:
    return {
        BulkKind.OWNER: _("Only the deal's owner or a manager can change this deal."),
        BulkKind.ARCHIVE: _("Only the deal's owner or a manager can archive this deal."),
        BulkKind.MOVE: _("Only the deal's owner or a manager can move this deal."),
    }[kind]


class BulkService(Service):
    def change_owner(self, *, deals: Chosen, owner_id: int, by: Actor) -> BulkResult:
        """Gives each of ``deals`` to ``owner_id`` (a manager's action: a rep cannot hand
        deals over)."""
        return self._apply(BulkSpec(BulkKind.OWNER, owner_id=owner_id), deals, by, strict=False)

    def archive(self, *, deals: Chosen, by: Actor) -> BulkResult:
        """Takes each of ``deals`` off the board into the archive."""
        return self._apply(BulkSpec(BulkKind.ARCHIVE), deals, by, strict=False)

    def move(self, *, deals: Chosen, to_stage_id: int, by: Actor,
             lost_reason_id: int | None = None, lost_reason_text: str = "") -> BulkResult:
        """Moves each of ``deals`` that may move to ``to_stage_id`` (at the end of its
        column); Lost takes one reason for all of them. Won is not a bulk move: each
        won deal needs its own close date and final value."""
        spec = BulkSpec(BulkKind.MOVE, stage_id=to_stage_id, lost_reason_id=lost_reason_id,
                        lost_reason_text=lost_reason_text.strip())
        return self._apply(spec, deals, by, strict=False)

    def undo(self, *, result: BulkResult, by: Actor) -> BulkResult:
        """Reverts every deal ``result`` changed, or none (BulkStepRefused)."""
        with self.db.session() as session:
            deals = [self._revertible(session, done, result.spec, by) for done in result.done]
            # the lowest card first: each deal goes back above the card it sat on, which
            # is then back in its place already, or was never moved
            order = sorted(range(len(deals)), key=lambda i: -_position(result.done[i]))
            reverted = {i: self._revert(session, deals[i], result.done[i], result.spec, by)
                        for i in order}
            undone = [reverted[i] for i in range(len(deals))]
            session.flush()
            if result.spec.kind is BulkKind.ARCHIVE:
                _mark_archived(session, [(d.deal_id, d.archived_at is not None)
                                         for d in result.done])
            finished = tuple(_with_version(d, deal) for d, deal in zip(undone, deals, strict=True))
            return BulkResult(result.spec, finished, (),
                              _changes(finished, deals), undone=True)

    def redo(self, *, undone: BulkResult, by: Actor) -> BulkResult:
        """Applies the action again to every deal the undo reverted, or to none."""
        chosen = [(d.deal_id, d.version) for d in undone.done]
        return self._apply(undone.spec, chosen, by, strict=True)

    # --- applying an action ----------------------------------------------------------

    def _apply(self, spec: BulkSpec, deals: Chosen, by: Actor, *, strict: bool) -> BulkResult:
        with self.db.session() as session:
            target = self._check_spec(session, spec, by)
            pipelines: dict[int, PipelineInfo] = {}
            # where each deal sits before any of them moves: the card below one moved
            # later may be one moved earlier, and its undo puts it back above that card
            states = _states_before(session, [ident for ident, _v in deals]) \
                if spec.kind is BulkKind.MOVE else {}
            done: list[tuple[BulkDone, Deal]] = []
            refused: list[BulkRefusal] = []
            skipped = 0
            for deal_id, version in deals:
                deal = session.get(Deal, deal_id)
                title = _label(session, deal) if deal is not None else f"#{deal_id}"
                try:
                    if deal is None or deal.deleted_at is not None:
                        raise NotFound("deal", deal_id)
                    done.append((self._step(session, deal, version, spec, target,
                                            (pipelines, states), by), deal))
                except _Skip:
                    skipped += 1
                    continue
                except FunnelDeskError as error:
                    if strict:
                        raise BulkStepRefused(deal_id, title, error, undo=False) from error
                    refused.append(BulkRefusal(deal_id, title, error))
            if not done:
                raise NothingChanged([(r.title, r.error) for r in refused], skipped)
            session.flush()
            if spec.kind is BulkKind.ARCHIVE:
                _mark_archived(session, [(deal.id, True) for _d, deal in done])
            finished = tuple(_with_version(d, deal) for d, deal in done)
            return BulkResult(spec, finished, tuple(refused),
                              _changes(finished, [deal for _d, deal in done]), skipped=skipped)

    @staticmethod
    def _check_spec(session: Session, spec: BulkSpec, by: Actor) -> Stage | None:
        """What is wrong with the action as a whole (then nothing is tried); the target
        stage of a move."""
        if spec.kind is BulkKind.OWNER:
            owner = session.get(User, spec.owner_id) if spec.owner_id is not None else None
            if owner is None or not owner.active:
                raise InvalidInput("owner", _("Choose an owner."))
            if not may_change_deal(by, owner.id):
                raise NotAllowed(_("Only a manager can give a deal to someone else."))
        if spec.kind is not BulkKind.MOVE:
            return None
        target = get_or_raise(session, Stage, spec.stage_id or 0, "stage")
        if target.kind is StageKind.WON:
            raise InvalidInput("stage", _("Deals are marked as won one at a time: each needs "
                                          "its own close date and final value."))
        if target.kind is StageKind.LOST:
            if spec.lost_reason_id is None and not spec.lost_reason_text:
                raise InvalidInput("lost_reason",
                                   _("Choose or type a reason why the deal was lost."))
            if spec.lost_reason_id is not None:
                get_or_raise(session, LostReason, spec.lost_reason_id, "lost_reason")
        return target

    def _step(self, session: Session, deal: Deal, version: int, spec: BulkSpec,
              target: Stage | None, known: _Known, by: Actor) -> BulkDone:
        """Checks and changes one deal (flushed later, with the others); raises the
        reason it may not change, or _Skip when it needs no change."""
        require_deal_owner(by, deal.owner_id, _refusal_reason(spec.kind))
        check_version(session, deal, version)
        before = BulkDone(deal.id, _label(session, deal), version, deal.owner_id,
                          deal.archived_at)
        if ((spec.kind is BulkKind.OWNER and deal.owner_id == spec.owner_id)
                or (spec.kind is BulkKind.ARCHIVE and deal.archived_at is not None)
                or (target is not None and deal.stage_id == target.id)):
            raise _Skip
        if spec.kind is BulkKind.MOVE:
            assert target is not None
            return self._move(session, deal, before, spec, target, known, by)
        deal.updated_at, deal.updated_by_id = utcnow(), by.id
        if spec.kind is BulkKind.OWNER:
            deal.owner_id = spec.owner_id or deal.owner_id
            audit.record(session, by, "bulk-owner", "deal", deal.id,
                         owner_id=[before.owner_id, deal.owner_id])
        else:
            deal.archived_at = utcnow()
            audit.record(session, by, "bulk-archive", "deal", deal.id)
        return before

    @staticmethod
    def _move(session: Session, deal: Deal, before: BulkDone, spec: BulkSpec, target: Stage,
              known: _Known, by: Actor) -> BulkDone:
        pipelines, states = known
        if deal.pipeline_id not in pipelines:
            pipelines[deal.pipeline_id] = load_pipeline(session, deal.pipeline_id)
        pipeline = pipelines[deal.pipeline_id]
        info = stage_in(pipeline, target.id)
        if stage_in(pipeline, deal.stage_id).kind is not StageKind.OPEN:
            raise NotAllowed(_("It is already won or lost. A closed deal is reopened on "
                               "the board, one at a time."))
        missing = missing_for_move(session, pipeline, deal.id, deal.stage_id, target.id)
        if missing:
            raise CriteriaNotMet(info.name, [c.label for c in missing])
        state = states.get(deal.id) or state_of(session, deal)
        position, _renumbered = position_before(session, deal, target.id, None)
        apply_outcome(session, deal, info, spec.lost_reason_id, spec.lost_reason_text,
                      None, None)
        changed = outcome_changes(state, with_outcome_of(state, deal))
        change = record_change(session, deal, target.id, by, reverts_id=None, details=changed)
        deal.position = position
        deal.updated_at, deal.updated_by_id = utcnow(), by.id
        session.flush()  # the change's id; the deal's version goes up once, here
        visits.refresh(raw_connection(session), [deal.id])
        audit.record(session, by, "bulk-move", "deal", deal.id,
                     stage_id=[state.stage_id, target.id], **changed)
        return BulkDone(before.deal_id, before.title, before.version, before.owner_id,
                        before.archived_at, state, change.id)

    # --- undoing ---------------------------------------------------------------------

    @staticmethod
    def _revertible(session: Session, done: BulkDone, spec: BulkSpec, by: Actor) -> Deal:
        """The deal, if it can be reverted; else BulkStepRefused (nothing is reverted)."""
        deal = session.get(Deal, done.deal_id)
        try:
            if deal is None or deal.deleted_at is not None:
                raise NotFound("deal", done.deal_id)
            require_deal_owner(by, deal.owner_id, _refusal_reason(spec.kind))
            check_version(session, deal, done.version)
            if done.state is not None:
                back_to = session.get(Stage, done.state.stage_id)
                if back_to is None or back_to.pipeline_id != deal.pipeline_id:
                    raise NotFound("stage", done.state.stage_id)
                if back_to.deleted_at is not None:
                    raise StageDeleted(back_to.name)
        except FunnelDeskError as error:
            raise BulkStepRefused(done.deal_id, done.title, error, undo=True) from error
        return deal

    @staticmethod
    def _revert(session: Session, deal: Deal, done: BulkDone, spec: BulkSpec,
                by: Actor) -> BulkDone:
        """Puts the deal back as ``done`` says it was; returns how it was before that."""
        now = BulkDone(deal.id, deal.title, done.version, deal.owner_id, deal.archived_at)
        deal.updated_at, deal.updated_by_id = utcnow(), by.id
        if spec.kind is BulkKind.OWNER:
            deal.owner_id = done.owner_id
            audit.record(session, by, "undo-bulk-owner", "deal", deal.id,
                         owner_id=[now.owner_id, done.owner_id])
        elif spec.kind is BulkKind.ARCHIVE:
            deal.archived_at = done.archived_at
            audit.record(session, by, "undo-bulk-archive", "deal", deal.id)
        else:
            assert done.state is not None
            before = done.state
            state = state_of(session, deal)
            details = outcome_changes(state, before)
            change = record_change(session, deal, before.stage_id, by,
                                   reverts_id=done.change_id, details=details)
            with session.no_autoflush:  # the deal is flushed once, below
                position, _renumbered = position_before(session, deal, before.stage_id,
                                                        before.before_id)
            deal.stage_entered_at, deal.position = before.stage_entered_at, position
            deal.won_value, deal.closed_on = before.won_value, before.closed_on
            deal.lost_reason_id = before.lost_reason_id
            deal.lost_reason_text = before.lost_reason_text
            session.flush()
            visits.refresh(raw_connection(session), [deal.id])
            audit.record(session, by, "undo-bulk-move", "deal", deal.id,
                         reverts=done.change_id, stage_id=[state.stage_id, before.stage_id],
                         **details)
            now = BulkDone(now.deal_id, now.title, now.version, now.owner_id,
                           now.archived_at, state, change.id)
        return now


# what a bulk move reads once: the pipelines, and where each deal sat before the action
_Known = tuple[dict[int, PipelineInfo], dict[int, DealState]]


def _states_before(session: Session, deal_ids: Sequence[int]) -> dict[int, DealState]:
    return {deal.id: state_of(session, deal) for ident in deal_ids
            if (deal := session.get(Deal, ident)) is not None and deal.deleted_at is None}


def _position(done: BulkDone) -> float:
    return done.state.position if done.state is not None else 0.0


def _label(session: Session, deal: Deal) -> str:
    """How a report names the deal: its title, with its company, since titles repeat."""
    company = session.get(Company, deal.company_id) if deal.company_id is not None else None
    if company is None:
        return deal.title
    return _("{title} · {company}").format(title=deal.title, company=company.name)


def _mark_archived(session: Session, deals: Sequence[tuple[int, bool]]) -> None:
    """Marks each (deal id, archived) so in the search index, in the session's transaction
    (its changes flushed first)."""
    conn = raw_connection(session)
    for archived in (True, False):
        ids = [ident for ident, flag in deals if flag is archived]
        if ids:
            search_index.set_archived(conn, SEARCH_KIND, ids, archived)


def _with_version(done: BulkDone, deal: Deal) -> BulkDone:
    """``done`` with the version the step left the deal at (after the flush)."""
    return BulkDone(done.deal_id, done.title, deal.version, done.owner_id, done.archived_at,
                    done.state, done.change_id)


def _changes(done: Sequence[BulkDone], deals: Sequence[Deal]) -> ChangeSet:
    """Every deal changed, and every stage each was and is in."""
    stages = {deal.stage_id for deal in deals}
    stages |= {d.state.stage_id for d in done if d.state is not None}
    return ChangeSet(frozenset(d.deal_id for d in done), frozenset(stages))
