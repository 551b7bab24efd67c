"""Runs slow work off the GUI thread.

``run_in_background(work, done, failed)`` calls ``work()`` on a pool thread and then
``done(result)`` or ``failed(error)`` on the GUI thread. ``work`` may call services (each
opens its own session) but must never touch a widget. With an ``owner``, neither is called
once the owner is gone (a page closed while its read was under way).

A chore that may run for seconds and can be left to the next start (indexing a big
import for search) asks ``quitting()`` between its steps, so that a closed window does not
leave the process running for it: ``finish_background_work()``, as FunnelDesk quits, says
so and waits for every job (the others run to their end).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from funneldesk.errors import FunnelDeskError


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.work, self.relay = work, relay

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as error:
            self._report(self.relay.failed, error)
        else:
            self._report(self.relay.done, result)

    @staticmethod
    def _report(signal: Any, value: Any) -> None:
        # the application may have quit meanwhile, deleting the relay: nobody is left to tell
        with contextlib.suppress(RuntimeError):
            signal.emit(value)


_running: set[_Relay] = set()
_quitting = threading.Event()


def quitting() -> bool:
    """True once FunnelDesk has begun to quit."""
    return _quitting.is_set()


def finish_background_work() -> None:
    """Asks the chores that check ``quitting()`` to stop at their next step, then waits
    for every job: a read still running uses the database that is about to be closed."""
    _quitting.set()
    try:
        QThreadPool.globalInstance().waitForDone()
    finally:
        _quitting.clear()  # a window opened after this one (in the same process) works on


def run_in_background(work: Callable[[], Any], done: Callable[[Any], None],
                      failed: Callable[[Exception], None], owner: QObject | None = None) -> None:
    # the relay belongs to no widget and lives until it has reported: deleted with its
    # owner while the pool thread emitted on it, it crashed the process (a page closed,
    # or a chart dropped, during its read)
    relay = _Relay()
    _running.add(relay)

    def finish(callback: Callable[[Any], None], value: Any) -> None:
        _running.discard(relay)
        relay.deleteLater()
        if owner is not None and not isValid(owner):
            return  # the owner is gone: nobody to tell
        callback(value)

    relay.done.connect(lambda result: finish(done, result))
    relay.failed.connect(lambda error: finish(failed, error))
    QThreadPool.globalInstance().start(_Job(work, relay))


def run_with_disabled(widget: QWidget, work: Callable[[], Any], done: Callable[[Any], None],
                      refused: Callable[[FunnelDeskError], None]) -> None:
    """Runs ``work`` off the GUI thread with ``widget`` disabled meanwhile, so nothing in
    it can be clicked twice; an unexpected error (a bug) is raised again on the GUI thread."""
    widget.setEnabled(False)

    def finished(result: Any) -> None:
        widget.setEnabled(True)
        done(result)

    def failed(error: Exception) -> None:
        widget.setEnabled(True)
        if not isinstance(error, FunnelDeskError):
            raise error
        refused(error)

    run_in_background(work, finished, failed)
