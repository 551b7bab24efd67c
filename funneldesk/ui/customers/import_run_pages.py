"""The import wizard's last pages: the dry run, which checks every row and writes nothing,
then the import itself, with its progress and a Cancel that leaves the database as it was."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _, ngettext
from funneldesk.services.common.tabular.engine import ImportReport
from funneldesk.ui.customers.import_report_view import ReportView

if TYPE_CHECKING:
    from funneldesk.ui.customers.import_wizard import ImportWizard


class _RunPage(QWizardPage):
    """A page that runs the import with the wizard's options and shows its report."""

    dry_run = True

    def __init__(self, owner: ImportWizard) -> None:
        super().__init__()
        self.owner = owner
        self.result: ImportReport | None = None
        self.running = False
        self._token = object()  # the run whose result the page waits for
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.view = ReportView()
        self.bar = QHBoxLayout()
        self.bar.addWidget(self.progress, 1)
        layout = self.column = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(self.bar)
        layout.addWidget(self.view, 1)
        owner.runner.progressed.connect(self._progressed)

    def initializePage(self) -> None:
        self.result, self.running = None, True
        self.view.clear()
        self.progress.setRange(0, 0)  # busy until the rows are written
        self.progress.show()
        table = self.owner.file_page.table
        assert table is not None
        token = object()
        self._token = token
        self.owner.runner.start(self.owner.file_page.kind_code(), table,
                                self.owner.import_options(dry_run=self.dry_run),
                                lambda r: self._finished(token, r),
                                lambda e: self._refused(token, e))
        self.completeChanged.emit()

    def cleanupPage(self) -> None:  # Back: the run's result is no longer wanted
        if self.running:
            self.owner.runner.cancel()
        self._token = object()
        self.running = False
        super().cleanupPage()

    @Slot(int, int)
    def _progressed(self, done: int, total: int) -> None:
        if self.running and total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _finished(self, token: object, report: ImportReport) -> None:
        if token is not self._token:
            return
        self.running, self.result = False, report
        self.progress.hide()
        self.view.show_report(report, self.verdict(report))
        self.completeChanged.emit()

    def _refused(self, token: object, error: FunnelDeskError) -> None:
        if token is not self._token:
            return
        self.running = False
        self.progress.hide()
        self.view.problem.show_error(error)
        self.completeChanged.emit()

    def verdict(self, report: ImportReport) -> str:
        raise NotImplementedError

    def isComplete(self) -> bool:
        return not self.running


class DryRunPage(_RunPage):
    dry_run = True

    def __init__(self, owner: ImportWizard) -> None:
        super().__init__(owner)
        self.setTitle(_("Dry run"))
        self.setSubTitle(_("FunnelDesk reads and checks every row as the import will, and "
                           "writes nothing."))
        self.setCommitPage(True)  # past it, the import runs: there is no going back

    def initializePage(self) -> None:
        self.status.setText(_("Checking the rows…"))
        super().initializePage()

    def _finished(self, token: object, report: ImportReport) -> None:
        super()._finished(token, report)
        self.status.clear()

    def verdict(self, report: ImportReport) -> str:
        bad = report.failed
        if not bad:
            return _("Every row can be imported.")
        if report.every_row_failed:
            return _("Every row has errors: the import would write nothing. Correct the "
                     "file, or go back and check how its columns are matched.")
        if self.owner.import_options(dry_run=True).skip_bad_rows:
            return ngettext(
                "{count} row has errors: the import will skip it and import the others.",
                "{count} rows have errors: the import will skip them and import the others.",
                bad).format(count=formatting.number(bad))
        return ngettext(
            "{count} row has errors. The import is all or nothing, so it would write "
            "nothing: correct the file, or go back and choose to skip the rows with errors.",
            "{count} rows have errors. The import is all or nothing, so it would write "
            "nothing: correct the file, or go back and choose to skip the rows with errors.",
            bad).format(count=formatting.number(bad))

    def isComplete(self) -> bool:
        """The import may go on once the dry run says it would write what is good."""
        report = self.result
        return (report is not None and not self.running and not report.every_row_failed
                and (not report.failed or self.owner.import_options(dry_run=True).skip_bad_rows))


