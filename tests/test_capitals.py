"""Amounts in Chinese capital numerals, as a customer's finance department checks them
against the figures: the examples of the payment settlement rules, and a read-back of
any amount."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from funneldesk.capitals import DIGITS, capitals


@pytest.mark.parametrize(("amount", "text"), [
    ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
    ("0", "零元整"),
    ("0.05", "伍分"),
    ("0.50", "伍角整"),
    ("10", "壹拾元整"),
    ("10.05", "壹拾元零伍分"),
    ("1005", "壹仟零伍元整"),
    ("1409.50", "壹仟肆佰零玖元伍角整"),
    ("6007.14", "陆仟零柒元壹角肆分"),
    ("100000", "壹拾万元整"),
    ("1000005", "壹佰万零伍元整"),
    ("100050000", "壹亿零伍万元整"),
    ("100005000", "壹亿零伍仟元整"),
    ("325000.00", "叁拾贰万伍仟元整"),
    ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ("-3.20", "负叁元贰角整"),
    ("2.345", "贰元叁角伍分"),  # half-up to the cent first
])
def test_known_amounts(amount: str, text: str) -> None:
    assert capitals(Decimal(amount)) == text


_VALUES = {d: i for i, d in enumerate(DIGITS)}
_SMALL = {"拾": 10, "佰": 100, "仟": 1000}
_LARGE = {"万": 10 ** 4, "亿": 10 ** 8}


def read_back(text: str) -> Decimal:
    """The amount written in capitals, read by a different route than the writer's."""
    text = text.removesuffix("整")
    yuan_part, _sep, rest = text.rpartition("元") if "元" in text else ("", "", text)
    total, section, digit = 0, 0, 0
    for char in yuan_part:
        if char in _VALUES:
            digit = _VALUES[char]
        elif char in _SMALL:
            section += digit * _SMALL[char]
            digit = 0
        elif char in _LARGE:
            total += (section + digit) * _LARGE[char]  # 亿 before 万: amounts below 万亿
            section = digit = 0
    yuan = total + section + digit
    cents = 0
    if "角" in rest:
        cents += 10 * _VALUES[rest[rest.index("角") - 1]]
    if "分" in rest:
        cents += _VALUES[rest[rest.index("分") - 1]]
    return Decimal(yuan) + Decimal(cents).scaleb(-2)


@given(st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2))
def test_any_amount_reads_back_as_itself(amount: Decimal) -> None:
    text = capitals(amount)
    assert read_back(text) == amount
    assert ("零零" not in text and not text.startswith("零")) or text == "零元整"
    assert text.endswith("分") != text.endswith("整")
