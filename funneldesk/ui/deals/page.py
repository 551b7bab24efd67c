"""The Deals page: every deal in one table, read in pages, filtered and sorted in SQL,
with saved views and bulk actions on the selected rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

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
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.collation import sort_key
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _, ngettext
from funneldesk.services.dto import (
    ChangeSet,
    DealQuery,
    DealRow,
    ListColumn,
    Outcome,
    PipelineInfo,
    UserInfo,
)
from funneldesk.ui.common import list_export, record_table
from funneldesk.ui.common.page import Page, Workspace
from funneldesk.ui.deals import actions
from funneldesk.ui.deals.bulk_actions import QUICK_BULK, BulkActions, Chosen, chosen_rows
from funneldesk.ui.deals.columns import COLUMNS, WIDTHS, header
from funneldesk.ui.deals.delegate import DealsDelegate
from funneldesk.ui.deals.filter_bar import FilterBar
from funneldesk.ui.deals.model import DealsTableModel
from funneldesk.ui.deals.table import DealsTable
from funneldesk.ui.deals.views import DEFAULT_VIEW, ListView, view_label


class DealsListPage(Page):
    key = "deals"

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        services = workspace.services
        self._database = services.location()
        self._pipelines: tuple[PipelineInfo, ...] = ()
        self._owners: tuple[UserInfo, ...] = ()
        self._keep_selected: set[int] = set()
        self._keep_current: int | None = None
        self._stale = False  # a change came while the page was hidden
        self._waiting: list[Callable[[], object]] | None = None  # until a reload arrives
        self._reload_soon = QTimer(self)
        self._reload_soon.setSingleShot(True)
        self._reload_soon.setInterval(0)
        self._reload_soon.timeout.connect(self.reload)
        self._painted_once = False
        self.model = DealsTableModel(services, self._read_failed)
        self.table = self._make_table()
        # an empty list says why it is empty, in the middle of the table
        self.empty = QLabel(_("No deal matches these filters."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.empty.setStyleSheet("color: palette(mid)")
        self.empty.hide()
        QVBoxLayout(self.table.viewport()).addWidget(self.empty)
        self.filters = FilterBar(workspace.actor.id)
        self.count = QLabel()
        self.saved = QComboBox()
        self.saved.setAccessibleName(_("Saved views"))
        self.saved.setMinimumWidth(200)
        self._views: dict[str, ListView] = {}
        self.bulk = BulkActions(workspace, self.model, self.chosen, self,
                                lambda: (self._pipelines, self._owners))
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
        table = record_table.set_up(DealsTable())
        table.setModel(self.model)
        table.setItemDelegate(DealsDelegate(table))
        top = table.horizontalHeader()
        top.setSectionsMovable(True)
        top.setTextElideMode(Qt.TextElideMode.ElideRight)
        top.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        top.customContextMenuRequested.connect(self._column_menu)
        for section, column in enumerate(COLUMNS):
            width = max(WIDTHS[column], top.fontMetrics().horizontalAdvance(header(column)) + 32)
            table.setColumnWidth(section, width)
        table.customContextMenuRequested.connect(self._row_menu)
        table.activated.connect(self._open_row)
        table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        return table

    def _make_actions(self) -> None:
        action = self.make_action
        self.open_action = action(actions.OPEN, self.open_current)
        self.owner_action = action(actions.CHANGE_OWNER, self.bulk.change_owner)
        self.move_action = action(actions.MOVE, self.bulk.move_to_stage)
        self.archive_action = action(actions.ARCHIVE, self.bulk.archive)
        self.save_view_action = action(actions.SAVE_VIEW, self.ask_view_name)
        self.delete_view_action = action(actions.DELETE_VIEW, self.delete_current_view)
        self.export_action = action(actions.EXPORT, self.export)
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
        tools.addSeparator()
        tools.addAction(self.export_action)
        return tools

    # --- what a page declares ---------------------------------------------------------

    def page_actions(self) -> list[QAction]:
        return [self.open_action, *self.bulk_actions, self.save_view_action,
                self.delete_view_action, self.export_action, self.reload_action]

    def page_menus(self) -> list[QMenu]:
        menu = QMenu(_("Deals &list"), self)  # beside the board's Deal menu: its own key
        menu.addAction(self.open_action)
        menu.addSeparator()
        menu.addActions(self.bulk_actions)
        menu.addSeparator()
        menu.addActions([self.save_view_action, self.delete_view_action])
        menu.addSeparator()
        menu.addActions([self.export_action, self.reload_action])
        return [menu]

    def tool_bar(self) -> QToolBar:
        return self._tools

    def import_kind(self) -> str | None:
        return "deals"

    def apply_changes(self, changes: ChangeSet, origin: object) -> None:
        if changes.everything:  # pipelines, stages, owners or many deals: read all again
            self._read_choices()
        if changes.deal_ids or changes.stage_ids or changes.everything:
            if self.isVisible():
                self._reload_soon.start()  # changes relayed together: one read
            else:  # read when shown again: no reads for a list nobody sees
                self._stale = True

    def reload(self) -> None:
        """Reads the count and the rows shown again. A small selection follows its deals
        (rows may have moved), and no other row is selected; a large one (which may hold
        rows not read) stays on its rows."""
        self._reload_soon.stop()
        if self._waiting is None:
            self._waiting = []
        table, chosen = self.table, self.chosen()
        pages = self._visible_pages()
        self._keep_selected, self._keep_current = set(), None
        if chosen.count <= QUICK_BULK and (shown := self.model.loaded_deals(chosen.ranges)):
            self._keep_selected = {d.id for d in shown}
            pages |= {self.model.page_of(row) for first, last in chosen.ranges
                      for row in range(first, last + 1)}
        current = self.model.deal_at(table.currentIndex().row()) \
            if table.currentIndex().isValid() else None
        if current is not None:
            self._keep_current = current.id
            pages.add(self.model.page_of(table.currentIndex().row()))
        self.model.refresh(pages)

    def _visible_pages(self) -> set[int]:
        """The pages of the rows the table shows now."""
        viewport = self.table.viewport()
        first = self.table.rowAt(0)
        last = self.table.rowAt(viewport.height() - 1)
        if first < 0:
            return {0}
        last = self.model.rowCount() - 1 if last < 0 else last
        return set(range(self.model.page_of(first), self.model.page_of(last) + 1))

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

    def export(self) -> None:
        """Writes the list as it is now (filters, order, the columns shown) to a file the
        user names: as shown, or with the import's field names."""
        target = list_export.ask_target(self.workspace, _("deals"))
        if target is not None:
            self.export_to(target.path, field_names=target.field_names)

    def export_to(self, path: Path, *, field_names: bool) -> None:
        top = self.table.horizontalHeader()
        columns = tuple(COLUMNS[top.logicalIndex(v)] for v in range(top.count())
                        if not top.isSectionHidden(top.logicalIndex(v)))
        query, today, exports = self.model.query, self.model.today, self.workspace.services.exports
        list_export.write(
            self.workspace, path,
            lambda: exports.export_deal_list(query, path, today=today, columns=columns,
                                             field_names=field_names),
            lambda n: ngettext("{n} deal written to {file}.", "{n} deals written to {file}.", n))

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
        # what the bar shows, not what was kept: a stage, owner or pipeline no longer
        # offered (deleted, deactivated) must not go on filtering unseen
        self._set_query(self.filters.view().resolved(dt.date.today()))

    def _set_query(self, query: DealQuery) -> None:
        self.model.set_query(query)
        self._show_sort(query)

    def _show_sort(self, query: DealQuery) -> None:
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
        for name in sorted(self._views, key=lambda n: sort_key(view_label(n))):
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
        self.empty.setVisible(n == 0)

    def _after_load(self) -> None:
        self._keep_selected = set()  # a new list: the rows were reset, nothing is selected
        self._show_count()
        self._enable()  # a reset clears the selection without saying so
        self._run_waiting()
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

    def when_current(self, then: Callable[[], object]) -> None:
        if self._waiting is None and not self._reload_soon.isActive():
            then()
            return
        if self._waiting is None:
            self._waiting = []
        self._waiting.append(then)

    def _after_refresh(self) -> None:
        self._show_count()
        selection = self.table.selectionModel()
        if self._keep_current is not None:  # Enter opens the deal it opened before
            rows = self.model.rows_of({self._keep_current})
            if rows:
                selection.setCurrentIndex(self.model.index(rows[0], 0),
                                          QItemSelectionModel.SelectionFlag.NoUpdate)
            self._keep_current = None
        if self._keep_selected:
            # the rows may have moved: select the kept deals where they are now, and no
            # other row (none at all when none of them is in the list any more)
            chosen = QItemSelection()
            last = self.model.columnCount() - 1
            for row in self.model.rows_of(self._keep_selected):
                chosen.select(self.model.index(row, 0), self.model.index(row, last))
            selection.select(chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect
                             | QItemSelectionModel.SelectionFlag.Rows)
            self._keep_selected = set()
        self._enable()
        self._run_waiting()

    def _run_waiting(self) -> None:
        waiting, self._waiting = self._waiting or [], None
        for then in waiting:  # an action chosen elsewhere, now on current rows
            then()

    def _read_failed(self, error: FunnelDeskError) -> None:
        self.workspace.show_message(error.message())
        self._show_sort(self.model.query)  # a refused sort: the header shows the rows' own
        self._waiting = None  # an action waiting for the rows: not on rows that failed

    # --- rows -------------------------------------------------------------------------

    def chosen(self) -> Chosen:
        """The selected rows (as ranges: a selection of every row costs no more than one)."""
        return chosen_rows(self.table.selectionModel())

    def selected_loaded(self) -> list[DealRow]:
        """The selected deals among the rows read."""
        return self.model.deals_in(self.chosen().ranges)

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
