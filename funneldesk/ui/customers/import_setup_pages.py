"""The import wizard's first pages: the file and what it holds, then which field each of
its columns fills, how records are matched and what happens to bad rows."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWizardPage,
)

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import N_, _, ngettext, pgettext
from funneldesk.services.common.tabular.files import Table
from funneldesk.ui.common import file_dialogs
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.customers.import_models import FIELD, FieldDelegate, MappingModel

if TYPE_CHECKING:
    from funneldesk.ui.customers.import_wizard import ImportWizard


def kind_label(kind: str) -> str:
    labels = {"companies": _("Companies"), "contacts": _("Contacts"),
              "products": _("Products"), "deals": pgettext("records to import", "Deals")}
    return labels.get(kind, kind)


def encoding_label(encoding: str) -> str:
    labels = {"utf-8": "UTF-8", "utf-8-sig": _("UTF-8 (with BOM)"),
              "gb18030": _("GBK / GB18030 (Chinese Windows)"), "xlsx": _("Excel workbook")}
    return labels.get(encoding, encoding)


class FilePage(QWizardPage):
    def __init__(self, owner: ImportWizard, kind: str | None) -> None:
        super().__init__()
        self.owner = owner
        self.table: Table | None = None
        # each column's date order and first date needing it, read with the file
        self.dates: list[tuple[str | None, str | None]] = []
        self._reading: Path | None = None
        self.setTitle(_("Choose the file to import"))
        self.setSubTitle(_("A CSV file (UTF-8, or GBK as Excel saves it on Chinese Windows) "
                           "or an Excel workbook (.xlsx). Its first row names the columns."))
        self.kind = QComboBox()
        for code in owner.services.imports.kinds():
            self.kind.addItem(kind_label(code), code)
        if kind is not None and self.kind.findData(kind) >= 0:
            self.kind.setCurrentIndex(self.kind.findData(kind))
        self.path = QLineEdit()
        self.path.setPlaceholderText(_("No file chosen"))
        self.path.editingFinished.connect(self._typed)
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self.choose)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.encoding = QLabel("—")
        self.rows = QLabel("—")
        self.error = ErrorLabel()
        self.note = QLabel()  # the kind switched to, when the file's columns say so
        self.note.setWordWrap(True)
        self.note.hide()
        self._chosen_by_hand = False  # then the kind stays, whatever the file's columns
        self.kind.activated.connect(self._chose_kind)
        form = QFormLayout(self)
        form.addRow(_("Import:"), self.kind)
        form.addRow(_("File:"), row)
        form.addRow(_("Encoding:"), self.encoding)
        form.addRow(_("Rows:"), self.rows)
        form.addRow(self.error)
        form.addRow(self.note)

    def kind_code(self) -> str:
        return str(self.kind.currentData())

    def choose(self) -> None:
        name, _chosen = file_dialogs.open_file_name(
            self, _("Choose the file to import"), self.path.text(),
            _("Tables (*.csv *.xlsx);;All files (*)"))
        if name:
            self.load(Path(name))

    def _typed(self) -> None:
        text = self.path.text().strip()
        if text and Path(text) != self._reading:
            self.load(Path(text))

    def load(self, path: Path) -> None:
        """Reads the file off the GUI thread; the page is complete once it is read."""
        self.path.setText(str(path))
        self.table, self._reading = None, path
        self.encoding.setText(_("Reading…"))
        self.rows.setText("—")
        self.error.show_message("")
        self.completeChanged.emit()
        imports = self.owner.services.imports

        def read() -> tuple[Table, list[tuple[str | None, str | None]], dict[str, int]]:
            table = imports.read(path)
            # how many fields of each kind the columns name by themselves
            named = {kind: len(imports.suggest(kind, table.headers))
                     for kind in imports.kinds()}
            return table, imports.date_columns(table), named

        run_in_background(read, lambda read: self._read(path, *read),
                          lambda e: self._failed(path, e))

    def _read(self, path: Path, table: Table,
              dates: list[tuple[str | None, str | None]], named: dict[str, int]) -> None:
        if path != self._reading:
            return  # another file was chosen meanwhile
        self.dates = dates
        self._suit_kind(named)
        self.encoding.setText(encoding_label(table.encoding))
        self.rows.setText(formatting.number(len(table.records)))
        if not table.records:
            self.error.show_message(_("The file has no rows under its header row."))
            return
        self.table = table
        self.completeChanged.emit()

    def _chose_kind(self, _index: int) -> None:
        self._chosen_by_hand = True
        self.note.hide()

    def _suit_kind(self, named: dict[str, int]) -> None:
        """Switches Import to the kind whose fields the file's columns name far more
        (a HubSpot deals export opened from the Customers page is deals), and says so;
        never a kind the user chose, nor on a close call (a contact list names company
        fields too)."""
        current = self.kind_code()
        best = max(named, key=lambda kind: (named[kind], kind == current))
        mine = named.get(current, 0)
        if (self._chosen_by_hand or best == current or named[best] < 3
                or named[best] < 2 * mine):
            self.note.hide()
            return
        self.kind.setCurrentIndex(self.kind.findData(best))
        self.note.setText(ngettext(
            "The file's columns match {n} field of {kind}, so Import is set to {kind}.",
            "The file's columns match {n} fields of {kind}, so Import is set to {kind}.",
            named[best]).format(n=named[best], kind=kind_label(best)))
        self.note.show()

    def _failed(self, path: Path, error: Exception) -> None:
        if path != self._reading:
            return
        if not isinstance(error, FunnelDeskError):
            raise error
        self.encoding.setText("—")
        self.error.show_error(error)

    def isComplete(self) -> bool:
        return self.table is not None


MODES = ("create", "update", "upsert")


_SUBTITLE = N_("Columns whose header names a field, in English or Chinese, are matched "
               "already. Choose the field of any other column to import it.")


class MappingPage(QWizardPage):
    def __init__(self, owner: ImportWizard) -> None:
        super().__init__()
        self.owner = owner
        self._loaded: tuple[Table, str] | None = None
        self.setTitle(_("Match the columns to fields"))
        self.setSubTitle(_(_SUBTITLE))
        self.model = MappingModel(self)
        self.model.mappingChanged.connect(self._update)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(FIELD, FieldDelegate(self.view))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.missing = ErrorLabel()
        self.mode = QComboBox()
        for code, text in zip(MODES, (_("Create new records only"),
                                      _("Update the records the key finds"),
                                      _("Update the records the key finds, create the others")),
                              strict=True):
            self.mode.addItem(text, code)
        self.mode.currentIndexChanged.connect(self._update)
        self.key = QComboBox()
        self.key.currentIndexChanged.connect(self._update)
        self.all_or_nothing = QRadioButton(_("All or nothing: if any row has an error, "
                                             "nothing is imported"))
        self.all_or_nothing.setChecked(True)
        self.skip = QRadioButton(_("Skip the rows with errors and import the others"))
        policy = QButtonGroup(self)
        policy.addButton(self.all_or_nothing)
        policy.addButton(self.skip)
        form = QFormLayout()
        form.addRow(_("Records:"), self.mode)
        form.addRow(_("Key:"), self.key)
        form.addRow(_("Bad rows:"), self.all_or_nothing)
        form.addRow("", self.skip)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.missing)
        layout.addLayout(form)

    def initializePage(self) -> None:
        table, kind = self.owner.file_page.table, self.owner.file_page.kind_code()
        assert table is not None
        if self._loaded == (table, kind):
            return  # back and forth: keep what the user chose
        self._loaded = (table, kind)
        imports = self.owner.services.imports
        importer = imports.importer(kind)
        self.key.clear()
        for name in importer.match_keys:
            label = next((f.label for f in importer.fields if f.name == name), name)
            self.key.addItem(_(label), name)
        self.model.load(table, importer.fields, imports.suggest(kind, table.headers))
        source = imports.export_source(kind, table.headers)
        self.setSubTitle(_(
            "This file looks like a deals export of {crm}: its columns are matched by their "
            "names. Choose the field of any other column to import it.").format(crm=source)
            if source else _(_SUBTITLE))
        self.view.resizeColumnsToContents()
        self.view.setColumnWidth(FIELD, max(self.view.columnWidth(FIELD), 220))

    def mode_code(self) -> str:
        return str(self.mode.currentData())

    def match(self) -> str | None:
        return None if self.mode_code() == "create" else str(self.key.currentData())

    @Slot()
    def _update(self) -> None:
        self.key.setEnabled(self.mode_code() != "create")
        self.missing.show_message(self.problem())
        self.completeChanged.emit()

    def problem(self) -> str:
        """Why the import cannot go on as the page stands ("" if it can)."""
        # an update changes only what the file gives; an upsert's new records without
        # them are refused row by row (the dry run lists them)
        missing = self.model.missing() if self.mode_code() == "create" else []
        if missing:
            return _("Required, and no column is matched to it: {fields}.").format(
                fields=formatting.listing([_(f.label) for f in missing]))
        key = self.match()
        if key is not None and key not in self.model.columns():
            return _("Match a column to the key “{key}”: it finds the records to "
                     "update.").format(key=self.key.currentText())
        return ""

    def isComplete(self) -> bool:
        return bool(self.model.columns()) and not self.problem()
