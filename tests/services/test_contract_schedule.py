"""The payment schedule a new contract starts from is the one the customer accepted in
the quote's payment terms, and the default only where the terms name no shares."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from funneldesk.services import Services
from funneldesk.services.contracts.schedule import starting_schedule
from funneldesk.services.dto import Actor
from tests.services.contract_helpers import accepted_quote

DAY = dt.date(2026, 12, 3)


def test_shares_named_in_chinese_terms_become_the_milestones_in_order() -> None:
    schedule = starting_schedule("合同签订后支付 50%，到货后支付 40%，质保金 10% 于一年后支付。",
                                 DAY)
    assert [(m.label, m.percent) for m in schedule] == [
        ("合同签订后支付", Decimal(50)), ("到货后支付", Decimal(40)),
        ("质保金于一年后支付", Decimal(10))]
    # a week on, then two months; the retention a year on, as its clause says
    assert [m.due_on for m in schedule] == [DAY + dt.timedelta(days=7),
                                            DAY + dt.timedelta(days=60),
                                            DAY + dt.timedelta(days=365)]


def test_english_terms_read_the_same_way() -> None:
    schedule = starting_schedule("50% on order, 50% on delivery.", DAY)
    assert [(m.label, m.percent) for m in schedule] == [
        ("On order", Decimal(50)), ("On delivery", Decimal(50))]


@pytest.mark.parametrize("terms", [
    "验收合格后 30 日内一次性付清。",        # no share at all
    "30% on signing, 60% on delivery.",  # shares short of 100%
    "30%/70% as usual",                  # two shares in one clause: whose words?
    "",
])
def test_terms_that_name_no_whole_schedule_start_from_30_on_signing_and_70_after(
        terms: str) -> None:
    schedule = starting_schedule(terms, DAY)
    assert [m.percent for m in schedule] == [Decimal(30), Decimal(70)]
    assert [m.label for m in schedule] == ["Advance on signing", "Balance on acceptance"]


def test_a_new_contract_takes_the_accepted_quotes_payment_terms(
        services: Services, manager: Actor, rep: Actor) -> None:
    _deal, quote_id = accepted_quote(
        services, manager, rep, payment_terms="合同签订后支付 50%，到货后支付 40%，质保金 10% 于一年后支付。")
    view = services.contracts.create(quote_id, by=rep).contract
    assert [m.label for m in view.milestones] == ["合同签订后支付", "到货后支付", "质保金于一年后支付"]
    assert [m.amount for m in view.milestones] == [
        Decimal("16600.00"), Decimal("13280.00"), Decimal("3320.00")]
    assert sum(m.amount for m in view.milestones) == view.summary.amount
