"""The payment schedule a new contract starts from is the one the customer accepted in
the quote's payment terms, and the default only where the terms name no shares."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from funneldesk.services import Services
from funneldesk.services.contracts.schedule import schedule_note, starting_schedule
from funneldesk.services.dto import Actor
from tests.services.contract_helpers import accepted_quote

DAY = dt.date(2026, 12, 3)


def test_shares_named_in_chinese_terms_become_the_milestones_in_order() -> None:
    schedule = starting_schedule("合同签订后支付 50%，到货后支付 40%，质保金 10% 于一年后支付。",
                                 DAY).milestones
    assert [(m.label, m.percent) for m in schedule] == [
        ("合同签订后支付", Decimal(50)), ("到货后支付", Decimal(40)),
        ("质保金于一年后支付", Decimal(10))]
    # a week on, then two months; the retention a year on, as its clause says
    assert [m.due_on for m in schedule] == [DAY + dt.timedelta(days=7),
                                            DAY + dt.timedelta(days=60),
                                            DAY + dt.timedelta(days=365)]


def test_english_terms_read_the_same_way() -> None:
    for terms in ("50% on order, 50% on delivery.", "50% on order and 50% on delivery.",
                  "50% on order. 50% on delivery."):
        schedule = starting_schedule(terms, DAY)
        assert schedule.read
        assert [(m.label, m.percent) for m in schedule.milestones] == [
            ("On order", Decimal(50)), ("On delivery", Decimal(50))], terms


def test_a_thousands_separator_is_no_clause_end() -> None:
    schedule = starting_schedule("预付款 30%（即人民币 9,960 元），余款 70% 验收后支付", DAY)
    assert [(m.label, m.percent) for m in schedule.milestones] == [
        ("预付款（即人民币 9,960 元）", Decimal(30)), ("余款验收后支付", Decimal(70))]


def test_terms_in_full_make_one_payment_of_the_whole() -> None:
    for terms in ("验收合格后 30 日内一次性付清。", "Net 30 from acceptance."):
        schedule = starting_schedule(terms, DAY)
        assert schedule.read
        assert [m.percent for m in schedule.milestones] == [Decimal(100)], terms


def test_dates_never_go_back_and_only_a_year_means_a_year() -> None:
    schedule = starting_schedule("30% 预付款，10% 质保金一年后，60% 验收后", DAY).milestones
    assert [m.due_on for m in schedule] == sorted(m.due_on for m in schedule)
    march = starting_schedule("30% 预付款，2027年3月底前支付 70%", DAY).milestones
    assert march[1].due_on == DAY + dt.timedelta(days=60)


def test_a_years_number_is_no_year_on() -> None:
    schedule = starting_schedule("30% 预付款，2031年3月底前支付 70%", DAY).milestones
    assert schedule[1].due_on == DAY + dt.timedelta(days=60)


def test_words_with_ji_and_abbreviations_stay_whole() -> None:
    schedule = starting_schedule("合同签订后支付 30%，验收合格后及时支付 70%", DAY).milestones
    assert [m.label for m in schedule] == ["合同签订后支付", "验收合格后及时支付"]
    joined = starting_schedule("预付 30% 及验收合格后支付 70%", DAY).milestones
    assert [(m.label, m.percent) for m in joined] == [("预付", Decimal(30)),
                                                      ("验收合格后支付", Decimal(70))]
    english = starting_schedule("30% on order (i.e. USD 9,960), 70% on delivery", DAY)
    assert [m.label for m in english.milestones] == ["On order (i.e. USD 9,960)",
                                                     "On delivery"]
    taxed = starting_schedule("30% Incl. VAT on signing, 70% approx. on delivery", DAY)
    assert [m.label for m in taxed.milestones] == ["Incl. VAT on signing",
                                                   "Approx. on delivery"]
    whole = starting_schedule("预付 30%，设备及其附件到货后支付 70%", DAY).milestones
    assert [m.label for m in whole] == ["预付", "设备及其附件到货后支付"]


@pytest.mark.parametrize("amount", [Decimal("1e30"), Decimal(-5), Decimal(40000)])
def test_an_amount_beyond_the_contract_is_refused_in_words(amount: Decimal) -> None:
    from funneldesk.errors import InvalidInput
    from funneldesk.services.contracts.records import MilestoneDraft
    from funneldesk.services.contracts.schedule import schedule_amounts

    with pytest.raises(InvalidInput, match=r"at most the contract's 33,200\.00"):
        schedule_amounts((MilestoneDraft("预付款", DAY, None, amount),
                          MilestoneDraft("尾款", DAY, Decimal(70))), Decimal(33200))


def test_labels_are_in_the_contracts_language() -> None:
    schedule = starting_schedule("", DAY, "zh_CN").milestones
    assert [m.label for m in schedule] == ["签约预付款", "验收尾款"]


@pytest.mark.parametrize("terms", [
    "按双方约定付款。",                    # no share at all
    "30% on signing, 60% on delivery.",  # shares short of 100%
    "30%/70% as usual",                  # two shares in one clause: whose words?
    "",
])
def test_terms_that_name_no_whole_schedule_start_from_30_on_signing_and_70_after(
        terms: str) -> None:
    schedule = starting_schedule(terms, DAY)
    assert not schedule.read
    assert [m.percent for m in schedule.milestones] == [Decimal(30), Decimal(70)]
    assert [m.label for m in schedule.milestones] == ["Advance on signing",
                                                      "Balance on acceptance"]
    # the rep is told to check it (nothing to tell when the quote had no terms)
    assert ("could not read" in schedule_note(terms, schedule.read)) == bool(terms)


def test_a_new_contract_takes_the_accepted_quotes_payment_terms(
        services: Services, manager: Actor, rep: Actor) -> None:
    _deal, quote_id = accepted_quote(
        services, manager, rep, payment_terms="合同签订后支付 50%，到货后支付 40%，质保金 10% 于一年后支付。")
    view = services.contracts.create(quote_id, by=rep).contract
    assert [m.label for m in view.milestones] == ["合同签订后支付", "到货后支付", "质保金于一年后支付"]
    assert [m.amount for m in view.milestones] == [
        Decimal("16600.00"), Decimal("13280.00"), Decimal("3320.00")]
    assert sum(m.amount for m in view.milestones) == view.summary.amount
