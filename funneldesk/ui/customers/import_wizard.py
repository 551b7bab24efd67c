"""The import wizard: a file of companies, contacts, products (or any kind the services
import), its columns matched to fields (for deals, its stages too), its first rows
previewed, a dry run, then the import, off the GUI thread with its progress and a Cancel.

Each step is a page (import_setup_pages, import_preview_page, import_run_pages); the
wizard holds what they share: the services, the runner and the options chosen.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.common.tabular.engine import ImportOptions, ImportReport
from funneldesk.services.dto import Actor
from funneldesk.ui.customers.import_preview_page import PreviewPage
from funneldesk.ui.customers.import_run_pages import DryRunPage, ImportPage
from funneldesk.ui.customers.import_runner import ImportRunner
from funneldesk.ui.customers.import_setup_pages import FilePage, MappingPage
from funneldesk.ui.customers.import_stages_page import StagesPage


class ImportWizard(QWizard):
    imported = Signal(object)  # the ImportReport of an import that wrote records
    closedCancelled = Signal()  # closed during an import, which was cancelled: nothing written
    # closed during an import that had been written when the cancel came (its report)
    closedWritten = Signal(object)
    reviewDuplicates = Signal(str)  # look for repeats of what was imported ("company" ...)

    def __init__(self, services: Services, actor: Actor, kind: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.setWindowTitle(_("Import"))
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage)
        self.setButtonText(QWizard.WizardButton.CommitButton, _("Import"))
        self.runner = ImportRunner(services, actor, self)
        self._close_when_stopped = False  # closed while the import ran: close once it stops
        self.file_page = FilePage(self, kind)
        self.mapping_page = MappingPage(self)
        self.stages_page = StagesPage(self)
        self.preview_page = PreviewPage(self)
        self.dry_run_page = DryRunPage(self)
        self.import_page = ImportPage(self)
        self.page_ids = {page: self.addPage(page) for page in (
            self.file_page, self.mapping_page, self.stages_page, self.preview_page,
            self.dry_run_page, self.import_page)}
        self.resize(900, 640)

    def deals(self) -> bool:
        return self.file_page.kind_code() == "deals"

    def nextId(self) -> int:
        """The stages step only for deals."""
        if self.currentPage() is self.mapping_page and not self.deals():
            return self.page_ids[self.preview_page]
        return super().nextId()

    def import_options(self, *, dry_run: bool) -> ImportOptions:
        mapping, stages = self.mapping_page, self.stages_page
        deals = self.deals()
        return ImportOptions(columns=mapping.model.columns(), mode=mapping.mode_code(),
                             match=mapping.match(),
                             entered=stages.entered() if deals else {},
                             stages=stages.stage_map() if deals else {},
                             pipeline_id=stages.pipeline_id() if deals else None,
                             date_format=self.preview_page.date_format(),
                             skip_bad_rows=mapping.skip.isChecked(), dry_run=dry_run)

    def reject(self) -> None:
        """Closing while the import runs cancels it; the wizard closes once it has
        stopped (and written nothing)."""
        if self.runner.running and self.currentPage() is self.import_page:
            self._close_when_stopped = True
            self.import_page.cancel_import()
            return
        self.runner.cancel()  # a dry run still going is no longer wanted
        super().reject()

    def import_stopped(self, report: ImportReport | None = None) -> None:
        """The import ended (``report``: done, though it may have written nothing; None:
        refused or cancelled): a close asked for meanwhile happens now, and says whether
        the import had been written before the cancel could stop it."""
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        if self._close_when_stopped:
            self._close_when_stopped = False
            super().reject()
            if report is not None and report.wrote and not report.every_row_failed:
                self.closedWritten.emit(report)
            else:
                self.closedCancelled.emit()
