"""Opens the import wizard (File ▸ Import…, or a page that imports its own kind)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.dto import Actor, ChangeSet
from funneldesk.ui.common.page import Workspace
from funneldesk.ui.common.save_state import note_saved
from funneldesk.ui.customers.import_wizard import ImportWizard
from funneldesk.ui.customers.opening import find_duplicates


def open_import_wizard(parent: QWidget | None, services: Services, actor: Actor,
                       workspace: Workspace | None = None,
                       kind: str | None = None) -> ImportWizard:
    """Shows the wizard, modal to ``parent``'s window, and returns it at once. Every page
    the workspace has shows what an import wrote as soon as it is done."""
    wizard = ImportWizard(services, actor, kind, parent)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if workspace is not None:
        runner = workspace.runner
        wizard.imported.connect(lambda _report: runner.relay(ChangeSet(everything=True)))
        wizard.imported.connect(lambda _report: runner.drop_redo())  # no step of its own
        wizard.imported.connect(lambda _report: note_saved())  # the status bar's "saved at"
        wizard.closedCancelled.connect(lambda: workspace.show_message(
            _("The import was cancelled; nothing was written.")))
        wizard.closedWritten.connect(lambda report: workspace.show_message(
            _("The import had been saved before it could be cancelled: {summary}.").format(
                summary=report.summary())))

    def review(entity: str) -> None:
        """Find duplicates on what was imported, in place of the wizard (its work done)."""
        report = wizard.import_page.result
        wizard.accept()
        find_duplicates(workspace or parent, services, actor, entity, report)

    wizard.reviewDuplicates.connect(review)
    wizard.open()
    return wizard
