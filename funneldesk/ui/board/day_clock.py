"""Tells the board when the local date turns, so that day counts, rot marks and overdue
dates stay current in a window left open overnight."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

# Timers stop while the machine sleeps and the clock can be set: look again at least this
# often, and whenever the application becomes active.
LONGEST_WAIT_MS = 60 * 60 * 1000
AFTER_MIDNIGHT_MS = 1000  # so that the date has surely turned when the timer fires


class DayClock(QObject):
    dayChanged = Signal(object)  # the new date

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.now: Callable[[], dt.datetime] = dt.datetime.now
        self._day = self.now().date()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.CoarseTimer)
        self.timer.timeout.connect(self.check)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._state_changed)
        self._arm()

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.check()

    def today(self) -> dt.date:
        return self._day

    def check(self) -> None:
        day = self.now().date()
        if day != self._day:
            self._day = day
            self.dayChanged.emit(day)
        self._arm()

    def _arm(self) -> None:
        now = self.now()
        midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time())
        wait = int((midnight - now).total_seconds() * 1000) + AFTER_MIDNIGHT_MS
        self.timer.start(max(0, min(wait, LONGEST_WAIT_MS)))
