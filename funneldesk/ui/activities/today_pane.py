"""The Today pane: the current user's overdue activities, today's and the next 7 days',
docked beside every page. It is read off the GUI thread, again after every change that
touches activities or what they hang on, and each minute, so that an activity turns
overdue on time in a window left open."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services.activities.records import Activity
from funneldesk.services.dto import ChangeSet
from funneldesk.ui.activities.activity_dialog import open_dialog
from funneldesk.ui.activities.completing import ask_done
from funneldesk.ui.activities.today_model import ActivityRole, TodayDelegate, TodayModel
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.common.errors import show_bug
from funneldesk.ui.common.page import Pane, Workspace

REFRESH_MS = 60 * 1000  # what turns overdue shows so within a minute
# a change to deals or customers (a move, an edit) is read once this long after the last
# one: a burst of moves makes one read, after the board has repainted, not one per move
SETTLE_MS = 500
# the first read waits this long after the pane is built (just after the first paint): its
# first query loads the ORM, which would hold up a card dragged at once
FIRST_READ_MS = 1500


class TodayPane(Pane):
    loaded = Signal()  # what the pane shows was read and is shown

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self.now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
        self.model = TodayModel()
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(TodayDelegate(self.view))
        self.view.setUniformItemSizes(False)
        self.view.setAccessibleName(_("Today's activities"))
        self.view.doubleClicked.connect(self._open)
        self.view.activated.connect(self._open)
        self.empty = QLabel(_("Reading your activities…"))  # until the first read is in
        self.empty.setWordWrap(True)
        self.problem = ErrorLabel()  # why the last read failed (the database busy ...)
        # tool buttons: narrower than push buttons, so the pane can be narrow too
        self.done_button = QToolButton()
        self.done_button.setText(_("Mark done…"))
        self.done_button.clicked.connect(self.complete_current)
        self.edit_button = QToolButton()
        self.edit_button.setText(_("Edit…"))
        self.edit_button.setToolTip(_("Change the day, time, kind or agenda, or give it to "
                                      "someone else"))
        self.edit_button.clicked.connect(self.edit_current)
        self.open_button = QToolButton()
        self.open_button.setText(_("Open"))
        self.open_button.setToolTip(_("Open the deal or customer it is for"))
        self.open_button.clicked.connect(lambda: self._open(self.view.currentIndex()))
        buttons = QHBoxLayout()
        buttons.addWidget(self.done_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        selection = self.view.selectionModel()
        selection.currentChanged.connect(lambda *_a: self._enable())
        self._enable()
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.setTimerType(Qt.TimerType.CoarseTimer)
        self.timer.timeout.connect(self.reload)
        self.timer.start()
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.reload)
        QTimer.singleShot(FIRST_READ_MS, self, self._first_read)

    def _first_read(self) -> None:
        if self.model.reminders is None and not self._reading:  # not read on request yet
            self.reload()

    def current(self) -> Activity | None:
        found = self.view.currentIndex().data(ActivityRole)
        return found if isinstance(found, Activity) else None

    def _enable(self) -> None:
        chosen = self.current() is not None
        self.done_button.setEnabled(chosen)
        self.edit_button.setEnabled(chosen)
        self.open_button.setEnabled(chosen)

    def has_read(self) -> bool:
        return self.model.reminders is not None

    def start_read(self) -> None:
        """Reads the user's reminders again."""
        services, user, now = self.workspace.services, self.workspace.actor.id, self.now()
        run_in_background(lambda: services.reminders.reminders(user, now), self._show,
                          self._failed, owner=self)

    def _show(self, reminders: object) -> None:
        if not self.read_ended():
            return
        self.problem.show_message("")
        if reminders == self.model.reminders:  # nothing to show anew (a move, mostly)
            self.loaded.emit()
            return
        chosen = self.current()
        self.model.show(reminders)  # type: ignore[arg-type]  # what reminders() returns
        found = self.model.reminders
        self.empty.setText(_("Nothing planned for the next 7 days. Plan a follow-up when "
                             "you mark an activity done."))
        self.empty.setVisible(found is not None and not (found.overdue or found.today
                                                          or found.upcoming))
        row = self.model.row_of(chosen.id) if chosen is not None else None
        if row is not None:
            self.view.setCurrentIndex(self.model.index(row))
        self._enable()
        self.loaded.emit()

    def _failed(self, error: Exception) -> None:
        """Said in the pane, not in a box: the pane reads again each minute, and a box
        each time would pile up while the database is unreachable."""
        self.read_ended()
        if isinstance(error, FunnelDeskError):
            self.problem.show_error(error)
            return
        self.timer.stop()  # a bug: said once
        show_bug(self, error)

    def apply_changes(self, changes: ChangeSet, origin: object) -> None:
        if changes.everything or changes.activity_ids:
            self._settle.stop()
            self.reload()
        elif changes.deal_ids or changes.customers:  # what activities name (renamed, trashed)
            self._settle.start()

    def _open(self, index: QModelIndex) -> None:
        activity = index.data(ActivityRole)
        if isinstance(activity, Activity) and activity.record is not None:
            self.workspace.open_record(*activity.record)

    def edit_current(self) -> None:
        activity = self.current()
        if activity is None:
            return
        open_dialog(self.workspace, "edit", activity=activity,
                    today=self.now().astimezone().date())

    def complete_current(self) -> None:
        """Marks the chosen activity done, asking what came of it and the next one."""
        activity = self.current()
        if activity is not None:
            ask_done(self.workspace, activity, self.now().astimezone().date(), origin=self)
