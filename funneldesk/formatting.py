"""Dates, numbers and money formatted for the current language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.dates import format_skeleton
from babel.dates import format_time as _format_time
from babel.lists import format_list
from babel.numbers import (
    format_currency,
    get_currency_name,
    get_currency_precision,
    get_currency_symbol,
    parse_pattern,
)

from funneldesk.i18n import language


def _locale() -> str:
    return "zh_CN" if language() == "zh_CN" else "en_US"


def money(amount: Decimal, currency: str) -> str:
    return str(format_currency(amount, currency, locale=_locale()))


def spreadsheet_money_format(currency: str) -> str:
    """An Excel number format that shows an amount as ``money`` does (its sign, thousands
    separators, its currency's decimals) while the cell stays a number that sums."""
    symbol = get_currency_symbol(currency, locale=_locale()).replace('"', "")
    digits = get_currency_precision(currency)  # JPY has none, as money() shows it
    number = "#,##0" + ("." + "0" * digits if digits else "")
    return f'"{symbol}"{number};-"{symbol}"{number}'


def money_short(amount: Decimal, currency: str) -> str:
    """Whole units, for card faces and column headers where cents are noise."""
    return _money_short(amount.quantize(Decimal(1)), currency, _locale())


# Cards repaint whole columns after every move and filter: babel's formatting would be
# most of the time a card takes to paint, and a board shows few distinct values and dates.
# Column totals change with every move, so each is formatted anew: with the locale and
# the pattern parsed once, as babel's format_currency would parse them on every call (a
# seventh of the time).
@lru_cache(maxsize=4096)
def _money_short(whole: Decimal, currency: str, locale: str) -> str:
    return str(_WHOLE_UNITS.apply(whole, _parsed(locale), currency=currency,
                                  currency_digits=False))


_WHOLE_UNITS = parse_pattern("¤#,##0")


@lru_cache(maxsize=8)
def _parsed(locale: str) -> Locale:
    return Locale.parse(locale)


def number(value: int | Decimal) -> str:
    return _number(value, _locale())


# every column header formats its counts again after each move and each search
@lru_cache(maxsize=4096)
def _number(value: int | Decimal, locale: str) -> str:
    parsed = _parsed(locale)
    return str(parsed.decimal_formats[None].apply(value, parsed))


def decimal(value: float, places: int = 1) -> str:
    """A number with at most ``places`` decimals, in the user's locale (12.5, 1,234.5)."""
    from babel.numbers import format_decimal

    return str(format_decimal(round(value, places), format=f"#,##0.{'#' * places}",
                              locale=_locale()))


def money_compact(amount: Decimal, currency: str) -> str:
    """An amount as a tile shows it: "$10.6M", "¥1024.8万"."""
    from babel.numbers import format_compact_currency

    return str(format_compact_currency(amount, currency, locale=_locale(), fraction_digits=1))


def month_short(value: dt.date, year: bool = True) -> str:
    """A month on a chart's axis: "Mar" (and "Jan ’27" at a year's turn, unless not
    ``year``), "3月"."""
    return str(format_skeleton("yyMMM" if year and value.month == 1 else "MMM", value,
                               locale=_locale()))


def percent(ratio: float) -> str:
    """A ratio between 0 and 1 as a whole percentage, in the user's locale (42%)."""
    from babel.numbers import format_percent

    return str(format_percent(ratio, format="#,##0%", locale=_locale()))


def date(value: dt.date) -> str:
    return str(_format_date(value, format="medium", locale=_locale()))


def month(value: dt.date) -> str:
    """The month of ``value`` with its year ("December 2026", "2026年12月")."""
    return str(format_skeleton("yMMMM", value, locale=_locale()))


def date_short(value: dt.date) -> str:
    return _date_short(value, _locale())


@lru_cache(maxsize=4096)
def _date_short(value: dt.date, locale: str) -> str:
    return str(_format_date(value, format="short", locale=locale))


def time_short(value: dt.datetime) -> str:
    """The time of day of an aware timestamp, in the machine's local time ("14:05")."""
    return str(_format_time(value.astimezone(), format="short", locale=_locale()))


def datetime(value: dt.datetime) -> str:
    """An aware UTC timestamp shown in the machine's local time."""
    return str(_format_datetime(value.astimezone(), format="short", locale=_locale()))


def listing(items: Sequence[str]) -> str:
    """``items`` as one list in the current language ("USD, EUR and JPY")."""
    return str(format_list(list(items), locale=_locale()))


def currency_name(code: str) -> str:
    """The currency's name in the current language ("Euro", "欧元")."""
    return str(get_currency_name(code, locale=_locale()))


def items(values: Sequence[str]) -> str:
    """Values side by side, each as good as the others ("A, B, C"; "甲、乙、丙"): the
    phones or tags of a record, where "and" would read as a sentence."""
    middle = str(_parsed(_locale()).list_patterns["standard"]["middle"])
    separator = middle.replace("{0}", "").replace("{1}", "")
    return separator.join(values)


def territory(code: str) -> str:
    """A country or region's name in the current language ("China", "中国")."""
    return str(_parsed(_locale()).territories.get(code.upper(), code))
