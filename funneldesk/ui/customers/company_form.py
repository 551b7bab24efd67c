"""The company form: every field of a company, on the tabs Profile, Region, Reach, Sales
and Notes; new companies are checked against those already saved."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QWidget

from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.customers.records import (
    ChannelInfo,
    CompanyDetail,
    CompanyFields,
    DuplicateMatch,
    SavedCustomer,
)
from funneldesk.services.dto import Actor
from funneldesk.ui.customers import choices
from funneldesk.ui.customers.channel_list import ChannelList
from funneldesk.ui.customers.labels import KEY_LEVEL_LABELS
from funneldesk.ui.customers.record_form import RecordForm, tags_of

_TEXTS = ("name", "industry", "segment", "size", "website", "credit_code", "external_id",
          "country", "province", "city", "campaign")


class CompanyForm(RecordForm):
    """Edits ``detail``, or a new company when it is None (``start`` fills it first)."""

    entity = "company"

    def __init__(self, services: Services, actor: Actor, detail: CompanyDetail | None,
                 parent: QWidget | None = None, start: CompanyFields | None = None) -> None:
        super().__init__(services, actor, detail is None, parent)
        self.detail = detail
        self.setWindowTitle(_("New company") if detail is None
                            else _("Company: {name}").format(name=detail.fields.name))
        values = detail.fields if detail is not None else start or CompanyFields(name="")
        self._build(values)
        self._fill(values, detail.channels if detail is not None else ())

    def _build(self, values: CompanyFields) -> None:
        form = self.page(_("Profile"))
        # "Name" alone reads as a person's name (姓名) in Chinese
        self.name = self.line(form, "name", _("e.g. Acme Trading Co., Ltd."),
                              _("Company name"))
        self.industry = self.line(form, "industry")
        self.segment = self.line(form, "segment")
        self.size_edit = self.line(form, "size", _("e.g. 50–200 employees"))
        self.website = self.line(form, "website", _("e.g. www.example.com"))
        self.credit_code = self.line(form, "credit_code", _("18 characters"))
        self.external_id = self.line(form, "external_id")
        form = self.page(_("Region"))
        self.country = self.line(form, "country")
        self.province = self.line(form, "province")
        self.city = self.line(form, "city")
        self.address = self.text(form, "address")
        form = self.page(_("Contact details"))
        verify = self._verify if self.detail is not None else None
        self.phones = ChannelList("phone", verify)
        self.add_field(form, "phones", self.phones)
        self.emails = ChannelList("email", verify)
        self.add_field(form, "emails", self.emails)
        form = self.page(_("Sales"))
        self.owner = self.combo(form, "owner_id", choices.owners(
            self.services, values.owner_id, self.creating))
        self.key_level = self.combo(form, "key_level", choices.coded(KEY_LEVEL_LABELS))
        self.lead_source = self.combo(form, "lead_source_id", choices.lead_sources(
            self.services, values.lead_source_id))
        self.campaign = self.line(form, "campaign")
        self.tags = self.line(form, "tags", _("Separated by commas"))
        form = self.page(_("Notes"))
        self.notes = self.text(form, "notes")

    def _fill(self, values: CompanyFields, channels: Sequence[ChannelInfo]) -> None:
        for name in _TEXTS:
            self.line_of(name).setText(getattr(values, name))
        self.address.setPlainText(values.address)
        self.notes.setPlainText(values.notes)
        owner = values.owner_id if values.owner_id is not None or not self.creating \
            else self.actor.id
        self.owner.setCurrentIndex(max(self.owner.findData(owner), 0))
        self.key_level.setCurrentIndex(max(self.key_level.findData(values.key_level), 0))
        self.lead_source.setCurrentIndex(max(self.lead_source.findData(values.lead_source_id), 0))
        self.tags.setText(", ".join(values.tags))
        if channels:
            self.phones.set_entries(channels)
            self.emails.set_entries(channels)
        else:
            self.phones.set_values(values.phones)
            self.emails.set_values(values.emails)

    def _verify(self, channel_id: int, verified: bool) -> tuple[ChannelInfo, ...]:
        assert self.detail is not None
        self.services.customers.verify(channel_id, verified=verified, by=self.actor)
        self.verified = True
        return self.services.customers.company_detail(self.detail.id).channels

    # --- the record ---------------------------------------------------------------
    def values(self) -> CompanyFields:
        return CompanyFields(
            **{n: self.line_of(n).text() for n in _TEXTS},
            address=self.address.toPlainText(), owner_id=self.owner.currentData(),
            key_level=str(self.key_level.currentData() or ""),
            lead_source_id=self.lead_source.currentData(),
            notes=self.notes.toPlainText(), phones=self.phones.values(),
            emails=self.emails.values(), tags=tags_of(self.tags.text()))

    def check(self, values: CompanyFields) -> CompanyFields:
        return self.services.customers.check_company(values)

    def matches(self, values: CompanyFields) -> list[DuplicateMatch]:
        exclude = self.detail.id if self.detail is not None else None  # itself
        return self.services.duplicates.matches_for_company(values, exclude_id=exclude)

    def write(self, values: CompanyFields) -> SavedCustomer | None:
        customers = self.services.customers
        if self.detail is None:
            return customers.add_company(values, by=self.actor)
        if values == self.detail.fields:
            return None
        return customers.update_company(self.detail.id, values,
                                        expected_version=self.detail.version, by=self.actor)
