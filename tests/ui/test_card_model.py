"""The card model without a view: paging of rows, running totals, filters and sorting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pytestqt.modeltest import ModelTester

from funneldesk.services.dto import Card, CurrencyRates, StageInfo, StageKind
from funneldesk.ui.board.card_model import CardFilter, CardListModel

STAGE = StageInfo(1, 1, "Proposal", StageKind.OPEN, 2, 40, 10, "")
NOW = dt.datetime.now(dt.UTC)
USD = CurrencyRates("USD", {})


def card(ident: int, *, value: int = 100, owner: int = 1, title: str = "Deal",
         position: float | None = None, days: int = 0, currency: str = "USD") -> Card:
    return Card(ident, 1, float(ident if position is None else position), f"{title} {ident}",
                "Acme", Decimal(value), currency, owner, "Ann",
                NOW - dt.timedelta(days=days), "", None, None, 1)


def test_rows_are_fetched_in_pages_but_totals_cover_every_card(qtmodeltester: ModelTester) -> None:
    model = CardListModel(STAGE, [card(i) for i in range(1000)], rates=USD)
    assert model.rowCount() == CardListModel.PAGE
    count, total = model.totals()
    assert (count, total.value, total.weighted_value) == (1000, Decimal(100_000), Decimal(40_000))
    assert model.canFetchMore(model.index(-1))
    model.show_row(700)
    assert model.rowCount() >= 701
    qtmodeltester.check(model)


def test_a_card_put_beyond_the_shown_rows_changes_totals_not_rows() -> None:
    model = CardListModel(STAGE, [card(i) for i in range(400)], rates=USD)
    emitted: list[bool] = []
    model.totalsChanged.connect(lambda: emitted.append(True))
    model.put(card(999, position=10_000, value=50))
    assert model.rowCount() == CardListModel.PAGE
    assert model.totals()[0] == 401
    assert model.row_of(999) == 400
    model.put(card(998, position=-1))  # on top: inserted as a shown row
    assert model.rowCount() == CardListModel.PAGE + 1
    assert model.card_at(0).id == 998
    model.discard(999)
    assert model.totals()[0] == 401
    assert model.totals()[1].value == Decimal(40_100)
    assert emitted == [True, True, True]


def test_totals_convert_to_the_base_currency() -> None:
    rates = CurrencyRates("CNY", {"USD": Decimal(7)})
    model = CardListModel(STAGE, [card(1, value=10), card(2, value=5, currency="CNY")],
                          rates=rates)
    assert model.totals()[1].value == Decimal(75)


def test_a_card_without_a_rate_leaves_the_total_unknown_until_it_goes() -> None:
    rates = CurrencyRates("CNY", {"USD": Decimal(7)})
    model = CardListModel(STAGE, [card(1, value=10), card(2, value=5, currency="EUR"),
                                  card(3, value=8, currency="EUR")], rates=rates)
    total = model.totals()[1]
    assert (total.value, total.known, total.missing) == (None, Decimal(70), (("EUR", 2),))
    model.discard(2)
    model.discard(3)
    assert model.totals()[1].value == Decimal(70)


def test_each_card_is_rounded_to_the_cent_before_the_column_adds_it() -> None:
    rates = CurrencyRates("CNY", {"USD": Decimal("0.5")})
    model = CardListModel(STAGE, [card(i, value=0) for i in range(3)], rates=rates)
    for i in range(3):
        model.put(Card(i, 1, float(i), "Deal", "Acme", Decimal("0.01"), "USD", 1, "Ann", NOW,
                       "", None, None, 1))
    assert model.totals()[1].value == Decimal("0.03")


def test_filter_sort_and_rot() -> None:
    model = CardListModel(STAGE, [card(1, value=5, owner=1, days=20),
                                  card(2, value=9, owner=2, title="Cloud"), card(3, value=7)])
    model.set_sort("value")
    assert [c.id for c in model.visible_cards()] == [2, 3, 1]
    model.set_filter(CardFilter.of(0, " CLOUD "))
    assert [c.id for c in model.visible_cards()] == [2]
    model.set_filter(CardFilter.of(1, ""))
    assert [c.id for c in model.visible_cards()] == [3, 1]
    assert model.is_rotted(model.card_at(1))
    assert not model.is_rotted(model.card_at(0))


def test_new_positions_that_keep_the_order_move_no_row_and_others_reorder() -> None:
    model = CardListModel(STAGE, [card(i, position=i * 10) for i in range(300)], rates=USD)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.reposition({3: 21.0, 4: 22.0, 5: 23.0})  # spread out between 2 and 6
    assert resets == []
    assert [c.id for c in model.visible_cards()[:8]] == list(range(8))
    assert model.card_at(4).position == 22.0
    model.reposition({7: 5.0, 299: -1.0})  # 7 now sorts above 1, and 299 first
    assert resets == [True]
    assert [c.id for c in model.visible_cards()[:4]] == [299, 0, 7, 1]
    assert model.row_of(299) == 0
