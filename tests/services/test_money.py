"""One money validator for every form and dialog: parse, range, cents, one message per fault."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from funneldesk.errors import InvalidInput
from funneldesk.services import Services
from funneldesk.services.common.money import parse_money
from funneldesk.services.dto import Actor
from tests.helpers import make_deal, stage, tick_all


@pytest.mark.parametrize(("typed", "amount"), [
    ("12,500.50", "12500.50"), (" 3 000 ", "3000.00"), ("0", "0.00"), ("1，200", "1200.00"),
    ("999999999999.99", "999999999999.99"),
])
def test_amounts_people_type_are_read_exactly(typed: str, amount: str) -> None:
    assert str(parse_money(typed)) == amount


@pytest.mark.parametrize(("typed", "message"), [
    ("twelve", "“twelve” is not an amount."),
    ("nan", "“nan” is not an amount."),
    ("-Infinity", "“-Infinity” is not an amount."),
    ("", "Enter an amount (0 if there is none yet)."),
    ("-5", "The amount cannot be negative."),
    ("1e20", "The amount is too large: at most 999,999,999,999.99."),
    ("1000000000000", "The amount is too large: at most 999,999,999,999.99."),
    ("10.005", "Use at most two decimal places."),
])
def test_each_fault_gets_its_own_message(typed: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_money(typed, "final_value")
    assert refused.value.message() == message
    assert refused.value.field == "final_value"


def test_winning_refuses_a_final_value_the_deal_form_would_refuse(
        services: Services, manager: Actor) -> None:
    card = make_deal(services, manager, stage_name="Contract")
    tick_all(services, manager, card.id, "Contract")
    won = stage(services, "Won")
    for bad in (Decimal("1e20"), Decimal("NaN"), Decimal("-1"), Decimal("1.001")):
        with pytest.raises(InvalidInput) as refused:
            services.moves.move_deal(
                deal_id=card.id, to_stage_id=won.id, before_id=None,
                expected_version=services.board.card(card.id).version,  # type: ignore[union-attr]
                by=manager, won_on=dt.date.today(), final_value=bad)
        assert refused.value.field == "final_value"
    assert services.deals.detail(card.id).stage_id == card.stage_id
