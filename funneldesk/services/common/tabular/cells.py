"""A cell's text read as the value a field takes. Each refusal is a stable reason code
(the import report's ``reason``); the engine words it in the user's language.

Pure functions of the text and the options, with no database: the engine may run them in
worker processes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from funneldesk.services.common.money import MAX_AMOUNT


class CellProblem(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_SIGNS = re.compile(r"^(?:RMB|CNY|USD|EUR|HKD|[¥￥$€£])\s*|\s*(?:RMB|CNY|USD|EUR|HKD|元)$",
                    re.IGNORECASE)
_AMOUNT = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")


# the currency a sign or code beside an amount names; ¥ and ￥ are the yuan (the yen's
# sign too, but FunnelDesk's teams write it for the yuan), $ the US dollar
_SIGN_CURRENCY = {"rmb": "CNY", "cny": "CNY", "¥": "CNY", "￥": "CNY", "元": "CNY",
                  "usd": "USD", "$": "USD", "eur": "EUR", "€": "EUR", "hkd": "HKD",
                  "£": "GBP"}


def money_currency(text: str) -> str | None:
    """The currency code a sign or code beside an amount names (``¥1,234``: CNY,
    ``1234 USD``: USD), or None for a plain amount; two that differ (``$1,234 RMB``) are
    a problem."""
    found = {_SIGN_CURRENCY[m.group(0).strip().casefold()]
             for m in _SIGNS.finditer(text.strip().replace(" ", ""))}
    if len(found) > 1:
        raise CellProblem("currency_mismatch")
    return found.pop() if found else None


def money(text: str) -> Decimal:
    """``1,234.50``, ``¥1,234``, ``$1,234``, ``RMB 1234`` ...; never rounded: more than two
    decimals is a problem, as is anything that is not a plain amount."""
    cleaned = _SIGNS.sub("", text.strip().replace("，", ",").replace(" ", ""))
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        raise CellProblem("not_a_number")
    if match.group(1) is not None and len(match.group(1)) > 2:
        raise CellProblem("too_many_decimals")
    try:
        value = Decimal(cleaned.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise CellProblem("not_a_number") from None
    if value < 0:
        raise CellProblem("negative")
    if value > MAX_AMOUNT:
        raise CellProblem("too_large")
    return value


_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*([%％]?)")


def percent(text: str) -> Decimal:
    """A percentage (``13``, ``13%``, ``6.5 %``) in percent, at most two decimals. A bare
    number below 1 (``0.13``) is a fraction, as a spreadsheet's percent cell reads."""
    match = _PERCENT.fullmatch(text.strip())
    if match is None:
        raise CellProblem("bad_percent")
    value = Decimal(match.group(1))
    if not match.group(2) and 0 < value < 1:
        value = value.scaleb(2)
    if value > 100 or value != value.quantize(Decimal("0.01")):
        raise CellProblem("bad_percent")
    return value


# dates whose order no one can mistake: the year first
_ISO = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
                  r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
                  r"\s*(Z|[+-]\d{2}:?\d{2})?")
# day and month in an order the file must tell: 05/03/2026
_NUMERIC = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def date_order(texts: Iterable[str]) -> str | None:
    """``dmy`` or ``mdy`` when a column's day-first or month-first dates prove their
    order (a part above 12), else None (each such date then asks for the format)."""
    return date_column(texts)[0]


def date_column(texts: Iterable[str]) -> tuple[str | None, str | None]:
    """What a column's dates say of their order: ``date_order``, and the first date that
    needs it given (written day and month first, either way round, where the column does
    not prove which), else None. Each distinct text is read once (a column of 100,000
    rows holds a few thousand dates)."""
    day_first = month_first = False
    first: str | None = None
    for text in dict.fromkeys(texts):
        match = _NUMERIC.fullmatch(text.strip())
        if match:
            first = first or text.strip()
            day_first |= int(match.group(1)) > 12
            month_first |= int(match.group(2)) > 12
    if day_first == month_first:
        return None, first
    return ("dmy" if day_first else "mdy"), None


def moment(text: str, fmt: str | None = None, order: str | None = None) -> dt.datetime:
    """A date with an optional time: aware when the text gives its offset (2026-03-05T23:30Z,
    as HubSpot and Salesforce write), naive otherwise (the caller knows the time zone)."""
    text = text.strip()
    match = _ISO.fullmatch(text)
    if fmt:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            if match is None:  # a year-first date is read as ever beside the file's format
                raise CellProblem("bad_date") from None
    parts: tuple[str | None, ...]
    zone: dt.tzinfo | None = None
    if match:
        *parts_, offset = match.groups()
        parts = tuple(parts_)
        zone = _zone(offset) if offset else None
    else:
        match = _NUMERIC.fullmatch(text)
        if match is None:
            raise CellProblem("bad_date")
        first, second, year, *clock = match.groups()
        if order is None:  # no reading works when both parts are above 12
            raise CellProblem("bad_date" if min(int(first), int(second)) > 12
                              else "ambiguous_date")
        day, month = (first, second) if order == "dmy" else (second, first)
        parts = (year, month, day, *clock)
    year, month, day, hour, minute, second = (int(p) if p else 0 for p in parts)
    try:
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError:
        raise CellProblem("bad_date") from None


def _zone(offset: str) -> dt.tzinfo:
    if offset == "Z":
        return dt.UTC
    digits = offset[1:].replace(":", "")
    delta = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return dt.timezone(-delta if offset[0] == "-" else delta)


def date(text: str, fmt: str | None = None, order: str | None = None) -> dt.date:
    """The day a cell names: with an offset given, the day it is here."""
    when = moment(text, fmt, order)
    return (when.astimezone() if when.tzinfo is not None else when).date()


_SEPARATORS = re.compile(r"[;,，；、|\n]+")


def split_list(text: str) -> list[str]:
    """Several values in one cell: ``a; b``, ``a，b``, ``a、b`` or one per line."""
    parts = _SEPARATORS.split(text)
    if len(parts) == 1:  # the common case, without the comprehension
        return [parts[0].strip()] if not parts[0].isspace() and parts[0] else []
    return [p.strip() for p in parts if p.strip()]


def choice(text: str, names: Mapping[str, str]) -> str:
    """The code a cell names, by any of its names (folded)."""
    code = names.get(text.strip().casefold())
    if code is None:
        raise CellProblem("unknown_value")
    return code
