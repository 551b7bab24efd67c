"""One option's lines in the quote editor: an editable table whose amounts, floor marks
and totals follow every keystroke the user commits, priced by the same rules the services
keep (services/quotes/pricing.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from funneldesk.collation import sort_key
from funneldesk.errors import InvalidInput
from funneldesk.i18n import _
from funneldesk.money import round_cents
from funneldesk.services.common.money import parse_money
from funneldesk.services.quotes.pricing import (
    LineAmounts,
    LineTerms,
    OptionAmounts,
    price_line,
    price_option,
)
from funneldesk.services.quotes.records import CatalogueItem, LineDraft

Index = QModelIndex | QPersistentModelIndex
PRODUCT, DESCRIPTION, UNIT, QUANTITY, PRICE, DISCOUNT, AMOUNT, FLOOR = range(8)
EDITABLE = (PRODUCT, DESCRIPTION, QUANTITY, PRICE, DISCOUNT)
BELOW = QColor("#c62828")
BELOW_BACK = QColor("#fdecea")
QUIET = QColor("#8a94a1")


def _headers() -> tuple[str, ...]:
    return (_("Product"), _("Description"), _("Unit"), _("Qty"), _("Unit price"),
            _("Discount %"), _("Amount"), _("Floor"))


@dataclass(frozen=True, slots=True)
class EditLine:
    product_id: int | None
    quantity: Decimal = Decimal(1)
    unit_price: Decimal = Decimal(0)
    discount: Decimal = Decimal(0)
    description: str = ""


def number(value: Decimal, places: int = 2) -> str:
    """A quantity or percentage as typed back into its cell: no trailing zeros."""
    text = f"{value:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def cents(value: Decimal) -> str:
    """An amount as quotes write it: thousands separated, always two decimals."""
    return f"{value:,.2f}"


def parse_decimal(text: str) -> Decimal | None:
    cleaned = text.strip().replace(",", "").replace("，", "").replace("%", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class LinesModel(QAbstractTableModel):
    refused = Signal(str)  # why a typed value was not taken (said under the table)
    priced = Signal()  # the amounts changed

    def __init__(self, catalogue: dict[int, CatalogueItem], include_tax: bool,
                 min_margin: Decimal | None, lines: list[EditLine], editable: bool) -> None:
        super().__init__()
        self.catalogue, self.include_tax, self.min_margin = catalogue, include_tax, min_margin
        self.lines, self.editable = lines, editable

    # --- what the editor reads ------------------------------------------------------
    def drafts(self) -> tuple[LineDraft, ...]:
        """The lines as the service takes them (a line still without a product is sent
        too: the service names it)."""
        return tuple(LineDraft(line.product_id or 0, line.quantity, line.unit_price,
                               line.discount, line.description) for line in self.lines)

    def terms(self, line: EditLine) -> LineTerms | None:
        item = self.catalogue.get(line.product_id or 0)
        if item is None:
            return None
        return LineTerms(line.quantity, line.unit_price, line.discount, item.tax_rate,
                         item.floor_price, item.cost)

    def amounts(self) -> OptionAmounts:
        """The option's totals over the lines that have a product."""
        terms = [t for t in (self.terms(line) for line in self.lines) if t is not None]
        return price_option(terms, include_tax=self.include_tax, min_margin=self.min_margin)

    def line_amounts(self, row: int) -> LineAmounts | None:
        terms = self.terms(self.lines[row])
        return None if terms is None else price_line(terms, include_tax=self.include_tax)

    def set_include_tax(self, include: bool) -> None:
        self.include_tax = include
        self._repriced(0, len(self.lines) - 1)

    # --- changing -------------------------------------------------------------------
    def add_line(self) -> int:
        row = len(self.lines)
        self.beginInsertRows(QModelIndex(), row, row)
        self.lines.append(EditLine(None))
        self.endInsertRows()
        self.priced.emit()
        return row

    def remove_line(self, row: int) -> None:
        if 0 <= row < len(self.lines):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.lines[row]
            self.endRemoveRows()
            self.priced.emit()

    def list_price(self, item: CatalogueItem) -> Decimal:
        """The product's list price as this quote's prices are written (with tax or not)."""
        if not self.include_tax:
            return item.list_price
        return round_cents(item.list_price * (1 + item.tax_rate / 100))  # half-up, as floors

    # --- the model ------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(_headers())

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _headers()[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole \
                and section == FLOOR:
            return _("The lowest unit price after discount a rep may offer without a "
                     "manager's approval, with tax when the quote's prices include it.")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if self.editable and index.column() in EDITABLE:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line, column = self.lines[index.row()], index.column()
        item = self.catalogue.get(line.product_id or 0)
        priced = self.line_amounts(index.row())
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_text(line, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, column, item, priced)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= QUANTITY:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        below = priced is not None and priced.below_floor
        if role == Qt.ItemDataRole.ForegroundRole:
            if below and column in (PRICE, DISCOUNT, AMOUNT, FLOOR):
                return BELOW
            if item is None and column == PRODUCT:
                return QUIET
        if role == Qt.ItemDataRole.BackgroundRole and below:
            return BELOW_BACK
        if role == Qt.ItemDataRole.ToolTipRole and below and priced is not None \
                and priced.floor_shown is not None:
            return _("Below the floor price of {floor}: a manager must approve this quote "
                     "before it is sent.").format(floor=cents(priced.floor_shown))
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and below:
            return _("Below the floor price")
        return None

    def _edit_text(self, line: EditLine, column: int) -> Any:
        return {PRODUCT: line.product_id, DESCRIPTION: line.description,
                QUANTITY: number(line.quantity, 3), PRICE: f"{line.unit_price:.2f}",
                DISCOUNT: number(line.discount)}.get(column)

    def _text(self, line: EditLine, column: int, item: CatalogueItem | None,
              priced: LineAmounts | None) -> str:
        if column == PRODUCT:
            return f"{item.code} · {item.name}" if item and item.code else (
                item.name if item else _("Choose a product…"))
        if column == DESCRIPTION:
            return line.description
        if column == UNIT:
            return item.unit if item else ""
        if column == QUANTITY:
            return number(line.quantity, 3)
        if column == PRICE:
            return cents(line.unit_price)
        if column == DISCOUNT:
            return f"{number(line.discount)}%" if line.discount else ""
        if column == AMOUNT:
            return cents(priced.amount) if priced else "—"
        if priced is None or priced.floor_shown is None:
            return "—"
        return cents(priced.floor_shown)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or not self.editable:
            return False
        row, column = index.row(), index.column()
        line = self.lines[row]
        changed = self._changed(line, column, value)
        if changed is None:
            return False
        self.lines[row] = changed
        self._repriced(row, row)
        return True

    def _changed(self, line: EditLine, column: int, value: Any) -> EditLine | None:
        """The line with the cell's new value, or None (and why, said) when refused."""
        if column == PRODUCT:
            item = self.catalogue.get(int(value)) if value is not None else None
            if item is None:
                return None
            # a new product comes at its list price; the rep's own price stays otherwise
            fresh = line.product_id != item.id
            return replace(line, product_id=item.id, unit_price=self.list_price(item)
                           if fresh else line.unit_price)
        if column == DESCRIPTION:
            return replace(line, description=str(value).strip())
        text = str(value)
        if column == PRICE:
            try:
                return replace(line, unit_price=parse_money(text, "unit_price"))
            except InvalidInput as problem:
                self.refused.emit(problem.message())
                return None
        parsed = parse_decimal(text)
        if column == QUANTITY:
            if parsed is None or parsed <= 0 or parsed != parsed.quantize(Decimal("0.001")):
                self.refused.emit(_("Enter a quantity above 0, with at most three decimals."))
                return None
            return replace(line, quantity=parsed)
        if parsed is None or not 0 <= parsed <= 100 or parsed != parsed.quantize(Decimal("0.01")):
            self.refused.emit(_("Enter a discount from 0 to 100 percent, with at most two "
                                "decimals."))
            return None
        return replace(line, discount=parsed)

    def _repriced(self, first: int, last: int) -> None:
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, FLOOR))
        self.priced.emit()


class ProductDelegate(QStyledItemDelegate):
    """Chooses a line's product from the catalogue (active products, and the line's own)."""

    def __init__(self, model: LinesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName(_("Product"))
        current = self.model.lines[index.row()].product_id
        items = sorted((i for i in self.model.catalogue.values()
                        if i.active or i.id == current), key=lambda i: sort_key(i.name))
        for item in items:
            shown = f"{item.code} · {item.name}" if item.code else item.name
            combo.addItem(shown, item.id)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        current = self.model.lines[index.row()].product_id
        found = editor.findData(current)
        editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        if editor.currentIndex() >= 0:
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
