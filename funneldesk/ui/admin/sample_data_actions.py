"""File ▸ Load sample data and File ▸ Remove sample data: both ask first, and sample data
goes into a separate database unless the user chooses this one."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import QMessageBox

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _, language, ngettext
from funneldesk.services.common.permissions import is_manager
from funneldesk.services.dto import ChangeSet, SampleCounts
from funneldesk.ui.common.background import run_with_disabled
from funneldesk.ui.common.errors import show_error

if TYPE_CHECKING:
    from funneldesk.ui.common.page import Workspace

SAMPLE_DEALS = 200


def open_window(path: Path) -> bool:
    """Starts another FunnelDesk on ``path`` (its own process: two databases, two windows)."""
    return QProcess.startDetached(
        sys.executable, ["-m", "funneldesk", "--db", str(path), "--lang", language()])[0]


def removal_text(counts: SampleCounts) -> str:
    lines = [
        ngettext("{n} sample deal, with its history", "{n} sample deals, with their history",
                 counts.deals).format(n=counts.deals),
        ngettext("{n} sample company", "{n} sample companies", counts.companies).format(
            n=counts.companies),
        ngettext("{n} sample contact", "{n} sample contacts", counts.contacts).format(
            n=counts.contacts),
        ngettext("{n} sample sales rep", "{n} sample sales reps", counts.users).format(
            n=counts.users),
    ]
    return _("Remove the sample data from this database for good? This removes:\n{items}\n\n"
             "Your own deals stay, and so do the sample companies and contacts they use.").format(
        items="\n".join(f"• {line}" for line in lines))


class SampleDataActions:
    def __init__(self, workspace: Workspace) -> None:
        self.ws, self.window = workspace, workspace.window
        self.services, self.actor = workspace.services, workspace.actor

    def allowed(self) -> bool:
        return is_manager(self.actor)

    def offer_if_empty(self) -> None:
        if self.allowed() and self.services.is_empty():
            self.load(welcome=True)

    def load(self, welcome: bool = False) -> None:
        path = self.services.sample_data.separate_path()
        from funneldesk.ui.admin.sample_data import SampleDataDialog

        dialog = SampleDataDialog(path, welcome=welcome, parent=self.window)
        if not dialog.exec():
            return
        if dialog.separate():
            self._run(_("Creating the sample database…"),
                      lambda: self.services.sample_data.create_separate(
                          path=path, deals=SAMPLE_DEALS, seed=1, by=self.actor),
                      lambda _summary: self._opened(path))
        else:
            self._run(_("Loading sample data…"),
                      lambda: self.services.demo.generate(
                          deals=SAMPLE_DEALS, seed=1, by=self.actor, append=True),
                      lambda _summary: self._reload(_("The sample data is loaded.")))

    def _opened(self, path: Path) -> None:
        if open_window(path):
            self.ws.show_message(
                _("The sample database opens in a new window: {path}").format(path=path))
        else:
            QMessageBox.warning(self.window, _("FunnelDesk"), _(
                "The sample database is ready, but FunnelDesk could not open a new window. "
                "Open it with: funneldesk --db {path}").format(path=path))

    def remove(self) -> None:
        try:
            counts = self.services.sample_data.counts()
        except FunnelDeskError as error:
            show_error(self.window, error)
            return
        if not counts.total:
            QMessageBox.information(self.window, _("Remove sample data"),
                                    _("This database holds no sample data."))
            return
        answer = QMessageBox.question(self.window, _("Remove sample data"), removal_text(counts))
        if answer != QMessageBox.StandardButton.Yes:
            return

        def done(_counts: Any) -> None:
            self.ws.undo_stack.clear()  # its steps name deals that no longer exist
            self._reload(_("The sample data is removed."))

        self._run(_("Removing sample data…"),
                  lambda: self.services.sample_data.remove(by=self.actor), done)

    def _run(self, message: str, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """Runs ``work`` off the GUI thread with the window disabled meanwhile."""
        self.ws.show_message(message)

        def failed(error: FunnelDeskError) -> None:
            self.ws.show_message("")  # the "…" line would stay, as if it went on
            show_error(self.window, error)

        run_with_disabled(self.window, work, done, failed)

    def _reload(self, message: str) -> None:
        """Every page reads its data again (many deals came or went); then says so (the
        "…" line would otherwise stay)."""
        self.ws.runner.relay(ChangeSet(everything=True))
        self.ws.runner.drop_redo()
        self.ws.show_message(message)
