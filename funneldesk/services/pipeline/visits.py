"""The KPIs' derived tables, kept from the stage history: ``stage_visits`` (each stretch
a deal spent in one stage, with its local day numbers) and ``deal_progress`` (the furthest
stage a deal reached, and its local creation day).

A deal's visits follow its stage changes in the order they were recorded, leaving out
every undone move and its undo (the KPIs count such a pair as if neither had happened).
Every writer of stage changes refreshes the deals it changed in its own transaction; the
first KPI read builds everything (``rebuild``) and records the time zone the day numbers
were counted in, and builds again when the team's zone is no longer that one. Until then
(``built_zone`` None) the writers leave the tables alone.

Plain SQL on the transaction's DB-API connection: a bulk import refreshes thousands of
deals, and the whole history of 100,000 deals is rebuilt in a couple of seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from funneldesk.services.common.local_days import day_sql

VISITS_ZONE = "visits_zone"  # team setting: the zone the day numbers were counted in
_CHUNK = 500  # deal ids per statement, below SQLite's limit of bound parameters
_SECONDS = "CAST(strftime('%s', {}) AS INTEGER)"


class Connection(Protocol):
    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Any: ...


def built_zone(conn: Connection) -> str | None:
    row = conn.execute("SELECT value FROM team_settings WHERE key = ?",
                       (VISITS_ZONE,)).fetchone()
    return None if row is None else str(row[0])


def refresh(conn: Connection, deal_ids: Iterable[int]) -> None:
    """Derives the visits and progress of ``deal_ids`` anew from their history (after
    their stage changes are flushed); nothing before the first build."""
    zone = built_zone(conn)
    if zone is None:
        return
    ids = sorted(set(deal_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        _derive(conn, zone, f"IN ({marks})", chunk)


def refresh_pipeline(conn: Connection, pipeline_id: int) -> None:
    """How far each deal of a pipeline got, anew: its stages' order changed (the visits
    themselves do not depend on it)."""
    zone = built_zone(conn)
    if zone is not None:
        deals = "IN (SELECT id FROM deals WHERE pipeline_id = ?)"
        conn.execute(f"DELETE FROM deal_progress WHERE deal_id {deals}", [pipeline_id])
        _progress(conn, zone, deals, [pipeline_id])


def forget(conn: Connection, deal_ids: Sequence[int]) -> None:
    """Removes what was derived from deals about to be removed for good."""
    for start in range(0, len(deal_ids), _CHUNK):
        chunk = list(deal_ids[start:start + _CHUNK])
        marks = ", ".join("?" * len(chunk))
        for table in ("stage_visits", "deal_progress"):
            conn.execute(f"DELETE FROM {table} WHERE deal_id IN ({marks})", chunk)


def rebuild(conn: Connection, zone: str) -> None:
    """Derives every deal anew, counting days in ``zone``, and records that zone."""
    conn.execute("DELETE FROM stage_visits")
    conn.execute("DELETE FROM deal_progress")
    _derive(conn, zone, "", [])
    conn.execute("INSERT OR REPLACE INTO team_settings (key, value) VALUES (?, ?)",
                 (VISITS_ZONE, zone))


def _derive(conn: Connection, zone: str, deals: str, params: Sequence[Any]) -> None:
    """Visits and progress of the deals whose id is ``deals`` (an SQL condition on an
    id, with ``params``; empty: every deal)."""
    if deals:
        for table in ("stage_visits", "deal_progress"):
            conn.execute(f"DELETE FROM {table} WHERE deal_id {deals}", params)
    of_deals = f"AND c.deal_id {deals}" if deals else ""
    undone = f"AND deal_id {deals}" if deals else ""
    entered, left = day_sql("entered_s", zone), day_sql("left_s", zone)
    # each visit ends when the next change is made; one made "before" it (a dated import
    # may add an older move) ends it where it began
    conn.execute(
        f"INSERT INTO stage_visits (deal_id, stage_id, entered_s, left_s, entered_day, "
        f"left_day, days) "
        f"SELECT deal_id, stage_id, entered_s, left_s, {entered}, {left}, {left} - {entered} "
        f"FROM (SELECT deal_id, stage_id, entered_s, max(entered_s, left_s) AS left_s FROM "
        f"(SELECT c.deal_id, c.to_stage_id AS stage_id, {_SECONDS.format('c.at')} AS entered_s, "
        f"{_SECONDS.format('lead(c.at) OVER (PARTITION BY c.deal_id ORDER BY c.id)')} AS left_s "
        f"FROM stage_changes c WHERE c.reverts_id IS NULL {of_deals} AND c.id NOT IN "
        f"(SELECT reverts_id FROM stage_changes WHERE reverts_id IS NOT NULL {undone})))",
        [*params, *params])
    _progress(conn, zone, deals, params)


def _progress(conn: Connection, zone: str, deals: str, params: Sequence[Any]) -> None:
    """How far the deals got (their visits derived already)."""
    created = day_sql(_SECONDS.format("d.created_at"), zone)
    conn.execute(
        f"INSERT INTO deal_progress (deal_id, furthest_stage_id, created_day) "
        f"SELECT d.id, (SELECT v.stage_id FROM stage_visits v JOIN stages s ON s.id = v.stage_id "
        f"WHERE v.deal_id = d.id AND s.pipeline_id = d.pipeline_id AND s.kind IN ('OPEN', 'WON') "
        f"ORDER BY s.kind = 'WON' DESC, s.position DESC, s.id DESC LIMIT 1), {created} "
        f"FROM deals d {'WHERE d.id ' + deals if deals else ''}", params)
