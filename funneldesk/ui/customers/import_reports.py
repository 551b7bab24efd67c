"""File ▸ Import reports: the reports FunnelDesk kept of earlier imports (newest first),
each shown as the wizard showed it, and the folder that holds them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting, paths
from funneldesk.i18n import N_, _, ngettext
from funneldesk.services.common.tabular.engine import ImportReport
from funneldesk.ui.customers.import_report_view import ReportView

_KEPT = re.compile(r"(\d{4}-\d\d-\d\d) (\d\d)\.(\d\d)\.(\d\d) (\w+)\.json")
_KINDS = {"companies": N_("companies"), "contacts": N_("contacts"), "deals": N_("deals"),
          "products": N_("products")}


def kept_reports(folder: Path | None = None) -> list[Path]:
    """The kept reports, newest first."""
    folder = folder or paths.import_reports_dir()
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if _KEPT.fullmatch(p.name)),
                  key=lambda p: p.name, reverse=True)


def report_title(path: Path) -> str:
    """"2026-12-01 18:38 · contacts" in the user's words."""
    match = _KEPT.fullmatch(path.name)
    if match is None:
        return path.name
    day, hour, minute, _s, kind = match.groups()
    return _("{when} · {what}").format(when=f"{day} {hour}:{minute}",
                                       what=_(_KINDS[kind]) if kind in _KINDS else kind)


class ImportReportsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Import reports"))
        self.folder = folder or paths.import_reports_dir()
        self.list = QListWidget()
        self.list.setAccessibleName(_("Kept import reports"))
        for path in kept_reports(self.folder):
            item = QListWidgetItem(report_title(path))
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.list.addItem(item)
        self.view = ReportView()
        self.empty = QLabel(_("No import has been run yet. Each import keeps its report "
                              "here: its counts and every row's errors."))
        self.empty.setWordWrap(True)
        self.empty.setVisible(self.list.count() == 0)
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(self.view)
        splitter.setSizes([220, 560])
        self.folder_button = QPushButton(_("Open the folder"))
        self.folder_button.setToolTip(str(self.folder))
        self.folder_button.clicked.connect(self.open_folder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.folder_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(splitter, 1)
        layout.addLayout(row)
        self.list.currentItemChanged.connect(lambda item, _old: self.show_item(item))
        if self.list.count():
            self.list.setCurrentRow(0)
        self.resize(860, 520)

    def show_item(self, item: QListWidgetItem | None) -> None:
        if item is None:
            self.view.clear()
            return
        path = Path(str(item.data(Qt.ItemDataRole.UserRole)))
        try:
            report = ImportReport.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as error:
            self.view.clear()
            self.view.problem.show_message(_("FunnelDesk cannot read {name}: {reason}").format(
                name=path.name, reason=error))
            return
        self.view.show_report(report, outcome_line(report))

    def open_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))


def outcome_line(report: ImportReport) -> str:
    """What came of a kept import, in one line."""
    n = formatting.number(report.failed)
    if not report.wrote:
        return ngettext("Nothing was written: {n} row had errors.",
                        "Nothing was written: {n} rows had errors.", report.failed).format(n=n)
    if report.failed:
        return ngettext("Written; {n} row with errors was skipped.",
                        "Written; {n} rows with errors were skipped.", report.failed).format(n=n)
    return _("Written.")
