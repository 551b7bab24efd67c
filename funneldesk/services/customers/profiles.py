"""Checks a company's or a contact's fields as a whole: every problem at once, each named
by its field (a form marks them next to the fields), and the values in the one form they
are kept in."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TypeVar

from funneldesk.errors import InvalidFields, InvalidInput
from funneldesk.i18n import _, ngettext
from funneldesk.services.customers import profile_words, validation
from funneldesk.services.customers.records import (
    CONSENTS,
    KEY_LEVELS,
    ROLES,
    CompanyFields,
    ContactFields,
)

WECHAT_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{5,19}|\+?[0-9]{5,15}")
_WEBSITE = re.compile(r"(?:https?://)?[^\s/]+\.[^\s/]+(?:/\S*)?", re.IGNORECASE)

F = TypeVar("F", CompanyFields, ContactFields)

# the longest each text field may be (the columns' sizes)
_LIMITS = {"name": 300, "industry": 100, "segment": 100, "size": 30, "country": 100,
           "province": 100, "city": 100, "website": 300, "campaign": 200, "title": 200,
           "external_id": 100, "age_band": 20, "gender": 20, "occupation": 100,
           "income_band": 30, "education": 30, "loyalty": 30, "data_origin": 300}


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _listed(values: Iterable[str], check: Callable[[str], str], field: str,
            problems: list[InvalidInput]) -> tuple[str, ...]:
    kept: list[str] = []
    for value in values:
        if not value.strip():
            continue
        try:
            checked = check(value)
        except InvalidInput as error:
            problems.append(InvalidInput(field, error.reason, value))
            continue
        if checked.casefold() not in {k.casefold() for k in kept}:
            kept.append(checked)
    return tuple(kept)


def tag_names(tags: Iterable[str]) -> tuple[str, ...]:
    names: dict[str, str] = {}
    for tag in tags:
        name = _clean(tag)[:100]
        if name:
            names.setdefault(name.casefold(), name)
    return tuple(names.values())


def _texts(fields: F, problems: list[InvalidInput]) -> F:
    changes: dict[str, str] = {}
    for name, limit in _LIMITS.items():
        value = getattr(fields, name, None)
        if not isinstance(value, str):
            continue
        value = _clean(value)
        if len(value) > limit:
            problems.append(InvalidInput(name, ngettext(
                "At most {n} character, please.", "At most {n} characters, please.",
                limit).format(n=limit)))
        changes[name] = value
    return replace(fields, **changes)  # type: ignore[arg-type]  # only str fields


def checked_company(fields: CompanyFields, region: str) -> CompanyFields:
    """``fields`` as kept, or InvalidFields listing every problem."""
    problems: list[InvalidInput] = []
    fields = _texts(fields, problems)
    if not fields.name:
        problems.append(InvalidInput("name", _("Enter the company's name.")))
    code = fields.credit_code
    if code:
        try:
            code = validation.credit_code(code)
        except InvalidInput as error:
            problems.append(error)
    level = fields.key_level.strip().upper()
    if level not in ("", *KEY_LEVELS):
        problems.append(InvalidInput("key_level", _("A key customer's level is A, B or C.")))
    if fields.website and not _WEBSITE.fullmatch(fields.website):
        problems.append(InvalidInput("website", _("“{text}” is not a web address.").format(
            text=fields.website)))
    phones, emails = _channels(fields, region, problems)
    fields = replace(fields, credit_code=code, key_level=level, phones=phones, emails=emails,
                     tags=tag_names(fields.tags))
    if problems:
        raise InvalidFields.of(problems)
    return fields


def checked_contact(fields: ContactFields, region: str) -> ContactFields:
    problems: list[InvalidInput] = []
    fields = _texts(fields, problems)
    if not fields.name:
        problems.append(InvalidInput("name", _("Enter the contact's name.")))
    if fields.role not in ("", *ROLES):
        problems.append(InvalidInput("role", _("Choose the contact's role from the list.")))
    if fields.consent not in CONSENTS:
        problems.append(InvalidInput("consent", _("Choose whether the contact consented.")))
    wechat = _clean(fields.wechat)
    if wechat and not WECHAT_ID.fullmatch(wechat):
        problems.append(InvalidInput("wechat", _(
            "“{text}” is not a WeChat ID: it has 6 to 20 letters, digits, - or _, and "
            "starts with a letter (or it is the phone number the account was opened "
            "with).").format(text=wechat)))
    phones, emails = _channels(fields, region, problems)
    fields = replace(fields, wechat=wechat, phones=phones, emails=emails,
                     tags=tag_names(fields.tags))
    fields = replace(fields, **{  # type: ignore[arg-type]  # the profile's text fields
        name: profile_words.kept(name, getattr(fields, name)) for name in profile_words.USUAL})
    if problems:
        raise InvalidFields.of(problems)
    return fields


def _channels(fields: CompanyFields | ContactFields, region: str,
              problems: list[InvalidInput]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return (_listed(fields.phones, lambda t: validation.phone(t, region), "phones", problems),
            _listed(fields.emails, validation.email, "emails", problems))
