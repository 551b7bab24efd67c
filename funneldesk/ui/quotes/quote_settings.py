"""The company's letterhead on quotes (name, address, contact, tax number, bank account,
logo) and the team's quoting rules (the minimum margin, whether new quotes include tax,
how long they stay valid). A manager changes them; a rep reads them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.reports.quote_document import Letterhead
from funneldesk.services import Services
from funneldesk.services.common.money import parse_percent
from funneldesk.services.dto import Actor
from funneldesk.services.quotes.settings import QuoteRules
from funneldesk.ui.common.error_label import ErrorLabel, show_refusal
from funneldesk.ui.common.file_dialogs import open_file_name

_FIELDS = ("name", "address", "phone", "email", "tax_number", "bank", "account")


def _labels() -> dict[str, str]:
    return {"name": _("Company name:"), "address": _("Address:"), "phone": _("Phone:"),
            "email": _("Email:"), "tax_number": _("Tax number:"), "bank": _("Bank:"),
            "account": _("Account:")}


class QuoteSettingsDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.setWindowTitle(_("Quotes: letterhead and rules"))
        self.head = services.letterhead.letterhead()
        self.logo = self.head.logo
        self.fields: dict[str, QLineEdit] = {}
        self.errors: dict[str, ErrorLabel] = {}
        letterhead = QFormLayout()
        for name, label in _labels().items():
            field = QLineEdit(getattr(self.head, name))
            field.setAccessibleName(label.rstrip(":："))
            self.fields[name], self.errors[name] = field, ErrorLabel()
            letterhead.addRow(label, field)
            letterhead.addRow("", self.errors[name])
        self.logo_view = QLabel()
        self.logo_view.setMinimumHeight(48)
        choose, remove = QPushButton(_("Choose logo…")), QPushButton(_("No logo"))
        choose.clicked.connect(self.choose_logo)
        remove.clicked.connect(self.remove_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_view, 1)
        logo_row.addWidget(choose)
        logo_row.addWidget(remove)
        self.errors["logo"] = ErrorLabel()
        letterhead.addRow(_("Logo:"), logo_row)
        letterhead.addRow("", self.errors["logo"])
        rules = services.quote_rules.rules()
        self.margin = QLineEdit("" if rules.min_margin is None else f"{rules.min_margin}")
        self.margin.setPlaceholderText(_("none"))
        self.margin.setAccessibleName(_("Minimum margin"))
        self.include_tax = QCheckBox(_("New quotes' prices include tax (含税)"))
        self.include_tax.setChecked(rules.prices_include_tax)
        self.days = QSpinBox()
        self.days.setRange(1, 365)
        self.days.setValue(rules.valid_days)
        self.days.setSuffix(_(" days"))
        self.days.setAccessibleName(_("Quotes are valid for"))
        for key in ("min_margin", "valid_days"):
            self.errors[key] = ErrorLabel()
        rule_form = QFormLayout()
        rule_form.addRow(_("Minimum margin (%):"), self.margin)
        rule_form.addRow("", self.errors["min_margin"])
        rule_form.addRow("", self.include_tax)
        rule_form.addRow(_("Quotes are valid for:"), self.days)
        rule_form.addRow("", self.errors["valid_days"])
        hint = QLabel(_("An option whose margin is below the minimum, or a line below its "
                        "product's floor price, needs a manager's approval before the quote "
                        "is sent or accepted."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(mid)")
        rule_form.addRow("", hint)
        head_box, rule_box = QGroupBox(_("Letterhead")), QGroupBox(_("Quoting rules"))
        head_box.setLayout(letterhead)
        rule_box.setLayout(rule_form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        may = actor.is_manager
        for widget in (*self.fields.values(), choose, remove, self.margin, self.include_tax,
                       self.days):
            widget.setEnabled(may)
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        if save is not None:
            save.setEnabled(may)
        layout = QVBoxLayout(self)
        if not may:
            note = QLabel(_("Only a manager can change these."))
            note.setStyleSheet("color: palette(mid)")
            layout.addWidget(note)
        layout.addWidget(head_box)
        layout.addWidget(rule_box)
        self.message = ErrorLabel()  # what names no field (a rule of who may change them)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._show_logo()

    def _show_logo(self) -> None:
        picture = QPixmap()
        if self.logo and picture.loadFromData(self.logo):
            self.logo_view.setPixmap(picture.scaledToHeight(
                48, Qt.TransformationMode.SmoothTransformation))
        else:
            self.logo_view.setText(_("No logo"))

    def choose_logo(self) -> None:
        path, _filter = open_file_name(self, _("Choose the logo"), "",
                                       _("Images (*.png *.jpg *.jpeg)"))
        if not path:
            return
        try:
            self.logo = Path(path).read_bytes()
        except OSError as error:
            self.errors["logo"].show_message(str(error.strerror or error))
            return
        self.errors["logo"].show_message("")
        self._show_logo()

    def remove_logo(self) -> None:
        self.logo = b""
        self._show_logo()

    def save(self) -> None:
        for label in self.errors.values():
            label.show_message("")
        texts = {name: self.fields[name].text() for name in _FIELDS}
        head = replace(Letterhead(), **texts, logo=self.logo)
        try:
            margin = parse_percent(self.margin.text(), "min_margin")
            rules = QuoteRules(margin, self.include_tax.isChecked(), self.days.value())
            self.services.letterhead.set_letterhead(head, by=self.actor)
            self.services.quote_rules.set_rules(rules, by=self.actor)
        except FunnelDeskError as error:
            show_refusal(error, self.errors, self.fields, self.message)
            return
        self.accept()

