"""What a dry run or an import reports: its counts, what they mean, and the rows' errors,
which the user can save as the command's JSON report or as CSV."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from funneldesk import paths
from funneldesk.errors import InvalidInput
from funneldesk.i18n import _
from funneldesk.services.common.tabular.engine import ImportReport, reason_label
from funneldesk.services.common.tabular.writing import write_table
from funneldesk.ui.common import file_dialogs
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.customers.import_models import COLUMN, VALUE, ErrorsModel

REPORT_HEADERS = ("record", "line", "column", "value", "reason", "reason_label")


def save_report(report: ImportReport, path: Path) -> None:
    """``.csv``: one error a line; anything else: the JSON report ``--report`` writes."""
    try:
        if path.suffix.lower() == ".csv":
            write_table(path, REPORT_HEADERS,
                        ((e.record, e.line, e.column, e.value, e.reason, reason_label(e.reason))
                         for e in report.errors))
        else:
            path.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=2),
                            encoding="utf-8")
    except OSError as error:
        raise InvalidInput("file", _("FunnelDesk cannot write {path}: {reason}").format(
            path=path, reason=error.strerror or error)) from error


class ReportView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: ImportReport | None = None
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.problem = ErrorLabel()
        self.errors = ErrorsModel(self)
        self.table = QTableView()
        self.table.setModel(self.errors)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        for column in (COLUMN, VALUE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        self.save_button = QPushButton(_("Save the report…"))
        self.save_button.clicked.connect(self.ask_where_to_save)
        self.saved = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.saved, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.counts)
        layout.addWidget(self.verdict)
        layout.addWidget(self.problem)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addStretch(1)  # without errors to list, what is said stays at the top
        self._layout = layout
        self.clear()

    def clear(self) -> None:
        self.report = None
        self.counts.clear()
        self.verdict.clear()
        self.problem.show_message("")
        self.errors.load([])
        self.table.hide()
        self._layout.setStretch(self._layout.count() - 1, 1)
        self.save_button.hide()
        self.saved.clear()

    def show_report(self, report: ImportReport, verdict: str) -> None:
        self.report = report
        self.counts.setText(report.summary())
        self.verdict.setText(verdict)
        self.errors.load(report.errors)
        self.table.setVisible(bool(report.errors))
        self._layout.setStretch(self._layout.count() - 1, 0 if report.errors else 1)
        self.table.resizeColumnsToContents()
        for column in (COLUMN, VALUE):  # a long value keeps room for the problem beside it
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 240))
        self.save_button.show()
        self.saved.clear()

    def ask_where_to_save(self) -> None:
        name, _chosen = file_dialogs.save_file_name(
            self, _("Save the report"), "import-report.json",
            _("JSON report (*.json);;Spreadsheet (*.csv)"))
        if name:
            self.save(Path(name))

    def save(self, path: Path) -> None:
        assert self.report is not None
        try:
            save_report(self.report, path)
        except InvalidInput as error:
            self.problem.show_error(error)
            return
        self.saved.setText(_("Saved as {name}.").format(name=path.name))

    def keep(self, kind: str) -> Path | None:
        """Saves the report of an import that ran (written or refused) among the kept
        ones, named by when and what it imported; where, or None if it could not."""
        assert self.report is not None
        folder = paths.import_reports_dir()
        path = folder / f"{dt.datetime.now():%Y-%m-%d %H.%M.%S} {kind}.json"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            save_report(self.report, path)
        except (OSError, InvalidInput) as error:
            self.problem.show_message(_("The report could not be kept: {reason}").format(
                reason=error.message() if isinstance(error, InvalidInput) else error))
            return None
        # a link to the folder; File ▸ Import reports… lists every kept report
        self.saved.setText(_("The report is kept in {path} (File ▸ Import reports… lists "
                             "them all).").format(
            path=f'<a href="{QUrl.fromLocalFile(str(folder)).toString()}">'
                 f'{html.escape(str(path))}</a>'))
        self.saved.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.saved.setOpenExternalLinks(True)
        self.saved.setWordWrap(True)
        return path
