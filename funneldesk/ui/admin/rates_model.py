"""The exchange rates as an editable table: currency, rate, last changed.

Edits stay in the model until the dialog saves them. A value that is refused keeps what
was typed, shown in red with the reason, so that the person can correct it in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError, InvalidInput
from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.dto import RateInfo, RateTable

Index = QModelIndex | QPersistentModelIndex
CURRENCY, RATE, CHANGED = range(3)
ERROR_TEXT, ERROR_BACKGROUND = QColor("#c62828"), QColor("#fdecea")


@dataclass
class RateRow:
    saved: RateInfo | None  # None for a row added in the dialog
    currency: str
    rate_text: str
    rate: Decimal | None
    errors: dict[int, str]  # column -> why what was typed there was refused

    @classmethod
    def of(cls, info: RateInfo) -> RateRow:
        return cls(info, info.currency, plain(info.rate), info.rate, {})

    @property
    def edited(self) -> bool:
        return self.saved is None or self.rate != self.saved.rate


def plain(rate: Decimal) -> str:
    """A rate as typed: no thousands separators, no trailing zeros (7.100000 -> 7.1)."""
    text = f"{rate:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class RatesModel(QAbstractTableModel):
    def __init__(self, services: Services, table: RateTable, editable: bool,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.services, self.table, self.editable = services, table, editable
        self.rows = [RateRow.of(info) for info in table.rates]
        self.removed: list[RateInfo] = []

    # --- Qt model interface -------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (_("Currency"),
                _("{base} per unit").format(base=self.table.base_currency),
                _("Last changed"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        error = row.errors.get(column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.EditRole:
            return row.currency if column == CURRENCY else row.rate_text
        if role == Qt.ItemDataRole.ToolTipRole:
            return error
        if error and role == Qt.ItemDataRole.ForegroundRole:
            return ERROR_TEXT
        if error and role == Qt.ItemDataRole.BackgroundRole:
            return ERROR_BACKGROUND
        if role == Qt.ItemDataRole.TextAlignmentRole and column == RATE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: RateRow, column: int) -> str:
        if column == CURRENCY:
            if not row.currency or CURRENCY in row.errors:
                return row.currency
            return _("{code} ({name})").format(code=row.currency,
                                               name=formatting.currency_name(row.currency))
        if column == RATE:
            return row.rate_text
        if row.edited:
            return _("not saved yet")
        assert row.saved is not None
        if row.saved.changed_at is None:
            return "—"
        return _("{when} by {who}").format(when=formatting.datetime(row.saved.changed_at),
                                           who=row.saved.changed_by)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid() or not self.editable:
            return flags
        row = self.rows[index.row()]
        if index.column() == RATE or (index.column() == CURRENCY and row.saved is None):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        row, column = self.rows[index.row()], index.column()
        text = str(value).strip()
        row.errors.pop(column, None)
        try:
            if column == CURRENCY:
                row.currency = text.upper()
                self._check_currency(index.row(), row.currency)
            else:
                row.rate_text, row.rate = text, None
                if text or row.saved is not None:  # a new row may be filled in any order
                    row.rate = self.services.rates.parse_rate(text)
        except FunnelDeskError as error:
            row.errors[column] = error.message()
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), CHANGED))
        return True

    # --- FunnelDesk ---------------------------------------------------------------
    def _check_currency(self, row: int, code: str) -> None:
        self.services.rates.check_currency(code)
        if code == self.table.base_currency:
            raise InvalidInput("currency", _("{code} is the base currency: its rate is "
                                             "always 1.").format(code=code))
        if any(r.currency == code for i, r in enumerate(self.rows) if i != row):
            raise InvalidInput("currency", _("{code} is already in the list.").format(code=code))

    def add_row(self) -> int:
        """Appends an empty row for a new currency; returns its row number."""
        at = len(self.rows)
        self.beginInsertRows(QModelIndex(), at, at)
        self.rows.append(RateRow(None, "", "", None, {}))
        self.endInsertRows()
        return at

    def remove_row(self, at: int) -> None:
        self.beginRemoveRows(QModelIndex(), at, at)
        row = self.rows.pop(at)
        self.endRemoveRows()
        if row.saved is not None:
            self.removed.append(row.saved)

    def problem(self) -> tuple[int, int, str] | None:
        """The first cell whose value cannot be saved: (row, column, why)."""
        for at, row in enumerate(self.rows):
            for column in (CURRENCY, RATE):
                if column in row.errors:
                    return at, column, row.errors[column]
            if row.saved is None and not row.currency:
                return at, CURRENCY, _("Enter the code of the new currency, such as EUR.")
            if row.rate is None:
                return at, RATE, _("Enter a rate.")
        return None

    def changes(self) -> dict[str, Decimal | None]:
        """What saving writes: a new or changed rate per currency, None for a removed one."""
        changed: dict[str, Decimal | None] = {info.currency: None for info in self.removed}
        for row in self.rows:
            if row.edited:
                changed[row.currency] = row.rate
        return changed
