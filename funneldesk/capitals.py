"""Amounts in Chinese capital numerals (大写金额), as invoices, quotes and contracts write
them: 12345.67 -> 壹万贰仟叁佰肆拾伍元陆角柒分.

The rules are those of China's payment settlement rules (《支付结算办法》): 拾 keeps its 壹
(壹拾元), a run of zeros inside the number is one 零, an amount without 分 ends in 整, and
an amount below one yuan starts at its 角 or 分.
"""

from __future__ import annotations

from decimal import Decimal

from funneldesk.money import round_cents

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ((1000, "仟"), (100, "佰"), (10, "拾"), (1, ""))
_GROUPS = ("", "万", "亿", "万亿")


def capitals(amount: Decimal) -> str:
    """``amount`` (rounded half-up to 0.01) in capital numerals, yuan, 角 and 分."""
    cents = int(round_cents(abs(amount)).scaleb(2))
    if cents >= 10 ** 16:
        raise ValueError(f"{amount} is beyond 万亿")
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    text = _whole(yuan) + "元" if yuan else ""
    if jiao:
        text += DIGITS[jiao] + "角"
    elif fen and yuan:
        text += "零"  # 壹拾元零伍分: the empty 角 is read as a zero
    if fen:
        text += DIGITS[fen] + "分"
    else:
        text = (text or "零元") + "整"
    return ("负" if amount < 0 and cents else "") + text


def _whole(number: int) -> str:
    groups = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    text, gap = "", False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if not group:
            gap = bool(text)
            continue
        if text and (gap or group < 1000):
            text += "零"
        text += _four(group) + _GROUPS[index]
        gap = False
    return text


def _four(group: int) -> str:
    text, zero = "", False
    for place, unit in _PLACES:
        digit = group // place % 10
        if not digit:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += DIGITS[digit] + unit
    return text
