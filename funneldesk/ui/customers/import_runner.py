"""Runs an import (or its dry run) off the GUI thread, with its progress relayed to the
GUI thread as a signal and a Cancel that the import reads between rows."""

from __future__ import annotations

import threading
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Signal

from funneldesk.errors import FunnelDeskError
from funneldesk.services import Services
from funneldesk.services.common.tabular.engine import ImportOptions, ImportReport
from funneldesk.services.common.tabular.files import Table
from funneldesk.services.dto import Actor
from funneldesk.ui.common.background import quitting, run_in_background


class ImportRunner(QObject):
    """Runs imports, the last one started being the current one. ``progressed(done,
    total)`` is emitted on the worker thread; Qt queues it to receivers that live on the
    GUI thread, so a slot of a widget may touch widgets."""

    progressed = Signal(int, int)
    # after an import that wrote: "" once its records are findable with Ctrl+K, else why not
    searchIndexed = Signal(str)
    # then, by kind of record ("company", "contact"): how many it made have names like
    # others' (kinds with none left out)
    alikeFound = Signal(object)

    def __init__(self, services: Services, actor: Actor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self._cancel = threading.Event()
        self._unfinished = 0

    @property
    def running(self) -> bool:
        return self._unfinished > 0

    def start(self, kind: str, table: Table, options: ImportOptions,
              done: Callable[[ImportReport], None],
              refused: Callable[[FunnelDeskError], None]) -> None:
        """Starts an import; ``done`` or ``refused`` is called on the GUI thread."""
        self._cancel.set()  # one at a time: an earlier run still going is no longer wanted
        cancel = self._cancel = threading.Event()
        self._unfinished += 1
        imports, actor, emit = self.services.imports, self.actor, self.progressed.emit
        customers, duplicates = self.services.customers, self.services.duplicates

        def work() -> ImportReport:  # on a pool thread: touches no widget
            return imports.run(kind, table, options, by=actor, progress=emit,
                               cancelled=cancel.is_set)

        def finished(report: ImportReport) -> None:
            self._unfinished -= 1
            done(report)
            if report.wrote:  # what the import wrote, for Ctrl+K (it left that to this)
                run_in_background(lambda: customers.index_missing(quitting),
                                  lambda _n: indexed(""), not_indexed)
                if report.created_from or report.renamed:
                    run_in_background(lambda: duplicates.alike_of(report), alike, not_alike)

        def indexed(problem: str) -> None:
            if shiboken6.isValid(self):  # the wizard may have closed meanwhile
                self.searchIndexed.emit(problem)

        def alike(found: dict[str, int]) -> None:
            if shiboken6.isValid(self):
                self.alikeFound.emit(found)

        def not_alike(error: Exception) -> None:
            if not isinstance(error, FunnelDeskError):
                raise error  # a bug: reported as one on the GUI thread
            # the import is saved; Find duplicates still finds them

        def not_indexed(error: Exception) -> None:
            if not isinstance(error, FunnelDeskError):
                raise error  # a bug: reported as one on the GUI thread
            indexed(str(error))  # the next start indexes what this left out

        def failed(error: Exception) -> None:
            self._unfinished -= 1
            if not isinstance(error, FunnelDeskError):
                raise error  # a bug: reported as one on the GUI thread
            refused(error)

        run_in_background(work, finished, failed)

    def cancel(self) -> None:
        """Asks the current import to stop; it then writes nothing."""
        self._cancel.set()
