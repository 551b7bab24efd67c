"""Plain-SQL reads of the board and the pipelines (see common/sql.py for the two callers).

Values arrive as SQLite stores them (money as integer hundredths, timestamps as ISO text)
and are converted here; the SQL uses only portable constructs and qmark parameters,
except the column sums (see there).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from funneldesk.enums import CriterionKind, StageKind
from funneldesk.errors import NotFound
from funneldesk.money import from_storage
from funneldesk.services.common.conversion import RunningTotal
from funneldesk.services.common.records import CurrencyRates
from funneldesk.services.common.sql import Query, day, timestamp
from funneldesk.services.pipeline.records import (
    ArchivedDeal,
    Card,
    ColumnStart,
    CriterionInfo,
    PipelineInfo,
    StageInfo,
)

CARD_SQL = """
SELECT d.id, d.stage_id, d.position, d.title, COALESCE(c.name, ''), d.value, d.won_value, d.currency,
       d.owner_id, u.display_name, d.stage_entered_at, d.next_step, d.next_step_date,
       d.expected_close, d.version, d.closed_on,
       COALESCE(r.label, d.lost_reason_text, '')
FROM deals d
JOIN users u ON u.id = d.owner_id
LEFT JOIN companies c ON c.id = d.company_id
LEFT JOIN lost_reasons r ON r.id = d.lost_reason_id
WHERE d.deleted_at IS NULL AND d.archived_at IS NULL"""


def card_from(row: Sequence[Any]) -> Card:
    (ident, stage_id, position, title, company, value, won_value, currency, owner_id, owner,
     entered, next_step, next_date, expected, version, closed_on, lost_reason) = row
    return Card(ident, stage_id, float(position), title, company, from_storage(value), currency,
                owner_id, owner, timestamp(entered), next_step, day(next_date), day(expected),
                version, day(closed_on), lost_reason,
                None if won_value is None else from_storage(won_value))


def read_card(query: Query, deal_id: int) -> Card | None:
    rows = query(CARD_SQL + " AND d.id = ?", (deal_id,))
    return card_from(rows[0]) if rows else None


def read_cards(query: Query, pipeline_id: int, include_closed: bool) -> tuple[Card, ...]:
    sql = CARD_SQL + " AND d.pipeline_id = ?"
    if not include_closed:
        sql += " AND d.stage_id IN (SELECT id FROM stages WHERE kind = 'OPEN')"
    return tuple(card_from(row) for row in query(sql + " ORDER BY d.position", (pipeline_id,)))


# the SQL order of each column sort; the same order as the board's own sort keys
CARD_ORDER = {
    "position": "d.position, d.id",
    "value": "COALESCE(d.won_value, d.value) DESC, d.id",
    "close": "d.expected_close IS NULL, d.expected_close, d.id",
    "days": "d.stage_entered_at, d.id",
}


def read_first_cards(query: Query, stage_id: int, sort: str, owner_id: int,
                     limit: int) -> tuple[Card, ...]:
    """The first ``limit`` cards of a column in the order ``sort`` (a key of CARD_ORDER),
    of the owner ``owner_id`` only unless it is 0."""
    sql, params = CARD_SQL + " AND d.stage_id = ?", [stage_id]
    if owner_id:
        sql += " AND d.owner_id = ?"
        params.append(owner_id)
    sql += f" ORDER BY {CARD_ORDER.get(sort, CARD_ORDER['position'])} LIMIT ?"
    return tuple(card_from(row) for row in query(sql, (*params, limit)))


# What RunningTotal.line turns into cents without converting (the base currency, whole
# non-negative cents) is summed in SQL, each deal's weighted value rounded as it rounds;
# anything else arrives grouped by amount and is converted once per distinct amount.
# SQLite only, like Database.query: it sums money as the integer hundredths SQLite stores
# (integer division rounds the weighted values); PostgreSQL's Numeric needs its own sum.
_AMOUNT = "COALESCE(d.won_value, d.value)"
_PLAIN = f"d.currency = ? AND typeof({_AMOUNT}) = 'integer' AND {_AMOUNT} >= 0"
_LIVE = "d.deleted_at IS NULL AND d.archived_at IS NULL"


def column_sums(query: Query, stages: Sequence[StageInfo], rates: CurrencyRates,
                owner_id: int) -> dict[int, ColumnStart]:
    """Per stage: how many cards it holds, and the count and total of those that the owner
    filter ``owner_id`` shows (0: everyone), exactly as adding every card's line gives."""
    if not stages:
        return {}
    ids = [s.id for s in stages]
    marks = ", ".join("?" * len(ids))
    plain = query(
        f"SELECT d.stage_id, d.owner_id, count(*), sum({_AMOUNT}), "
        f"sum(({_AMOUNT} * s.probability + 50) / 100) FROM deals d "
        f"JOIN stages s ON s.id = d.stage_id WHERE d.stage_id IN ({marks}) AND {_LIVE} "
        f"AND {_PLAIN} GROUP BY d.stage_id, d.owner_id", (*ids, rates.base_currency))
    other = query(
        f"SELECT d.stage_id, d.owner_id, d.currency, {_AMOUNT}, count(*) FROM deals d "
        f"WHERE d.stage_id IN ({marks}) AND {_LIVE} AND NOT ({_PLAIN}) "
        f"GROUP BY d.stage_id, d.owner_id, d.currency, {_AMOUNT}", (*ids, rates.base_currency))
    totals = {s.id: RunningTotal(rates, s.probability) for s in stages}
    cards = dict.fromkeys(ids, 0)
    matching = dict.fromkeys(ids, 0)
    for stage_id, owner, count, known, weighted in plain:
        cards[stage_id] += count
        if not owner_id or owner == owner_id:
            matching[stage_id] += count
            totals[stage_id].add_line((int(known), int(weighted)), rates.base_currency)
    for stage_id, owner, currency, amount, count in other:
        cards[stage_id] += count
        if not owner_id or owner == owner_id:
            matching[stage_id] += count
            running = totals[stage_id]
            running.add_line(running.line(from_storage(amount), currency), currency, count)
    return {i: ColumnStart(owner_id, cards[i], matching[i], totals[i].result()) for i in ids}


