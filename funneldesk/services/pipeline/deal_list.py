"""Reads of the deals list: how many deals a query matches (SQL ``COUNT``) and one page of
them, in the query's order, from wherever in the list it lies.

Plain SQL through ``Database.query`` (no SQLAlchemy, like reads.py), with qmark
parameters only: every value a user chose is a parameter, and the only text put into
the SQL comes from the fixed tables below. A page is read in two steps: the ids of the
page (filtered and sorted over ``deals`` alone, joined only when the sort needs another
table), then those deals' columns. A page past the middle of the list is read from its
end, in the reversed order, so that the last page costs what the first one does (an
``OFFSET`` walks every row it skips).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from funneldesk.enums import StageKind
from funneldesk.errors import ListChanged
from funneldesk.money import from_storage
from funneldesk.services.common.base import Service
from funneldesk.services.common.records import CurrencyRates
from funneldesk.services.common.sql import Query, day, timestamp
from funneldesk.services.pipeline import reads
from funneldesk.services.pipeline.list_records import (
    STAGE_OUTCOME,
    DateRange,
    DealQuery,
    DealRow,
    ListColumn,
    Outcome,
)
from funneldesk.services.pipeline.records import PipelineInfo
from funneldesk.services.team import reads as team_reads
from funneldesk.services.team.records import UserInfo

_STAGE_RANK = "CASE s.kind WHEN 'OPEN' THEN 0 WHEN 'WON' THEN 1 ELSE 2 END"
_OUTCOME_RANK = f"CASE WHEN d.archived_at IS NOT NULL THEN 3 ELSE {_STAGE_RANK} END"

# per column: the terms of its ascending order (each term ascending unless marked DESC),
# and the tables the terms need besides deals. "Days in stage" ascending is the most
# recently entered first. An empty date or a value without a rate comes last whichever
# way the column is sorted (a term ending in IS NULL: see order_by).
_ORDER: dict[ListColumn, tuple[tuple[tuple[str, bool], ...], tuple[str, ...]]] = {
    ListColumn.TITLE: ((("d.title", False),), ()),
    ListColumn.COMPANY: ((("COALESCE(c.sort_name, '')", False),), ("c",)),
    ListColumn.STAGE: ((("s.pipeline_id", False), (_STAGE_RANK, False),
                        ("s.position", False)), ("s",)),
    # in the base currency (see _value_terms): 1,000,000 JPY is less than 10,000 USD
    ListColumn.VALUE: ((("{value_in_base} IS NULL", False), ("{value_in_base}", False),
                        ("d.currency", False)), ()),
    ListColumn.OWNER: ((("u.display_name", False),), ("u",)),
    ListColumn.EXPECTED_CLOSE: ((("d.expected_close IS NULL", False),
                                 ("d.expected_close", False)), ()),
    ListColumn.NEXT_STEP: ((("d.next_step", False),), ()),
    ListColumn.DAYS_IN_STAGE: ((("d.stage_entered_at", True),), ()),
    ListColumn.CREATED: ((("d.created_at", False),), ()),
    ListColumn.CLOSED: ((("d.closed_on IS NULL", False), ("d.closed_on", False)), ()),
    ListColumn.OUTCOME: ((("d.archived_at IS NOT NULL", False), (_STAGE_RANK, False)), ("s",)),
}

_JOINS = {
    "c": "LEFT JOIN companies c ON c.id = d.company_id",
    "s": "JOIN stages s ON s.id = d.stage_id",
    "u": "JOIN users u ON u.id = d.owner_id",
}

ROW_SQL = """
SELECT d.id, d.version, d.title, COALESCE(c.name, ''), d.pipeline_id, d.stage_id, s.name,
       s.kind, d.archived_at, d.value, d.won_value, d.currency, d.owner_id, u.display_name,
       d.expected_close, d.next_step, d.next_step_date, d.stage_entered_at, d.created_at,
       d.closed_on
FROM deals d
JOIN stages s ON s.id = d.stage_id
JOIN users u ON u.id = d.owner_id
LEFT JOIN companies c ON c.id = d.company_id
WHERE d.id IN ({marks})"""

_CHUNK = 500  # ids per statement: SQLite caps the number of bound parameters


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def _utc_text(value: dt.datetime) -> str:
    """A UTC bound in the text form SQLite keeps timestamps in (compared as text)."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _local_midnight(day_: dt.date) -> dt.datetime:
    return dt.datetime.combine(day_, dt.time()).astimezone()


def _day_range(column: str, days: DateRange, clauses: list[str], params: list[Any]) -> None:
    if days.start is not None:
        clauses.append(f"{column} >= ?")
        params.append(days.start.isoformat())
    if days.end is not None:
        clauses.append(f"{column} <= ?")
        params.append(days.end.isoformat())


