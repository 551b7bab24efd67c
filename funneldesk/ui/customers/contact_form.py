"""The contact form: every field of a contact, on the tabs Profile, Reach, Sales, Consumer
profile, Personal data and Notes, with the person's data export and erasure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.errors import InvalidFields, InvalidInput
from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.customers import profile_words
from funneldesk.services.customers.records import (
    ChannelInfo,
    ContactDetail,
    ContactFields,
    DuplicateMatch,
    Named,
    SavedCustomer,
)
from funneldesk.services.dto import Actor
from funneldesk.ui.board.company_picker import CompanyPicker
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.customers import choices, privacy_actions, profile_choices
from funneldesk.ui.customers.channel_list import ChannelList
from funneldesk.ui.customers.labels import CONSENT_LABELS, ROLE_LABELS
from funneldesk.ui.customers.profile_choices import ProfileChoices
from funneldesk.ui.customers.record_form import RecordForm, tags_of

_TEXTS = ("name", "title", "wechat", "campaign", "age_band", "gender", "occupation",
          "income_band", "education", "loyalty", "data_origin", "external_id")
_LONG_TEXTS = ("notes", "preferences", "decision_process")


class ContactForm(RecordForm):
    """Edits ``detail``, or a new contact when it is None (``start`` fills it first)."""

    entity = "contact"
    erased = False  # the person was erased from the form

    def __init__(self, services: Services, actor: Actor, detail: ContactDetail | None,
                 parent: QWidget | None = None, start: ContactFields | None = None) -> None:
        super().__init__(services, actor, detail is None, parent)
        self.detail = detail
        self.setWindowTitle(_("New contact") if detail is None
                            else _("Contact: {name}").format(name=detail.fields.name))
        values = detail.fields if detail is not None else start or ContactFields(name="")
        self._build(values)
        self._fill(values, detail.channels if detail is not None else ())
        self.privacy_button: QPushButton | None = None
        if detail is not None:
            self._privacy_menu(detail)

    def _build(self, values: ContactFields) -> None:
        form = self.page(_("Profile"))
        self.name = self.line(form, "name", _("e.g. Zhang Wei"))
        self.company = CompanyPicker(
            lambda text, limit: self.services.customers.search_companies(text, limit))
        self.add_field(form, "company_id", self.company)
        self.title = self.line(form, "title")
        self.role = self.combo(form, "role", choices.coded(ROLE_LABELS))
        self.wechat = self.line(form, "wechat")
        self.external_id = self.line(form, "external_id")
        form = self.page(_("Contact details"))
        verify = self._verify if self.detail is not None else None
        self.phones = ChannelList("phone", verify)
        self.add_field(form, "phones", self.phones)
        self.emails = ChannelList("email", verify)
        self.add_field(form, "emails", self.emails)
        form = self.page(_("Sales"))
        self.owner = self.combo(form, "owner_id", choices.owners(
            self.services, values.owner_id, self.creating))
        self.lead_source = self.combo(form, "lead_source_id", choices.lead_sources(
            self.services, values.lead_source_id))
        self.campaign = self.line(form, "campaign")
        self.tags = self.line(form, "tags", _("Separated by commas"))
        form = self.page(_("Consumer profile"))
        self.age_band = self.line(form, "age_band", _("e.g. 30–39"))
        self.gender = self.line(form, "gender")
        self.occupation = self.line(form, "occupation")
        self.income_band = self.line(form, "income_band")
        self.education = self.line(form, "education")
        self.preferences = self.text(form, "preferences")
        self.decision_process = self.text(form, "decision_process",
                                          _("How they decide to buy, and who takes part"))
        self.loyalty = self.line(form, "loyalty")
        self.profile_choices = ProfileChoices({field: self.line_of(field)
                                               for field in profile_choices.FIELDS})
        run_in_background(lambda: self.services.customer_list.field_values("contact"),
                          # a failed read leaves the usual words: a convenience, no more
                          self.profile_choices.add_held, lambda _e: None, owner=self)
        form = self.page(_("Personal data"))
        self.data_origin = self.line(form, "data_origin",
                                     _("Where these details come from"))
        self.consent = self.combo(form, "consent", choices.coded(CONSENT_LABELS))
        self.consent_at = QLabel()
        self.consent_at.setWordWrap(True)
        form.addRow(self.consent_at)
        form = self.page(_("Notes"))
        self.notes = self.text(form, "notes")

    def _fill(self, values: ContactFields, channels: Sequence[ChannelInfo]) -> None:
        for name in _TEXTS:  # a usual profile word in the reader's language
            getattr(self, name).setText(profile_words.shown(name, getattr(values, name)))
        for name in _LONG_TEXTS:
            getattr(self, name).setPlainText(getattr(values, name))
        if values.company_id is not None:
            self.company.set_company(self.services.customers.company(values.company_id))
        owner = values.owner_id if values.owner_id is not None or not self.creating \
            else self.actor.id
        self.owner.setCurrentIndex(max(self.owner.findData(owner), 0))
        self.role.setCurrentIndex(max(self.role.findData(values.role), 0))
        self.lead_source.setCurrentIndex(max(self.lead_source.findData(values.lead_source_id), 0))
        self.consent.setCurrentIndex(max(self.consent.findData(values.consent), 0))
        self.tags.setText(", ".join(values.tags))
        if channels:
            self.phones.set_entries(channels)
            self.emails.set_entries(channels)
        else:
            self.phones.set_values(values.phones)
            self.emails.set_values(values.emails)
        at = self.detail.consent_at if self.detail is not None else None
        self.consent_at.setText(_("Consent recorded {when}.").format(
            when=formatting.datetime(at)) if at is not None else "")
        self.consent_at.setVisible(at is not None)

    def _privacy_menu(self, detail: ContactDetail) -> None:
        button = QPushButton(_("Personal data…"))
        # at the left, away from Save: what it offers is not part of editing the record
        row = self.layout()
        assert isinstance(row, QVBoxLayout)
        bottom = QHBoxLayout()
        row.removeWidget(self.buttons)
        bottom.addWidget(button)
        bottom.addWidget(self.buttons, 1)
        row.addLayout(bottom)
        menu = QMenu(button)
        self.export_action = menu.addAction(_("Export to a file…"))
        self.export_action.triggered.connect(self.export_person)
        self.erase_action = menu.addAction(_("Erase for good…"))
        self.erase_action.triggered.connect(self.erase_person)
        if not self.actor.is_manager:
            self.erase_action.setEnabled(False)
            self.erase_action.setToolTip(_("Only a manager can erase a person's data."))
        menu.setToolTipsVisible(True)
        button.setMenu(menu)
        self.privacy_button = button

    def export_person(self) -> None:
        assert self.detail is not None
        privacy_actions.export_person(self, self.services, self.detail.id,
                                      self.detail.fields.name)

    def erase_person(self) -> None:
        assert self.detail is not None
        if privacy_actions.erase_person(self, self.services, self.actor, self.detail.id,
                                        self.detail.fields.name):
            self.erased = True
            # closed unasked: the edits were to a person who is gone (reject would offer
            # to save them)
            self.done(QDialog.DialogCode.Rejected)

    def _verify(self, channel_id: int, verified: bool) -> tuple[ChannelInfo, ...]:
        assert self.detail is not None
        self.services.customers.verify(channel_id, verified=verified, by=self.actor)
        self.verified = True
        return self.services.customers.contact_detail(self.detail.id).channels

    # --- the record ---------------------------------------------------------------
    def values(self) -> ContactFields:
        return self._values(self.company.company_id())

    def _values(self, company_id: int | None) -> ContactFields:
        texts: dict[str, Any] = {n: getattr(self, n).text() for n in _TEXTS}
        texts.update({n: getattr(self, n).toPlainText() for n in _LONG_TEXTS})
        return ContactFields(
            **texts, company_id=company_id, role=str(self.role.currentData() or ""),
            owner_id=self.owner.currentData(), lead_source_id=self.lead_source.currentData(),
            consent=str(self.consent.currentData()), phones=self.phones.values(),
            emails=self.emails.values(), tags=tags_of(self.tags.text()))

    def problems(self) -> tuple[Any, list[InvalidInput]]:
        """Every problem at once: a company name no company has among the others."""
        try:
            self.company.company_id()
        except InvalidInput as unknown:
            try:
                self.check(self._values(None))
            except InvalidFields as error:
                return None, [unknown, *error.problems]
            return None, [unknown]
        return super().problems()

    def check(self, values: ContactFields) -> ContactFields:
        return self.services.customers.check_contact(values)

    def matches(self, values: ContactFields) -> list[DuplicateMatch]:
        exclude = self.detail.id if self.detail is not None else None  # itself
        return self.services.duplicates.matches_for_contact(values, exclude_id=exclude)

    def write(self, values: ContactFields) -> SavedCustomer | None:
        customers = self.services.customers
        if self.detail is None:
            return customers.add_contact(values, by=self.actor)
        if values == self.detail.fields:
            return None
        return customers.update_contact(self.detail.id, values,
                                        expected_version=self.detail.version, by=self.actor)

    def set_company(self, company: Named | None) -> None:
        self.company.set_company(company)
