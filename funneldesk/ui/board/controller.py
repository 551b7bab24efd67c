"""Turns board gestures into user actions: asks what a move needs, then saves it through
the one action helper, which shows it here first and records it for undo."""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from funneldesk.errors import CriteriaNotMet, FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services.dto import Card, MoveResult, StageInfo, StageKind
from funneldesk.ui.board.board_widget import BoardWidget
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.page import Workspace


class BoardController(QObject):
    dealEntered = Signal(int)  # a deal saved into another open stage

    def __init__(self, workspace: Workspace, board: BoardWidget) -> None:
        super().__init__(board)
        self.ws, self.board = workspace, board
        self.services, self.actor = workspace.services, workspace.actor
        board.cardDropped.connect(self.drop)

    @property
    def window(self) -> QWidget:
        return self.ws.window

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
                    return self._entered(card.id, target, self._save(
                        card, version, args, reraise=(CriteriaNotMet,)))
            ticks = self._ticks_for_move(card, version, to_stage)
            outcome = None if ticks is None else self._ask_outcome(card, target)
            if ticks is None or outcome is None:
                return False
            args.update(outcome, **({"tick_criteria": ticks} if ticks else {}))
            return self._entered(card.id, target, self._save(card, version, args))
        return self._save(card, version, args)

    def _entered(self, deal_id: int, target: StageInfo, moved: bool) -> bool:
        """Says that the deal entered an open stage (what it proposes is offered)."""
        if moved and target.is_open:
            self.dealEntered.emit(deal_id)
        return moved

    def _save(self, card: Card, version: int, args: dict[str, Any],
              reraise: tuple[type[FunnelDeskError], ...] = ()) -> bool:
        """Saves the move as one user action: shown on the board first, relayed to every
        page, and undone by reverting it (which also takes back the ticks the move made;
        redo ticks them again). False if it was refused."""
        moves, by, deal_id, runner = self.services.moves, self.actor, card.id, self.ws.runner

        def revert(result: MoveResult) -> MoveResult:
            return moves.revert_move(
                deal_id=deal_id, before=result.before, change_id=result.change_id,
                expected_version=runner.own_version(deal_id, result.card.version), by=by,
                untick=result.ticked)

        def again(result: MoveResult) -> MoveResult:
            return moves.move_deal(deal_id=deal_id, by=by, **args,
                                   expected_version=runner.own_version(deal_id, result.card.version))

        return runner.run(
            _("Move “{title}”").format(title=card.title),
            lambda: moves.move_deal(deal_id=deal_id, expected_version=version, by=by, **args),
            undo=revert, redo=again, versions=_versions_left,
            shown=self.apply, refused=lambda _e: self.refresh_card(deal_id), origin=self,
            reraise=reraise) is not None

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

    def refresh_card(self, deal_id: int, show: bool = True) -> None:
        """Shows the deal as the database has it now (``show``: and selects it)."""
        try:
            card = self.services.board.card(deal_id)
        except FunnelDeskError:
            return
        if card is None:
            self.board.remove(deal_id)
        else:
            self.board.place(card, show)

    def apply(self, result: MoveResult) -> None:
        """Shows a move (or its undo) where the database has it now."""
        if result.renumbered:  # the other cards of the column have new positions too
            self.board.reposition(result.card.stage_id, dict(result.renumbered))
        self.board.place(result.card)

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


def _versions_left(result: MoveResult) -> list[tuple[int, int]]:
    """A reorder neither checks nor changes the version: it has seen no version, and an
    undo after it must still find a change made meanwhile by someone else."""
    return [] if result.change_id is None else [(result.card.id, result.card.version)]
