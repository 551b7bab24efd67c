"""Archived deals of a pipeline: hidden from the board, kept, and restorable."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListView, QVBoxLayout, QWidget

from funneldesk import formatting
from funneldesk.i18n import _
from funneldesk.services.dto import ArchivedDeal

DealRole = Qt.ItemDataRole.UserRole + 1


class ArchivedDealsDialog(QDialog):
    def __init__(self, deals: list[ArchivedDeal], restore: Callable[[ArchivedDeal], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.restore = restore
        self.setWindowTitle(_("Archived deals"))
        self.resize(760, 420)
        self.model = QStandardItemModel(self)
        for deal in deals:
            item = QStandardItem(_("{title} — {company} · {stage} · archived {when}").format(
                title=deal.title, company=deal.company or _("(no company)"), stage=deal.stage,
                when=formatting.datetime(deal.archived_at)))
            item.setEditable(False)
            item.setData(deal, DealRole)
            self.model.appendRow(item)
        self.view = QListView()
        self.view.setModel(self.model)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = buttons.addButton(_("Restore to the board"),
                                                QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.clicked.connect(self._restore)
        buttons.rejected.connect(self.reject)
        self.view.setWordWrap(True)  # a long title and company are shown whole
        self.empty = QLabel(_("No deal of this pipeline is archived."))
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        if deals:
            self.view.setCurrentIndex(self.model.index(0, 0))
        self._show_state()

    def _restore(self) -> None:
        index = self.view.currentIndex()
        if index.isValid() and self.restore(index.data(DealRole)):
            self.model.removeRow(index.row())
        self._show_state()

    def _show_state(self) -> None:
        """Nothing left to restore: it says so, and Restore cannot be pressed."""
        left = self.model.rowCount() > 0
        self.empty.setVisible(not left)
        self.restore_button.setEnabled(left and self.view.currentIndex().isValid())
