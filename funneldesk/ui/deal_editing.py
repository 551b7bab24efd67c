"""Opening, creating, editing, archiving and deleting deals from the window."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.dto import Actor, DealFields
from funneldesk.ui.board.controller import BoardController
from funneldesk.ui.dialogs.deal_form import DealForm
from funneldesk.ui.errors import show_error
from funneldesk.ui.undo_commands import EditDealCommand


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
        form = DealForm(self.services, self.actor, None, self.base_currency(), self.window,
                        destination)
        created: list[int] = []

        def save(fields: DealFields, _ticks: dict[int, bool]) -> None:
            result = self.services.deals.create(pipeline_id=pipeline_id, stage_id=stage_id,
                                                fields=fields, by=self.actor)
            created.append(result.card.id)
            self.controller.board.place(result.card)
            self.controller.apply_changes(result.changes)

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
        form = DealForm(self.services, self.actor, detail, self.base_currency(), self.window)

        def save(fields: DealFields, ticks: dict[int, bool]) -> None:
            if fields == detail.fields and not ticks:
                return
            result = self.services.deals.update(deal_id=deal_id, expected_version=detail.version,
                                                fields=fields, ticks=ticks, by=self.actor)
            self.controller.board.place(result.card)
            self.controller.apply_changes(result.changes)
            self.undo_stack.push(EditDealCommand(self, deal_id, detail.fields, fields,
                                                 dict(result.previous_ticks), ticks))

        form.save = save
        if form.archive_button is not None:
            form.archive_button.clicked.connect(
                lambda: self.archive(deal_id, not detail.archived) and form.close())
        if form.delete_button is not None:
            form.delete_button.clicked.connect(lambda: self.delete(deal_id) and form.close())
        self.last_form = form
        form.exec()

    def save_fields(self, deal_id: int, fields: DealFields,
                    ticks: dict[int, bool] | None = None) -> bool:
        """For undo/redo of an edit: writes ``fields`` and ``ticks`` over the deal's
        current version."""
        try:
            result = self.services.deals.update(
                deal_id=deal_id, expected_version=self.controller.version_of(deal_id),
                fields=fields, ticks=ticks, by=self.actor)
        except FunnelDeskError as error:
            show_error(self.window, error)
            return False
        self.controller.board.place(result.card)
        self.controller.apply_changes(result.changes)
        return True

    def archive(self, deal_id: int, archived: bool) -> bool:
        try:
            changes = self.services.deals.archive(deal_id=deal_id, archived=archived, by=self.actor)
        except FunnelDeskError as error:
            show_error(self.window, error)
            return False
        self.controller.refresh_card(deal_id)  # gone when archived, back when restored
        self.controller.apply_changes(changes)
        return True

    def delete(self, deal_id: int) -> bool:
        card = self.controller.board.find_card(deal_id)
        title = card.title if card else str(deal_id)
        answer = QMessageBox.question(
            self.window, _("Delete deal"),
            _("Delete “{title}”? It disappears from the board; its history is kept in the "
              "audit log.").format(title=title))
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            changes = self.services.deals.delete(deal_id=deal_id, by=self.actor)
        except FunnelDeskError as error:
            show_error(self.window, error)
            return False
        self.controller.board.remove(deal_id)
        self.controller.apply_changes(changes)
        return True
