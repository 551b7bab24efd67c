"""The product catalogue: every product with its unit, list price, floor price, cost and
tax rate (all before tax). A manager adds and edits products here, or imports them (File
▸ Import…); a rep reads them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from funneldesk.errors import FunnelDeskError, InvalidFields, InvalidInput
from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.common.money import parse_money, parse_percent
from funneldesk.services.dto import Actor
from funneldesk.services.quotes.records import CatalogueItem, ProductDraft
from funneldesk.ui.common import record_table
from funneldesk.ui.common.error_label import ErrorLabel, show_refusal
from funneldesk.ui.common.rows_model import Index, RowsModel


def _money(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


class CatalogueModel(RowsModel):
    rows: list[CatalogueItem]

    def headers(self) -> tuple[str, ...]:
        return (_("Code"), _("Product"), _("English name"), _("Unit"), _("Currency"),
                _("List price"), _("Floor price"), _("Cost"), _("Tax rate"), _("Active"))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (item.code, item.name, item.name_en, item.unit, item.currency,
                    _money(item.list_price), _money(item.floor_price), _money(item.cost),
                    f"{item.tax_rate:g}%", _("Yes") if item.active else _("No"))[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and 5 <= column <= 8:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and not item.active:
            return Qt.GlobalColor.gray
        return None


class ProductForm(QDialog):
    """One product's fields, each refusal said under its field."""

    def __init__(self, services: Services, actor: Actor, item: CatalogueItem | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.item = services, actor, item
        self.saved: CatalogueItem | None = None
        self.setWindowTitle(_("New product") if item is None else _("Edit product"))
        base = services.board.base_currency()
        values = {
            "name": item.name if item else "", "code": item.code if item else "",
            "name_en": item.name_en if item else "", "unit": item.unit if item else "",
            "currency": item.currency if item else base,
            "list_price": f"{item.list_price:.2f}" if item else "",
            "floor_price": f"{item.floor_price:.2f}" if item and item.floor_price is not None
            else "", "cost": f"{item.cost:.2f}" if item and item.cost is not None else "",
            # China's VAT on goods where the team counts in yuan; elsewhere none to start
            "tax_rate": f"{item.tax_rate:g}" if item else ("13" if base == "CNY" else "0"),
            "description": item.description if item else ""}
        labels = {"name": _("Name:"), "code": _("Code:"), "name_en": _("English name:"),
                  "unit": _("Unit:"), "currency": _("Currency:"),
                  "list_price": _("List price (before tax):"),
                  "floor_price": _("Floor price (before tax):"),
                  "cost": _("Cost (before tax):"), "tax_rate": _("Tax rate (%):"),
                  "description": _("Description:")}
        self.fields: dict[str, QLineEdit] = {}
        self.errors: dict[str, ErrorLabel] = {}
        form = QFormLayout()
        for name, label in labels.items():
            field = QLineEdit(values[name])
            field.setAccessibleName(label.rstrip(":："))
            self.fields[name], self.errors[name] = field, ErrorLabel()
            form.addRow(label, field)
            form.addRow("", self.errors[name])
        self.fields["floor_price"].setPlaceholderText(_("none: any price"))
        self.fields["cost"].setPlaceholderText(_("not known"))
        self.active = QCheckBox(_("Offered in new quotes"))
        self.active.setChecked(item.active if item else True)
        form.addRow("", self.active)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def draft(self) -> ProductDraft:
        """The form as the service takes it; InvalidFields for amounts that are not ones."""
        text = {name: field.text() for name, field in self.fields.items()}
        problems: list[InvalidInput] = []
        amounts: dict[str, Decimal | None] = {}
        for name in ("list_price", "floor_price", "cost"):
            try:
                amounts[name] = parse_money(text[name], name) if text[name].strip() or \
                    name == "list_price" else None
            except InvalidInput as problem:
                problems.append(problem)
        try:
            rate = parse_percent(text["tax_rate"], "tax_rate")
        except InvalidInput as problem:
            problems.append(problem)
            rate = None
        if problems:
            raise InvalidFields.of(problems)
        return ProductDraft(text["name"], text["code"], text["name_en"], text["unit"],
                            text["description"], text["currency"],
                            amounts["list_price"] or Decimal(0), amounts["floor_price"],
                            amounts["cost"], rate if rate is not None else Decimal(0),
                            self.active.isChecked())

    def save(self) -> None:
        for label in self.errors.values():
            label.show_message("")
        try:
            draft = self.draft()
            catalogue = self.services.catalogue
            if self.item is None:
                self.saved = catalogue.add(draft, by=self.actor)
            else:
                self.saved, _changes = catalogue.update(
                    self.item.id, draft, expected_version=self.item.version, by=self.actor)
        except FunnelDeskError as error:  # a stale edit, a rule: said under the name
            show_refusal(error, self.errors, self.fields, self.errors["name"])
            return
        self.accept()


class CatalogueDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.changed = False  # whether a product was added or changed
        self.setWindowTitle(_("Product catalogue"))
        self.resize(1100, 600)
        self.model = CatalogueModel()
        self.table = record_table.set_up(QTableView())
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Products"))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.activated.connect(lambda _i: self.edit())
        chars = self.fontMetrics().averageCharWidth()
        for column, width in enumerate((12, 30, 24, 8, 8, 14, 14, 14, 8)):
            self.table.setColumnWidth(column, width * chars)
        add, edit = QPushButton(_("Add product…")), QPushButton(_("Edit product…"))
        add.clicked.connect(self.add)
        edit.clicked.connect(self.edit)
        add.setEnabled(actor.is_manager)
        edit.setEnabled(actor.is_manager)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(edit)
        row.addStretch(1)
        hint = record_table.page_hint(_(
            "Prices are before tax. A quote whose prices include tax adds each product's tax "
            "rate. Import a price list with File ▸ Import… (Products)."))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(close)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(self.services.catalogue.items(inactive=True))

    def add(self) -> None:
        form = ProductForm(self.services, self.actor, None, self)
        if form.exec():
            self.changed = True
            self.reload()

    def edit(self) -> None:
        item = self.model.row_at(self.table.currentIndex())
        if not isinstance(item, CatalogueItem) or not self.actor.is_manager:
            return
        form = ProductForm(self.services, self.actor, item, self)
        if form.exec():
            self.changed = True
            self.reload()
