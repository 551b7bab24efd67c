"""Creates a company or a contact from inside the deal form."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.dto import Actor, Named
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.common.save_state import note_saved


class QuickCreateDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, company_id: int | None,
                 contact: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.company_id, self.contact = (
            services, actor, company_id, contact)
        self.created: Named | None = None
        self.setWindowTitle(_("New contact") if contact else _("New company"))
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.title = QLineEdit()
        form.addRow(_("Name:"), self.name)
        if contact:
            form.addRow(_("Job title:"), self.title)
        form.addRow(_("Phone:"), self.phone)
        form.addRow(_("Email:"), self.email)
        self.error = ErrorLabel()
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.more = buttons.addButton(_("More fields…"), QDialogButtonBox.ButtonRole.ActionRole)
        assert self.more is not None
        self.more.setToolTip(_("Continue in the full form, with every field"))
        self.more.clicked.connect(self.more_fields)
        form.addRow(buttons)

    def more_fields(self) -> None:
        """Continues in the full company or contact form with what was typed here; once
        saved there, this dialog is done too."""
        from funneldesk.services.customers.records import CompanyFields, ContactFields
        from funneldesk.ui.customers.opening import open_company, open_contact

        phones = (self.phone.text(),) if self.phone.text().strip() else ()
        emails = (self.email.text(),) if self.email.text().strip() else ()
        if self.contact:
            saved = open_contact(self, self.services, self.actor, None, start=ContactFields(
                name=self.name.text(), company_id=self.company_id, title=self.title.text(),
                phones=phones, emails=emails))
        else:
            saved = open_company(self, self.services, self.actor, None, start=CompanyFields(
                name=self.name.text(), phones=phones, emails=emails))
        if saved is not None:
            self.created = Named(saved.id, saved.name, self.company_id if self.contact else None)
            super().accept()

    def accept(self) -> None:
        try:
            if self.contact:
                self.created = self.services.customers.create_contact(
                    name=self.name.text(), company_id=self.company_id, by=self.actor,
                    title=self.title.text(), phone=self.phone.text(), email=self.email.text())
            else:
                self.created = self.services.customers.create_company(
                    name=self.name.text(), by=self.actor, phone=self.phone.text(),
                    email=self.email.text())
        except FunnelDeskError as error:
            self.error.show_error(error)
            self.name.setFocus()
            return
        note_saved()
        super().accept()
