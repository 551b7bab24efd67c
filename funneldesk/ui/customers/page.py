"""The Customers page: companies or contacts in one table, read in pages, filtered and
sorted in SQL; saved segments and tags beside it; the opened customer's details on the
right."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QAbstractItemView,
    QInputDialog,
    QLabel,
    QListView,
    QMenu,
    QMessageBox,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError, NotFound
from funneldesk.i18n import _, ngettext
from funneldesk.services.activities.timeline import Timeline
from funneldesk.services.contracts.records import AfterSales
from funneldesk.services.dto import (
    COMPANY,
    CONTACT,
    ChangeSet,
    CompanyRow,
    ContactRow,
    CustomerOverview,
    CustomerQuery,
    CustomerRow,
    PoolHistoryEntry,
    SegmentInfo,
    TagCount,
)
from funneldesk.ui.activities.activity_dialog import Target, open_dialog, target_label
from funneldesk.ui.common import record_table
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.page import Page, Workspace
from funneldesk.ui.customers import actions
from funneldesk.ui.customers.columns import WIDTHS, header
from funneldesk.ui.customers.commands import CustomerCommands, may_release
from funneldesk.ui.customers.detail import CustomerDetail
from funneldesk.ui.customers.field_filters import choose_fields
from funneldesk.ui.customers.filter_bar import CustomerFilterBar
from funneldesk.ui.customers.model import ROW_ROLE, CustomersTableModel
from funneldesk.ui.customers.side_panel import ENTRY_ROLE, SEGMENT, TAG, Entry, SidePanelModel


class CustomersPage(Page):
    key = "customers"
    customerShown = Signal(str, int)  # the entity and id of the customer the detail shows
    panelLoaded = Signal()  # the segments and tags were read

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self._segment: SegmentInfo | None = None  # the segment applied, until a filter changes
        # after the next load: select this record (lift: even lifting the filters for it)
        self._select_after_load: tuple[str, int, bool] | None = None
        self._top_after_load = False
        self._detail_for: tuple[str, int] | None = None  # asked of the detail last
        self._detail_reads = 0
        self._sized_for = ""  # the kind of records the columns' widths were set for
        self._painted = False
        self.model = CustomersTableModel(workspace.services, self._read_failed)
        self.table = self._make_table()
        self.empty = QLabel(_("No customer matches these filters."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.empty.setStyleSheet("color: palette(mid)")
        self.empty.hide()
        QVBoxLayout(self.table.viewport()).addWidget(self.empty)
        self.filters = CustomerFilterBar()
        self.panel_model = SidePanelModel()
        self.panel = QListView()
        self.panel.setModel(self.panel_model)
        self.panel.setAccessibleName(_("Segments and tags"))
        self.panel.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.panel.clicked.connect(self._panel_clicked)
        self.panel.activated.connect(self._panel_clicked)
        # its headings whole (bold: a tenth wider), however narrow the window starts
        heading = max(self.panel.fontMetrics().horizontalAdvance(text)
                      for text in (_("Saved segments"), _("None saved yet"), _("Tags")))
        self.panel.setMinimumWidth(heading * 11 // 10 + 24)
        self.detail = CustomerDetail()
        self.detail.setMinimumWidth(240)  # narrower, its words break letter by letter
        self.detail.recordOpened.connect(workspace.open_record)
        self.commands = CustomerCommands(workspace, self.open_customer)
        self._make_actions()
        self._tools = self._make_tool_bar()
        self._lay_out()
        self.model.loaded.connect(self._after_load)
        self.filters.changed.connect(self._filters_changed)
        self.filters.fieldsWanted.connect(self.choose_fields)
        self.model.aboutToSort.connect(self._keep_current)
        self._read_choices()
        self.model.set_query(CustomerQuery())
        self._show_sort(CustomerQuery())

    # --- building --------------------------------------------------------------------

    def _make_table(self) -> QTableView:
        table = record_table.set_up(QTableView())
        table.setModel(self.model)
        # two rows of the same kind are merged
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.activated.connect(self._open_row)  # Enter, or a double click: the form
        table.selectionModel().currentRowChanged.connect(self._current_changed)
        table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        table.customContextMenuRequested.connect(self._row_menu)
        return table

    def _make_actions(self) -> None:
        action = self.make_action
        self.companies_action = action(actions.SHOW_COMPANIES, lambda: self.show_entity(COMPANY))
        self.contacts_action = action(actions.SHOW_CONTACTS, lambda: self.show_entity(CONTACT))
        # the switch shows the records' kind: short words on the tool bar
        self.companies_action.setIconText(_("Companies"))
        self.contacts_action.setIconText(_("Contacts"))
        group = QActionGroup(self)
        for switch in (self.companies_action, self.contacts_action):
            switch.setCheckable(True)
            group.addAction(switch)
        self.companies_action.setChecked(True)
        self.new_company_action = action(actions.NEW_COMPANY,
                                         lambda: self.commands.new(COMPANY))
        self.new_contact_action = action(
            actions.NEW_CONTACT, lambda: self.commands.new(CONTACT, self._chosen_company()))
        self.open_action = action(actions.OPEN, self.open_current)
        self.plan_action = action(actions.PLAN_ACTIVITY, lambda: self.activity_current("plan"))
        self.log_action = action(actions.LOG_ACTIVITY, lambda: self.activity_current("log"))
        self.duplicates_action = action(actions.FIND_DUPLICATES,
                                        lambda: self.commands.find_duplicates(self.entity))
        self.merge_action = action(actions.MERGE, self.merge_selected)
        self.claim_action = action(actions.CLAIM, self.claim_current)
        self.release_action = action(actions.RELEASE, self.release_current)
        self.claim_action.setIconText(_("Claim"))  # short on the tool bar
        self.export_action = action(actions.EXPORT,
                                    lambda: self.commands.export(
                                        self.model.shown_query,
                                        self._segment.name if self._segment else None))
        self.save_segment_action = action(actions.SAVE_SEGMENT, self.ask_segment_name)
        self.delete_segment_action = action(actions.DELETE_SEGMENT, self.delete_current_segment)
        self.clear_action = action(actions.CLEAR_FILTERS, self.clear_filters)
        self.reload_action = action(actions.RELOAD, self.reload)
        self._enable()

    def _make_tool_bar(self) -> QToolBar:
        tools = QToolBar(_("Customers"))
        tools.setObjectName("customers-toolbar")
        tools.setMovable(False)
        tools.addAction(self.companies_action)
        tools.addAction(self.contacts_action)
        tools.addSeparator()
        tools.addAction(self.new_company_action)
        tools.addAction(self.new_contact_action)
        tools.addAction(self.claim_action)
        tools.addAction(self.export_action)
        tools.addSeparator()
        tools.addAction(self.save_segment_action)
        tools.addAction(self.delete_segment_action)
        tools.addAction(self.clear_action)
        return tools

    def _lay_out(self) -> None:
        middle = QWidget()
        column = QVBoxLayout(middle)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        # the count is in the status bar (the page's status text), not beside the filters:
        # the filters need the room beside the Today pane
        column.addWidget(self.filters)
        column.addWidget(self.table, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.panel)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([180, 900, 320])
        self.splitter.setCollapsible(1, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    # --- what a page declares ---------------------------------------------------------

    def page_actions(self) -> list[QAction]:
        return [self.companies_action, self.contacts_action, self.new_company_action,
                self.new_contact_action, self.open_action, self.plan_action,
                self.log_action, self.duplicates_action,
                self.merge_action, self.claim_action, self.release_action,
                self.export_action, self.save_segment_action, self.delete_segment_action,
                self.clear_action, self.reload_action]

    def page_menus(self) -> list[QMenu]:
        menu = QMenu(_("C&ustomers"), self)
        menu.addActions([self.companies_action, self.contacts_action])
        menu.addSeparator()
        menu.addActions([self.new_company_action, self.new_contact_action, self.open_action])
        menu.addSeparator()
        menu.addActions([self.plan_action, self.log_action])
        menu.addSeparator()
        menu.addActions([self.duplicates_action, self.merge_action])
        menu.addSeparator()
        menu.addActions([self.claim_action, self.release_action])
        menu.addSeparator()
        menu.addAction(self.export_action)
        menu.addSeparator()
        menu.addActions([self.save_segment_action, self.delete_segment_action,
                         self.clear_action])
        menu.addSeparator()
        menu.addAction(self.reload_action)
        return [menu]

    def tool_bar(self) -> QToolBar:
        return self._tools

    def import_kind(self) -> str | None:
        return "companies" if self.entity == COMPANY else "contacts"

    def apply_changes(self, changes: ChangeSet, origin: object) -> None:
        # customers saved, merged, claimed or released; open deal counts follow deals
        if not (changes.everything or changes.deal_ids or changes.customers):
            return
        self.reload_when_shown()

    def _keep_current(self) -> None:
        """The current row stays selected when the list is read again (in another order,
        or filtered) if it is still listed; if not, the detail beside it is cleared."""
        if self._select_after_load is not None:
            return
        current, shown = self.current_record(), self._detail_for
        if current is not None:
            self._select_after_load = (self.entity, current.id, False)
        elif shown is not None and shown[0] == self.entity:
            self._select_after_load = (self.entity, shown[1], False)

    def reload(self) -> None:
        """Reads the list, the filters' choices and the side panel again; the selected
        row stays selected."""
        self._read_choices()
        self._keep_current()
        self.model.reload()
        if self._detail_for is not None:  # shown, or on its way
            self.open_customer(*self._detail_for, select=False)

    # --- filters, segments, tags ---------------------------------------------------------

    @property
    def entity(self) -> str:
        return self.model.query.entity

    def _read_choices(self) -> None:
        """The owners, lead sources, segments and tags, read off the GUI thread."""
        services, entity = self.workspace.services, self.entity

        def work() -> tuple[object, ...]:
            owners, sources = services.customer_list.choices()
            return (owners, sources, services.customer_list.segments(entity),
                    services.customer_list.tag_counts(entity))

        def done(result: tuple[object, ...]) -> None:
            owners, sources, segments, tags = result
            if entity != self.entity:
                return  # switched meanwhile: that read is on its way
            tag_counts: tuple[TagCount, ...] = tags  # type: ignore[assignment]
            self.filters.set_choices(owners, sources,  # type: ignore[arg-type]
                                     tuple(t.name for t in tag_counts))
            self.panel_model.set_contents(segments, tag_counts)  # type: ignore[arg-type]
            self._mark_panel()
            self.panelLoaded.emit()

        run_in_background(work, done, self._refused, owner=self)

    def show_entity(self, entity: str) -> None:
        """Shows companies or contacts, with no filters."""
        (self.companies_action if entity == COMPANY else self.contacts_action).setChecked(True)
        if entity == self.entity:
            return
        self.detail.clear_customer()
        self._detail_for = None
        self._set_query(CustomerQuery(entity=entity))
        self.table.scrollToTop()  # the other list's place means nothing in this one
        self._read_choices()

    def _set_query(self, query: CustomerQuery, segment: SegmentInfo | None = None) -> None:
        self._segment = segment
        self.filters.set_query(query)
        self.model.set_query(query)
        self._show_sort(query)
        self._mark_panel()
        self._enable()

    def _show_sort(self, query: CustomerQuery) -> None:
        order = Qt.SortOrder.DescendingOrder if query.descending else Qt.SortOrder.AscendingOrder
        columns = self.model.columns if query.entity == self.model.shown_query.entity else ()
        section = columns.index(query.sort) if query.sort in columns else 0
        self.table.setSortingEnabled(False)
        self.table.horizontalHeader().setSortIndicator(section, order)
        self.table.setSortingEnabled(True)

    def _filters_changed(self) -> None:
        self._keep_current()
        # a new filter starts at its first match, unless the row the user is on stays
        self._top_after_load = self._select_after_load is None
        query = self.filters.query()
        self._segment = None
        self.model.set_query(replace(query, sort=self.model.query.sort,
                                     descending=self.model.query.descending))
        self._mark_panel()
        self._enable()

    def choose_fields(self) -> None:
        """Opens the dialog that filters the list by any profile field."""
        entity = self.entity
        choose_fields(self, self.workspace.services, entity, self.filters.query().profile,
                      self.filters.set_profile, self._refused,
                      lambda: self.entity == entity)

    def clear_filters(self) -> None:
        self._set_query(CustomerQuery(entity=self.entity, sort=self.model.query.sort,
                                      descending=self.model.query.descending))

    def _panel_clicked(self, index: QModelIndex) -> None:
        entry = index.data(ENTRY_ROLE)
        if not isinstance(entry, Entry):
            return
        if entry.kind == SEGMENT and entry.segment is not None:
            self.apply_segment(entry.segment)
        elif entry.kind == TAG:
            self.filter_by_tag(entry.tag)

    def filter_by_tag(self, tag: str) -> None:
        """Lists the records with ``tag`` (the other filters kept, but not a segment's:
        a tag picked in the side panel takes the place of the segment picked there); the
        same tag again lifts the filter."""
        current = self.model.query
        if self._segment is not None:
            current = CustomerQuery(current.entity, sort=current.sort,
                                    descending=current.descending)
        self._set_query(replace(current, tag="" if current.tag == tag else tag))

    def apply_segment(self, segment: SegmentInfo) -> None:
        self._set_query(segment.query, segment)

    def _mark_panel(self) -> None:
        """Selects the segment applied, else the tag filtered by, in the side panel."""
        if self._segment is not None:
            row = self.panel_model.row_of(SEGMENT, self._segment.id)
        else:
            row = self.panel_model.row_of(TAG, self.model.query.tag) \
                if self.model.query.tag else -1
        selection = self.panel.selectionModel()
        if row < 0:
            selection.clear()  # no focus frame on a heading either
        else:
            selection.setCurrentIndex(self.panel_model.index(row, 0),
                                      QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def ask_segment_name(self) -> None:
        current = self._segment.name if self._segment is not None else ""
        name, ok = QInputDialog.getText(self, _("Save segment"), _("Name of the segment:"),
                                        text=current)
        if ok and name.strip():
            self.save_segment(name.strip())

    def save_segment(self, name: str) -> None:
        """Keeps the current filters and sort as the segment ``name`` for the whole team."""
        try:
            saved = self.workspace.services.customer_list.save_segment(
                name, self.model.query, by=self.workspace.actor)
        except FunnelDeskError as error:
            self._refused(error)
            return
        self._segment = saved
        self.workspace.show_message(_("Segment “{name}” saved.").format(name=saved.name))
        self._read_choices()
        self._enable()

    def delete_current_segment(self) -> None:
        if self._segment is None:
            return
        answer = QMessageBox.question(self, _("Delete segment"), _(
            "Delete the saved segment “{name}”? Its customers stay; only the saved filters "
            "go.").format(name=self._segment.name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.workspace.services.customer_list.delete_segment(self._segment.id,
                                                                 by=self.workspace.actor)
        except FunnelDeskError as error:
            self._refused(error)
            return
        self.workspace.show_message(_("Segment “{name}” deleted.").format(
            name=self._segment.name))
        self._segment = None
        self._read_choices()
        self._enable()

    # --- rows and the detail ---------------------------------------------------------------

    def _after_load(self) -> None:
        n = self.model.rowCount()
        if self.entity == COMPANY:
            text = ngettext("{n} company", "{n} companies", n)
        else:
            text = ngettext("{n} contact", "{n} contacts", n)
        text = text.format(n=formatting.number(n))
        self.set_status_text(text)
        self.empty.setVisible(n == 0)
        if self._sized_for != self.entity:  # a reset forgets the widths: each kind's own
            self._sized_for = self.entity
            top = self.table.horizontalHeader()
            for section, column in enumerate(self.model.columns):
                title = header(column, self.entity)
                width = max(WIDTHS[column], top.fontMetrics().horizontalAdvance(title) + 32)
                self.table.setColumnWidth(section, width)
        self._show_sort(self.model.query)
        self._enable()
        if self._top_after_load:
            self._top_after_load = False
            self.table.scrollToTop()
        if self._select_after_load is not None:
            entity, ident, lift = self._select_after_load
            self._select_after_load = None
            if entity == self.entity:
                self._select_record(ident, lift=lift)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self.firstPainted.emit)

    def _enable(self) -> None:
        one = self.current_record()
        self.open_action.setEnabled(one is not None)
        self.plan_action.setEnabled(one is not None)
        self.log_action.setEnabled(one is not None)
        self.merge_action.setEnabled(len(self.selected_records()) == 2)
        self.claim_action.setEnabled(one is not None and one.owner_id is None)
        self.release_action.setEnabled(one is not None
                                       and may_release(self.workspace, one))
        self.delete_segment_action.setEnabled(self._segment is not None)

    # --- the rows' actions -----------------------------------------------------------

    def _chosen_company(self) -> int | None:
        """The company a new contact joins: the company selected, or the selected
        contact's."""
        record = self.current_record()
        if isinstance(record, CompanyRow):
            return record.id
        return record.company_id if isinstance(record, ContactRow) else None

    def current_record(self) -> CustomerRow | None:
        """The row the actions act on: the current one, if it is selected."""
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(
                index.row(), QModelIndex()):
            return None
        record: CustomerRow | None = index.data(ROW_ROLE)
        return record

    def selected_records(self) -> list[CustomerRow]:
        rows = sorted(self.table.selectionModel().selectedRows(), key=lambda i: i.row())
        return [r for r in (i.data(ROW_ROLE) for i in rows) if r is not None]

    def _current_changed(self, index: QModelIndex, _previous: QModelIndex) -> None:
        """The detail follows the current row (arrow keys, a click)."""
        record = index.data(ROW_ROLE) if index.isValid() else None
        if record is not None and (self.entity, record.id) != self._detail_for:
            self.open_customer(self.entity, record.id, select=False)
        self._enable()

    def _open_row(self, index: QModelIndex) -> None:
        record = index.data(ROW_ROLE)
        if record is not None:
            self.commands.edit(self.entity, record.id)

    def open_current(self) -> None:
        self._open_row(self.table.currentIndex())

    def activity_current(self, mode: str) -> None:
        """Plans (``mode`` "plan") or logs ("log") an activity with the current customer:
        a contact's shows on their company too."""
        record = self.current_record()
        if record is None:
            return
        if isinstance(record, ContactRow):
            target = Target(target_label("contact", record.name),
                            company_id=record.company_id, contact_id=record.id)
        else:
            target = Target(target_label("company", record.name), company_id=record.id)
        open_dialog(self.workspace, mode, target=target)

    def merge_selected(self) -> None:
        chosen = self.selected_records()
        if len(chosen) == 2:
            self.commands.merge(self.entity, chosen[0], chosen[1])

    def claim_current(self) -> None:
        record = self.current_record()
        if record is not None and record.owner_id is None:
            self.commands.claim(self.entity, record)

    def release_current(self) -> None:
        record = self.current_record()
        if record is not None and record.owner_id is not None:
            self.commands.release(self.entity, record)

    def open_customer(self, entity: str, record_id: int, *, select: bool = True) -> None:
        """Shows the customer in the detail panel and, with ``select``, selects its row
        (showing its kind of records, without filters if they hide it)."""
        if select:
            if entity != self.entity:
                self.companies_action.setChecked(entity == COMPANY)
                self.contacts_action.setChecked(entity == CONTACT)
                self._select_after_load = (entity, record_id, True)
                self._set_query(CustomerQuery(entity=entity))
                self._read_choices()
            else:
                self._select_record(record_id)
        services = self.workspace.services
        self._detail_for = (entity, record_id)
        self._detail_reads += 1
        generation = self._detail_reads  # a read asked before (even of it) is dropped

        actor = self.workspace.actor

        def work() -> tuple[CustomerOverview, list[PoolHistoryEntry], Timeline,
                            AfterSales | None]:
            return (services.customer_list.overview(entity, record_id),
                    services.pool.history(entity, record_id),
                    services.timeline.of_customer(entity, record_id),
                    services.after_sales.for_company(record_id, viewer=actor)
                    if entity == COMPANY else None)

        def done(result: tuple[CustomerOverview, list[PoolHistoryEntry], Timeline,
                               AfterSales | None]) -> None:
            seen, pool, timeline, after = result
            if generation != self._detail_reads:
                return  # asked again meanwhile: that read shows what is current
            self.detail.show_customer(seen, pool, timeline, after)
            self.customerShown.emit(seen.entity, seen.id)

        def failed(error: Exception) -> None:
            if isinstance(error, NotFound) and generation == self._detail_reads:
                self.detail.clear_customer()  # merged away, erased or deleted meanwhile
                self._detail_for = None
                return
            self._refused(error)

        run_in_background(work, done, failed, owner=self)

    def _select_record(self, record_id: int, *, lift: bool = True) -> None:
        """Selects the record's row; with ``lift``, a filter that hides it is lifted
        first, else a record no longer listed leaves the detail."""
        services, query = self.workspace.services, self.model.query
        if self.model.pending:  # the rows it would select in are on their way
            self._select_after_load = (query.entity, record_id, lift)
            return

        def done(row: int | None) -> None:
            if self.model.query != query or self.model.pending:
                return  # another list is shown or coming: its load selects what is asked
            if row is None:
                if not lift:
                    if self._detail_for == (query.entity, record_id):
                        self.detail.clear_customer()
                        self._detail_for = None
                elif query != CustomerQuery(entity=query.entity):
                    self._select_after_load = (query.entity, record_id, True)
                    self._set_query(CustomerQuery(entity=query.entity))
                return
            self.model.ensure(row)
            index = self.model.index(row, 0)
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
            self._enable()

        run_in_background(lambda: services.customer_list.position(query, record_id), done,
                          self._refused, owner=self)

    def _row_menu(self, pos: object) -> None:
        menu = QMenu(self)
        menu.addAction(self.open_action)
        menu.addActions([self.plan_action, self.log_action])
        menu.addSeparator()
        menu.addActions([self.merge_action, self.claim_action, self.release_action])
        menu.popup(self.table.viewport().mapToGlobal(pos))  # type: ignore[call-overload]

    def _refused(self, error: Exception) -> None:
        if not isinstance(error, FunnelDeskError):
            raise error
        self.workspace.show_message(error.message())

    def _read_failed(self, error: FunnelDeskError) -> None:
        self.workspace.show_message(error.message())
        self._show_sort(self.model.query)
