"""Opening, creating, editing, archiving and deleting deals from the window."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from funneldesk.errors import FunnelDeskError
from funneldesk.services import Services
from funneldesk.services.dto import Actor, Card, DealFields, OffBoardResult
from funneldesk.ui.board.controller import BoardController
from funneldesk.ui.board.undo_commands import CreateDealCommand, DeleteDealCommand, EditDealCommand
from funneldesk.ui.common.errors import show_error

if TYPE_CHECKING:
    from funneldesk.ui.board.deal_form import DealForm


class DealEditor:
    def __init__(self, services: Services, actor: Actor, controller: BoardController,
                 undo_stack: QUndoStack, window: QWidget) -> None:
        self.services, self.actor, self.controller = services, actor, controller
        self.undo_stack, self.window = undo_stack, window
        self.last_form: DealForm | None = None  # the open form, for tests and screenshots

    def base_currency(self) -> str:
        board = self.controller.board.board
        return board.base_currency if board else "CNY"

    def new_deal(self, pipeline_id: int, stage_id: int) -> int | None:
        board = self.controller.board.board
        destination = None
        if board is not None:
            stage = next((s for s in board.pipeline.stages if s.id == stage_id), None)
            destination = (stage.name, board.pipeline.name) if stage else None
        from funneldesk.ui.board.deal_form import DealForm

        form = DealForm(self.services, self.actor, None, self.base_currency(), self.window,
                        destination)
        created: list[int] = []

        def save(fields: DealFields, _ticks: dict[int, bool]) -> None:
            result = self.services.deals.create(pipeline_id=pipeline_id, stage_id=stage_id,
                                                fields=fields, by=self.actor)
            created.append(result.card.id)
            self.controller.saved(result.card)
            self.controller.apply_changes(result.changes)
            self.undo_stack.push(CreateDealCommand(self, result.card.id, result.card.title,
                                                   result.card.version))

        form.save = save
        self.last_form = form
        form.exec()
        return created[0] if created else None

    def open(self, deal_id: int) -> None:
        try:
            detail = self.services.deals.detail(deal_id)
        except FunnelDeskError as error:
            show_error(self.window, error)
            return
        from funneldesk.ui.board.deal_form import DealForm

        form = DealForm(self.services, self.actor, detail, self.base_currency(), self.window)

        def save(fields: DealFields, ticks: dict[int, bool]) -> None:
            if fields == detail.fields and not ticks:
                return
            result = self.services.deals.update(deal_id=deal_id, expected_version=detail.version,
                                                fields=fields, ticks=ticks, by=self.actor)
            self.controller.saved(result.card)
            self.controller.apply_changes(result.changes)
            self.undo_stack.push(EditDealCommand(self, result.card, detail.fields, fields,
                                                 dict(result.previous_ticks), ticks))

        form.save = save
        if form.archive_button is not None:
            form.archive_button.clicked.connect(
                lambda: self.archive(deal_id, not detail.archived, detail.version)
                and form.close())
        if form.delete_button is not None:
            form.delete_button.clicked.connect(lambda: self.delete(deal_id) and form.close())
        self.last_form = form
        form.exec()
        # as saved now: after a refusal (someone else changed or deleted the deal) the card
        # must not go on showing what this window last read
        self.controller.refresh_card(deal_id)

    def save_fields(self, saved: Card, fields: DealFields,
                    ticks: dict[int, bool] | None = None) -> Card | None:
        """For undo/redo of an edit: writes ``fields`` and ``ticks`` over the version this
        window saved last (refused if someone changed the deal since); the card as saved,
        or None."""
        try:
            result = self.services.deals.update(
                deal_id=saved.id, expected_version=self.controller.seen_version(saved),
                fields=fields, ticks=ticks, by=self.actor)
        except FunnelDeskError as error:
            self.controller.refused(saved.id, error)
            return None
        self.controller.saved(result.card)
        self.controller.apply_changes(result.changes)
        return result.card

    def archive(self, deal_id: int, archived: bool, version: int) -> bool:
        """Archives the deal, or puts it back on the board (``version``: as shown)."""
        return self._off_board_step(lambda: self.services.deals.archive(
            deal_id=deal_id, archived=archived, expected_version=version,
            by=self.actor)) is not None

    def delete(self, deal_id: int) -> bool:
        """Moves the deal to the Trash at once: Ctrl+Z, or Deal ▸ Trash…, brings it back."""
        card = self.controller.board.find_card(deal_id) or self.services.board.card(deal_id)
        if card is not None:
            title, version = card.title, self.controller.seen_version(card)
        else:  # archived: not on the board
            detail = self.services.deals.detail(deal_id)
            title, version = detail.fields.title, detail.version
        result = self.put_in_trash(deal_id, version)
        if result is None:
            return False
        self.undo_stack.push(DeleteDealCommand(self, deal_id, title, result.version))
        return True

    def put_in_trash(self, deal_id: int, version: int) -> OffBoardResult | None:
        return self._off_board_step(lambda: self.services.trash.delete(
            deal_id=deal_id, expected_version=version, by=self.actor))

    def restore(self, deal_id: int, version: int) -> OffBoardResult | None:
        """Takes the deal out of the Trash (``version``: as the Trash last had it)."""
        return self._off_board_step(lambda: self.services.trash.restore(
            deal_id=deal_id, expected_version=version, by=self.actor))

    def _off_board_step(self, call: Callable[[], OffBoardResult]) -> OffBoardResult | None:
        """Shows the deal as the step left it: off the board, or back on it."""
        try:
            result = call()
        except FunnelDeskError as error:
            show_error(self.window, error)
            return None
        if result.card is None:
            self.controller.board.remove(result.deal_id)
            self.controller.remember(result.deal_id, result.version)
        else:
            self.controller.saved(result.card)
        self.controller.apply_changes(result.changes)
        return result
