"""The Deals page: every deal in one table, read in pages, filtered and sorted in SQL,
with saved views and bulk actions on the selected rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError, NothingChanged
from funneldesk.i18n import _, ngettext
from funneldesk.services.dto import (
    BulkResult,
    ChangeSet,
    DealQuery,
    DealRow,
    ListColumn,
    Outcome,
    PipelineInfo,
    StageKind,
    UserInfo,
)
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.page import Page, PageAction, Workspace
from funneldesk.ui.deals import actions
from funneldesk.ui.deals.columns import COLUMNS, WIDTHS, header
from funneldesk.ui.deals.delegate import DealsDelegate
from funneldesk.ui.deals.dialogs import BulkReportDialog, LostReasonDialog, OwnerDialog, StageDialog
from funneldesk.ui.deals.filter_bar import FilterBar
from funneldesk.ui.deals.model import DealsTableModel
from funneldesk.ui.deals.views import DEFAULT_VIEW, ListView, view_label

# a bulk action over more deals than this runs off the GUI thread (measured: about 1 ms
# a deal, so a few hundred take a blink and thousands take seconds)
QUICK_BULK = 200


class DealsListPage(Page):
    key = "deals"

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        services = workspace.services
        self._database = services.location()
        self._pipelines: tuple[PipelineInfo, ...] = ()
        self._owners: tuple[UserInfo, ...] = ()
        self._keep_selected: set[int] = set()
        self.report: BulkReportDialog | None = None
        self._painted_once = False
        self.model = DealsTableModel(services, self._read_failed)
        self.table = self._make_table()
        self.filters = FilterBar()
        self.count = QLabel()
        self.saved = QComboBox()
        self.saved.setAccessibleName(_("Saved views"))
        self.saved.setMinimumWidth(200)
        self._views: dict[str, ListView] = {}
        self._make_actions()
        self._tools = self._make_tool_bar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        top = QHBoxLayout()
        top.addWidget(self.filters, 1)
        top.addWidget(self.count)
        top.addSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.model.loaded.connect(self._after_load)
        self.model.refreshed.connect(self._after_refresh)
        self.filters.changed.connect(self._filters_changed)
        self.saved.activated.connect(lambda _i: self._saved_chosen())
        self.saved.currentIndexChanged.connect(lambda _i: self._enable_delete_view())
        self._restore()

    # --- building --------------------------------------------------------------------

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setItemDelegate(DealsDelegate(table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setShowGrid(False)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        top = table.horizontalHeader()
        top.setSectionsMovable(True)
        top.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        top.setStretchLastSection(True)
        top.setHighlightSections(False)
        top.setTextElideMode(Qt.TextElideMode.ElideRight)
        # titles on the left, the sort arrow on the right: the arrow never covers a title
        top.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        top.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        top.customContextMenuRequested.connect(self._column_menu)
        for section, column in enumerate(COLUMNS):
            width = max(WIDTHS[column], top.fontMetrics().horizontalAdvance(header(column)) + 32)
            table.setColumnWidth(section, width)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._row_menu)
        table.activated.connect(self._open_row)
        table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        return table

    def _make_actions(self) -> None:
        def action(declared: PageAction, slot: Callable[[], object]) -> QAction:
            made = declared.make(self, slot)
            if declared.shortcut:
                made.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.addAction(made)
            return made

        self.open_action = action(actions.OPEN, self.open_current)
        self.owner_action = action(actions.CHANGE_OWNER, self.change_owner)
        self.move_action = action(actions.MOVE, self.move_to_stage)
        self.archive_action = action(actions.ARCHIVE, self.archive)
        self.save_view_action = action(actions.SAVE_VIEW, self.ask_view_name)
        self.delete_view_action = action(actions.DELETE_VIEW, self.delete_current_view)
        self.reload_action = action(actions.RELOAD, self.reload)
        self.bulk_actions = [self.owner_action, self.move_action, self.archive_action]
        self._enable()

    def _make_tool_bar(self) -> QToolBar:
        tools = QToolBar(_("Deals"))
        tools.setObjectName("deals-toolbar")
        tools.setMovable(False)
        tools.addWidget(QLabel(_("View:")))
        tools.addWidget(self.saved)
        tools.addAction(self.save_view_action)
        tools.addAction(self.delete_view_action)
        tools.addSeparator()
        for bulk in self.bulk_actions:
            tools.addAction(bulk)
        return tools

    # --- what a page declares ---------------------------------------------------------

    def page_actions(self) -> list[QAction]:
        return [self.open_action, *self.bulk_actions, self.save_view_action,
                self.delete_view_action, self.reload_action]

    def page_menus(self) -> list[QMenu]:
        menu = QMenu(_("Deals &list"), self)  # beside the board's Deal menu: its own key
        menu.addAction(self.open_action)
        menu.addSeparator()
        menu.addActions(self.bulk_actions)
        menu.addSeparator()
        menu.addActions([self.save_view_action, self.delete_view_action])
        menu.addSeparator()
        menu.addAction(self.reload_action)
        return [menu]

    def tool_bar(self) -> QToolBar:
        return self._tools

    def apply_changes(self, changes: ChangeSet, origin: object) -> None:
        if changes.everything:  # pipelines, stages, owners or many deals: read all again
            self._read_choices()
        if changes.deal_ids or changes.stage_ids or changes.everything:
            self.reload()

    def reload(self) -> None:
        """Reads the count and the rows held again; the same deals stay selected (rows
        may have moved), and none that were not."""
        self._keep_selected = {d.id for d in self.selected_loaded()}
        self.model.refresh()

    def store_settings(self) -> None:
        settings = self.workspace.settings
        state = self.table.horizontalHeader().saveState()
        settings.set("deals.header", bytes(state.toHex().data()).decode())
        filters = dict(settings.get("deals.filters"))
        filters[self._database] = self.current_view().to_dict()
        settings.set("deals.filters", filters)
        self._store_views()

    # --- filters, sort and views -------------------------------------------------------

    def _restore(self) -> None:
        settings = self.workspace.settings
        self._read_choices()
        saved = settings.get("deals.views").get(self._database)
        if isinstance(saved, dict):
            self._views = {str(k): ListView.from_dict(v) for k, v in saved.items()}
        else:  # a first start on this database: one useful view to begin with (its name
            # is a key, translated when shown, so that it follows the language)
            self._views = {DEFAULT_VIEW: ListView(
                DealQuery(owner_ids=frozenset({self.workspace.actor.id}),
                          outcomes=frozenset({Outcome.OPEN}),
                          sort=ListColumn.EXPECTED_CLOSE, descending=False),
                "expected_close", "this_month")}
        self._fill_views()
        state = settings.get("deals.header")
        if state:
            self.table.horizontalHeader().restoreState(QByteArray.fromHex(state.encode()))
        self.apply_view(ListView.from_dict(settings.get("deals.filters").get(self._database)))

    def _read_choices(self) -> None:
        """What the filters offer: the pipelines with their stages, and the owners."""
        self._pipelines, self._owners = self.workspace.services.deal_list.choices()
        self.filters.set_choices(self._pipelines, self._owners)

    def current_view(self) -> ListView:
        view = self.filters.view()
        query = replace(view.query, sort=self.model.query.sort,
                        descending=self.model.query.descending)
        return replace(view, query=query)

    def apply_view(self, view: ListView) -> None:
        """Shows ``view``: its filters in the bar, its sort in the header."""
        self.filters.set_view(view)
        self._set_query(view.resolved(dt.date.today()))

    def _set_query(self, query: DealQuery) -> None:
        self.model.set_query(query)
        top = self.table.horizontalHeader()
        order = Qt.SortOrder.DescendingOrder if query.descending else Qt.SortOrder.AscendingOrder
        self.table.setSortingEnabled(False)
        top.setSortIndicator(COLUMNS.index(query.sort), order)
        self.table.setSortingEnabled(True)  # sorts by the indicator: the query's own order

    def _filters_changed(self) -> None:
        self.saved.setCurrentIndex(0)
        self._set_query(self.current_view().resolved(dt.date.today()))

    def _fill_views(self) -> None:
        self.saved.blockSignals(True)
        self.saved.clear()
        self.saved.addItem(_("Choose a saved view…"), None)
        for name in sorted(self._views, key=view_label):
            self.saved.addItem(view_label(name), name)
        self.saved.blockSignals(False)
        self._enable_delete_view()

    def _enable_delete_view(self) -> None:
        """Delete view acts on the view chosen: none chosen, nothing to delete."""
        self.delete_view_action.setEnabled(self.saved.currentData() is not None)

    def _saved_chosen(self) -> None:
        name = self.saved.currentData()
        if name in self._views:
            self.apply_view(self._views[name])

    def choose_view(self, name: str) -> None:
        """Shows the saved view ``name`` (as kept, or as the list shows it)."""
        index = self.saved.findData(name)
        if index < 0:
            index = self.saved.findText(name)
        self.saved.setCurrentIndex(max(0, index))
        self._saved_chosen()

    def save_view(self, name: str) -> None:
        """Keeps the current filters and sort as ``name`` (replacing a view shown under
        that name)."""
        name = next((key for key in self._views if view_label(key) == name), name)
        self._views[name] = self.current_view()
        self._fill_views()
        self.saved.setCurrentIndex(self.saved.findData(name))
        self._store_views()

    def delete_view(self, name: str) -> None:
        self._views.pop(name, None)
        self._fill_views()
        self._store_views()

    def ask_view_name(self) -> None:
        current = self.saved.currentText() if self.saved.currentData() else ""
        name, ok = QInputDialog.getText(self, _("Save view"), _("Name of the view:"),
                                        text=current)
        if ok and name.strip():
            self.save_view(name.strip())

    def delete_current_view(self) -> None:
        name = self.saved.currentData()
        if name:
            self.delete_view(name)

    def _store_views(self) -> None:
        settings = self.workspace.settings
        views = dict(settings.get("deals.views"))
        views[self._database] = {name: v.to_dict() for name, v in self._views.items()}
        settings.set("deals.views", views)

    def _column_menu(self, pos: QPoint) -> None:
        self.column_menu().popup(self.table.horizontalHeader().mapToGlobal(pos))

    def column_menu(self) -> QMenu:
        """A check per column: which ones the list shows (at least one stays)."""
        menu = QMenu(self)
        shown = [s for s in range(len(COLUMNS)) if not self.table.isColumnHidden(s)]
        for section, column in enumerate(COLUMNS):
            action = menu.addAction(header(column))
            action.setCheckable(True)
            action.setChecked(section in shown)
            action.setEnabled(shown != [section])
            action.toggled.connect(
                lambda checked, s=section: self.table.setColumnHidden(s, not checked))
        return menu

    # --- counts and reads ---------------------------------------------------------------

    def _show_count(self) -> None:
        n = self.model.rowCount()
        text = ngettext("{n} deal", "{n} deals", n).format(n=formatting.number(n))
        self.count.setText(text)
        self.set_status_text(text)

    def _after_load(self) -> None:
        self._keep_selected = set()  # a new list: the rows were reset, nothing is selected
        self._show_count()
        if not self._painted_once:  # say so once the viewport has painted the first rows
            self._painted_once = True
            viewport = self.table.viewport()
            viewport.installEventFilter(self)
            viewport.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self.firstPainted.emit)  # after this paint is done
        return super().eventFilter(watched, event)

    def _after_refresh(self) -> None:
        self._show_count()
        if self._keep_selected:
            # the rows may have moved: select the kept deals where they are now, and no
            # other row (none at all when none of them is in the list any more)
            selection = self.table.selectionModel()
            chosen = QItemSelection()
            last = self.model.columnCount() - 1
            for row in self.model.rows_of(self._keep_selected):
                chosen.select(self.model.index(row, 0), self.model.index(row, last))
            selection.select(chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect
                             | QItemSelectionModel.SelectionFlag.Rows)
            self._keep_selected = set()
        self._enable()

    def _read_failed(self, error: FunnelDeskError) -> None:
        self.workspace.show_message(error.message())

    # --- rows -------------------------------------------------------------------------

    def selected_loaded(self) -> list[DealRow]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [d for r in rows if (d := self.model.deal_at(r)) is not None]

    def selected(self) -> list[DealRow]:
        """The selected deals, reading the pages of selected rows not read yet."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return self.model.deals_at(rows)

    def _enable(self) -> None:
        chosen = self.table.selectionModel().hasSelection()
        for bulk in (*self.bulk_actions, self.open_action):
            bulk.setEnabled(chosen)

    def _open_row(self, index: QModelIndex) -> None:
        deal = self.model.deal_at(index.row())
        if deal is not None:
            self.workspace.open_record("deal", deal.id)

    def open_current(self) -> None:
        self._open_row(self.table.currentIndex())

    def _row_menu(self, pos: QPoint) -> None:
        if not self.table.indexAt(pos).isValid():
            return
        menu = QMenu(self)
        menu.addAction(self.open_action)
        menu.addSeparator()
        menu.addActions(self.bulk_actions)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    # --- bulk actions -----------------------------------------------------------------

    def change_owner(self) -> None:
        deals = self.selected()
        if not deals:
            return
        dialog = OwnerDialog(len(deals), self._owners, self)
        if dialog.exec() != OwnerDialog.DialogCode.Accepted or dialog.chosen() is None:
            return
        owner_id = dialog.chosen() or 0
        owner = dialog.choice.currentText()
        n = len(deals)
        self._run(ngettext("Give {n} deal to {owner}", "Give {n} deals to {owner}", n).format(
            n=n, owner=owner), lambda: self.workspace.services.bulk.change_owner(
            deals=[(d.id, d.version) for d in deals], owner_id=owner_id,
            by=self.workspace.actor), _("Change owner"), n)

    def move_to_stage(self) -> None:
        deals = self.selected()
        if not deals:
            return
        used = {d.pipeline_id for d in deals}
        dialog = StageDialog(len(deals), tuple(p for p in self._pipelines if p.id in used), self)
        if dialog.exec() != StageDialog.DialogCode.Accepted or dialog.chosen() is None:
            return
        stage_id = dialog.chosen() or 0
        reason_id, reason_text = None, ""
        if dialog.kinds.get(stage_id) is StageKind.LOST:
            lost = LostReasonDialog(len(deals), self.workspace.services.moves.lost_reasons(),
                                    self)
            if lost.exec() != LostReasonDialog.DialogCode.Accepted:
                return
            reason_id, reason_text = lost.reason_id(), lost.reason_text()
        self.move_deals(deals, stage_id, dialog.choice.currentText(), reason_id, reason_text)

    def move_deals(self, deals: list[DealRow], stage_id: int, stage: str,
                   reason_id: int | None = None, reason_text: str = "") -> BulkResult | None:
        n = len(deals)
        return self._run(
            ngettext("Move {n} deal to “{stage}”", "Move {n} deals to “{stage}”", n).format(
                n=n, stage=stage),
            lambda: self.workspace.services.bulk.move(
                deals=[(d.id, d.version) for d in deals], to_stage_id=stage_id,
                by=self.workspace.actor, lost_reason_id=reason_id,
                lost_reason_text=reason_text),
            _("Move to stage"), n)

    def archive(self) -> None:
        deals = self.selected()
        if not deals:
            return
        n = len(deals)
        self._run(ngettext("Archive {n} deal", "Archive {n} deals", n).format(n=n),
                  lambda: self.workspace.services.bulk.archive(
                      deals=[(d.id, d.version) for d in deals], by=self.workspace.actor),
                  _("Archive"), n)

    def _run(self, text: str, call: Callable[[], BulkResult], title: str,
             count: int) -> BulkResult | None:
        """Runs the bulk action over ``count`` deals through the window's one action path
        (undo included); a report lists the deals it left as they were, and why. Up to
        QUICK_BULK deals it runs at once and gives the result; more run off the GUI thread
        with the window disabled, and give None here (the result is shown when it comes)."""
        bulk, actor, runner = self.workspace.services.bulk, self.workspace.actor, \
            self.workspace.runner

        def own(result: BulkResult) -> BulkResult:
            """``result`` at the versions this window's own later changes left its deals
            at: only somebody else's change makes the undo or redo stale."""
            return replace(result, done=tuple(
                replace(d, version=runner.own_version(d.deal_id, d.version))
                for d in result.done))

        def undo(result: BulkResult) -> BulkResult:
            return bulk.undo(result=own(result), by=actor)

        def redo(undone: BulkResult) -> BulkResult:
            return bulk.redo(undone=own(undone), by=actor)

        if count > QUICK_BULK:
            self.workspace.show_message(_("{text}…").format(text=text))
            runner.run_in_background(
                text, call, then=lambda r: self._finished(text, title, r), undo=undo,
                redo=redo, origin=self, parent=self, reraise=(NothingChanged,),
                failed=lambda e: self._nothing_changed(title, e))
            return None
        try:
            result = runner.run(text, call, undo=undo, redo=redo, origin=self, parent=self,
                                reraise=(NothingChanged,))
        except NothingChanged as nothing:
            self._nothing_changed(title, nothing)
            return None
        self._finished(text, title, result)
        return result

    def _nothing_changed(self, title: str, nothing: FunnelDeskError) -> None:
        self.workspace.show_message("")  # "Archive 900 deals…" is over
        refusals = nothing.refusals if isinstance(nothing, NothingChanged) else []
        if not refusals:  # every deal already was as asked: one sentence
            show_error(self, nothing)
        else:  # each refused deal and why, in the report a partial action gets
            self._report(title, [], refusals)

    def _finished(self, text: str, title: str, result: BulkResult | None) -> None:
        if result is None:
            self.workspace.show_message("")  # "Archive 900 deals…" is over
            return
        done, refused = len(result.done), len(result.refused)
        self.workspace.show_message(
            ngettext("{text}: only {n} deal was changed.",
                     "{text}: only {n} deals were changed.", done).format(
                text=text, n=formatting.number(done))
            if refused else _("{text}: done.").format(text=text))
        if refused:
            self._report(title, [d.title for d in result.done],
                         [(r.title, r.error) for r in result.refused])

    def _report(self, title: str, done: list[str],
                refused: list[tuple[str, FunnelDeskError]]) -> None:
        if self.report is not None:
            self.report.close()
        self.report = BulkReportDialog(title, done, refused, self.window())
        self.report.show()

