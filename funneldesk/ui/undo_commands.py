"""Undo and redo replay the inverse service call; a command that can no longer be
applied (someone changed the deal meanwhile) says why and leaves the stack."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from funneldesk.i18n import _
from funneldesk.services.dto import DealFields, MoveResult

if TYPE_CHECKING:
    from funneldesk.ui.board.controller import BoardController
    from funneldesk.ui.deal_editing import DealEditor


class MoveCommand(QUndoCommand):
    def __init__(self, controller: BoardController, deal_id: int, args: dict[str, Any],
                 result: MoveResult) -> None:
        super().__init__(_("Move “{title}”").format(title=result.card.title))
        self.controller, self.deal_id, self.args, self.result = controller, deal_id, args, result
        self._done = True  # the move was saved before the command was pushed

    def redo(self) -> None:
        if self._done:
            return
        result = self.controller.save_move(
            self.deal_id, self.controller.version_of(self.deal_id), self.args)
        if result is None:
            self.setObsolete(True)
            return
        self.result, self._done = result, True

    def undo(self) -> None:
        if self.controller.revert(self.deal_id, self.result) is None:
            self.setObsolete(True)
            return
        self._done = False


class EditDealCommand(QUndoCommand):
    def __init__(self, editor: DealEditor, deal_id: int, before: DealFields,
                 after: DealFields, ticks_before: dict[int, bool] | None = None,
                 ticks_after: dict[int, bool] | None = None) -> None:
        super().__init__(_("Edit “{title}”").format(title=after.title))
        self.editor, self.deal_id, self.before, self.after = editor, deal_id, before, after
        # criteria ticked or unticked with the edit (id -> checked), restored with it
        self.ticks_before, self.ticks_after = ticks_before, ticks_after
        self._done = True

    def redo(self) -> None:
        if not self._done:
            self._done = self.editor.save_fields(self.deal_id, self.after, self.ticks_after)
            self.setObsolete(not self._done)

    def undo(self) -> None:
        if self._done:
            self._done = not self.editor.save_fields(self.deal_id, self.before, self.ticks_before)
            self.setObsolete(self._done)
