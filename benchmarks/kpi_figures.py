"""KPI figures (issue 11), measured in a fresh process on a copy of the KPI database:
100,000 deals (20,000 open, 80,000 closed: won, lost, some reopened and won) with about
470,000 stage changes, some of them undone moves (benchmarks/bench_data.py).

    python benchmarks/kpi_figures.py DATABASE REPEAT

Prints one JSON object:
- kpi_prepare_s: building the derived visits and progress from the whole history, as the
  first KPI read after an upgrade (or a change of the team's time zone) does; once.
- kpi_ms: the core KPIs (deals, win rate, cycle, stages, by owner, by source, by product,
  lost reasons) of all data, in-process, warm: the median of REPEAT reads after one first
  read.
- kpi_period_ms: the same for last quarter: the open deals then are read from the visits
  (as of the quarter's end), the slower path.
- kpi_raw_sql_ms: the same numbers from hand-written SQL through sqlite3 on one
  connection, one query after the other (as the service runs them), over the same tables,
  in the same run (median of REPEAT after one first read). The two results are checked
  to agree before any figure is printed. Both read the derived visits and progress;
  tests/services/analytics/test_kpis_at_scale.py checks those against the raw history.
- kpi_full_ms: everything ``funneldesk kpi --json`` gives (the core KPIs, the funnel
  doctor, anomalies, correlations and training needs) on the same data, warm: the median
  of REPEAT reads after one first read.
- kpi_cli_s: ``funneldesk kpi --json`` on the same file, as a user types it: a fresh
  process each time (interpreter, imports scipy included, the database opened, the report
  computed and printed), the median of three after one first run.
- kpi_deals, kpi_stage_changes: what the database holds.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def raw_sql(conn: sqlite3.Connection, pipeline: int) -> dict[str, Any]:
    """The core KPIs of all data, written by hand for the default pipeline (one currency,
    no filters): what the service's numbers are measured against."""
    stages = conn.execute("SELECT id, kind, probability FROM stages WHERE pipeline_id = ? "
                          "AND deleted_at IS NULL ORDER BY position, id", (pipeline,)).fetchall()
    opens = [i for i, kind, _p in stages if kind == "OPEN"]
    won = next(i for i, kind, _p in stages if kind == "WON")
    lost = next(i for i, kind, _p in stages if kind == "LOST")
    every = ",".join(str(i) for i, _k, _p in stages)
    open_list = ",".join(map(str, opens))
    live = f"d.stage_id IN ({every}) AND d.deleted_at IS NULL"
    # one grouped pass over the deals, as a careful hand would write it: how far each
    # got, by owner and source, won or not
    cohort = conn.execute(
        f"SELECT p.furthest_stage_id, d.owner_id, d.lead_source_id, d.stage_id = {won}, "
        f"count(*) FROM deals d JOIN deal_progress p ON p.deal_id = d.id WHERE {live} "
        f"GROUP BY 1, 2, 3, 4").fetchall()
    furthest: Counter[int] = Counter()
    owners: set[int] = set()
    by_source = []
    for stage, owner, source, is_won, n in cohort:
        furthest[stage] += n
        owners.add(owner)
        by_source.append((source, is_won, n))
    total = sum(furthest.values())
    rank = {s: n for n, s in enumerate(opens, start=1)} | {won: len(opens)}
    reached = [sum(c for s, c in furthest.items() if rank.get(s, 0) >= n)
               for n in range(1, len(opens) + 1)]
    outcomes = conn.execute(
        f"SELECT d.stage_id, d.owner_id, d.product_id, count(*), "
        f"sum(COALESCE(d.won_value, d.value)) FROM deals d "
        f"WHERE d.stage_id IN ({won}, {lost}) AND d.deleted_at IS NULL GROUP BY 1, 2, 3"
    ).fetchall()
    cycles = conn.execute(
        f"SELECT d.owner_id, max(0, CAST(julianday(d.closed_on) - 2440587.5 AS INTEGER) "
        f"- p.created_day), count(*) FROM deals d JOIN deal_progress p ON p.deal_id = d.id "
        f"WHERE d.stage_id = {won} AND d.deleted_at IS NULL GROUP BY 1, 2").fetchall()
    weights = " ".join(f"WHEN {i} THEN {p}" for i, _k, p in stages)
    open_now = conn.execute(
        f"SELECT d.stage_id, d.product_id, count(*), sum(d.value), "
        f"sum((d.value * CASE d.stage_id {weights} END + 50) / 100) FROM deals d "
        f"WHERE d.stage_id IN ({open_list}) AND d.deleted_at IS NULL GROUP BY 1, 2").fetchall()
    # every visit, less those of the deals in the Trash (a NOT IN on every visit would
    # look up each visit's row: four times slower)
    days = conn.execute(
        f"SELECT v.stage_id, v.days, count(*) FROM stage_visits v WHERE v.stage_id IN "
        f"({open_list}) AND v.days IS NOT NULL GROUP BY 1, 2").fetchall()
    trashed = conn.execute(
        f"SELECT v.stage_id, v.days, -count(*) FROM deals d CROSS JOIN stage_visits v "
        f"ON v.deal_id = d.id WHERE d.stage_id IN ({every}) AND d.deleted_at IS NOT NULL "
        f"AND v.stage_id IN ({open_list}) AND v.days IS NOT NULL GROUP BY 1, 2").fetchall()
    reasons = conn.execute(
        f"SELECT d.lost_reason_id, count(*) FROM deals d WHERE d.stage_id = {lost} "
        f"AND d.deleted_at IS NULL GROUP BY 1").fetchall()
    won_n = sum(n for s, _o, _p, n, _v in outcomes if s == won)
    lost_n = sum(n for s, _o, _p, n, _v in outcomes if s == lost)
    cycle = Counter[int]()
    for _owner, d, n in cycles:
        cycle[d] += n
    stay: dict[int, Counter[int]] = {s: Counter() for s in opens}
    for s, d, n in days + trashed:
        stay[s][d] += n
    cohort_won = sum(n for _s, is_won, n in by_source if is_won)
    return {
        "deals": (total, sum(n for _s, _p, n, _v, _w in open_now), won_n, lost_n),
        "win_rate": won_n / (won_n + lost_n),
        "cycle": (sum(d * n for d, n in cycle.items()) / sum(cycle.values()),
                  statistics.median(cycle.elements())),
        "won_value": sum(v for s, _o, _p, _n, v in outcomes if s == won),
        "weighted": sum(w for _s, _p, _n, _v, w in open_now),
        "reached": reached,
        "conversion": [b / a for a, b in zip(reached, [*reached[1:], cohort_won], strict=True)],
        "days": [statistics.median(stay[s].elements()) for s in opens],
        "owners": len(owners), "reasons": sorted(n for _r, n in reasons),
    }


