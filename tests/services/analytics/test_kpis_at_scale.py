"""The core KPIs over 100,000 generated deals, against an independent computation: plain
Python over the deals and their raw stage changes (not the derived visits the service
reads), days counted with zoneinfo rather than SQL, in a zone with daylight saving."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import sqlite3
import statistics
from collections import Counter, defaultdict
from contextlib import closing
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from funneldesk.db import Database
from funneldesk.services import Services
from funneldesk.services.analytics.records import CoreKpis, KpiRequest

DEALS = 100_000
ZONE = "America/New_York"
RATE = Decimal("7.812345")  # EUR in the base currency
NOW = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def generate(path: Path, owners: list[int], seed: int = 7) -> None:
    """Deals through the default pipeline: skipped stages, losses, reopenings, undone
    moves, deals in the Trash, two currencies, sources, products, lost reasons."""
    rng = random.Random(seed)
    with closing(sqlite3.connect(path)) as conn:
        stages = conn.execute("SELECT id, kind FROM stages ORDER BY position, id").fetchall()
        opens = [i for i, kind in stages if kind == "OPEN"]
        won = next(i for i, kind in stages if kind == "WON")
        lost = next(i for i, kind in stages if kind == "LOST")
        pipeline = conn.execute("SELECT pipeline_id FROM stages LIMIT 1").fetchone()[0]
        base = conn.execute("SELECT value FROM team_settings WHERE key = 'base_currency'"
                            ).fetchone()
        currency = base[0] if base else "USD"
        conn.execute("INSERT OR REPLACE INTO team_settings VALUES ('rates', ?)",
                     (json.dumps({"EUR": str(RATE)}),))
        conn.execute("INSERT OR REPLACE INTO team_settings VALUES ('time_zone', ?)", (ZONE,))
        conn.executemany("INSERT INTO products (id, name, code, active, created_at, currency) "
                         "VALUES (?, ?, '', 1, '2026-01-01 00:00:00.000000', ?)",
                         [(n, f"P{n}", currency) for n in range(1, 5)])
        deals, changes = [], []
        change_id = 0
        for ident in range(1, DEALS + 1):
            created = NOW - dt.timedelta(days=rng.randint(0, 3 * 365),
                                         minutes=rng.randint(0, 1439))
            at = created
            steps = [(opens[0], at)]
            kind = rng.random()
            furthest = rng.randrange(len(opens))
            for target in opens[1:furthest + 1]:
                if rng.random() < 0.15:
                    continue  # skipped
                at += dt.timedelta(hours=rng.randint(1, 24 * 20))
                steps.append((target, at))
            if kind < 0.35:
                ending = [won]
            elif kind < 0.7:
                ending = [lost]
                if rng.random() < 0.1:  # reopened where it was, and then won
                    ending = [lost, steps[-1][0], won]
            else:
                ending = []
            for target in ending:
                at += dt.timedelta(hours=rng.randint(1, 24 * 15))
                steps.append((target, at))
            final = steps[-1][0]
            previous = None
            undo_after = rng.randrange(len(steps)) if rng.random() < 0.05 else -1
            for n, (target, when) in enumerate(steps):
                change_id += 1
                changes.append((change_id, ident, previous, target, _stamp(when), None))
                if n == undo_after:
                    slip = rng.choice([s for s, _k in stages if s != target])
                    changes.append((change_id + 1, ident, target, slip,
                                    _stamp(when + dt.timedelta(minutes=5)), None))
                    changes.append((change_id + 2, ident, slip, target,
                                    _stamp(when + dt.timedelta(minutes=9)), change_id + 1))
                    change_id += 2
                previous = target
            value = rng.randint(0, 500_000)  # hundredths
            closed = steps[-1][1].astimezone(ZoneInfo(ZONE)).date().isoformat() \
                if final in (won, lost) else None
            deals.append((
                ident, pipeline, final, _stamp(steps[-1][1]), float(ident), f"Deal {ident}",
                value, value + rng.randint(0, 9999) if final == won else None,
                "EUR" if rng.random() < 0.1 else currency, rng.choice(owners),
                rng.choice([None, 1, 2, 3, 4, 5]), rng.choice([None, 1, 2, 3, 4]), closed,
                rng.choice([1, 2, 3, None]) if final == lost else None,
                "" if final != lost else rng.choice(["", "too slow", "too slow "]),
                _stamp(created), _stamp(NOW) if rng.random() < 0.02 else None))
        conn.executemany(
            "INSERT INTO deals (id, pipeline_id, stage_id, stage_entered_at, position, title, "
            "value, won_value, currency, owner_id, lead_source_id, product_id, closed_on, "
            "lost_reason_id, lost_reason_text, created_at, deleted_at, next_step, notes, "
            "campaign, external_id, created_by_id, updated_at, updated_by_id, version, "
            "is_sample) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', '', "
            "'', 1, '2026-01-01 00:00:00.000000', 1, 1, 0)", deals)
        conn.executemany("INSERT INTO stage_changes (id, deal_id, from_stage_id, to_stage_id, "
                         "at, by_id, reverts_id, details) VALUES (?, ?, ?, ?, ?, 1, ?, '{}')",
                         changes)
        conn.commit()


def independent(path: Path, date_from: dt.date | None = None,
                date_to: dt.date | None = None) -> dict[str, Any]:
    """The KPIs by their definitions, deal by deal, in Python."""
    zone = ZoneInfo(ZONE)
    with closing(sqlite3.connect(path)) as conn:
        stages = conn.execute("SELECT id, kind, probability FROM stages "
                              "ORDER BY position, id").fetchall()
        deals = conn.execute(
            "SELECT id, stage_id, value, won_value, currency, owner_id, lead_source_id, "
            "product_id, closed_on, lost_reason_id, lost_reason_text, created_at, deleted_at "
            "FROM deals").fetchall()
        changes = conn.execute("SELECT id, deal_id, to_stage_id, at, reverts_id "
                               "FROM stage_changes ORDER BY id").fetchall()
    opens = [i for i, kind, _p in stages if kind == "OPEN"]
    kind_of = {i: kind for i, kind, _p in stages}
    chance = {i: p for i, _k, p in stages}
    reverted = {r for *_rest, r in changes if r is not None}
    history: dict[int, list[tuple[int, dt.datetime]]] = defaultdict(list)
    for ident, deal, to, at, reverts in changes:
        if reverts is None and ident not in reverted:
            history[deal].append((to, dt.datetime.fromisoformat(at + "+00:00")))

    def local(moment: dt.datetime) -> dt.date:
        return moment.astimezone(zone).date()

    def inside(day: dt.date | None) -> bool:
        return day is not None and (date_from is None or day >= date_from) and \
            (date_to is None or day <= date_to)

    end = None if date_to is None else dt.datetime.combine(
        date_to + dt.timedelta(days=1), dt.time(), zone)
    live = [d for d in deals if d[12] is None]
    cohort = [d for d in live if inside(local(dt.datetime.fromisoformat(d[11] + "+00:00")))]
    closed = [d for d in live if kind_of[d[1]] in ("WON", "LOST")
              and inside(dt.date.fromisoformat(d[8]))]
    won = [d for d in closed if kind_of[d[1]] == "WON"]
    reached = Counter()
    for d in cohort:
        seen = [to for to, _at in history[d[0]]]
        rank = len(opens) if any(kind_of[s] == "WON" for s in seen) else max(
            (opens.index(s) + 1 for s in seen if s in opens), default=0)
        for stage in opens[:rank]:
            reached[stage] += 1
    days: dict[int, list[int]] = defaultdict(list)
    open_now: Counter[int] = Counter()
    weighted = Decimal(0)
    for d in live:
        steps = history[d[0]]
        for (stage, entered), (_next, left) in itertools.pairwise(steps):
            if stage in opens and inside(local(left)):
                days[stage].append(max(0, (local(left) - local(entered)).days))
        now_in = steps[-1][0] if end is None else next(
            (s for s, at in reversed(steps) if at < end), None)
        if now_in in opens and (end is None or steps[0][1] < end):
            open_now[now_in] += 1
            amount = Decimal(d[2]).scaleb(-2)
            if d[4] == "EUR":
                amount = (amount * RATE).quantize(Decimal("0.01"), ROUND_HALF_UP)
            weighted += (amount * chance[now_in] / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)

    def cycle(d: Any) -> int:
        created = local(dt.datetime.fromisoformat(d[11] + "+00:00"))
        return max(0, (dt.date.fromisoformat(d[8]) - created).days)

    def base(d: Any) -> Decimal:
        amount = Decimal(d[3] if d[3] is not None else d[2]).scaleb(-2)
        return (amount * RATE).quantize(Decimal("0.01"), ROUND_HALF_UP) if d[4] == "EUR" \
            else amount

    cohort_won = sum(1 for d in cohort if kind_of[d[1]] == "WON")
    return {
        "deals": (len(cohort), sum(open_now.values()), len(won), len(closed) - len(won)),
        "cycle": (statistics.mean(map(cycle, won)), statistics.median(map(cycle, won)),
                  len(won)),
        "won_value": sum(map(base, won), Decimal(0)),
        "weighted": weighted,
        "reached": [reached[s] for s in opens],
        "conversion": [reached[b] / reached[a] for a, b in itertools.pairwise(opens)]
        + [cohort_won / reached[opens[-1]]],
        "days": [(statistics.mean(days[s]), statistics.median(days[s]), len(days[s]))
                 for s in opens],
        "open_now": [open_now[s] for s in opens],
        "owners": Counter((d[5], kind_of[d[1]]) for d in closed),
        "sources": Counter((d[6], kind_of[d[1]] == "WON") for d in cohort),
        "products": Counter((d[7], kind_of[d[1]]) for d in closed),
        "reasons": Counter(d[9] if d[9] is not None else d[10].strip() for d in closed
                           if kind_of[d[1]] == "LOST"),
    }


def figures(k: CoreKpis) -> dict[str, Any]:
    def close(value: float | None) -> float | None:
        return None if value is None else round(value, 9)

    return {
        "deals": (k.deals.total, k.deals.open, k.deals.won, k.deals.lost),
        "cycle": (close(k.cycle.mean), k.cycle.median, k.cycle.n),
        "won_value": k.won_value, "weighted": k.weighted_pipeline,
        "reached": [s.reached for s in k.stages],
        "conversion": [close(s.conversion_to_next) for s in k.stages],
        "days": [(close(s.days.mean), s.days.median, s.days.n) for s in k.stages],
        "open_now": [s.open_now for s in k.stages],
        "owners": Counter({(o.owner_id, kind): n for o in k.by_owner
                           for kind, n in (("WON", o.won), ("LOST", o.lost)) if n}),
        "sources": Counter({(s.source_id, w): n for s in k.by_source
                            for w, n in ((True, s.won), (False, s.deals - s.won)) if n}),
        "products": Counter({(p.product_id, kind): n for p in k.by_product
                             for kind, n in (("WON", p.won), ("LOST", p.lost)) if n}),
        "reasons": Counter({r.reason_id if r.reason_id is not None else r.reason: r.count
                            for r in k.lost_reasons}),
    }


def rounded(expected: dict[str, Any]) -> dict[str, Any]:
    def close(value: float) -> float:
        return round(value, 9)

    return {**expected,
            "cycle": (close(expected["cycle"][0]), *expected["cycle"][1:]),
            "conversion": [close(c) for c in expected["conversion"]],
            "days": [(close(m), med, n) for m, med, n in expected["days"]],
            "reasons": Counter({_reason_key(k): n for k, n in expected["reasons"].items()})}


def _reason_key(key: Any) -> Any:
    return key if key != "" else "No reason given"


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Path:
    import shutil

    path = tmp_path_factory.mktemp("large") / "large.db"
    shutil.copy(template_db, path)
    from funneldesk.db import open_database

    db = open_database(path)
    try:
        services = Services.for_database(db)
        owners = [services.users.current(login).id for login in ("amy", "bo", "cai")]
    finally:
        db.close()
    generate(path, owners)
    return path


@pytest.mark.parametrize("period", [(None, None), (dt.date(2025, 3, 1), dt.date(2025, 11, 2))],
                         ids=["all data", "a period across two clock changes"])
def test_100000_deals_match_an_independent_computation(
        large: Path, period: tuple[dt.date | None, dt.date | None]) -> None:
    from funneldesk.db import open_database

    db: Database = open_database(large)
    try:
        k = Services.for_database(db).analytics.core(KpiRequest(date_from=period[0],
                                                                date_to=period[1]))
    finally:
        db.close()
    assert k.zone == ZONE
    assert figures(k) == rounded(independent(large, *period))


def test_the_generated_data_has_what_the_definitions_are_about(large: Path) -> None:
    with closing(sqlite3.connect(large)) as conn:
        undone = conn.execute("SELECT count(*) FROM stage_changes WHERE reverts_id IS NOT NULL"
                              ).fetchone()[0]
        changes = conn.execute("SELECT count(*) FROM stage_changes").fetchone()[0]
        trashed = conn.execute("SELECT count(*) FROM deals WHERE deleted_at IS NOT NULL"
                               ).fetchone()[0]
    assert undone > 1000
    assert trashed > 1000
    assert changes > 350_000