def where(query: DealQuery, ordered: bool = False) -> tuple[str, list[Any]]:
    """The WHERE clause (over ``deals d``) of the deals ``query`` matches, and its
    parameters; ``ordered`` for a read in the query's order (see below)."""
    clauses: list[str] = ["d.deleted_at IS NULL"]
    params: list[Any] = []
    kinds = [kind.name for kind, outcome in STAGE_OUTCOME.items() if outcome in query.outcomes]
    shown = []
    if kinds:
        # ordered, a unary plus keeps SQLite from picking the stage index for the kind of
        # stage, which then sorts every deal (a scan in the order asked for stops at the
        # page); a count is fastest through that index
        stage = "+d.stage_id" if ordered else "d.stage_id"
        shown.append(f"(d.archived_at IS NULL AND {stage} IN "
                     f"(SELECT id FROM stages WHERE kind IN ({_marks(len(kinds))})))")
        params += kinds
    if Outcome.ARCHIVED in query.outcomes:
        shown.append("d.archived_at IS NOT NULL")
    clauses.append("(" + " OR ".join(shown) + ")" if shown else "1 = 0")
    if query.pipeline_id is not None:
        clauses.append("d.pipeline_id = ?")
        params.append(query.pipeline_id)
    for column, ids in (("d.stage_id", query.stage_ids), ("d.owner_id", query.owner_ids)):
        if ids:
            clauses.append(f"{column} IN ({_marks(len(ids))})")
            params += sorted(ids)
    if query.team_of is not None:  # deal_members: the Activities area's, read as a lower
        # area reads a higher one's table
        clauses.append("(d.owner_id = ? OR d.id IN "
                       "(SELECT deal_id FROM deal_members WHERE user_id = ?))")
        params += [query.team_of, query.team_of]
    if query.created.start is not None:  # a timestamp: the user's local days
        clauses.append("d.created_at >= ?")
        params.append(_utc_text(_local_midnight(query.created.start)))
    if query.created.end is not None:
        clauses.append("d.created_at < ?")
        params.append(_utc_text(_local_midnight(query.created.end + dt.timedelta(days=1))))
    _day_range("d.expected_close", query.expected_close, clauses, params)
    _day_range("d.closed_on", query.closed, clauses, params)
    return " AND ".join(clauses), params


def _value_in_base(rates: CurrencyRates) -> tuple[str, list[Any]]:
    """A deal's value (its final value once won) in the base currency, for ordering: the
    stored hundredths times its currency's rate; NULL for a currency without a rate
    (listed after every converted value, as the board leaves it out of its totals)."""
    known = sorted(rates.rates)
    cases = " ".join("WHEN ? THEN ?" for _code in known)
    params: list[Any] = [rates.base_currency, 1.0]
    for code in known:
        params += [code, float(rates.rates[code])]
    return (f"(COALESCE(d.won_value, d.value) * "
            f"(CASE d.currency WHEN ? THEN ? {cases} ELSE NULL END))", params)


def order_by(query: DealQuery, reverse: bool = False,
             rates: CurrencyRates | None = None) -> tuple[str, list[Any]]:
    """The ORDER BY terms of ``query``'s order (``reverse``: read from the end), ending
    with the deal id so that every order is total and a page boundary stable, and their
    parameters (the exchange rates, for the value: ``rates``)."""
    terms, _tables = _ORDER[query.sort]
    flip = query.descending != reverse
    parts, params = [], []
    for expr, desc in terms:
        if "{value_in_base}" in expr:
            value_sql, value_params = _value_in_base(rates or CurrencyRates("", {}))
            expr = expr.format(value_in_base=value_sql)
            params += value_params
        # "empty last" keeps its place in a descending sort: only a read from the end
        # turns it round
        turned = reverse if expr.endswith(" IS NULL") else flip
        parts.append(f"{expr} {'DESC' if desc != turned else 'ASC'}")
    parts.append(f"d.id {'DESC' if flip else 'ASC'}")
    return ", ".join(parts), params


def count(run: Query, query: DealQuery) -> int:
    clause, params = where(query)
    return int(run(f"SELECT count(*) FROM deals d WHERE {clause}", params)[0][0])


def _in_order(run: Query, query: DealQuery, columns: str,
              reverse: bool = False) -> tuple[str, list[Any]]:
    """A SELECT of ``columns`` of the deals ``query`` matches, in its order (``reverse``:
    read from the end), and its parameters."""
    clause, params = where(query, ordered=True)
    joins = " ".join(_JOINS[t] for t in _ORDER[query.sort][1])
    rates = team_reads.currency_rates(run) if query.sort is ListColumn.VALUE else None
    order, order_params = order_by(query, reverse, rates)
    return (f"SELECT {columns} FROM deals d {joins} WHERE {clause} ORDER BY {order}",
            [*params, *order_params])


def page_keys(run: Query, query: DealQuery, offset: int, limit: int,
              total: int) -> list[tuple[int, int]]:
    """The ids and versions of rows ``offset`` to ``offset + limit`` of the list of
    ``total`` rows, in order; read from whichever end of the list is nearer."""
    offset, limit = max(0, offset), max(0, min(limit, total - offset))
    if not limit:
        return []
    reverse = offset + limit / 2 > total / 2
    skip = total - offset - limit if reverse else offset
    sql, params = _in_order(run, query, "d.id, d.version", reverse)
    rows = run(f"{sql} LIMIT ? OFFSET ?", (*params, limit, skip))
    keys = [(int(r[0]), int(r[1])) for r in rows]
    return keys[::-1] if reverse else keys


