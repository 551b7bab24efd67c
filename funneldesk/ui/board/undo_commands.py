"""Undo and redo replay the inverse service call; a command that can no longer be
applied (someone changed the deal meanwhile) says why and leaves the stack."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from funneldesk.i18n import _
from funneldesk.services.dto import Card, DealFields, MoveResult

if TYPE_CHECKING:
    from funneldesk.ui.board.controller import BoardController
    from funneldesk.ui.board.deal_editing import DealEditor


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
            self.deal_id, self.controller.seen_version(self.result.card), self.args)
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
    def __init__(self, editor: DealEditor, saved: Card, before: DealFields,
                 after: DealFields, ticks_before: dict[int, bool] | None = None,
                 ticks_after: dict[int, bool] | None = None) -> None:
        super().__init__(_("Edit “{title}”").format(title=after.title))
        self.editor, self.card, self.before, self.after = editor, saved, before, after
        # criteria ticked or unticked with the edit (id -> checked), restored with it
        self.ticks_before, self.ticks_after = ticks_before, ticks_after
        self._done = True

    def redo(self) -> None:
        if not self._done:
            self._done = self._save(self.after, self.ticks_after)
            self.setObsolete(not self._done)

    def undo(self) -> None:
        if self._done:
            self._done = not self._save(self.before, self.ticks_before)
            self.setObsolete(self._done)

    def _save(self, fields: DealFields, ticks: dict[int, bool] | None) -> bool:
        card = self.editor.save_fields(self.card, fields, ticks)
        if card is not None:
            self.card = card
        return card is not None


class _TrashCommand(QUndoCommand):
    """A deal going into the Trash or coming out of it, done before the command is pushed;
    undo and redo take the other step, each carrying the version the previous step left."""

    def __init__(self, editor: DealEditor, deal_id: int, text: str, version: int,
                 *, trashed_when_done: bool) -> None:
        super().__init__(text)
        self.editor, self.deal_id, self.version = editor, deal_id, version
        self._trashed_when_done = trashed_when_done
        self._done = True

    def _step(self, to_trash: bool) -> bool:
        step = self.editor.put_in_trash if to_trash else self.editor.restore
        result = step(self.deal_id, self.version)
        if result is None:
            self.setObsolete(True)
            return False
        self.version = result.version
        return True

    def redo(self) -> None:
        if not self._done and self._step(self._trashed_when_done):
            self._done = True

    def undo(self) -> None:
        if self._done and self._step(not self._trashed_when_done):
            self._done = False


class DeleteDealCommand(_TrashCommand):
    """Undo takes the deal out of the Trash again; redo puts it back in."""

    def __init__(self, editor: DealEditor, deal_id: int, title: str, version: int) -> None:
        super().__init__(editor, deal_id, _("Delete “{title}”").format(title=title), version,
                         trashed_when_done=True)


class CreateDealCommand(_TrashCommand):
    """Undoing a new deal puts it in the Trash (nothing typed is lost); redo restores it."""

    def __init__(self, editor: DealEditor, deal_id: int, title: str, version: int) -> None:
        super().__init__(editor, deal_id, _("New deal “{title}”").format(title=title), version,
                         trashed_when_done=False)
