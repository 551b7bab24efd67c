"""The deals list's reads: count and pages match an independent query over the same data,
for every sort and the filters, from either end of the list."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from funneldesk import i18n
from funneldesk.collation import sort_key
from funneldesk.errors import ListChanged
from funneldesk.services import Services
from funneldesk.services.dto import (
    Actor,
    DateRange,
    DealQuery,
    ListColumn,
    Outcome,
    query_from_dict,
    query_to_dict,
)
from tests.helpers import make_deal


@pytest.fixture
def demo(services: Services, manager: Actor, db_path: Path) -> Services:
    i18n.set_language("zh_CN")  # Chinese company names: the Company column is pinyin order
    try:
        services.demo.generate(deals=300, seed=3, by=manager)
    finally:
        i18n.set_language("en")
    # a few archived and trashed deals, and ties in the sorted columns
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("UPDATE deals SET archived_at = created_at WHERE id % 17 = 0")
        conn.execute("UPDATE deals SET deleted_at = created_at WHERE id % 23 = 0")
        conn.execute("UPDATE deals SET title = 'Same title' WHERE id % 11 = 0")
        # other currencies, one of them without a rate: the value sorts in the base currency
        conn.execute("UPDATE deals SET currency = 'USD' WHERE id % 7 = 0")
        conn.execute("UPDATE deals SET currency = 'XYZ' WHERE id % 13 = 0")
    return services


def independent(db_path: Path, query: DealQuery,
                rates: dict[str, float] | None = None) -> list[int]:
    """The ids the list should show, computed in Python over every row (``rates``: base
    units per unit of each currency, the base currency included)."""
    rates = rates or {}
    with closing(sqlite3.connect(db_path)) as conn:
        rows = conn.execute(
            "SELECT d.id, d.title, COALESCE(c.name, ''), s.pipeline_id, s.kind, s.position,"
            " d.won_value, d.value, d.currency, u.display_name, d.expected_close, d.next_step,"
            " d.stage_entered_at, d.created_at, d.closed_on, d.archived_at, d.deleted_at,"
            " d.pipeline_id, d.stage_id, d.owner_id "
            "FROM deals d JOIN stages s ON s.id = d.stage_id JOIN users u ON u.id = d.owner_id "
            "LEFT JOIN companies c ON c.id = d.company_id").fetchall()
    rank = {"OPEN": 0, "WON": 1, "LOST": 2}
    outcome_of = {"OPEN": Outcome.OPEN, "WON": Outcome.WON, "LOST": Outcome.LOST}

    def shown(r: tuple) -> bool:  # type: ignore[type-arg]
        outcome = Outcome.ARCHIVED if r[15] is not None else outcome_of[r[4]]
        created_day = dt.datetime.fromisoformat(r[13] + "+00:00").astimezone().date()
        return (r[16] is None and outcome in query.outcomes
                and query.pipeline_id in (None, r[17])
                and (not query.stage_ids or r[18] in query.stage_ids)
                and (not query.owner_ids or r[19] in query.owner_ids)
                and within(created_day, query.created)
                and within(r[10] and dt.date.fromisoformat(r[10]), query.expected_close)
                and within(r[14] and dt.date.fromisoformat(r[14]), query.closed))

    def base(r: tuple) -> float | None:  # type: ignore[type-arg]
        rate = rates.get(r[8])
        return None if rate is None else (r[6] if r[6] is not None else r[7]) * rate

    def empty(r: tuple) -> bool:  # type: ignore[type-arg]
        """Listed last whichever way the column is sorted."""
        return {ListColumn.VALUE: base(r) is None, ListColumn.EXPECTED_CLOSE: r[10] is None,
                ListColumn.CLOSED: r[14] is None}.get(query.sort, False)

    def key(r: tuple) -> tuple:  # type: ignore[type-arg]
        return {
            ListColumn.TITLE: (r[1],),
            ListColumn.COMPANY: (sort_key(r[2]),),  # pinyin order: the name's key
            ListColumn.STAGE: (r[3], rank[r[4]], r[5]),
            ListColumn.VALUE: (base(r) or 0, r[8]),
            ListColumn.OWNER: (r[9],),
            ListColumn.EXPECTED_CLOSE: (r[10] or "",),
            ListColumn.NEXT_STEP: (r[11],),
            ListColumn.DAYS_IN_STAGE: (tuple(-ord(ch) for ch in r[12]),),
            ListColumn.CREATED: (r[13],),
            ListColumn.CLOSED: (r[14] or "",),
            ListColumn.OUTCOME: (r[15] is not None, rank[r[4]]),
        }[query.sort] + (r[0],)

    ordered = sorted((r for r in rows if shown(r)), key=key, reverse=query.descending)
    ordered = [r for r in ordered if not empty(r)] + [r for r in ordered if empty(r)]
    return [r[0] for r in ordered]


def base_rates(services: Services) -> dict[str, float]:
    money = services.rates.currency_rates()
    return {money.base_currency: 1.0, **{c: float(r) for c, r in money.rates.items()}}


def within(day: dt.date | None, days: DateRange) -> bool:
    if days.is_open:
        return True
    if day is None:
        return False
    return (days.start is None or day >= days.start) and (days.end is None or day <= days.end)


def read_all(services: Services, query: DealQuery, size: int) -> list[int]:
    total = services.deal_list.count(query)
    ids: list[int] = []
    for offset in range(0, total, size):
        ids += [r.id for r in services.deal_list.page(query, offset, size, total)]
    return ids


@pytest.mark.parametrize("column", list(ListColumn))
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_matches_an_independent_order(demo: Services, db_path: Path,
                                                  column: ListColumn, descending: bool) -> None:
    query = DealQuery(sort=column, descending=descending,
                      outcomes=frozenset(Outcome))
    rates = base_rates(demo)
    assert "USD" in rates  # a converted currency, beside the base one and XYZ (no rate)
    expected = independent(db_path, query, rates)
    assert demo.deal_list.count(query) == len(expected)
    # pages of 37: the later ones are read from the end of the list, in reverse
    assert read_all(demo, query, 37) == expected


def test_filters_match_an_independent_query(demo: Services, db_path: Path) -> None:
    rows = demo.deal_list.page(DealQuery(outcomes=frozenset(Outcome)), 0, 400)
    some_stages = frozenset({rows[0].stage_id, rows[5].stage_id})
    owners = frozenset({rows[1].owner_id})
    today = dt.date.today()
    queries = [
        DealQuery(),
        DealQuery(outcomes=frozenset({Outcome.OPEN})),
        DealQuery(outcomes=frozenset({Outcome.WON, Outcome.LOST})),
        DealQuery(outcomes=frozenset({Outcome.ARCHIVED})),
        DealQuery(outcomes=frozenset()),
        DealQuery(stage_ids=some_stages, outcomes=frozenset(Outcome)),
        DealQuery(owner_ids=owners, sort=ListColumn.VALUE),
        DealQuery(pipeline_id=rows[0].pipeline_id, sort=ListColumn.TITLE),
        DealQuery(pipeline_id=-1),
        DealQuery(created=DateRange(today - dt.timedelta(days=120), today - dt.timedelta(days=30))),
        DealQuery(expected_close=DateRange(today, today + dt.timedelta(days=31)),
                  sort=ListColumn.EXPECTED_CLOSE, descending=False),
        DealQuery(closed=DateRange(None, today - dt.timedelta(days=60)),
                  sort=ListColumn.CLOSED),
    ]
    for query in queries:
        expected = independent(db_path, query, base_rates(demo))
        assert demo.deal_list.count(query) == len(expected), query
        assert read_all(demo, query, 50) == expected, query
    assert any(independent(db_path, q) for q in queries[9:])  # the date filters find some


def test_trashed_deals_never_show_and_archived_only_when_asked(demo: Services,
                                                               db_path: Path) -> None:
    everything = {r.id for r in demo.deal_list.page(DealQuery(outcomes=frozenset(Outcome)),
                                                    0, 1000)}
    with closing(sqlite3.connect(db_path)) as conn:
        trashed = {i for (i,) in conn.execute("SELECT id FROM deals WHERE deleted_at IS NOT NULL")}
        archived = {i for (i,) in conn.execute(
            "SELECT id FROM deals WHERE archived_at IS NOT NULL AND deleted_at IS NULL")}
    assert trashed
    assert archived
    assert not everything & trashed
    assert archived <= everything
    default = {r.id for r in demo.deal_list.page(DealQuery(), 0, 1000)}
    assert not default & archived
    rows = demo.deal_list.page(DealQuery(outcomes=frozenset({Outcome.ARCHIVED})), 0, 1000)
    assert {r.id for r in rows} == archived
    assert {r.outcome for r in rows} == {Outcome.ARCHIVED}


def test_a_page_at_the_end_holds_only_the_rows_left(demo: Services) -> None:
    query = DealQuery(sort=ListColumn.TITLE)
    total = demo.deal_list.count(query)
    last = demo.deal_list.page(query, total - 10, 200, total)
    assert len(last) == 10
    assert [r.id for r in last] == read_all(demo, query, 1000)[-10:]
    assert demo.deal_list.page(query, total, 200, total) == ()


def test_a_query_survives_the_settings_file() -> None:
    query = DealQuery(pipeline_id=2, stage_ids=frozenset({3, 4}), owner_ids=frozenset({9}),
                      outcomes=frozenset({Outcome.OPEN, Outcome.ARCHIVED}),
                      expected_close=DateRange(dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
                      sort=ListColumn.EXPECTED_CLOSE, descending=False)
    assert query_from_dict(query_to_dict(query)) == query
    assert query_from_dict({"sort": "nonsense", "outcomes": "x"}) == DealQuery()


def test_a_broken_saved_query_falls_back_instead_of_failing() -> None:
    broken = {"outcomes": [["open"], {"x": 1}, "won", 3, "nonsense"], "sort": ["title"],
              "pipeline_id": "2", "stage_ids": "3", "owner_ids": [1, "2", None],
              "created": [1], "expected_close": ["2026-13-01", ["x"]], "descending": False}
    assert query_from_dict(broken) == DealQuery(
        outcomes=frozenset({Outcome.WON}), owner_ids=frozenset({1}), descending=False)
    assert query_from_dict({"outcomes": [], "sort": {"a": 1}}) == DealQuery(
        outcomes=frozenset())


def test_keys_give_the_deals_of_row_ranges_and_refuse_once_the_list_changed(
        demo: Services, manager: Actor, db_path: Path) -> None:
    query = DealQuery(sort=ListColumn.TITLE)
    expected = independent(db_path, query)
    total = len(expected)
    ranges = [(0, 4), (10, 10), (total - 150, total - 1)]  # the last read from the end
    keys = demo.deal_list.keys(query, ranges, total)
    assert [ident for ident, _v in keys] == expected[:5] + expected[10:11] + expected[-150:]
    with closing(sqlite3.connect(db_path)) as conn:
        versions = dict(conn.execute("SELECT id, version FROM deals").fetchall())
    assert all(versions[ident] == v for ident, v in keys)
    make_deal(demo, manager, title="Added meanwhile")  # by another FunnelDesk, say
    with pytest.raises(ListChanged):
        demo.deal_list.keys(query, ranges, total)


def test_keys_refuse_when_a_row_seen_holds_another_deal_and_keep_the_versions_seen(
        demo: Services, db_path: Path) -> None:
    query = DealQuery(sort=ListColumn.TITLE)
    expected = independent(db_path, query)
    total = len(expected)
    with closing(sqlite3.connect(db_path)) as conn:
        versions = dict(conn.execute("SELECT id, version FROM deals").fetchall())
    seen = {1: (expected[1], versions[expected[1]] - 1)}  # as read before someone's edit
    keys = demo.deal_list.keys(query, [(0, 2)], total, seen)
    assert keys == [(expected[0], versions[expected[0]]), seen[1],
                    (expected[2], versions[expected[2]])]
    with pytest.raises(ListChanged):  # same count, another deal in a row seen
        demo.deal_list.keys(query, [(0, 2)], total, {2: (expected[0], 1)})
