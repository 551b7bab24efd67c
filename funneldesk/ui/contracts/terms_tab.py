"""A contract's Terms tab: its title, language and confidentiality, the clauses with their
{placeholders} (the placeholders FunnelDesk fills are listed beside; double-click one to
insert it), and the delivery, warranty and acceptance terms. Edited while a draft."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from funneldesk.enums import Confidentiality
from funneldesk.i18n import _
from funneldesk.services.contracts.records import ContractView, confidentiality_label
from funneldesk.services.contracts.templates import PLACEHOLDERS, unknown
from funneldesk.ui.common.error_label import ErrorLabel

FIELDS = ("title", "language", "terms", "delivery_terms", "warranty_terms",
          "acceptance_terms")


def placeholder_list(target: QPlainTextEdit) -> QListWidget:
    """The placeholders FunnelDesk fills, each with what it stands for; double-click one
    to type it where the cursor is in ``target``."""
    names = QListWidget()
    names.setAccessibleName(_("Placeholders"))
    for name, meaning in PLACEHOLDERS.items():
        said = _(meaning)
        item = QListWidgetItem(f"{{{name}}}  {said}")
        item.setData(Qt.ItemDataRole.UserRole, name)
        item.setToolTip(said)
        names.addItem(item)
    names.itemActivated.connect(lambda item: target.insertPlainText(
        "{" + str(item.data(Qt.ItemDataRole.UserRole)) + "}") if not target.isReadOnly()
        else None)
    return names


def unknown_warning(text: str, label: ErrorLabel) -> None:
    """Says, as the user types, which placeholders nothing fills."""
    names = unknown(text)
    label.show_message(_("Unknown placeholder: {names}. It must be one of the list, or the "
                         "contract cannot be saved or printed.").format(
        names=", ".join("{" + n + "}" for n in names)) if names else "")


class TermsTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLineEdit()
        self.title.setAccessibleName(_("Title"))
        self.language = QComboBox()
        self.language.setAccessibleName(_("Language"))
        self.language.addItem("中文", "zh_CN")
        self.language.addItem("English", "en")
        self.confidentiality = QComboBox()
        self.confidentiality.setAccessibleName(_("Confidentiality"))
        for level in Confidentiality:
            self.confidentiality.addItem(confidentiality_label(level), level.value)
        self.terms = QPlainTextEdit()
        self.terms.setAccessibleName(_("Terms"))
        self.delivery = QPlainTextEdit()
        self.warranty = QPlainTextEdit()
        self.acceptance = QPlainTextEdit()
        for edit, name in ((self.delivery, _("Delivery")), (self.warranty, _("Warranty")),
                           (self.acceptance, _("Acceptance"))):
            edit.setAccessibleName(name)
            edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.errors = {name: ErrorLabel() for name in FIELDS}
        # each text says its unknown placeholders as it is typed, and a refusal under it
        # goes once it is put right
        for edit, name in ((self.terms, "terms"), (self.delivery, "delivery_terms"),
                           (self.warranty, "warranty_terms"),
                           (self.acceptance, "acceptance_terms")):
            edit.textChanged.connect(lambda edit=edit, label=self.errors[name]: (
                unknown_warning(edit.toPlainText(), label)))
        self.title.textEdited.connect(lambda _t: self.errors["title"].show_message(""))
        form = QFormLayout()
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(QLabel(_("Printed in:")))
        top.addWidget(self.language)
        top.addWidget(QLabel(_("Level:")))
        top.addWidget(self.confidentiality)
        form.addRow(_("Title:"), top)
        form.addRow("", self.errors["title"])
        for label, edit, name in ((_("Delivery:"), self.delivery, "delivery_terms"),
                                  (_("Warranty:"), self.warranty, "warranty_terms"),
                                  (_("Acceptance:"), self.acceptance, "acceptance_terms")):
            form.addRow(label, edit)
            form.addRow("", self.errors[name])
        hint = QLabel(_("A blank line starts a new clause; a clause's first line is its "
                        "heading. They are numbered when printed, after the products and "
                        "the payment schedule."))
        hint.setWordWrap(True)
        clauses = QVBoxLayout()
        clauses.addWidget(hint)
        clauses.addWidget(self.terms, 1)
        clauses.addWidget(self.errors["terms"])
        beside = QVBoxLayout()
        self.beside_title = QLabel(_("Placeholders (double-click to insert):"))
        self.placeholders = placeholder_list(self.terms)
        beside.addWidget(self.beside_title)
        beside.addWidget(self.placeholders, 1)
        body = QHBoxLayout()
        body.addLayout(clauses, 3)
        body.addLayout(beside, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(body, 1)

    def set_view(self, view: ContractView, editable: bool, may_hide: bool) -> None:
        content = view.content
        self.title.setText(content.title)
        self.language.setCurrentIndex(max(0, self.language.findData(content.language)))
        self.confidentiality.setCurrentIndex(
            max(0, self.confidentiality.findData(content.confidentiality.value)))
        self.terms.setPlainText(content.terms)
        self.delivery.setPlainText(content.delivery_terms)
        self.warranty.setPlainText(content.warranty_terms)
        self.acceptance.setPlainText(content.acceptance_terms)
        for widget in (self.title, self.terms, self.delivery, self.warranty, self.acceptance):
            widget.setReadOnly(not editable)
            # read-only text looks it: the window's background, not a field to type in
            widget.setStyleSheet("" if editable else "background: palette(window);")
        # what the placeholders stand for stays readable; inserting one is for a draft
        self.beside_title.setText(_("Placeholders (double-click to insert):") if editable
                                  else _("Placeholders:"))
        self.placeholders.setEnabled(editable)
        self.language.setEnabled(editable)
        # the level changes at any step, by the deal's owner or a manager
        self.confidentiality.setEnabled(may_hide)

    def fields(self) -> dict[str, QWidget]:
        return {"title": self.title, "language": self.language, "terms": self.terms,
                "delivery_terms": self.delivery, "warranty_terms": self.warranty,
                "acceptance_terms": self.acceptance}

    def level(self) -> Confidentiality:
        return Confidentiality(str(self.confidentiality.currentData()))
