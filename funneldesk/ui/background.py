"""Runs slow work off the GUI thread.

``run_in_background(work, done, failed)`` calls ``work()`` on a pool thread and then
``done(result)`` or ``failed(error)`` on the GUI thread. ``work`` may call services (each
opens its own session) but must never touch a widget.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


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
            self.relay.failed.emit(error)
        else:
            self.relay.done.emit(result)


_running: set[_Relay] = set()


def run_in_background(work: Callable[[], Any], done: Callable[[Any], None],
                      failed: Callable[[Exception], None]) -> None:
    relay = _Relay()
    _running.add(relay)  # keep the relay alive until it has reported

    def finish(callback: Callable[[Any], None], value: Any) -> None:
        _running.discard(relay)
        callback(value)

    relay.done.connect(lambda result: finish(done, result))
    relay.failed.connect(lambda error: finish(failed, error))
    QThreadPool.globalInstance().start(_Job(work, relay))
