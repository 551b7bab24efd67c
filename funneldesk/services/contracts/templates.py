"""Contract terms from templates: text with ``{placeholders}`` filled from the deal, the
customer and the quote. A placeholder with no value is an error the user sees, never a
blank in a contract.

A template is a list of clauses separated by blank lines; a clause's first line is its
heading. ``{{`` and ``}}`` write a brace.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from funneldesk.errors import InvalidInput
from funneldesk.i18n import N_, _
from funneldesk.paths import RESOURCES

# a Chinese input method types full-width braces: ｛customer｝ is a placeholder too, never
# printed as typed
_FIELD = re.compile(r"\{\{|\}\}|[{｛]([^{}｛｝\n]*)[}｝]")

# name -> what it stands for (shown beside the template editor)
PLACEHOLDERS: dict[str, str] = {
    "contract_number": N_("The contract's number"),
    "quote_number": N_("The number of the quote it was made from"),
    "date": N_("The date the contract is printed"),
    "customer": N_("The customer's name"),
    "customer_address": N_("The customer's address"),
    "contact": N_("The customer's contact person"),
    "our_company": N_("Our company's name (the letterhead)"),
    "owner": N_("The deal's owner"),
    "deal": N_("The deal's title"),
    "option": N_("The quote option the customer chose"),
    "currency": N_("The currency"),
    "amount": N_("The total amount, tax included"),
    "amount_in_words": N_("The total in capital numerals (大写, for CNY)"),
    "subtotal": N_("The amount before tax"),
    "tax": N_("The tax"),
    "delivery": N_("The delivery terms"),
    "warranty": N_("The warranty terms"),
    "acceptance": N_("The acceptance terms"),
    "support_scope": N_("What support covers"),
    "response_hours": N_("The promised response time, in hours"),
    "warranty_months": N_("The warranty period, in months"),
    "service_contact": N_("The named service contact"),
}

def default_terms(language: str) -> str:
    """The terms a team starts from, in ``language`` (resources/contracts/)."""
    return (RESOURCES / "contracts" / f"terms.{language}.txt").read_text("utf-8").strip()


def unknown(text: str) -> tuple[str, ...]:
    """The placeholders of ``text`` that FunnelDesk cannot fill, in order of appearance."""
    names: list[str] = []
    for match in _FIELD.finditer(text):
        name = match.group(1)
        if name is not None and name.strip() not in PLACEHOLDERS and name not in names:
            names.append(name)
    return tuple(names)


def check(text: str, field: str = "terms") -> None:
    """Refuses text with a placeholder FunnelDesk cannot fill, naming each one."""
    names = unknown(text)
    if names:
        raise InvalidInput(field, _(
            "Unknown placeholder: {names}. Use one of the placeholders listed, or write "
            "{{{{ and }}}} for a brace.").format(names=", ".join("{" + n + "}" for n in names)))


def empty(text: str, values: Mapping[str, str]) -> tuple[str, ...]:
    """The placeholders of ``text`` whose value this contract does not have yet (no
    letterhead, no warranty terms ...)."""
    names: list[str] = []
    for match in _FIELD.finditer(text):
        name = (match.group(1) or "").strip()
        if name in PLACEHOLDERS and not values.get(name, "").strip() and name not in names:
            names.append(name)
    return tuple(names)


def without_value(names: Sequence[str], field: str = "terms") -> InvalidInput:
    """The refusal of placeholders this contract has no value for yet, naming each."""
    return InvalidInput(field, _(
        "These placeholders have no value in this contract yet: {names}. Fill them in "
        "(the letterhead, the customer, the terms) or take them out of the terms.")
        .format(names=", ".join("{" + n + "}" for n in names)))


def fill(text: str, values: Mapping[str, str], field: str = "terms",
         gap: str | None = None) -> str:
    """``text`` with every placeholder replaced by its value. A placeholder with no
    value is refused, or, with ``gap`` (a draft's preview), shown as ``gap`` names it,
    so that the contract never goes out with a blank."""
    check(text, field)
    missing = empty(text, values)
    if missing and gap is None:
        raise without_value(missing, field)

    def value(match: re.Match[str]) -> str:
        whole = match.group(0)
        if whole in ("{{", "}}"):
            return whole[0]
        name = match.group(1).strip()
        return values.get(name, "").strip() or (gap or "").format(name=name)

    return _FIELD.sub(value, text)


def clauses(text: str) -> list[tuple[str, str]]:
    """(heading, body) of each clause: paragraphs apart by blank lines, the first line
    the heading (a one-line paragraph is a clause with no heading)."""
    result = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.rstrip() for line in block.strip().splitlines()]
        if not lines or not any(lines):
            continue
        if len(lines) == 1:
            result.append(("", lines[0]))
        else:
            result.append((lines[0].strip(), "\n".join(lines[1:]).strip()))
    return result
