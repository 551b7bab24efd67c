"""What a customer's record accepts, checked offline: credit codes by their check
character, phones with phonenumbers in the team's region, emails by their form."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from funneldesk import i18n
from funneldesk.errors import InvalidInput
from funneldesk.services.customers import validation

# codes of real companies, as published: the check character of each is right
REAL_CODES = ["91440300708461136T", "914403001922038216", "91330100716105852F",
              "91350100M000100Y43"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_credit_codes_pass_and_are_kept_in_one_form(code: str) -> None:
    assert validation.credit_code(code) == code
    assert validation.credit_code(f" {code[:6]} {code[6:].lower()} ") == code
    assert validation.credit_code(code.replace("9", "９", 1)) == code  # a full-width digit


@pytest.mark.parametrize(("typed", "says"), [
    ("91440300708461136", "18 characters"),
    ("91440300708461136TX", "18 characters"),
    ("9144030070846113IT", "“I”"),
    ("91440300708461136U", "last character"),  # one check character off
    ("91440300708461163T", "last character"),  # two digits swapped
])
def test_a_wrong_credit_code_is_refused_with_the_reason(typed: str, says: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        validation.credit_code(typed, field="credit_code")
    assert refused.value.field == "credit_code"
    assert says in refused.value.message()


@pytest.mark.parametrize(("typed", "region", "stored"), [
    ("138 0013 8000", "CN", "+8613800138000"),
    ("13800138000", "CN", "+8613800138000"),
    ("+86 138-0013-8000", "US", "+8613800138000"),  # a country code wins over the region
    ("010-8888 8888", "CN", "+861088888888"),  # a Beijing landline
    ("(202) 555-0148", "US", "+12025550148"),
])
def test_phones_are_read_in_the_teams_region_and_stored_as_e164(
        typed: str, region: str, stored: str) -> None:
    assert validation.phone(typed, region) == stored


def test_a_stored_phone_is_shown_as_people_write_it() -> None:
    assert validation.phone_shown("+8613800138000", "CN") == "138 0013 8000"
    assert validation.phone_shown("+12025550148", "CN") == "+1 202-555-0148"


@pytest.mark.parametrize("typed", ["12345", "1380013800", "hello", "+86 999 9999 9999", ""])
def test_a_wrong_phone_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        validation.phone(typed, "CN", field="mobile")
    assert refused.value.field == "mobile"


@pytest.mark.parametrize(("typed", "stored"), [
    ("Zhang.Wei@Example.COM", "Zhang.Wei@example.com"),
    (" li_na+crm@mail.example.com.cn ", "li_na+crm@mail.example.com.cn"),
    ("wang@例子.中国", "wang@例子.中国"),  # an internationalised domain
])
def test_emails_are_checked_by_form_only(typed: str, stored: str) -> None:
    assert validation.email(typed) == stored


@pytest.mark.parametrize("typed", ["zhang.wei", "zhang@", "@example.com", "a@b", "a..b@x.com",
                                   "a@-x.com", "a@x.123", "a b@x.com", "a@x..com"])
def test_a_wrong_email_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        validation.email(typed, field="email")
    assert refused.value.field == "email"
    assert "email address" in refused.value.message()


def test_the_reasons_are_said_in_chinese_too() -> None:
    i18n.set_language("zh_CN")  # the suite's fixture sets English back
    with pytest.raises(InvalidInput) as refused:
        validation.credit_code("9144030070846113")
    assert "18 位" in refused.value.message()
    with pytest.raises(InvalidInput) as refused:
        validation.phone("12345", "CN")
    assert "电话号码" in refused.value.message()


@settings(max_examples=3000, deadline=None)
@given(digits=st.text("0123456789", min_size=10, max_size=12),
       prefix=st.sampled_from(["", "+86", "86", "0086", "+86 ", "+1"]),
       spacing=st.sampled_from(["", " ", "-", "(", ")"]),
       region=st.sampled_from(["CN", "HK", "US"]),
       script=st.sampled_from(["0", "\uff10", "\u0660"]))  # ASCII, full-width, Arabic-Indic
def test_the_quick_reading_of_chinese_mobiles_agrees_with_phonenumbers(
        digits: str, prefix: str, spacing: str, region: str, script: str) -> None:
    text = prefix + "1" + spacing.join([digits[:2], digits[2:6], digits[6:]])
    text = text.translate({ord("0") + n: ord(script) + n for n in range(10)})
    try:
        parsed = phonenumbers.parse(text, region)
        slow = (phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
                if phonenumbers.is_valid_number(parsed) else None)
    except phonenumbers.NumberParseException:
        slow = None
    try:
        quick: str | None = validation.phone(text, region)
    except InvalidInput:
        quick = None
    assert quick == slow
    assert quick is None or quick.isascii()