def ordered_ids(run: Query, query: DealQuery) -> list[int]:
    """The ids of every deal ``query`` matches, in its order."""
    sql, params = _in_order(run, query, "d.id")
    return [int(r[0]) for r in run(sql, params)]


def page_ids(run: Query, query: DealQuery, offset: int, limit: int, total: int) -> list[int]:
    return [ident for ident, _version in page_keys(run, query, offset, limit, total)]


def rows_of(run: Query, ids: Sequence[int]) -> list[DealRow]:
    """The rows of ``ids``, in that order (ids no longer there are left out)."""
    found: dict[int, DealRow] = {}
    for i in range(0, len(ids), _CHUNK):
        chunk = list(ids[i:i + _CHUNK])
        for row in run(ROW_SQL.format(marks=_marks(len(chunk))), chunk):
            deal = row_from(row)
            found[deal.id] = deal
    return [found[i] for i in ids if i in found]


def row_from(row: Sequence[Any]) -> DealRow:
    (ident, version, title, company, pipeline_id, stage_id, stage, kind, archived_at, value,
     won_value, currency, owner_id, owner, expected, next_step, next_date, entered, created,
     closed_on) = row
    outcome = Outcome.ARCHIVED if archived_at is not None else STAGE_OUTCOME[StageKind[kind]]
    return DealRow(int(ident), int(version), title, company, pipeline_id, stage_id, stage,
                   outcome, from_storage(value),
                   None if won_value is None else from_storage(won_value), currency, owner_id,
                   owner, day(expected), next_step, day(next_date), timestamp(entered),
                   timestamp(created), day(closed_on))


class DealListService(Service):
    """What the deals list reads (only reads: every change goes through BulkService or
    the single-deal services)."""

    def choices(self) -> tuple[tuple[PipelineInfo, ...], tuple[UserInfo, ...]]:
        """What the list's filters offer: every pipeline with its stages, and the owners."""
        with self.db.snapshot():
            pipelines = tuple(reads.read_pipeline(self.db.query, ident)
                              for ident, _name in reads.read_pipelines(self.db.query))
            return pipelines, tuple(team_reads.read_owners(self.db.query))

    def count(self, query: DealQuery) -> int:
        """How many deals ``query`` matches."""
        return count(self.db.query, query)

    def page(self, query: DealQuery, offset: int, limit: int,
             total: int | None = None) -> tuple[DealRow, ...]:
        """Rows ``offset`` to ``offset + limit`` of the list. ``total`` is the list's count
        as the caller has it (read again when None): it tells which end is nearer."""
        with self.db.snapshot():
            if total is None:
                total = count(self.db.query, query)
            return tuple(rows_of(self.db.query, page_ids(self.db.query, query, offset,
                                                         limit, total)))

    def keys(self, query: DealQuery, rows: Sequence[tuple[int, int]], total: int,
             seen: Mapping[int, tuple[int, int]] | None = None) -> list[tuple[int, int]]:
        """The ids and versions of the deals in the row ranges ``rows`` (first and last
        row, both included) of the list the caller shows with ``total`` rows: what a bulk
        action over a selection acts on. ``seen``: the rows the caller has read, as (id,
        version) by row; those rows must still hold those deals, and keep the versions
        seen (so that a deal changed since is refused as stale, as when every row was
        read). Refused (ListChanged) when the list no longer has ``total`` rows or a row
        seen holds another deal: the rows would no longer be the deals the user chose."""
        seen = seen or {}
        with self.db.snapshot():
            if count(self.db.query, query) != total:
                raise ListChanged()
            keys: list[tuple[int, int]] = []
            for first, last in rows:
                read = page_keys(self.db.query, query, first, last - first + 1, total)
                for row, (ident, version) in enumerate(read, start=first):
                    shown = seen.get(row)
                    if shown is not None and shown[0] != ident:
                        raise ListChanged()
                    keys.append(shown or (ident, version))
            return keys

    def count_and_pages(self, query: DealQuery, pages: Sequence[int],
                        size: int) -> tuple[int, dict[int, tuple[DealRow, ...]]]:
        """The count and the pages ``pages`` (of ``size`` rows) in one consistent read:
        what a list that shows those pages reads again after a change."""
        with self.db.snapshot():
            total = count(self.db.query, query)
            return total, {p: tuple(rows_of(self.db.query, page_ids(
                self.db.query, query, p * size, size, total))) for p in pages}

    def all_rows(self, query: DealQuery) -> Iterator[DealRow]:
        """Every row of the list ``query`` shows, in its order (the order read once, the
        rows a chunk at a time, in one snapshot): what an export of the list writes."""
        with self.db.snapshot():
            ids = ordered_ids(self.db.query, query)
            for i in range(0, len(ids), _CHUNK):
                yield from rows_of(self.db.query, ids[i:i + _CHUNK])
