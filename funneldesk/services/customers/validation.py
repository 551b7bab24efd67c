"""Checks of what is typed into a customer's record, offline (nothing looks anything up on
the network): the Unified Social Credit Code of a Chinese company, phone numbers and email
addresses. Each returns the value in the one form it is stored and compared in (duplicate
search matches on it), or refuses with InvalidInput naming the field and saying why in
the user's language.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

import phonenumbers

from funneldesk import formatting
from funneldesk.errors import InvalidInput
from funneldesk.i18n import _, ngettext

# GB 32100-2015: 18 characters from these 31 (no I, O, S, V, Z); the last is a check
# character over the first 17, weighted by 3^i mod 31
_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# what RFC 5322 allows in practice in a local part (no quoted strings), and a domain of
# labels (letters of any script, for internationalised domains such as 例子.中国)
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[^\W_](?:[\w-]{0,61}[^\W_])?")


def credit_code(text: str, field: str = "credit_code") -> str:
    """A Unified Social Credit Code (统一社会信用代码), upper case without spaces."""
    code = unicodedata.normalize("NFKC", text).replace(" ", "").replace("-", "").upper()
    if len(code) != 18:
        raise InvalidInput(field, ngettext(
            "A Unified Social Credit Code has 18 characters; “{code}” has {n}.",
            "A Unified Social Credit Code has 18 characters; “{code}” has {n}.",
            len(code)).format(code=code, n=len(code)))
    wrong = [ch for ch in code if ch not in _CODE_CHARS]
    if wrong:
        raise InvalidInput(field, _("“{ch}” cannot be part of a Unified Social Credit Code "
                                    "(it uses digits and capital letters other than I, O, "
                                    "S, V and Z).").format(ch=wrong[0]))
    total = sum(_CODE_CHARS.index(ch) * weight
                for ch, weight in zip(code[:17], _CODE_WEIGHTS, strict=True))
    if _CODE_CHARS[(31 - total % 31) % 31] != code[17]:
        raise InvalidInput(field, _("“{code}” is not a valid Unified Social Credit Code: its "
                                    "last character does not match the others. Check it "
                                    "for a typing error.").format(code=code))
    return code


# a Chinese mobile number as people write it: what phonenumbers.parse reads as country
# code 86 and these 11 digits (CN numbers have at most 12, so a leading 86 can only be the
# country code); reading it here spares parse's character-by-character work, the bulk of
# an import's time
_SPACING = str.maketrans("", "", " -().\u00a0")
_CN_MOBILE = re.compile(r"(\+86|0086|86)?(1\d{10})", re.ASCII)  # full-width digits: the slow path


@functools.cache
def _cn_mobile_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """phonenumbers' own patterns for a valid Chinese number and a Chinese mobile number:
    a number both match is one is_valid_number accepts (as a mobile), read in a fraction
    of its time (it tries every kind of number in turn)."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    assert metadata is not None
    assert metadata.general_desc is not None
    assert metadata.mobile is not None
    return (re.compile(metadata.general_desc.national_number_pattern or "", re.ASCII),
            re.compile(metadata.mobile.national_number_pattern or "", re.ASCII))


def _cn_mobile(typed: str, region: str) -> str | phonenumbers.PhoneNumber | None:
    """A Chinese mobile number's E.164 form when phonenumbers' patterns prove it valid, the
    number to check the slow way when they do not, or None when it is not written as one."""
    match = _CN_MOBILE.fullmatch(typed.translate(_SPACING))
    if match is None or (match.group(1) != "+86" and region != "CN"):
        return None
    digits = match.group(2)
    general, mobile = _cn_mobile_patterns()
    if general.fullmatch(digits) and mobile.fullmatch(digits):
        return "+86" + digits
    return phonenumbers.PhoneNumber(country_code=86, national_number=int(digits))


def phone(text: str, region: str = "CN", field: str = "phone") -> str:
    """A phone number in E.164 form (+8613812345678), with its extension if it has one
    (+861062881234;ext=5). A number without a country code is read as one of ``region``
    (the team's setting), whatever the interface language."""
    typed = text.strip()
    try:
        number = _cn_mobile(typed, region) or phonenumbers.parse(typed, region)
    except phonenumbers.NumberParseException as error:
        raise InvalidInput(field, _("“{text}” is not a phone number.").format(
            text=typed)) from error
    if isinstance(number, str):
        return number
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput(field, _("“{text}” is not a valid phone number for {region}: "
                                    "check the digits, or start with + and the country "
                                    "code.").format(text=typed, region=formatting.territory(region)))
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    # E.164 has no extension; it is kept after it as RFC 3966 writes it (";ext=5")
    return f"{e164};ext={number.extension}" if number.extension else e164


def phone_key(stored: str) -> str:
    """What duplicates of a stored phone are matched on: the number without extension."""
    return stored.split(";ext=", 1)[0]


def phone_keys(stored: Iterable[str]) -> list[str]:
    """``phone_key`` of each number, for an import's many (a number with no extension,
    the most common, is its own key: without any, the numbers are their keys, found
    without a loop in Python)."""
    numbers = list(stored)
    if ";ext=" not in "\n".join(numbers):  # a stored number holds no new line
        return numbers
    return [s if ";ext=" not in s else phone_key(s) for s in numbers]


def phone_shown(stored: str, region: str = "CN") -> str:
    """A stored (E.164) number as people write it: national form for ``region``'s own
    numbers, international form for the others."""
    number = phonenumbers.parse(stored, region)
    own = phonenumbers.region_code_for_number(number) == region
    kind = (phonenumbers.PhoneNumberFormat.NATIONAL if own
            else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, kind)


# the same rules for an address all in ASCII (NFKC leaves ASCII as it is), in one match
_ASCII_LABEL = _LABEL.pattern
_ASCII_ADDRESS = re.compile(
    rf"({_LOCAL.pattern})@((?:{_ASCII_LABEL}\.)+({_ASCII_LABEL}))", re.ASCII)


def email(text: str, field: str = "email") -> str:
    """An email address by its form alone, its domain in lower case."""
    typed = text.strip()
    if typed.isascii():
        match = _ASCII_ADDRESS.fullmatch(typed)
        if (match is not None and len(match.group(1)) <= 64 and len(typed) <= 254
                and not match.group(4).isdigit()):
            return f"{match.group(1)}@{match.group(3).lower()}"
    typed = unicodedata.normalize("NFKC", typed).strip()
    local, at, domain = typed.rpartition("@")
    labels = domain.split(".")
    if not (at and _LOCAL.fullmatch(local) and len(local) <= 64 and len(labels) >= 2
            and all(_LABEL.fullmatch(label) for label in labels)
            and not labels[-1].isdigit() and len(typed) <= 254):
        raise InvalidInput(field, _("“{text}” is not an email address (like "
                                    "name@example.com).").format(text=typed))
    return f"{local}@{domain.lower()}"


def with_check_character(first17: str) -> str:
    """A credit code's first 17 characters with the check character that completes them
    (sample data makes valid codes with it)."""
    total = sum(_CODE_CHARS.index(ch) * weight
                for ch, weight in zip(first17, _CODE_WEIGHTS, strict=True))
    return first17 + _CODE_CHARS[(31 - total % 31) % 31]
