"""The reminders that have fallen due, in a small window that stays above the others until
each is dealt with: marked done (with the next step), put off, or opened."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal, SignalInstance
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from funneldesk.i18n import N_, _, ngettext
from funneldesk.services.activities.records import Activity
from funneldesk.ui.activities.today_model import ActivityRole, TodayDelegate, tool_tip

ReminderRole = ActivityRole  # the row's Activity (TodayDelegate paints it)
# the choices of Snooze: a label and how long (None: tomorrow at the hour given)
SNOOZES: tuple[tuple[str, dt.timedelta | None], ...] = (
    (N_("10 minutes"), dt.timedelta(minutes=10)), (N_("1 hour"), dt.timedelta(hours=1)),
    (N_("Tomorrow at 9:00"), None))
TOMORROW_AT = dt.time(9, 0)


def snoozed_until(choice: dt.timedelta | None, now: dt.datetime) -> dt.datetime:
    """When a reminder put off by ``choice`` shows again."""
    if choice is not None:
        return now + choice
    tomorrow = now.astimezone().date() + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, TOMORROW_AT).astimezone()


class ReminderWindow(QWidget):
    """Lists the reminders handed to ``add``; the buttons act on the one chosen. Closing
    it only hides it: what it lists stays listed (View ▸ Panes ▸ Reminders shows it
    again, as does the next reminder)."""

    doneAsked = Signal(object)  # Activity
    snoozeAsked = Signal(object, object)  # Activity, the delay (None: tomorrow morning)
    openAsked = Signal(object)  # Activity

    def __init__(self) -> None:
        # a window of its own, not a tool window of the main one: those hide with it when
        # it is minimised (or, on macOS, whenever FunnelDesk is not the active program),
        # which is when a reminder matters most. Its owner closes it with the main window.
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle(_("FunnelDesk reminders"))
        self.model = QStandardItemModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(TodayDelegate(self.view))  # two lines, as in the pane
        self.view.doubleClicked.connect(lambda index: self._ask(self.openAsked, index))
        self.heading = QLabel()
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.done_button = QPushButton(_("Mark done…"))
        self.done_button.clicked.connect(lambda: self._ask(self.doneAsked))
        self.snooze_button = QToolButton()
        self.snooze_button.setText(_("Snooze"))
        self.snooze_button.setToolTip(_("Remind me again later"))
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.snooze_button)
        for label, delay in SNOOZES:
            action = menu.addAction(_(label))
            action.setData(delay)
        menu.triggered.connect(lambda action: self._snooze(action.data()))
        self.snooze_button.setMenu(menu)
        self.open_button = QPushButton(_("Open"))
        self.open_button.clicked.connect(lambda: self._ask(self.openAsked))
        buttons = QHBoxLayout()
        buttons.addWidget(self.done_button)
        buttons.addWidget(self.snooze_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.view.selectionModel().currentChanged.connect(lambda *_a: self._enable())
        self.resize(380, 260)
        self._enable()

    def activities(self) -> list[Activity]:
        return [self.model.item(r).data(ReminderRole) for r in range(self.model.rowCount())]

    def add(self, found: list[Activity]) -> None:
        """Lists these too (one already listed is shown as it now is), and shows the
        window with the first new one chosen."""
        listed = {a.id: r for r, a in enumerate(self.activities())}
        first_new: int | None = None
        for activity in found:
            row = listed.get(activity.id)
            if row is None:
                self.model.appendRow(_item(activity))
                if first_new is None:
                    first_new = self.model.rowCount() - 1
            else:
                self.model.setItem(row, _item(activity))
        if first_new is not None:
            self.view.setCurrentIndex(self.model.index(first_new, 0))
        self._enable()
        self.show()
        self.raise_()

    def keep(self, still: list[Activity]) -> None:
        """Keeps of the listed reminders those ``still`` planned for the user, as they now
        are (done, cancelled, given to someone else or trashed elsewhere: they go)."""
        now = {a.id: a for a in still}
        for row in reversed(range(self.model.rowCount())):
            activity = self.model.item(row).data(ReminderRole)
            if activity.id in now:
                self.model.setItem(row, _item(now[activity.id]))
            else:
                self.model.removeRow(row)
        self._enable()
        if not self.model.rowCount():
            self.hide()

    def drop(self, activity_id: int) -> None:
        """Takes an activity off the list (done or put off here); the window goes when the
        list is empty."""
        self.keep([a for a in self.activities() if a.id != activity_id])

    def current(self) -> Activity | None:
        index = self.view.currentIndex()
        found = index.data(ReminderRole) if index.isValid() else None
        return found if isinstance(found, Activity) else None

    def _ask(self, signal: SignalInstance,
             index: QModelIndex | QPersistentModelIndex | None = None) -> None:
        activity = index.data(ReminderRole) if index is not None else self.current()
        if isinstance(activity, Activity):
            signal.emit(activity)

    def _snooze(self, delay: dt.timedelta | None) -> None:
        activity = self.current()
        if activity is not None:
            self.snoozeAsked.emit(activity, delay)

    def _enable(self) -> None:
        count = self.model.rowCount()
        self.heading.setText(ngettext("{n} reminder", "{n} reminders", count).format(n=count))
        chosen = self.current() is not None
        for button in (self.done_button, self.snooze_button, self.open_button):
            button.setEnabled(chosen)


def _item(activity: Activity) -> QStandardItem:
    item = QStandardItem(activity.summary)
    item.setData(activity, ReminderRole)
    item.setEditable(False)
    item.setToolTip(tool_tip(activity))
    return item

