"""Find duplicates: every group of companies (or contacts) that may be one customer,
searched off the GUI thread, and "Merge…" on two records of a group."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _, ngettext
from funneldesk.services import Services
from funneldesk.services.common.tabular.records import ImportReport
from funneldesk.services.customers.records import DuplicateGroup
from funneldesk.services.dto import Actor
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.user_action import ActionRunner
from funneldesk.ui.customers.duplicates_model import NAME, WHY, DuplicateGroupsModel
from funneldesk.ui.customers.labels import ENTITY_LABELS


class DuplicatesDialog(QDialog):
    """Lists the groups of ``entity`` ("company" or "contact"); with a ``runner``, a
    merge made from here is a step on the window's undo stack."""

    def __init__(self, services: Services, actor: Actor, entity: str = "company",
                 runner: ActionRunner | None = None, parent: QWidget | None = None,
                 imported: ImportReport | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.runner = services, actor, runner
        # after an import: its groups only (what it created or renamed), until unticked
        self.imported = imported
        self.only_imported = QCheckBox(_("Only what the import made"))
        self.only_imported.setChecked(imported is not None)
        self.only_imported.setVisible(imported is not None)
        self.only_imported.toggled.connect(lambda _on: self.search())
        self.setWindowTitle(_("Find duplicates"))
        self.kind = QComboBox()
        for code, label in ENTITY_LABELS.items():
            self.kind.addItem(_(label), code)
        self.kind.setCurrentIndex(max(self.kind.findData(entity), 0))
        self.kind.activated.connect(lambda _i: self.search())
        self.again = QPushButton(_("Search again"))
        self.again.clicked.connect(self.search)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # it moves without saying how far: the search cannot tell
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(160)
        self.busy.hide()
        self.status = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Look among:")))
        top.addWidget(self.kind)
        top.addWidget(self.again)
        top.addWidget(self.only_imported)
        top.addWidget(self.busy)
        top.addWidget(self.status, 1)
        self.model = DuplicateGroupsModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(WHY, QHeaderView.ResizeMode.Stretch)
        self.tree.setColumnWidth(NAME, 300)
        self.tree.selectionModel().selectionChanged.connect(self._selected)
        self.tree.doubleClicked.connect(lambda _i: self.merge_pair())
        hint = QLabel(_("Choose two records of a group (or a group of two), then Merge…"))
        hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        merge = self.buttons.addButton(_("Merge…"), QDialogButtonBox.ButtonRole.ActionRole)
        assert merge is not None
        self.merge_button = merge
        self.merge_button.setEnabled(False)
        self.merge_button.clicked.connect(self.merge_pair)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self.resize(760, 520)
        self._searching = 0  # which search the results on their way belong to
        self.search()

    @property
    def entity(self) -> str:
        return str(self.kind.currentData())

    def search(self) -> None:
        """Looks for groups off the GUI thread; the list stays usable meanwhile."""
        self._searching += 1
        mine, entity = self._searching, self.entity
        self.busy.show()
        self.again.setEnabled(False)
        self.status.setText(_("Searching…"))
        duplicates, report = self.services.duplicates, self.imported
        if report is not None and self.only_imported.isChecked():
            first, again = report.created_from.get(entity), report.renamed.get(entity, ())
            run_in_background(lambda: duplicates.alike_imported(entity, first, again),
                              lambda groups: self._found(mine, groups),
                              lambda error: self._failed(mine, error))
            return
        run_in_background(lambda: duplicates.find_all(entity),
                          lambda groups: self._found(mine, groups),
                          lambda error: self._failed(mine, error))

    def _found(self, mine: int, groups: list[DuplicateGroup]) -> None:
        if mine != self._searching:
            return  # an older search, overtaken by a newer one
        self._idle()
        self.model.set_groups(groups)
        self.tree.expandAll()
        # the records' names and companies whole, unless they would crowd out the reasons
        self.tree.resizeColumnToContents(NAME)
        widest = self.tree.viewport().width() * 3 // 5
        if self.tree.columnWidth(NAME) > widest:
            self.tree.setColumnWidth(NAME, widest)
        n = len(groups)
        self.status.setText(ngettext("Found {n} group of possible duplicates.",
                                     "Found {n} groups of possible duplicates.", n).format(
            n=formatting.number(n)) if n else _("No duplicates found."))

    def _failed(self, mine: int, error: Exception) -> None:
        if mine != self._searching:
            return
        self._idle()
        self.status.setText("")
        if not isinstance(error, FunnelDeskError):
            raise error
        show_error(self, error)

    def _idle(self) -> None:
        self.busy.hide()
        self.again.setEnabled(True)

    # --- merging ------------------------------------------------------------------
    def pair(self) -> tuple[int, int] | None:
        """The two records chosen: two rows of one group, or a group of exactly two (or
        one of its rows); None otherwise. The older record (lower id) comes first."""
        rows = self.tree.selectionModel().selectedRows(NAME)
        groups = {id(self.model.group_of(i)) for i in rows}
        if len(groups) != 1:
            return None
        group = self.model.group_of(rows[0])
        assert group is not None
        ids = sorted({i for r in rows if (i := self.model.record_id(r)) is not None})
        if len(ids) == 2:
            return ids[0], ids[1]
        if len(group.members) == 2 and len(ids) <= 1:
            return group.members[0].id, group.members[1].id
        return None

    def _selected(self, _now: QItemSelection, _before: QItemSelection) -> None:
        self.merge_button.setEnabled(self.pair() is not None)

    def merge_pair(self) -> None:
        pair = self.pair()
        if pair is None:
            return
        from funneldesk.ui.customers.merge_dialog import MergeDialog

        dialog = MergeDialog(self.services, self.actor, self.entity, pair[0], pair[1],
                             self.runner, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.search()
