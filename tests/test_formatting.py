"""Money and counts as a reader expects them in each language, formatted the way babel's
own functions format them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_currency, format_decimal

from funneldesk import formatting, i18n


@pytest.mark.parametrize(("lang", "locale", "shown"), [
    ("en", "en_US", ["$1,234,568", "CN¥0", "€12"]),
    ("zh_CN", "zh_CN", ["US$1,234,568", "¥0", "€12"]),
])
def test_money_in_whole_units(lang: str, locale: str, shown: list[str]) -> None:
    i18n.set_language(lang)
    amounts = [(Decimal("1234567.50"), "USD"), (Decimal("0.49"), "CNY"), (Decimal(12), "EUR")]
    assert [formatting.money_short(a, c) for a, c in amounts] == shown
    assert shown == [format_currency(a.quantize(Decimal(1)), c, "¤#,##0", locale=locale,
                                     currency_digits=False) for a, c in amounts]


@pytest.mark.parametrize(("lang", "locale"), [("en", "en_US"), ("zh_CN", "zh_CN")])
def test_counts_group_thousands(lang: str, locale: str) -> None:
    i18n.set_language(lang)
    assert formatting.number(1234567) == "1,234,567" == format_decimal(1234567, locale=locale)


def test_a_spreadsheet_shows_an_amount_with_its_currencys_sign_and_decimals() -> None:
    from funneldesk.formatting import spreadsheet_money_format

    assert spreadsheet_money_format("USD") == '"$"#,##0.00;-"$"#,##0.00'
    assert spreadsheet_money_format("JPY").startswith('"¥"#,##0;')  # yen have no cents
