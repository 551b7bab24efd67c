"""The payment schedule a new contract starts from: read from the quote's payment terms
when they name shares that make 100% ("30% on signing, 70% on acceptance", "合同签订后
支付 50%，到货后支付 40%，质保金 10% 于一年后支付") or one payment in full ("验收合格后
30 日内一次性付清"), else 30% on signing and 70% on acceptance, and the rep is told to
check it. Labels are in the contract's language, since they print in it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from funneldesk.errors import InvalidInput
from funneldesk.i18n import N_, _, translated
from funneldesk.money import CENT, round_cents
from funneldesk.services.contracts.records import MilestoneDraft

# clauses end at a full stop (not an abbreviation's: "i.e.", "incl.", "approx."), a
# semicolon, a Chinese comma, an "and", 以及 or 及 (not in a word: 及时, 涉及, 及其 ...),
# or a comma that is not a thousands separator (9,960)
_CLAUSE = re.compile(r"[;；。，、\n]|,(?!\d{3})"
                     r"|(?<!\b[A-Za-z])(?<!\betc)(?<!\bincl)(?<!\bexcl)(?<!\bapprox)"
                     r"(?<!\bca)(?<!\bno)\.(?=\s|$)"
                     r"|\s+and\s+|以及|(?<![涉普波危提顾论来触])及(?![时格早其])",
                     re.IGNORECASE)
_SHARE = re.compile(r"(\d{1,3}(?:\.\d{1,2})?)\s*[%％]")
_IN_FULL = re.compile(r"一次性|全额|全款|\bin full\b|\bnet\s+\d+", re.IGNORECASE)
_CJK = "\u3000-\u9fff\uff00-\uffef"  # CJK, and full-width punctuation
_CJK_GAP = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")
# a year on: 一年, 1 年, not the 1 of a year's number (2031年)
_YEAR = re.compile(r"(?<![\d〇一二三四五六七八九十])[一1]\s*年|\b(?:one|a|1)\s+years?\b"
                   r"|\b12\s+months\b|12\s*个月", re.IGNORECASE)
_MOST = 12


@dataclass(frozen=True, slots=True)
class StartingSchedule:
    milestones: tuple[MilestoneDraft, ...]
    read: bool  # taken from the quote's terms (False: the default, to be checked)


def starting_schedule(payment_terms: str, today: dt.date,
                      lang: str = "en") -> StartingSchedule:
    """The milestones ``payment_terms`` name, the first due a week from ``today``, the
    next in two months, three ... (a clause that speaks of a year, a year on; never
    before the one above), or the default schedule, labelled in ``lang``."""
    clauses = [c.strip() for c in _CLAUSE.split(payment_terms) if c and c.strip()]
    read = _shares(clauses, today, lang) or _in_full(clauses, today, lang)
    if read:
        return StartingSchedule(read, True)
    return StartingSchedule((
        MilestoneDraft(translated(N_("Advance on signing"), lang),
                       today + dt.timedelta(days=7), Decimal(30)),
        MilestoneDraft(translated(N_("Balance on acceptance"), lang),
                       today + dt.timedelta(days=60), Decimal(70))), False)


def schedule_note(payment_terms: str, read: bool) -> str:
    """What the rep is told of the schedule a new contract starts from."""
    terms = " ".join(payment_terms.split()).rstrip("。.")
    if not terms:
        return ""
    if read:
        return _("The payment schedule is taken from the quote's payment terms: “{terms}”. "
                 "Check its dates below.").format(terms=terms)
    return _("FunnelDesk could not read a schedule in the quote's payment terms "
             "(“{terms}”): the contract starts from 30% on signing and 70% on acceptance. "
             "Make it below what the customer agreed.").format(terms=terms)


def _shares(clauses: list[str], today: dt.date, lang: str) -> tuple[MilestoneDraft, ...]:
    shares: list[tuple[str, Decimal]] = []
    for clause in clauses:
        found = _SHARE.findall(clause)
        if len(found) > 1:  # two shares in one clause: whose words are whose is a guess
            return ()
        if found:  # digits, by the pattern: always a number
            shares.append((clause, Decimal(found[0])))
    if not shares or len(shares) > _MOST or sum(p for _c, p in shares) != 100 or any(
            p <= 0 for _c, p in shares):
        return ()
    drafts: list[MilestoneDraft] = []
    for position, (clause, percent) in enumerate(shares):
        due = _due(clause, position, today)
        if drafts and drafts[-1].due_on and due < drafts[-1].due_on:
            due = drafts[-1].due_on + dt.timedelta(days=30)
        drafts.append(MilestoneDraft(_label(clause, position, lang), due, percent))
    return tuple(drafts)


def _in_full(clauses: list[str], today: dt.date, lang: str) -> tuple[MilestoneDraft, ...]:
    """One payment of the whole, when the terms say so and name no share."""
    whole = [c for c in clauses if _IN_FULL.search(c)]
    if len(whole) != 1 or any(_SHARE.search(c) for c in clauses):
        return ()
    return (MilestoneDraft(_label(whole[0], 0, lang), today + dt.timedelta(days=30),
                           Decimal(100)),)


def _due(clause: str, position: int, today: dt.date) -> dt.date:
    """As the default schedule: a week on for the first, then two months, three ..."""
    if position and _YEAR.search(clause):
        return today + dt.timedelta(days=365)
    return today + dt.timedelta(days=7 if not position else 30 * (position + 1))


def _label(clause: str, position: int, lang: str) -> str:
    """The clause without its share, so that the schedule's label reads as the terms do."""
    words = _CJK_GAP.sub("", " ".join(_SHARE.sub(" ", clause).split())).strip(" :：.")
    if not words:
        return translated(N_("Payment {number}"), lang).format(number=position + 1)
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
            if not 0 < milestone.amount <= total:  # before rounding: 1e30 has no cents
                raise InvalidInput("milestones", _(
                    "Each payment's amount is more than zero and at most the contract's "
                    "{total}.").format(total=f"{total:,.2f}"))
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