def _last_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    first = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    end = first - dt.timedelta(days=1)
    return end.replace(month=(end.month - 1) // 3 * 3 + 1, day=1), end


def service_numbers(k: Any) -> dict[str, Any]:
    return {
        "deals": (k.deals.total, k.deals.open, k.deals.won, k.deals.lost),
        "win_rate": k.win_rate, "cycle": (k.cycle.mean, k.cycle.median),
        "won_value": int(k.won_value.scaleb(2)), "weighted": int(k.weighted_pipeline.scaleb(2)),
        "reached": [s.reached for s in k.stages],
        "conversion": [s.conversion_to_next for s in k.stages],
        "days": [s.days.median for s in k.stages],
        "owners": len(k.by_owner), "reasons": sorted(r.count for r in k.lost_reasons),
    }


def timed(read: Any, repeat: int) -> tuple[float, Any]:
    result = read()  # warm: the pages in the cache, the code loaded
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        result = read()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), result


def command_seconds(path: Path) -> float:
    import subprocess

    command = [sys.executable, "-m", "funneldesk", "--db", str(path), "kpi", "--json"]
    times = []
    for _ in range(4):
        began = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, timeout=600)
        times.append(time.perf_counter() - began)
    return statistics.median(times[1:])


def main() -> None:
    from funneldesk.db import open_database
    from funneldesk.services import Services
    from funneldesk.services.analytics.records import KpiRequest

    path, repeat = Path(sys.argv[1]), int(sys.argv[2])
    db = open_database(path)
    try:
        services = Services.for_database(db)
        began = time.perf_counter()
        services.analytics.prepare()
        prepare_s = time.perf_counter() - began
        kpi_ms, kpis = timed(lambda: services.analytics.core(KpiRequest()), repeat)
        quarter = _last_quarter(dt.date.today())
        period_ms, _quarter = timed(lambda: services.analytics.core(
            KpiRequest(date_from=quarter[0], date_to=quarter[1])), repeat)
        full_ms, _report = timed(lambda: services.analytics.report(KpiRequest()), repeat)
        conn = sqlite3.connect(path)
        try:
            raw_ms, raw = timed(lambda: raw_sql(conn, kpis.pipeline_id), repeat)
            counts = conn.execute("SELECT (SELECT count(*) FROM deals), "
                                  "(SELECT count(*) FROM stage_changes)").fetchone()
        finally:
            conn.close()
    finally:
        db.close()
    cli_s = command_seconds(path)
    mine = service_numbers(kpis)
    if mine != raw:
        raise SystemExit(f"the service and the hand-written SQL disagree:\n{mine}\n{raw}")
    print(json.dumps({"kpi_prepare_s": prepare_s, "kpi_ms": kpi_ms, "kpi_raw_sql_ms": raw_ms,
                      "kpi_full_ms": full_ms, "kpi_period_ms": period_ms, "kpi_cli_s": cli_s,
                      "kpi_deals": counts[0], "kpi_stage_changes": counts[1]}))


if __name__ == "__main__":
    main()
