"""Reminders that fire from this computer while FunnelDesk runs: when one of the user's
activities falls due, the reminder window lists it (and the tray, where there is one,
says so). Those that fell due while FunnelDesk was not running show at its next start.

The notifier waits for the next reminder's time rather than looking every minute, but
looks again at least every ``LONGEST_WAIT_MS`` (a laptop that slept, another window that
planned something) and soon after any change to activities. Nothing here needs a
network: the activities are in the database on this computer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QSystemTrayIcon

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _, ngettext
from funneldesk.services.activities.records import Activity, DueReminders, moment_text
from funneldesk.services.dto import ChangeSet
from funneldesk.ui.activities.completing import ask_done
from funneldesk.ui.activities.reminder_window import ReminderWindow, snoozed_until
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.errors import show_bug, show_error
from funneldesk.ui.common.page import Workspace

LONGEST_WAIT_MS = 5 * 60 * 1000
SETTLE_MS = 1000  # a change to activities is looked at once this long after the last one


class ReminderNotifier(QObject):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace.window)
        self.workspace = workspace
        self.tray: QSystemTrayIcon | None = None  # made by ``start``, where there is one
        self.now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
        self.window = ReminderWindow()
        self.window.doneAsked.connect(self._done)
        self.window.snoozeAsked.connect(self._snooze)
        self.window.openAsked.connect(self._open)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.check)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.check)
        self._checking = False
        self._again = False
        self.started = False
        self.closed = False
        self.checked = 0  # how many looks have been answered (tests wait for it)
        self.waiting_ms = 0  # until the next look, as last armed (Qt's coarse timer may
        # fire up to 5 % later)

    def start(self, tray: Callable[[], QSystemTrayIcon | None] | None = None) -> None:
        """Looks for reminders due (those that fell due while FunnelDesk was not running
        among them), and from then on at each one's time; ``tray`` makes the tray icon
        they are said on too (made now, not before the first paint)."""
        if not self.started:
            self.started = True
            if tray is not None:
                self.tray = tray()
                if self.tray is not None:
                    self.tray.messageClicked.connect(self.window.show)
            self.check()

    def check(self) -> None:
        if not self.started or self.closed:
            return
        if self._checking:
            self._again = True
            return
        self._checking = True
        reminders, user, now = self.workspace.services.reminders, self.workspace.actor.id, \
            self.now()
        listed = [a.id for a in self.window.activities()]
        # each is shown once (unless put off): the look stamps those it finds due
        run_in_background(lambda: reminders.take_due(user, now, listed), self._found,
                          self._failed, owner=self)

    def _found(self, found: DueReminders) -> None:
        self._checking = False
        if self.closed:  # the window went while the look was under way
            return
        self.checked += 1
        self.window.keep(list(found.listed))  # done or moved elsewhere meanwhile: gone
        if found.due:
            self.window.add(list(found.due))
            self._tell_tray(list(found.due))
        self._arm(found.next_at)
        if self._again:
            self._again = False
            self.check()

    def _failed(self, error: Exception) -> None:
        """A busy or unreachable database: said in the status bar, looked at again later."""
        self._checking = False
        self._arm(None)  # looked at again later, whatever went wrong
        if not isinstance(error, FunnelDeskError):
            show_bug(self.workspace.window, error)
            return
        self.workspace.show_message(error.message())

    def _arm(self, following: dt.datetime | None) -> None:
        wait = LONGEST_WAIT_MS
        if following is not None:
            seconds = (following - self.now()).total_seconds()
            wait = min(wait, max(0, int(seconds * 1000)) + 500)  # just after it
        self.waiting_ms = wait
        self.timer.start(wait)

    def _tell_tray(self, due: list[Activity]) -> None:
        if self.tray is None or not self.tray.isVisible():
            return
        title = (due[0].summary if len(due) == 1 else
                 ngettext("{n} reminder", "{n} reminders", len(due)).format(n=len(due)))
        self.tray.showMessage(title, "\n".join(a.due_text for a in due[:3] if a.due_text)
                              or _("Due now"), QSystemTrayIcon.MessageIcon.Information)

    def apply_changes(self, changes: ChangeSet, origin: object) -> None:
        """An activity planned, moved or done (here, in a deal's form, by a Reload of what
        another window changed): its reminder may be due sooner or not at all, and one
        listed may be done. The next look, once the changes settle, finds out."""
        if self.closed:
            return
        listed = self.window.model.rowCount() > 0
        if changes.everything or changes.activity_ids or changes.customers \
                or (changes.deal_ids and listed):  # a move: only what is listed may go
            self._settle.start()

    def show_window(self) -> None:
        """The reminders listed, shown again (the window may have been closed)."""
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()

    def close(self) -> None:
        """With the main window (which may be closed more than once): the reminders
        window is a window of its own."""
        if self.closed:
            return
        self.closed = self.started = True  # no look after this
        self.timer.stop()
        self._settle.stop()
        self.window.close()
        self.window.deleteLater()

    # --- what the window asks ---------------------------------------------------------

    def _done(self, activity: Activity) -> None:
        dialog = ask_done(self.workspace, activity, self.now().astimezone().date(),
                          origin=self, after=lambda _r: self.window.drop(activity.id))
        dialog.finished.connect(lambda _r: self._settle.start())  # refused: is it still due?

    def _snooze(self, activity: Activity, delay: dt.timedelta | None) -> None:
        until = snoozed_until(delay, self.now())
        try:
            self.workspace.services.reminders.snooze(activity.id, until,
                                                     by=self.workspace.actor)
        except FunnelDeskError as error:  # done or given away elsewhere, mostly
            show_error(self.window, error)
            self._settle.start()
            return
        self.window.drop(activity.id)
        self.workspace.show_message(_("“{title}” will remind you again at {time}.").format(
            title=activity.summary, time=_when(until, self.now())))
        # the next look (in five minutes at the most) finds when it falls due again

    def _open(self, activity: Activity) -> None:
        window = self.workspace.window
        window.show()
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.activateWindow()
        if activity.record is not None:
            self.workspace.open_record(*activity.record)


def _when(moment: dt.datetime, now: dt.datetime) -> str:
    """Its time if it is today, else its day and time."""
    same_day = moment.astimezone().date() == now.astimezone().date()
    return formatting.time_short(moment) if same_day else moment_text(moment)
