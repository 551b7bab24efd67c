"""Turns board gestures into service calls: asks what a move needs, saves it, shows the
result where the database has it, and records it for undo."""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from funneldesk.errors import CriteriaNotMet, FunnelDeskError
from funneldesk.services import Services
from funneldesk.services.dto import Actor, Card, ChangeSet, MoveResult, StageInfo, StageKind
from funneldesk.ui.board.board_widget import BoardWidget
from funneldesk.ui.board.undo_commands import MoveCommand
from funneldesk.ui.common.errors import show_error


class BoardController(QObject):
    changed = Signal(object)  # ChangeSet, relayed once per action

    def __init__(self, services: Services, actor: Actor, board: BoardWidget,
                 undo_stack: QUndoStack, window: QWidget) -> None:
        super().__init__(window)
        self.services, self.actor = services, actor
        self.board, self.undo_stack, self.window = board, undo_stack, window
        # deal id -> the version this window's own last change left it at: what undo and
        # redo saw (a reload may show a newer version, made by someone else)
        self._seen: dict[int, int] = {}
        board.cardDropped.connect(self.drop)

    def stage(self, stage_id: int) -> StageInfo | None:
        if self.board.board is None:
            return None
        return next((s for s in self.board.board.pipeline.stages if s.id == stage_id), None)

    def drop(self, deal_id: int, version: int, from_stage: int, to_stage: int,
             before_id: int | None) -> None:
        if from_stage == to_stage and self._same_place(deal_id, to_stage, before_id):
            return
        self.move(deal_id, version, to_stage, before_id)

    def move(self, deal_id: int, version: int, to_stage: int, before_id: int | None) -> bool:
        """Checks what the move needs and offers to tick it, then asks for what the target
        stage needs (Won, Lost), then saves the move; False if nothing moved."""
        target = self.stage(to_stage)
        card = self.board.find_card(deal_id)
        if target is None or card is None:
            return False
        args: dict[str, Any] = {"to_stage_id": to_stage, "before_id": before_id}
        if to_stage != card.stage_id:
            if target.is_open:
                # the common case saves at once (one transaction); only a refusal for
                # missing criteria goes on to ask what is missing
                with contextlib.suppress(CriteriaNotMet):
                    return self._save_for_undo(deal_id, version, args, reraise=(CriteriaNotMet,))
            ticks = self._ticks_for_move(card, version, to_stage)
            outcome = None if ticks is None else self._ask_outcome(card, target)
            if ticks is None or outcome is None:
                return False
            args.update(outcome, **({"tick_criteria": ticks} if ticks else {}))
        return self._save_for_undo(deal_id, version, args)

    def _save_for_undo(self, deal_id: int, version: int, args: dict[str, Any],
                       reraise: tuple[type[FunnelDeskError], ...] = ()) -> bool:
        """Saves the move and records it for undo, which also takes back the ticks the
        move made (redo ticks them again); False if it was refused."""
        result = self.save_move(deal_id, version, args, reraise)
        if result is None:
            return False
        self.undo_stack.push(MoveCommand(self, deal_id, args, result))
        return True

    def _ticks_for_move(self, card: Card, version: int, to_stage: int) -> list[int] | None:
        """The criteria to tick with the move ([] when nothing is missing), or None when
        the user cancelled or the deal cannot move (said why)."""
        try:
            check = self.services.moves.can_move(deal_id=card.id, to_stage_id=to_stage,
                                                 expected_version=version)
        except FunnelDeskError as error:
            show_error(self.window, error)
            self.refresh_card(card.id)
            return None
        if check.allowed:
            return []
        from funneldesk.ui.board.missing_criteria import MissingCriteriaDialog

        dialog = MissingCriteriaDialog(card.title, check, self.window)
        return dialog.criterion_ids() if dialog.exec() else None

    def _ask_outcome(self, card: Card, target: StageInfo) -> dict[str, Any] | None:
        """What closing the deal in ``target`` needs ({} for an open stage); None if the
        user cancelled."""
        from funneldesk.ui.board.outcome import LostDialog, WonDialog

        if target.kind is StageKind.LOST:
            lost = LostDialog(card.title, self.services.moves.lost_reasons(), self.window)
            if not lost.exec():
                return None
            return {"lost_reason_id": lost.reason_id(), "lost_reason_text": lost.reason_text()}
        if target.kind is StageKind.WON:
            won = WonDialog(card.title, card.value, card.currency, self.window)
            if not won.exec():
                return None
            return {"won_on": won.won_on(), "final_value": won.final_value()}
        return {}

    def save_move(self, deal_id: int, version: int, args: dict[str, Any],
                  reraise: tuple[type[FunnelDeskError], ...] = ()) -> MoveResult | None:
        """Saves a move and shows it; a refusal is said (``reraise``: passed on instead)
        and gives None."""
        try:
            result = self.services.moves.move_deal(deal_id=deal_id, expected_version=version,
                                                   by=self.actor, **args)
        except reraise:
            raise
        except FunnelDeskError as error:
            self.refused(deal_id, error)
            return None
        self.apply(result)
        return result

    def refused(self, deal_id: int, error: FunnelDeskError) -> None:
        """Says why a change was refused and shows the deal as saved (someone else may
        have changed it)."""
        show_error(self.window, error)
        self.refresh_card(deal_id)

    def refresh_card(self, deal_id: int) -> None:
        """Shows the deal as the database has it now."""
        try:
            card = self.services.board.card(deal_id)
        except FunnelDeskError:
            return
        if card is None:
            self.board.remove(deal_id)
        else:
            self.board.place(card)

    def revert(self, deal_id: int, result: MoveResult) -> MoveResult | None:
        try:
            reverted = self.services.moves.revert_move(
                deal_id=deal_id, before=result.before, change_id=result.change_id,
                expected_version=self.seen_version(result.card), by=self.actor,
                untick=result.ticked)
        except FunnelDeskError as error:
            self.refused(deal_id, error)
            return None
        self.apply(reverted)
        return reverted

    def apply(self, result: MoveResult) -> None:
        if result.renumbered:  # the other cards of the column have new positions too
            self.board.reposition(result.card.stage_id, dict(result.renumbered))
        if result.change_id is None:
            # a reorder neither checks nor changes the version: it has seen no version
            self.board.place(result.card)
        else:
            self.saved(result.card)
        self.changed.emit(result.changes)

    def saved(self, card: Card) -> None:
        """Shows a card as this window's change has just saved it, and remembers its
        version for undo and redo."""
        self.remember(card.id, card.version)
        self.board.place(card)

    def remember(self, deal_id: int, version: int) -> None:
        """Notes the version this window's own change left (also for a deal off the board)."""
        self._seen[deal_id] = version

    def apply_changes(self, changes: ChangeSet) -> None:
        self.changed.emit(changes)

    def seen_version(self, card: Card) -> int:
        """The version of ``card``'s deal as this window last saved it, never the one the
        database has now: a change by someone else since then makes undo and redo stale."""
        return self._seen.get(card.id, card.version)

    def neighbour_stage(self, stage_id: int, step: int) -> int | None:
        """The open stage before or after ``stage_id`` (for keyboard moves)."""
        if self.board.board is None:
            return None
        opens = [s.id for s in self.board.board.pipeline.stages if s.is_open]
        if stage_id not in opens:
            return None
        i = opens.index(stage_id) + step
        return opens[i] if 0 <= i < len(opens) else None

    def _same_place(self, deal_id: int, stage_id: int, before_id: int | None) -> bool:
        column = self.board.columns.get(stage_id)
        if column is None:
            return True
        model = column.model
        row = model.row_of(deal_id)
        if row < 0:
            return False
        after = model.card_at(row + 1).id if row + 1 < model.card_count() else model.id_below_shown()
        return before_id in (deal_id, after)
