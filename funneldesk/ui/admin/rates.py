"""Exchange rates: a manager adds, edits and removes them; everyone else reads them."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.ui.admin.rates_model import CURRENCY, RATE, RatesModel
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.common.save_state import note_saved


class RatesDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.saved = False
        self.setWindowTitle(_("Exchange rates"))
        self.resize(620, 420)
        table = services.rates.table()
        base = table.base_currency
        self.model = RatesModel(services, table, editable=actor.is_manager, parent=self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(CURRENCY, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(RATE, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.base_label = QLabel(_("Base currency: {code} ({name}). Totals are shown in it.")
                                 .format(code=base, name=formatting.currency_name(base)))
        explain = QLabel(_("A rate says how many {base} one unit of the currency is worth. "
                           "Deals in a currency without a rate are left out of the totals, "
                           "and the totals say so.").format(base=base))
        explain.setWordWrap(True)
        self.error = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.base_label)
        layout.addWidget(explain)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error)
        if actor.is_manager:
            self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                            | QDialogButtonBox.StandardButton.Cancel)
            self.add_button = QPushButton(_("Add rate"))
            self.remove_button = QPushButton(_("Remove"))
            row = QHBoxLayout()
            row.addWidget(self.add_button)
            row.addWidget(self.remove_button)
            row.addStretch(1)
            layout.insertLayout(3, row)
            self.add_button.clicked.connect(self.add_rate)
            self.remove_button.clicked.connect(self.remove_rate)
            self.buttons.accepted.connect(self.accept)
            self.model.dataChanged.connect(lambda *_a: self._show_problem(edited_only=True))
        else:
            self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            layout.insertWidget(2, QLabel(_("Only a manager can change the rates.")))
            self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def add_rate(self) -> None:
        index = self.model.index(self.model.add_row(), CURRENCY)
        self.view.setCurrentIndex(index)
        self.view.edit(index)

    def remove_rate(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.model.remove_row(index.row())
            self._show_problem(edited_only=True)

    def _show_problem(self, edited_only: bool) -> bool:
        """Shows why a value cannot be saved, at its cell; True when there is such a value.
        While typing (``edited_only``) only refusals count, not rows still being filled."""
        problem = self.model.problem()
        if problem is not None and edited_only:
            row, column, _why = problem
            if column not in self.model.rows[row].errors:
                problem = None
        if problem is None:
            self.error.show_message("")
            return False
        row, column, why = problem
        currency = self.model.rows[row].currency
        self.error.show_message(_("{currency}: {reason}").format(currency=currency, reason=why)
                                if currency and column == RATE else why)
        # the cell becomes current but not selected, so that its red stays visible
        self.view.clearSelection()
        self.view.selectionModel().setCurrentIndex(self.model.index(row, column),
                                                   QItemSelectionModel.SelectionFlag.NoUpdate)
        return True

    def accept(self) -> None:
        """Saves every change in one call; keeps the dialog open with the reason if refused."""
        editor = self.view.indexWidget(self.view.currentIndex())
        if editor is not None:  # what is being typed counts, Enter pressed or not
            self.view.commitData(editor)
        if self._show_problem(edited_only=False):
            self.view.setFocus()
            return
        changes = self.model.changes()
        if changes:
            try:
                self.services.rates.update(changes=changes, seen=self.model.table, by=self.actor)
            except FunnelDeskError as error:
                self.error.show_error(error)
                return
            self.saved = True
            note_saved()
        super().accept()
