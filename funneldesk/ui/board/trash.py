"""Deal ▸ Trash…: the deleted deals, restorable until the Trash is emptied; managers empty
it and set how long it keeps deals."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _, ngettext
from funneldesk.services import Services
from funneldesk.services.common.permissions import is_manager, may_change_deal
from funneldesk.services.dto import Actor, TrashedDeal
from funneldesk.ui.common.background import run_with_disabled
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.common.save_state import note_saved

AnyIndex = QModelIndex | QPersistentModelIndex


class TrashModel(QAbstractTableModel):
    def __init__(self, deals: list[TrashedDeal], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.deals = deals
        self.headers = [_("Deal"), _("Company"), _("Stage"), _("Deleted by"), _("Deleted")]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.deals)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        deal = self.deals[index.row()]
        return (deal.title, deal.company, deal.stage, deal.deleted_by or _("(unknown)"),
                formatting.datetime(deal.deleted_at))[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def take(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.deals[row]
        self.endRemoveRows()

    def clear(self) -> None:
        self.beginResetModel()
        self.deals = []
        self.endResetModel()


def keep_text(days: int) -> str:
    if not days:
        return _("Deleted deals stay in the Trash until a manager empties it.")
    return ngettext("Deleted deals are removed for good {n} day after they were deleted.",
                    "Deleted deals are removed for good {n} days after they were deleted.",
                    days).format(n=days)


class TrashDialog(QDialog):
    def __init__(self, services: Services, actor: Actor,
                 restore: Callable[[TrashedDeal], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.restore = services, actor, restore
        self.setWindowTitle(_("Trash"))
        self.resize(820, 460)
        self.model = TrashModel(services.trash.deals(), self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.empty_label = QLabel(_("The Trash is empty."))
        self.error = ErrorLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.restore_button = buttons.addButton(_("Restore"), QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.clicked.connect(self._restore)
        self.empty_button = buttons.addButton(_("Empty Trash…"),
                                              QDialogButtonBox.ButtonRole.DestructiveRole)
        self.empty_button.clicked.connect(self._empty)
        self.empty_button.setVisible(is_manager(actor))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Deleted deals wait here. Restoring one puts it back on the "
                                  "board in its stage.")))
        layout.addWidget(self.empty_label)
        layout.addWidget(self.view)
        layout.addLayout(self._keep_row())
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._update())
        if self.model.deals:
            self.view.selectRow(0)
        self._update()

    def _keep_row(self) -> QVBoxLayout:
        rows = QVBoxLayout()
        days = self.services.trash.keep_days()
        self.keep_label = QLabel(keep_text(days))
        self.keep_days = QSpinBox()
        self.keep_days.setRange(0, 3650)
        self.keep_days.setSpecialValueText(_("Never"))
        self.keep_days.setValue(days)
        self.keep_days.setAccessibleName(_("Days in the Trash before removal for good"))
        self.save_keep = QPushButton(_("Save"))
        self.save_keep.setEnabled(False)
        self.keep_days.valueChanged.connect(lambda _v: self.save_keep.setEnabled(True))
        self.save_keep.clicked.connect(self._save_keep_days)
        rows.addWidget(self.keep_label)
        if is_manager(self.actor):  # a team setting: only managers change it
            row = QHBoxLayout()
            row.addWidget(QLabel(_("Days in the Trash before removal for good:")))
            row.addWidget(self.keep_days)
            row.addWidget(self.save_keep)
            row.addStretch(1)
            rows.addLayout(row)
        return rows

    def current(self) -> TrashedDeal | None:
        index = self.view.currentIndex()
        return self.model.deals[index.row()] if index.isValid() else None

    def _update(self) -> None:
        deal = self.current()
        self.restore_button.setEnabled(
            deal is not None and may_change_deal(self.actor, deal.owner_id))
        self.restore_button.setToolTip("" if deal is None or self.restore_button.isEnabled()
                                       else _("Only its owner or a manager can restore this deal."))
        self.empty_button.setEnabled(bool(self.model.deals))
        self.empty_label.setVisible(not self.model.deals)

    def _restore(self) -> None:
        deal = self.current()
        if deal is not None and self.restore(deal):
            self.model.take(self.view.currentIndex().row())
            self._update()

    def _empty(self) -> None:
        ids = [d.id for d in self.model.deals]
        answer = QMessageBox.question(self, _("Empty Trash"), ngettext(
            "Remove the {n} deal in the Trash for good? This cannot be undone. "
            "The audit log keeps who deleted it and when.",
            "Remove the {n} deals in the Trash for good? This cannot be undone. "
            "The audit log keeps who deleted them and when.", len(ids)).format(n=len(ids)))
        if answer != QMessageBox.StandardButton.Yes:
            return

        def emptied(_count: int) -> None:
            note_saved()
            self.error.show_message("")
            self.model.clear()
            self._update()

        # off the GUI thread: a long Trash takes a while to remove with its history
        run_with_disabled(self, lambda: self.services.trash.empty(deal_ids=ids, by=self.actor),
                          emptied, lambda error: self.error.show_error(error))

    def _save_keep_days(self) -> None:
        try:
            self.services.trash.set_keep_days(days=self.keep_days.value(), by=self.actor)
        except FunnelDeskError as error:
            self.error.show_error(error)
            return
        self.error.show_message("")
        note_saved()
        self.keep_label.setText(keep_text(self.keep_days.value()))
        self.save_keep.setEnabled(False)