def read_archived(query: Query, pipeline_id: int) -> list[ArchivedDeal]:
    rows = query(
        "SELECT d.id, d.title, COALESCE(c.name, ''), s.name, d.archived_at, d.version FROM deals d "
        "JOIN stages s ON s.id = d.stage_id LEFT JOIN companies c ON c.id = d.company_id "
        "WHERE d.pipeline_id = ? AND d.archived_at IS NOT NULL AND d.deleted_at IS NULL "
        "ORDER BY d.archived_at DESC", (pipeline_id,))
    return [ArchivedDeal(i, t, c, s, timestamp(a), v) for i, t, c, s, a, v in rows]


def read_pipelines(query: Query) -> list[tuple[int, str]]:
    rows = query("SELECT id, name FROM pipelines WHERE deleted_at IS NULL "
                 "ORDER BY position, id", ())
    return [(int(r[0]), str(r[1])) for r in rows]


def read_pipeline(query: Query, pipeline_id: int) -> PipelineInfo:
    head = query("SELECT id, name, version FROM pipelines WHERE id = ? AND deleted_at IS NULL",
                 (pipeline_id,))
    if not head:
        raise NotFound("pipeline", pipeline_id)
    stages = query("SELECT id, pipeline_id, name, kind, position, probability, rot_days, guidance "
                   "FROM stages WHERE pipeline_id = ? AND deleted_at IS NULL", (pipeline_id,))
    criteria = query(
        "SELECT c.id, c.stage_id, c.kind, c.label, c.rule FROM stage_criteria c "
        "JOIN stages s ON s.id = c.stage_id "
        "WHERE s.pipeline_id = ? AND c.deleted_at IS NULL ORDER BY c.kind, c.position, c.id",
        (pipeline_id,))
    by_stage: dict[int, list[CriterionInfo]] = {}
    for cid, stage_id, kind, label, rule in criteria:
        by_stage.setdefault(stage_id, []).append(
            CriterionInfo(cid, stage_id, CriterionKind[kind], label, rule))
    infos = [StageInfo(sid, pid, name, StageKind[kind], position, probability, rot, guidance,
                       tuple(by_stage.get(sid, ())))
             for sid, pid, name, kind, position, probability, rot, guidance in stages]
    ident, name, version = head[0]
    return PipelineInfo(ident, name, version, tuple(ordered(infos)))


def ordered(stages: list[StageInfo]) -> list[StageInfo]:
    """Open stages by position, then Won, then Lost: the funnel's order."""
    rank = {StageKind.OPEN: 0, StageKind.WON: 1, StageKind.LOST: 2}
    return sorted(stages, key=lambda s: (rank[s.kind], s.position, s.id))
