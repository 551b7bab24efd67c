"""The names a user sees for the customer fields and for the codes some of them hold
(role, key level, consent, the usual profile words): one place, shared by the forms and
the merge dialog."""

from __future__ import annotations

from funneldesk.i18n import N_, _
from funneldesk.services.customers import profile_words

# every field of CompanyFields and ContactFields, as its form labels it
FIELD_LABELS = {
    "name": N_("Name"),
    "company_id": N_("Company"),
    "title": N_("Job title"),
    "role": N_("Role"),
    "wechat": N_("WeChat ID"),
    "industry": N_("Industry"),
    "segment": N_("Segment"),
    "size": N_("Size"),
    "country": N_("Country"),
    "province": N_("Province or state"),
    "city": N_("City"),
    "address": N_("Address"),
    "website": N_("Website"),
    "credit_code": N_("Unified Social Credit Code"),
    "owner_id": N_("Owner"),
    "key_level": N_("Key customer level"),
    "lead_source_id": N_("Lead source"),
    "campaign": N_("Campaign"),
    "notes": N_("Notes"),
    "age_band": N_("Age band"),
    "gender": N_("Gender"),
    "occupation": N_("Occupation"),
    "income_band": N_("Income band"),
    "education": N_("Education"),
    "preferences": N_("Preferences"),
    "decision_process": N_("Decision process"),
    "loyalty": N_("Loyalty"),
    "data_origin": N_("Data origin"),
    "consent": N_("Consent"),
    "phones": N_("Phones"),
    "emails": N_("Emails"),
    "tags": N_("Tags"),
    "external_id": N_("External ID"),
}

ROLE_LABELS = {
    "": N_("Not known"),
    "decision_maker": N_("Decision maker"),
    "influencer": N_("Influencer"),
    "user": N_("User"),
    "gatekeeper": N_("Gatekeeper"),
}

KEY_LEVEL_LABELS = {
    "": N_("Not a key customer"),
    "A": N_("Key customer, level A"),
    "B": N_("Key customer, level B"),
    "C": N_("Key customer, level C"),
}

CONSENT_LABELS = {
    "unknown": N_("Not asked yet"),
    "given": N_("Consented"),
    "refused": N_("Refused"),
}

ENTITY_LABELS = {"company": N_("Companies"), "contact": N_("Contacts")}


# where a company's field reads better under a label of its own (名称, not 姓名)
_COMPANY_LABELS = {"name": N_("Company name")}


def field_label(name: str, entity: str = "") -> str:
    if entity == "company" and name in _COMPANY_LABELS:
        return _(_COMPANY_LABELS[name])
    return _(FIELD_LABELS.get(name, name))


def code_label(field: str, code: str) -> str:
    """A role, key level or consent code, or a usual profile word, as the user reads it
    (other values unchanged)."""
    if field in profile_words.USUAL:
        return profile_words.shown(field, code)
    table = {"role": ROLE_LABELS, "key_level": KEY_LEVEL_LABELS,
             "consent": CONSENT_LABELS}.get(field)
    if table is None or code not in table:
        return code
    return _(table[code])