class ImportPage(_RunPage):
    dry_run = False

    def __init__(self, owner: ImportWizard) -> None:
        super().__init__(owner)
        self.setTitle(_("Import"))
        self.setFinalPage(True)
        self.cancel = QPushButton(_("Cancel the import"))
        self.cancel.clicked.connect(self.cancel_import)
        self.bar.addWidget(self.cancel)
        owner.runner.searchIndexed.connect(self._indexed)
        # what the import created that may repeat a customer under another spelling
        self.alike = QLabel()
        self.alike.setWordWrap(True)
        self.review = QPushButton(_("Review possible duplicates…"))
        self.alike_kinds: list[str] = []  # what the names alike are of, companies first
        self.review.clicked.connect(lambda: owner.reviewDuplicates.emit(self.alike_kinds[0]))
        alike = QHBoxLayout()
        alike.addWidget(self.alike, 1)
        alike.addWidget(self.review)
        self.alike.hide()
        self.review.hide()
        self.column.addLayout(alike)  # after the counts and the verdict
        owner.runner.alikeFound.connect(self._alike_found)

    def initializePage(self) -> None:
        self.status.setText(_("Importing…"))
        self.setSubTitle(_("The records are written all at once: if you cancel, nothing is "
                           "written."))
        self.alike.hide()
        self.review.hide()
        self.cancel.setEnabled(True)
        self.cancel.show()
        # the wizard's own Cancel, where it was on every page, cancels the import too
        # (and closes the wizard once it stopped); it goes when the import ends
        self.owner.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, False)
        super().initializePage()

    @Slot()
    def cancel_import(self) -> None:
        if self.running:
            self.owner.runner.cancel()
            self.cancel.setEnabled(False)
            self.status.setText(_("Cancelling…"))

    def _finished(self, token: object, report: ImportReport) -> None:
        super()._finished(token, report)
        self._ended()
        self.view.keep(self.owner.file_page.kind_code())  # kept whatever came of it
        self.owner.import_stopped(report)
        if report.wrote and not report.every_row_failed:
            # below or above the verdict, it must read as what follows the import
            self.status.setText(_("Search everything (Ctrl+K) finds the new records in a "
                                  "moment: they are being indexed…"))
            self.owner.imported.emit(report)

    @Slot(object)
    def _alike_found(self, found: dict[str, int]) -> None:
        if not found:
            return
        lines = []
        for entity, count in found.items():
            n = formatting.number(count)
            lines.append(
                ngettext("{n} company imported has a name like another's: it may be the "
                         "same customer.", "{n} companies imported have names like "
                         "others': they may be the same customers.", count).format(n=n)
                if entity == "company" else
                ngettext("{n} contact imported has a name like another contact's at the "
                         "same company: it may be the same person.", "{n} contacts "
                         "imported have names like other contacts' at the same company: "
                         "they may be the same people.", count).format(n=n))
        self.alike.setText("\n".join(lines))
        self.alike_kinds = list(found)
        self.alike.show()
        self.review.show()

    @Slot(str)
    def _indexed(self, problem: str) -> None:
        if not problem:
            self.status.clear()
            return
        self.status.setText(_("The import is saved, but search-everything could not be "
                              "updated yet ({problem}); FunnelDesk updates it when it next "
                              "starts.").format(problem=problem))

    def _refused(self, token: object, error: FunnelDeskError) -> None:
        super()._refused(token, error)
        self._ended()
        self.owner.import_stopped()

    def _ended(self) -> None:
        """No Cancel once the import has ended, nor the promise of what one would do."""
        self.cancel.hide()
        self.status.clear()
        self.setSubTitle(_("The import has ended: what it wrote, or why it wrote nothing, "
                           "is below."))

    def verdict(self, report: ImportReport) -> str:
        if report.every_row_failed:
            return _("Nothing was written: every row has errors.")
        if report.wrote:
            return _("The import is done.")
        return _("Nothing was written: some rows have errors and the import is all or "
                 "nothing.")
