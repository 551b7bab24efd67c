"""Exchange rates: team data that managers keep, and totals that never guess a missing rate."""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest

from funneldesk.errors import BaseCurrencyInUse, InvalidInput, NotAllowed, StaleEdit
from funneldesk.services import Services
from funneldesk.services.common import sql
from funneldesk.services.common.conversion import (
    RunningTotal,
    offered_currencies,
    to_base,
    total,
    weighted,
)
from funneldesk.services.dto import Actor, CurrencyRates
from tests.helpers import make_deal


def rate_of(services: Services, code: str) -> Decimal | None:
    return services.rates.table().rate(code)


def audit_details(services: Services, entity: str) -> list[dict[str, object]]:
    rows = services.db.query("SELECT details FROM audit_log WHERE entity = ? ORDER BY id", (entity,))
    return [json.loads(r[0]) for r in rows]


def test_the_table_holds_the_base_currency_and_the_rates_of_the_others(services: Services) -> None:
    table = services.rates.table()
    assert table.base_currency == "USD"
    assert {r.currency: r.rate for r in table.rates} == {"CNY": Decimal("0.14"),
                                                         "EUR": Decimal("1.08")}


def test_a_manager_sets_changes_and_removes_a_rate_each_audited(
        services: Services, manager: Actor) -> None:
    services.rates.set_rate(currency="gbp", rate=Decimal("1.27"), by=manager)
    added = next(r for r in services.rates.table().rates if r.currency == "GBP")
    assert added.rate == Decimal("1.270000")
    assert added.changed_by == manager.display_name
    assert added.changed_at is not None
    services.rates.set_rate(currency="GBP", rate=Decimal("1.271234"), by=manager)
    assert rate_of(services, "GBP") == Decimal("1.271234")
    services.rates.remove_rate(currency="GBP", by=manager)
    assert rate_of(services, "GBP") is None
    assert [d["changed"] for d in audit_details(services, "rates")] == [
        {"GBP": [None, "1.270000"]}, {"GBP": ["1.270000", "1.271234"]},
        {"GBP": ["1.271234", None]}]


