"""A contract's Signing tab: every step of its offline path (posted, signed, sealed,
returned ...) with its day, who recorded it, the courier and tracking number; and the
scanned copies kept in the database, to attach and to save as files."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.i18n import _
from funneldesk.services.contracts.records import ContractView, state_label
from funneldesk.ui.common import record_table

FILE_ROLE = Qt.ItemDataRole.UserRole + 1


class SigningTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.steps = QStandardItemModel(0, 6, self)
        self.steps_view = QTableView()
        self.steps_view.setAccessibleName(_("Signing steps"))
        self.steps_view.setModel(self.steps)
        self.files = QStandardItemModel(0, 4, self)
        self.files_view = QTableView()
        self.files_view.setAccessibleName(_("Scanned copies"))
        self.files_view.setModel(self.files)
        for view in (self.steps_view, self.files_view):
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.horizontalHeader().setStretchLastSection(True)
            view.verticalHeader().hide()
        self.attach_button = QPushButton(_("Attach scan…"))
        self.save_file_button = QPushButton(_("Save scan as…"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.attach_button)
        buttons.addWidget(self.save_file_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Steps:")))
        layout.addWidget(self.steps_view, 2)
        layout.addWidget(QLabel(_("Scanned copies (kept in the database and backed up "
                                  "with it):")))
        layout.addWidget(self.files_view, 1)
        layout.addLayout(buttons)

    def set_view(self, view: ContractView, may_attach: bool) -> None:
        self.steps.setRowCount(0)
        self.steps.setHorizontalHeaderLabels([_("Step"), _("Date"), _("By"), _("Courier"),
                                              _("Tracking number"), _("Note")])
        for step in view.steps:
            self.steps.appendRow([QStandardItem(text) for text in (
                state_label(step.state), formatting.date(step.on), step.by, step.courier,
                step.tracking, step.note)])
        self.files.setRowCount(0)
        self.files.setHorizontalHeaderLabels([_("File"), _("File size"), _("Added"),
                                              _("With step")])
        for f in view.files:
            cells = [QStandardItem(text) for text in (
                f.filename, _("{kb} KB").format(kb=formatting.number(max(1, f.size // 1024))),
                f"{formatting.datetime(f.added_at)} · {f.added_by}",
                state_label(f.step_state) if f.step_state else "")]
            cells[0].setData(f.id, FILE_ROLE)
            self.files.appendRow(cells)
        for table in (self.steps_view, self.files_view):
            record_table.fit_columns(table)
        self.attach_button.setEnabled(may_attach)
        self.save_file_button.setEnabled(bool(view.files))

    def chosen_file(self) -> int | None:
        index = self.files_view.currentIndex()
        row = index.row() if index.isValid() else (0 if self.files.rowCount() else -1)
        if row < 0:
            return None
        return int(self.files.item(row, 0).data(FILE_ROLE))
