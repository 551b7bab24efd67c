"""The pricing rules as an accountant checks them: lines rounded half-up to the cent,
totals the sums of rounded lines, tax per line, discounts before tax; floors and margins
marked where a rep would go below them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from funneldesk.services.quotes.pricing import LineTerms, price_line, price_option

CENT = Decimal("0.01")

quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10000), places=3)
prices = st.decimals(min_value=0, max_value=Decimal(1_000_000), places=2)
percents = st.decimals(min_value=0, max_value=Decimal(100), places=2)
rates = st.sampled_from([Decimal(0), Decimal(3), Decimal(6), Decimal(9), Decimal(13)])
lines = st.builds(LineTerms, quantities, prices, percents, rates,
                  st.none() | prices, st.none() | prices)


def test_a_tax_inclusive_line_as_an_invoice_shows_it() -> None:
    # 3 × 1,130.00 less 10% = 3,051.00 with 13% VAT inside: 351.00 tax, 2,700.00 net
    line = price_line(LineTerms(Decimal(3), Decimal("1130.00"), Decimal(10), Decimal(13)),
                      include_tax=True)
    assert (line.amount, line.tax, line.net) == (Decimal("3051.00"), Decimal("351.00"),
                                                 Decimal("2700.00"))


def test_a_tax_exclusive_line_adds_its_tax_rounded_half_up() -> None:
    # 1 × 0.50 at 13%: 0.065 of tax rounds up to 0.07
    line = price_line(LineTerms(Decimal(1), Decimal("0.50"), Decimal(0), Decimal(13)),
                      include_tax=False)
    assert (line.amount, line.tax) == (Decimal("0.50"), Decimal("0.07"))
    option = price_option([line_terms for line_terms in [
        LineTerms(Decimal(1), Decimal("0.50"), Decimal(0), Decimal(13))] * 3],
        include_tax=False)
    # three lines of 0.07 tax: 0.21, not 13% of 1.50 (0.195 -> 0.20)
    assert (option.subtotal, option.tax, option.total) == (Decimal("1.50"), Decimal("0.21"),
                                                           Decimal("1.71"))


@given(st.lists(lines, max_size=30), st.booleans())
def test_totals_are_sums_of_rounded_lines(terms: list[LineTerms], include_tax: bool) -> None:
    option = price_option(terms, include_tax=include_tax)
    for line, priced in zip(terms, option.lines, strict=True):
        exact = line.quantity * line.unit_price * (100 - line.discount) / 100
        assert priced.amount == exact.quantize(CENT, rounding=ROUND_HALF_UP)
        assert priced.amount.as_tuple().exponent == -2
        assert priced.tax.as_tuple().exponent == -2
    assert option.subtotal == sum((line.amount for line in option.lines), Decimal(0))
    assert option.tax == sum((line.tax for line in option.lines), Decimal(0))
    assert option.total == option.subtotal + (0 if include_tax else option.tax)
    assert option.net == option.total - option.tax


@given(lines, st.booleans())
def test_a_line_is_below_its_floor_exactly_when_its_price_after_discount_is(
        terms: LineTerms, include_tax: bool) -> None:
    priced = price_line(terms, include_tax=include_tax)
    if terms.floor_price is None:
        assert not priced.below_floor
        return
    floor = terms.floor_price * (1 + terms.tax_rate / 100) if include_tax else terms.floor_price
    floor = floor.quantize(CENT, rounding=ROUND_HALF_UP)
    assert priced.floor_shown == floor
    assert priced.below_floor == (terms.unit_price * (100 - terms.discount) / 100 < floor)


def test_the_floor_shown_includes_tax_when_prices_do() -> None:
    at_floor = LineTerms(Decimal(1), Decimal("113.00"), Decimal(0), Decimal(13), Decimal(100))
    assert not price_line(at_floor, include_tax=True).below_floor
    assert price_line(at_floor, include_tax=True).floor_shown == Decimal("113.00")
    cut = LineTerms(Decimal(1), Decimal("113.00"), Decimal("0.01"), Decimal(13), Decimal(100))
    assert price_line(cut, include_tax=True).below_floor


def test_margin_counts_the_lines_with_a_known_cost_and_marks_an_option_below_the_minimum(
        ) -> None:
    known = LineTerms(Decimal(2), Decimal(100), Decimal(0), Decimal(0), None, Decimal(90))
    unknown = LineTerms(Decimal(1), Decimal(500), Decimal(0), Decimal(0))
    option = price_option([known, unknown], include_tax=False, min_margin=Decimal(15))
    assert option.margin == Decimal("0.1")  # (200 - 180) / 200
    assert option.cost_unknown == 1
    assert option.below_margin
    assert option.needs_approval
    assert not price_option([known], include_tax=False, min_margin=Decimal(10)).below_margin
    assert price_option([unknown], include_tax=False, min_margin=Decimal(15)).margin is None
