"""The import wizard's preview: the first rows as they would be read, and, where a date
column does not prove whether the day or the month comes first, the question which
(FunnelDesk never guesses)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services.common.tabular.engine import Field, reason_label
from funneldesk.services.common.tabular.files import Table
from funneldesk.ui.customers.import_models import DATE_KINDS, PreviewModel

if TYPE_CHECKING:
    from funneldesk.ui.customers.import_wizard import ImportWizard

PREVIEW_ROWS = 20
DAY_FIRST, MONTH_FIRST, CUSTOM = "dmy", "mdy", "custom"
_NUMERIC = re.compile(r"\d{1,2}([-/.])\d{1,2}[-/.]\d{4}(?:([ T])\d{1,2}:\d{2}(:\d{2})?)?")


def date_format(example: str, order: str) -> str:
    """The strftime format of dates written like ``example``, day or month first."""
    match = _NUMERIC.fullmatch(example)
    if match is None:
        return ""
    separator, clock, seconds = match.groups()
    day_month = ("%d", "%m") if order == DAY_FIRST else ("%m", "%d")
    fmt = separator.join((*day_month, "%Y"))
    if clock:
        fmt += f"{clock}%H:%M" + (":%S" if seconds else "")
    return fmt


class PreviewPage(QWizardPage):
    def __init__(self, owner: ImportWizard) -> None:
        super().__init__()
        self.owner = owner
        self.fields: list[tuple[Field, int]] = []
        self.orders: dict[str, str | None] = {}
        self.example = ""  # a date that needs the question, "" when none does
        self.setTitle(_("Check the first rows"))
        self.setSubTitle(_("The first rows as FunnelDesk will read them. A value in red "
                           "would be refused: point at it to see why."))
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.order = QComboBox()
        self.order.addItem(_("Day first: day/month/year"), DAY_FIRST)
        self.order.addItem(_("Month first: month/day/year"), MONTH_FIRST)
        self.order.addItem(_("Another format…"), CUSTOM)
        self.order.setPlaceholderText(_("Choose…"))
        self.order.setCurrentIndex(-1)
        self.order.currentIndexChanged.connect(self._chosen)
        self.custom = QLineEdit()
        self.custom.setPlaceholderText(_("as in Python’s strftime, such as %d.%m.%Y %H:%M"))
        self.custom.textChanged.connect(self._chosen)
        self.custom.hide()
        choice = QHBoxLayout()
        choice.addWidget(self.order)
        choice.addWidget(self.custom, 1)
        self.dates = QWidget()
        dates = QVBoxLayout(self.dates)
        dates.setContentsMargins(0, 0, 0, 0)
        dates.addWidget(self.question)
        dates.addLayout(choice)
        self.model = PreviewModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setWordWrap(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        layout = QVBoxLayout(self)
        layout.addWidget(self.dates)
        layout.addWidget(self.view, 1)

    def initializePage(self) -> None:
        table = self.owner.file_page.table
        assert table is not None
        mapping = self.owner.mapping_page.model
        index = {h: i for i, h in enumerate(table.headers)}
        self.fields = [(mapping.field(name), index[header])
                       for name, header in mapping.columns().items()]
        self._ask_for_dates(table)
        self._show()

    def _ask_for_dates(self, table: Table) -> None:
        """Asks the order of the dates of the date columns mapped (the dates stages were
        entered included) where they do not prove it (as read with the file)."""
        index = {h: i for i, h in enumerate(table.headers)}
        columns = [(spec.name, i) for spec, i in self.fields if spec.kind in DATE_KINDS]
        columns += [(f"entered:{stage}", index[header]) for stage, header
                    in self.owner.import_options(dry_run=True).entered.items()
                    if header in index]
        self.orders, asked, example = {}, [], ""
        dates = self.owner.file_page.dates
        for name, i in columns:
            self.orders[name], found = dates[i]
            if found is not None:
                if table.headers[i] not in asked:
                    asked.append(table.headers[i])
                example = example or found
        if example != self.example:  # another file or column: ask afresh
            self.order.setCurrentIndex(-1)
            self.custom.clear()
        self.example = example
        self.dates.setVisible(bool(example))
        self.question.setText(_(
            "In {columns}, the day and the month could be either way round (such as "
            "{example}). Which comes first?").format(
                columns=formatting.listing([f"“{h}”" for h in asked]), example=example))

    @Slot()
    def _chosen(self) -> None:
        self.custom.setVisible(self.order.currentData() == CUSTOM)
        self._show()
        self.completeChanged.emit()

    def _show(self) -> None:
        table = self.owner.file_page.table
        assert table is not None
        self.model.load(table, self.fields, self.date_format(), self.orders, PREVIEW_ROWS,
                        self._problems(table))
        self.view.resizeColumnsToContents()

    def _problems(self, table: Table) -> dict[tuple[int, str], str]:
        """Why the import would refuse a cell of the rows shown, by (record, header): the
        service's own checks (phones in the team's region, emails, credit codes, numbers),
        so that the preview and the import never disagree."""
        owner = self.owner
        try:
            errors = owner.services.imports.check_first(
                owner.file_page.kind_code(), table, owner.import_options(dry_run=True),
                PREVIEW_ROWS, by=owner.actor, orders=self.orders)
        except FunnelDeskError:  # a mapping the dry run will explain
            return {}
        return {(e.record, e.column): reason_label(e.reason) for e in errors}

    def date_format(self) -> str | None:
        """The format the user gave for the file's dates; None where none was asked."""
        if not self.example:
            return None
        chosen = self.order.currentData()
        if chosen == CUSTOM:
            return self.custom.text().strip() or None
        if chosen in (DAY_FIRST, MONTH_FIRST):
            return date_format(self.example, str(chosen)) or None
        return None

    def isComplete(self) -> bool:
        return not self.example or self.date_format() is not None
