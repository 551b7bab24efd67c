"""What changed between two revisions of a quote: the concessions a negotiation cost
(prices, discounts, quantities, items, terms and each option's total)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from funneldesk.services.quotes.document import amount, percent, quantity
from funneldesk.services.quotes.records import (
    Comparison,
    Difference,
    QuoteLineView,
    QuoteOptionView,
    QuoteView,
)


def compare(older: QuoteView, newer: QuoteView) -> Comparison:
    """``older`` and ``newer``: the same quote read at two revisions."""
    found: list[Difference] = []
    before = {o.name.casefold(): o for o in older.revision.options}
    after = {o.name.casefold(): o for o in newer.revision.options}
    for key, option in before.items():
        if key not in after:
            found.append(Difference("option_removed", option.name, "",
                                    amount(option.amounts.total), ""))
    for key, option in after.items():
        old = before.get(key)
        if old is None:
            found.append(Difference("option_added", option.name, "", "",
                                    amount(option.amounts.total)))
            continue
        found += _lines(old, option)
        if old.amounts.total != option.amounts.total:
            found.append(Difference("total", option.name, "", amount(old.amounts.total),
                                    amount(option.amounts.total),
                                    option.amounts.total - old.amounts.total))
    found += _terms(older, newer)
    return Comparison(older.revision.number, newer.revision.number, newer.currency,
                      tuple(found))


def _lines(old: QuoteOptionView, new: QuoteOptionView) -> Iterator[Difference]:
    remaining = list(old.lines)
    for line in new.lines:
        match = next((x for x in remaining if x.product_id == line.product_id), None)
        if match is None:
            yield Difference("line_added", new.name, line.name, "", _described(line))
            continue
        remaining.remove(match)
        for kind, was, now, shown in (
                ("quantity", match.quantity, line.quantity, quantity),
                ("price", match.unit_price, line.unit_price, amount),
                ("discount", match.discount, line.discount, percent)):
            if was != now:
                yield Difference(kind, new.name, line.name, shown(was) or "0%",
                                 shown(now) or "0%")
    for line in remaining:
        yield Difference("line_removed", new.name, line.name, _described(line), "")


def _described(line: QuoteLineView) -> str:
    return f"{quantity(line.quantity)} {line.unit} × {amount(line.unit_price)}".replace(
        "  ", " ")


def _terms(older: QuoteView, newer: QuoteView) -> Iterator[Difference]:
    was, now = older.revision.terms, newer.revision.terms
    for name in ("valid_until", "payment_terms", "delivery_terms", "notes"):
        a, b = getattr(was, name), getattr(now, name)
        if a != b:
            yield Difference(name, "", "", _text(a), _text(b))


def _text(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value or "")
