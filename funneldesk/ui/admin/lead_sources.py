"""The team's list of lead sources: a manager adds the team's own, renames them, orders the
list and retires a source from the pick lists (the records that name it keep it); a rep
reads it. Each change is saved at once, as in the pipeline editor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import N_, _
from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.error_label import ErrorLabel

Index = QModelIndex | QPersistentModelIndex
NAME, USED, STATE = range(3)
_HEADERS = (N_("Lead source"), N_("Records"), N_("Status"))


class LeadSourcesModel(QAbstractTableModel):
    """The sources in the pick lists' order; a manager renames the team's own in place."""

    failed = Signal(object)  # a FunnelDeskError of a rename
    renamed = Signal()  # a rename was saved

    counted = Signal()  # the records' counts arrived

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.sources = services.lead_sources.all(inactive=True)
        self.usage: dict[int, int] | None = None  # None: being counted
        self.unknown = False  # the count failed
        self._asked = 0  # counts asked for
        self._count()

    def reload(self) -> None:
        self.beginResetModel()
        self.sources = self.services.lead_sources.all(inactive=True)
        self.endResetModel()
        self._count()

    def _count(self) -> None:
        """Counts the records of each source off the GUI thread (three scans of the
        companies, contacts and deals); a count asked for later makes an earlier one's
        result stale."""
        self._asked += 1
        asked = self._asked

        def done(usage: dict[int, int] | None) -> None:
            if asked != self._asked:
                return
            self.usage, self.unknown = usage, usage is None
            if self.sources:
                self.dataChanged.emit(self.index(0, USED), self.index(len(self.sources) - 1, USED))
            self.counted.emit()

        def failed(error: Exception) -> None:
            if not isinstance(error, FunnelDeskError):
                raise error  # a bug
            done(None)  # the database busy: the counts stay unknown

        self.unknown = False
        run_in_background(self.services.lead_sources.usage, done, failed, owner=self)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.sources)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(_HEADERS)):
            return _(_HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        source = self.sources[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if index.column() == NAME:
                return source.label
            if index.column() == USED:
                if self.usage is None:
                    return "?" if self.unknown else "…"
                return formatting.number(self.usage.get(source.id, 0))
            return _("In use") if source.active else _("Retired")
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == NAME and source.code:
            return _("Built in: each user sees it in their own language.")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == USED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and not source.active:
            return QApplication.palette().color(QPalette.ColorGroup.Disabled,
                                                QPalette.ColorRole.Text)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if (index.isValid() and index.column() == NAME and self.actor.is_manager
                and self.sources[index.row()].code is None):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != NAME:
            return False
        source = self.sources[index.row()]
        try:
            self.services.lead_sources.rename(source_id=source.id, label=str(value),
                                              by=self.actor)
        except FunnelDeskError as error:
            self.failed.emit(error)
            return False
        self.sources = self.services.lead_sources.all(inactive=True)
        self.dataChanged.emit(index, index)
        self.renamed.emit()
        return True


class LeadSourcesDialog(QDialog):
    """Settings ▸ Lead sources…; ``changed`` once anything was saved."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.changed = False
        self.setWindowTitle(_("Lead sources"))
        self.resize(560, 520)
        self.model = LeadSourcesModel(services, actor, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column in (USED, STATE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.error = ErrorLabel()
        policy = self.error.sizePolicy()  # hidden, it keeps its line: nothing jumps under
        policy.setRetainSizeWhenHidden(True)  # the pointer when a message comes or goes
        self.error.setSizePolicy(policy)
        self.error.setText(" ")
        self.model.failed.connect(self.error.show_error)
        explain = QLabel(_("Companies, contacts and deals pick their lead source from this "
                           "list. A retired source leaves the pick lists; the records that "
                           "name it keep it."))
        explain.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.view, 1)
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText(_("New lead source, e.g. Xiaohongshu"))
        self.new_name.setAccessibleName(_("New lead source"))
        self.new_name.returnPressed.connect(self.add)
        self.add_button = QPushButton(_("Add"))
        self.add_button.clicked.connect(self.add)
        self.rename_button = QPushButton(_("Rename"))
        self.rename_button.clicked.connect(self.rename)
        self.retire_button = QPushButton(_("Retire"))
        self.retire_button.clicked.connect(self.toggle_active)
        self.up_button = QPushButton(_("Move up"))
        self.up_button.clicked.connect(lambda: self.move_source(down=False))
        self.down_button = QPushButton(_("Move down"))
        self.down_button.clicked.connect(lambda: self.move_source(down=True))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        if actor.is_manager:
            row = QHBoxLayout()
            for button in (self.rename_button, self.retire_button, self.up_button,
                           self.down_button):
                row.addWidget(button)
            row.addStretch(1)
            layout.addLayout(row)
            adding = QHBoxLayout()
            adding.addWidget(self.new_name, 1)
            adding.addWidget(self.add_button)
            layout.addLayout(adding)
            layout.addWidget(self.error)  # under the name typed, which it is mostly about
        else:
            layout.addWidget(QLabel(_("Only a manager can change the list of lead sources.")))
        layout.addWidget(buttons)
        # Enter in the name field adds it, and only that: a dialog's buttons take Enter
        # too, which added the name and then refused the cleared field
        for pushed in (*self.findChildren(QPushButton), *buttons.buttons()):
            if isinstance(pushed, QPushButton):
                pushed.setAutoDefault(False)
                pushed.setDefault(False)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._enable())
        self.model.renamed.connect(self._saved)
        self._enable()

    def current(self) -> int | None:
        row = self.view.currentIndex().row()
        return row if 0 <= row < len(self.model.sources) else None

    def _enable(self) -> None:
        row = self.current()
        source = self.model.sources[row] if row is not None else None
        built_in = source is not None and source.code is not None
        self.rename_button.setEnabled(source is not None and not built_in)
        self.rename_button.setToolTip(
            _("A built-in source keeps its name: each user sees it in their own language.")
            if built_in else "")
        self.error.show_message("")  # a refusal was about what was chosen before
        self.retire_button.setEnabled(source is not None)
        self.retire_button.setText(_("Bring back") if source is not None and not source.active
                                   else _("Retire"))
        self.up_button.setEnabled(row is not None and row > 0)
        self.down_button.setEnabled(row is not None and row < len(self.model.sources) - 1)

    def _saved(self) -> None:
        self.changed = True
        self.error.show_message("")

    def _select(self, source_id: int) -> None:
        for row, source in enumerate(self.model.sources):
            if source.id == source_id:
                self.view.selectionModel().setCurrentIndex(
                    self.model.index(row, NAME),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                self.view.scrollTo(self.model.index(row, NAME))  # a new one is at the end
        self._enable()

    def _run(self, change: Callable[[], object], then_select: int | None) -> bool:
        """Saves ``change``; shows what refused it, under the list."""
        try:
            change()
        except FunnelDeskError as error:
            self.error.show_error(error)
            return False
        self.model.reload()
        self._saved()
        if then_select is not None:
            self._select(then_select)
        return True

    def add(self) -> None:
        made: list[int] = []

        def change() -> None:
            made.append(self.services.lead_sources.add(label=self.new_name.text(),
                                                       by=self.actor).id)

        if self._run(change, None):
            self.new_name.clear()
            self._select(made[0])
        else:
            self.new_name.setFocus()

    def rename(self) -> None:
        row = self.current()
        if row is not None:
            self.view.edit(self.model.index(row, NAME))

    def toggle_active(self) -> None:
        row = self.current()
        if row is None:
            return
        source = self.model.sources[row]
        self._run(lambda: self.services.lead_sources.set_active(
            source_id=source.id, active=not source.active, by=self.actor), source.id)

    def move_source(self, *, down: bool) -> None:
        row = self.current()
        if row is None:
            return
        source = self.model.sources[row]
        self._run(lambda: self.services.lead_sources.move(source_id=source.id, down=down,
                                                           by=self.actor), source.id)
