"""The payment schedule a new contract starts from: read from the quote's payment terms
when they name shares that make 100% ("30% on signing, 70% on acceptance", "合同签订后
支付 50%，到货后支付 40%，质保金 10% 于一年后支付"), else 30% on signing and 70% on
acceptance. The rep checks the dates; the shares are what the customer accepted."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from funneldesk.errors import InvalidInput
from funneldesk.i18n import _
from funneldesk.money import CENT, round_cents
from funneldesk.services.contracts.records import MilestoneDraft

_CLAUSE = re.compile(r"[^,;，；。、\n]+")
_SHARE = re.compile(r"(\d{1,3}(?:\.\d{1,2})?)\s*[%％]")
_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff])\s+(?=[\u3000-\u9fff])")
_YEAR = re.compile(r"年|\byears?\b", re.IGNORECASE)
_MOST = 12


def starting_schedule(payment_terms: str, today: dt.date) -> tuple[MilestoneDraft, ...]:
    """The milestones ``payment_terms`` name, the first due a week from ``today``, the
    next in two months, three ... (a clause that speaks of a year, a year on), or the
    default schedule."""
    return _from_terms(payment_terms, today) or (
        MilestoneDraft(_("Advance on signing"), today + dt.timedelta(days=7), Decimal(30)),
        MilestoneDraft(_("Balance on acceptance"), today + dt.timedelta(days=60),
                       Decimal(70)))


def _from_terms(text: str, today: dt.date) -> tuple[MilestoneDraft, ...]:
    shares: list[tuple[str, Decimal]] = []
    for clause in _CLAUSE.findall(text):
        found = _SHARE.findall(clause)
        if len(found) != 1:  # two shares in one clause: whose words are whose is a guess
            if found:
                return ()
            continue
        try:
            percent = Decimal(found[0])
        except InvalidOperation:
            return ()
        shares.append((clause, percent))
    if not shares or len(shares) > _MOST or sum(p for _c, p in shares) != 100 or any(
            p <= 0 for _c, p in shares):
        return ()
    return tuple(MilestoneDraft(_label(clause, position), _due(clause, position, today),
                                percent)
                 for position, (clause, percent) in enumerate(shares))


def _due(clause: str, position: int, today: dt.date) -> dt.date:
    """As the default schedule: a week on for the first, then two months, three ..."""
    if position and _YEAR.search(clause):
        return today + dt.timedelta(days=365)
    return today + dt.timedelta(days=7 if not position else 30 * (position + 1))


def _label(clause: str, position: int) -> str:
    """The clause without its share, so that the schedule's label reads as the terms do."""
    words = _CJK_GAP.sub("", " ".join(_SHARE.sub(" ", clause).split())).strip(" :：.")
    if not words:
        return _("Payment {number}").format(number=position + 1)
    return (words[0].upper() + words[1:])[:200]


def schedule_amounts(milestones: tuple[MilestoneDraft, ...],
             total: Decimal) -> list[tuple[MilestoneDraft, Decimal]]:
    """Each milestone with its amount: a share of ``total`` rounded half-up (the last
    share takes the cent that rounding leaves) or a fixed amount; together they make
    ``total`` exactly."""
    if not milestones:
        raise InvalidInput("milestones", _("Add at least one payment to the schedule."))
    amounts: list[Decimal] = []
    for milestone in milestones:
        if not milestone.label.strip():
            raise InvalidInput("milestones", _("Name each payment (for example, advance "
                                               "on signing)."))
        if not all(v is None or Decimal(v).is_finite()
                   for v in (milestone.amount, milestone.percent)):
            raise InvalidInput("milestones", _("Give each payment a share from 0 to 100 "
                                               "percent, or an amount."))
        if milestone.amount is not None:
            amounts.append(round_cents(Decimal(milestone.amount)))
        elif milestone.percent is None or not 0 < milestone.percent <= 100:
            raise InvalidInput("milestones", _("Give each payment a share from 0 to 100 "
                                               "percent, or an amount."))
        else:
            amounts.append(round_cents(total * milestone.percent / 100))
    shares = [i for i, m in enumerate(milestones) if m.amount is None]
    gap = total - sum(amounts, Decimal(0))
    if shares and gap and abs(gap) <= CENT * len(shares):
        amounts[shares[-1]] += gap
    if sum(amounts, Decimal(0)) != total:
        raise InvalidInput("milestones", _(
            "The payments add up to {sum} of {total}: make them add up to the contract's "
            "amount.").format(sum=f"{sum(amounts, Decimal(0)):,.2f}", total=f"{total:,.2f}"))
    if any(a <= 0 for a in amounts):
        raise InvalidInput("milestones", _("Every payment is more than zero."))
    return list(zip(milestones, amounts, strict=True))