@pytest.mark.parametrize("text", ["0", "-1.5", "1.1234567", "abc", "nan", "inf", "", "1e12"])
def test_a_bad_rate_is_refused_with_a_reason(services: Services, text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.rates.parse_rate(text)
    assert refused.value.field == "rate"
    assert refused.value.message()


@pytest.mark.parametrize("rate", ["0", "-1.5", "1.1234567", "NaN", "Infinity", "1e12"])
def test_a_bad_rate_given_to_the_service_changes_nothing(
        services: Services, manager: Actor, rate: str) -> None:
    before = services.rates.table()
    with pytest.raises(InvalidInput) as refused:
        services.rates.set_rate(currency="EUR", rate=Decimal(rate), by=manager)
    assert refused.value.field == "rate"
    assert services.rates.table() == before


def test_a_rate_is_read_as_people_type_it(services: Services) -> None:
    assert services.rates.parse_rate(" 7,100.5 ") == Decimal("7100.500000")
    assert services.rates.parse_rate("0.000001") == Decimal("0.000001")
    assert services.rates.parse_rate("7.1000000") == Decimal("7.100000")  # trailing zeros


@pytest.mark.parametrize("code", ["XYZ", "US", "EURO", "€", "", "USD"])
def test_a_currency_must_be_a_known_iso_code_other_than_the_base(
        services: Services, manager: Actor, code: str) -> None:
    before = services.rates.table()
    with pytest.raises(InvalidInput) as refused:
        services.rates.set_rate(currency=code, rate=Decimal(1), by=manager)
    assert refused.value.field == "currency"
    assert services.rates.table() == before


def test_a_rep_cannot_change_rates_or_the_base_currency(
        services: Services, rep: Actor) -> None:
    before = services.rates.table()
    with pytest.raises(NotAllowed):
        services.rates.set_rate(currency="EUR", rate=Decimal(2), by=rep)
    with pytest.raises(NotAllowed):
        services.rates.remove_rate(currency="EUR", by=rep)
    with pytest.raises(NotAllowed):
        services.rates.update(changes={"JPY": Decimal("0.0067")}, by=rep)
    with pytest.raises(NotAllowed):
        services.rates.set_base_currency(currency="EUR", by=rep)
    assert services.rates.table() == before


def test_several_changes_are_saved_together_or_not_at_all(
        services: Services, manager: Actor) -> None:
    with pytest.raises(InvalidInput):
        services.rates.update(changes={"JPY": Decimal("0.0067"), "XYZ": Decimal(1)}, by=manager)
    assert rate_of(services, "JPY") is None
    services.rates.update(changes={"JPY": Decimal("0.0067"), "CNY": None}, by=manager)
    assert (rate_of(services, "JPY"), rate_of(services, "CNY")) == (Decimal("0.006700"), None)


def test_a_rate_changed_by_someone_else_since_it_was_seen_is_not_overwritten(
        services: Services, manager: Actor) -> None:
    seen = services.rates.table()
    services.rates.set_rate(currency="EUR", rate=Decimal("1.10"), by=manager)
    with pytest.raises(StaleEdit) as refused:
        services.rates.update(changes={"EUR": Decimal("1.05")}, seen=seen, by=manager)
    assert manager.display_name in refused.value.message()
    assert rate_of(services, "EUR") == Decimal("1.100000")


def test_a_rate_removed_by_someone_else_since_it_was_seen_names_who_removed_it_and_when(
        services: Services, manager: Actor) -> None:
    boss = services.users.current("boss")  # a second manager
    services.rates.set_rate(currency="JPY", rate=Decimal("0.0067"), by=manager)
    seen = services.rates.table()
    services.rates.remove_rate(currency="JPY", by=boss)
    removed = audit_details(services, "rates")[-1]
    assert removed == {"changed": {"JPY": ["0.006700", None]}}
    at = services.db.query("SELECT at FROM audit_log WHERE entity = 'rates' ORDER BY id DESC "
                           "LIMIT 1", ())[0][0]
    with pytest.raises(StaleEdit) as refused:
        services.rates.update(changes={"JPY": Decimal("0.0070")}, seen=seen, by=manager)
    assert refused.value.changed_by == "boss"
    assert refused.value.changed_at is not None
    assert abs(refused.value.changed_at - sql.timestamp(at)) < dt.timedelta(seconds=1)
    assert rate_of(services, "JPY") is None


def test_a_rate_changed_where_no_one_recorded_who_or_when_says_so(
        services: Services, manager: Actor, db_path: Path) -> None:
    seen = services.rates.table()
    with closing(sqlite3.connect(db_path)) as conn:  # e.g. by an older FunnelDesk
        conn.execute("""UPDATE team_settings SET value = '{"CNY": "0.15", "EUR": "1.08"}' """
                     "WHERE key = 'rates'")
        conn.commit()
    with pytest.raises(StaleEdit) as refused:
        services.rates.update(changes={"CNY": Decimal("0.16")}, seen=seen, by=manager)
    assert refused.value.message() == (
        "This record was changed by someone else since you opened it; who and when were not "
        "recorded. Reload it and try again.")
    assert rate_of(services, "CNY") == Decimal("0.15")


def test_the_base_currency_stays_while_deals_exist(services: Services, manager: Actor) -> None:
    make_deal(services, manager)
    with pytest.raises(BaseCurrencyInUse) as refused:
        services.rates.set_base_currency(currency="CNY", by=manager)
    assert "1 deal" in refused.value.message()
    assert services.rates.table().base_currency == "USD"


def test_the_base_currency_of_an_empty_database_changes_and_drops_the_old_rates(
        services: Services, manager: Actor) -> None:
    services.rates.set_base_currency(currency="cny", by=manager)
    table = services.rates.table()
    assert (table.base_currency, table.rates) == ("CNY", ())
    assert audit_details(services, "base_currency")[-1]["base_currency"] == ["USD", "CNY"]


# --- converting and totalling ---------------------------------------------------------

HALF = CurrencyRates("CNY", {"EUR": Decimal("0.5")})


def test_each_deal_converts_and_rounds_half_up_to_the_cent_before_summing() -> None:
    assert to_base(Decimal("0.01"), "EUR", HALF) == Decimal("0.01")  # 0.005 rounds up
    three = total([(Decimal("0.01"), "EUR")] * 3, HALF)
    assert three.value == Decimal("0.03")  # not 0.015 rounded once to 0.02
    assert total([(Decimal("0.03"), "EUR")], HALF).value == Decimal("0.02")


def test_the_weighted_total_sums_weighted_lines_rounded_to_the_cent() -> None:
    lines = total([(Decimal("0.05"), "CNY")] * 3, HALF, probability=10)
    assert lines.weighted_value == Decimal("0.03")  # 0.005 per deal, each rounded up


def test_a_column_total_kept_while_deals_come_and_go_follows_the_per_deal_rule() -> None:
    rates = CurrencyRates("CNY", {"USD": Decimal("7.123455"), "EUR": Decimal("0.5")})
    rng = random.Random(5)
    lines = [(Decimal(rng.randint(-10**7, 10**7)).scaleb(-rng.choice([0, 2, 2, 3])),
              rng.choice(["CNY", "USD", "EUR", "JPY"])) for _ in range(400)]
    lines += [(Decimal("0.01"), "EUR"), (Decimal("-0.01"), "EUR"), (Decimal("2.345"), "CNY")]
    for probability in (0, 15, 50, 67, 100):
        running = RunningTotal(rates, probability)
        for amount, currency in lines + lines[:50]:
            running.add(amount, currency)
        for amount, currency in lines[:50]:
            running.remove(amount, currency)
        converted = [(c, weighted(c, probability)) for a, cur in lines
                     if (c := to_base(a, cur, rates)) is not None]
        kept = running.result()
        assert kept.known == sum((c for c, _w in converted), Decimal("0.00"))
        assert kept.weighted == sum((w for _c, w in converted), Decimal("0.00"))
        assert kept.missing == (("JPY", sum(cur == "JPY" for _a, cur in lines)),)


def test_a_total_that_needs_a_missing_rate_is_not_a_number_and_says_what_is_missing() -> None:
    mixed = total([(Decimal(100), "CNY"), (Decimal(5), "USD"), (Decimal(7), "USD"),
                   (Decimal(2), "EUR"), (Decimal(1), "JPY")], HALF, probability=50)
    assert mixed.value is None
    assert mixed.weighted_value is None
    assert (mixed.known, mixed.weighted) == (Decimal("101.00"), Decimal("50.50"))
    assert mixed.missing == (("JPY", 1), ("USD", 2))
    assert mixed.missing_deals == 3
    assert to_base(Decimal(5), "USD", HALF) is None


def test_the_form_offers_the_base_currency_and_those_with_a_rate() -> None:
    assert offered_currencies(HALF) == ("CNY", "EUR")
    # a deal already in a currency that has lost its rate keeps showing it
    assert offered_currencies(HALF, current="USD") == ("CNY", "EUR", "USD")
