"""The Activities page: every activity, planned, done or cancelled, whoever it is for,
filtered by where it stands, whose it is, its kind and any word in it; each one edited,
marked done, cancelled or opened from here (the Today pane shows only the next 7 days)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.enums import ActivityKind, ActivityState
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _, ngettext
from funneldesk.services.activities.activity_list import ActivityQuery, Showing, showing_label
from funneldesk.services.activities.records import Activity, kind_label
from funneldesk.services.dto import ChangeSet, UserInfo
from funneldesk.ui.activities import actions, completing
from funneldesk.ui.activities.activity_dialog import open_dialog
from funneldesk.ui.activities.list_model import COLUMNS, ActivitiesTableModel
from funneldesk.ui.common import list_export, record_table
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.page import Page, Workspace
from funneldesk.ui.common.paged_model import ROW_ROLE

TYPING_MS = 250  # the list is read again this long after the last key typed
EVERYONE = -1  # the Whose box's "Everyone" (a user's id otherwise)
# each column's first width, in average characters (the last column stretches)
_WIDTHS = (20, 10, 28, 30, 12, 11)


class ActivitiesPage(Page):
    key = "activities"

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self._painted = False
        self._chosen: int | None = None  # the id of the activity last chosen
        self._chosen_row = 0  # and its row then
        self.model = ActivitiesTableModel(workspace.services, self._failed,
                                          query=ActivityQuery(assignee_id=workspace.actor.id))
        self.table = self._make_table()
        self.empty = record_table.empty_notice(self.table)
        self.showing = QComboBox()
        self.showing.setAccessibleName(_("Show"))
        for showing in Showing:
            self.showing.addItem(showing_label(showing), showing.value)
        self.whose = QComboBox()
        self.whose.setAccessibleName(_("Whose"))
        self.whose.addItem(_("Mine"), workspace.actor.id)
        self.whose.addItem(_("Everyone's"), EVERYONE)
        self.kind = QComboBox()
        self.kind.setAccessibleName(_("Kind"))
        self.kind.addItem(_("Every kind"), "")
        for kind in ActivityKind:
            self.kind.addItem(kind_label(kind), kind.value)
        self.text = QLineEdit()
        self.text.setClearButtonEnabled(True)
        self.text.setPlaceholderText(_("Find in titles, agendas, outcomes, deals, customers"))
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_MS)
        self._typing.timeout.connect(self._filters_changed)
        for box in (self.showing, self.whose, self.kind):
            box.currentIndexChanged.connect(self._filters_changed)
        self.text.textChanged.connect(lambda _t: self._typing.start())
        self._make_actions()
        self._tools = self._make_tool_bar()
        self._lay_out()
        self.model.loaded.connect(self._after_load)
        # the current row's activity may arrive after it became current (a page read late)
        self.model.pageLoaded.connect(lambda _page: self._current_changed())
        self._read_users()
        self.model.set_query(self.model.query)

    # --- building --------------------------------------------------------------------

    def _make_table(self) -> QTableView:
        table = record_table.set_up(QTableView())
        table.setModel(self.model)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        top = table.horizontalHeader()
        top.setSortIndicator(0, Qt.SortOrder.AscendingOrder)  # the query's order, first
        table.setSortingEnabled(True)
        average = table.fontMetrics().averageCharWidth()
        for section, width in enumerate(_WIDTHS):
            table.setColumnWidth(section, width * average + 16)
        table.activated.connect(lambda _index: self.edit_current())
        table.selectionModel().currentRowChanged.connect(lambda *_a: self._current_changed())
        table.customContextMenuRequested.connect(self._row_menu)
        return table

    def _make_actions(self) -> None:
        action = self.make_action
        self.edit_action = action(actions.EDIT, self.edit_current)
        self.done_action = action(actions.MARK_DONE, self.complete_current)
        self.cancel_action = action(actions.CANCEL, self.cancel_current)
        self.open_action = action(actions.OPEN_RECORD, self.open_current)
        self.export_action = action(actions.EXPORT, self.export)
        self.clear_action = action(actions.CLEAR_FILTERS, self.clear_filters)
        self.reload_action = action(actions.RELOAD, self.reload)
        # short words on the tool bar
        self.done_action.setIconText(_("Mark done"))
        self.cancel_action.setIconText(_("Cancel activity"))
        self.open_action.setIconText(_("Open"))
        self._enable()

    def _make_tool_bar(self) -> QToolBar:
        tools = QToolBar(_("Activities"))
        tools.setObjectName("activities-toolbar")
        tools.setMovable(False)
        tools.addActions([self.edit_action, self.done_action, self.cancel_action,
                          self.open_action])
        tools.addSeparator()
        tools.addActions([self.export_action, self.clear_action])
        return tools

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        filters.setContentsMargins(6, 6, 6, 6)
        filters.addWidget(self.showing)
        filters.addWidget(self.whose)
        filters.addWidget(self.kind)
        filters.addWidget(self.text, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

    def page_actions(self) -> list[QAction]:
        return [self.edit_action, self.done_action, self.cancel_action, self.open_action,
                self.export_action, self.clear_action, self.reload_action]

    def page_menus(self) -> list[QMenu]:
        menu = QMenu(_("&Activities"), self)
        menu.addActions([self.edit_action, self.done_action, self.cancel_action,
                         self.open_action])
        menu.addSeparator()
        menu.addActions([self.export_action, self.clear_action])
        menu.addSeparator()
        menu.addAction(self.reload_action)
        return [menu]

    def tool_bar(self) -> QToolBar:
        return self._tools

    # --- reading ---------------------------------------------------------------------

    def _read_users(self) -> None:
        """Each colleague in the Whose box, after Mine and Everyone's."""
        services, me = self.workspace.services, self.workspace.actor.id

        def show(users: list[UserInfo]) -> None:
            for user in users:
                if user.id != me and self.whose.findData(user.id) < 0:
                    self.whose.addItem(user.display_name, user.id)

        run_in_background(services.users.list, show, self._failed, owner=self)

    def query(self) -> ActivityQuery:
        """What the filters ask for, in the order the list is sorted."""
        whose = self.whose.currentData()
        kind = self.kind.currentData()
        return replace(self.model.query, showing=Showing(self.showing.currentData()),
                       assignee_id=None if whose == EVERYONE else int(whose),
                       kind=ActivityKind(kind) if kind else None, text=self.text.text())

    def _filters_changed(self) -> None:
        self._typing.stop()
        query = self.query()
        if query != self.model.query:
            self.model.set_query(query)
        self.clear_action.setEnabled(self._filtered())

    def _filtered(self) -> bool:
        return (self.showing.currentIndex(), self.whose.currentIndex(),
                self.kind.currentIndex(), self.text.text()) != (0, 0, 0, "")

    def clear_filters(self) -> None:
        for box in (self.showing, self.whose, self.kind):
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        self.text.blockSignals(True)
        self.text.clear()
        self.text.blockSignals(False)
        self._filters_changed()

    def reload(self) -> None:
        self.model.reload()

    def _after_load(self) -> None:
        count = self.model.rowCount()
        self.empty.setText(_("No activity matches these filters.") if self._filtered()
                           else _("Nothing planned. Plan an activity from a deal's card or a "
                                  "customer, or when you mark one done."))
        self.empty.setVisible(count == 0)
        self.set_status_text(ngettext("{n} activity", "{n} activities", count).format(
            n=formatting.number(count)))
        # the activity chosen stays chosen where it is still listed (after a change, a
        # sort, a filter); gone (cancelled, done), the one that took its place
        row = self.model.row_of(self._chosen) if self._chosen is not None else None
        if row is None and count:
            row = min(self._chosen_row, count - 1)
        if row is not None:
            self.table.selectRow(row)
        self._enable()
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self.firstPainted.emit)

    def _failed(self, error: Exception) -> None:
        if not isinstance(error, FunnelDeskError):
            raise error  # a bug: the application's handler reports it
        show_error(self, error)

    def apply_changes(self, changes: ChangeSet, origin: object) -> None:
        # activities, or the deals and customers whose names they show
        if not (changes.everything or changes.activity_ids or changes.deal_ids
                or changes.customers):
            return
        self.reload_when_shown()

    # --- acting on the current row -------------------------------------------------------

    def _current_changed(self) -> None:
        activity = self.current()
        if activity is not None:
            self._chosen, self._chosen_row = activity.id, self.table.currentIndex().row()
        self._enable()

    def current(self) -> Activity | None:
        found = self.table.currentIndex().data(ROW_ROLE)
        return found if isinstance(found, Activity) else None

    def _enable(self) -> None:
        activity = self.current()
        planned = activity is not None and activity.state is ActivityState.PLANNED
        self.edit_action.setEnabled(activity is not None
                                    and activity.state is not ActivityState.CANCELLED)
        self.done_action.setEnabled(planned)
        self.cancel_action.setEnabled(planned)
        self.open_action.setEnabled(activity is not None and activity.record is not None)
        self.clear_action.setEnabled(self._filtered())

    def _today(self) -> dt.date:
        return self.model.now().astimezone().date()

    def edit_current(self) -> None:
        activity = self.current()
        if activity is None:
            return
        if activity.state is ActivityState.CANCELLED:
            self.workspace.show_message(_("A cancelled activity cannot be edited."))
            return
        open_dialog(self.workspace, "edit", activity=activity, today=self._today())

    def complete_current(self) -> None:
        activity = self.current()
        if activity is not None and activity.state is ActivityState.PLANNED:
            completing.ask_done(self.workspace, activity, self._today(), origin=self)

    def cancel_current(self) -> None:
        activity = self.current()
        if activity is not None and activity.state is ActivityState.PLANNED:
            completing.cancel(self.workspace, activity, origin=self)

    def open_current(self) -> None:
        activity = self.current()
        if activity is not None and activity.record is not None:
            self.workspace.open_record(*activity.record)

    def export(self) -> None:
        """The list as it is filtered, to a spreadsheet."""
        target = list_export.ask_target(self.workspace, _("activities"))
        if target is None:
            return
        query, services = self.model.shown_query, self.workspace.services
        list_export.write(
            self.workspace, target.path,
            lambda: services.activity_exports.export(target.path, query=query,
                                                     labels=not target.field_names),
            lambda n: ngettext("{n} activity written to {file}.",
                               "{n} activities written to {file}.", n))

    def _row_menu(self, point: QPoint) -> None:
        index = self.table.indexAt(point)
        if not index.isValid():
            return
        self.table.setCurrentIndex(index)
        menu = QMenu(self)
        menu.addActions([self.edit_action, self.done_action, self.cancel_action,
                         self.open_action])
        menu.exec(self.table.viewport().mapToGlobal(point))


__all__ = ["COLUMNS", "ActivitiesPage"]
