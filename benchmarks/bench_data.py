"""The benchmark databases: generated once with bulk inserts, then kept in a cache folder.

A file's name carries everything it depends on (open and closed deal counts, seed, schema
revision, generator version), so a schema migration or a change here makes a new one.
Rows go in through SQLAlchemy Core with Python values (Decimal money, aware UTC datetimes)
so that the models' column types store them as the application does.

What a database holds:
- the default pipeline, stages, criteria and lost reasons of a new database (zh_CN);
- 8 reps and the benchmark's manager; one company per five deals;
- closed deals (half won through every open stage, half lost after one to five stages,
  a few of those reopened and then won) spread over five years, and open deals, thinning
  out towards the later stages, most of them entered their stage within its rot period.
  Open and closed deals share one id sequence, each deal's kind drawn at random
  (deterministic per seed), as years of use leave them: the board's open deals are
  scattered over the whole table, not one range;
- a stage change per stage a deal went through, the last one matching the deal's stage
  and stage_entered_at; in a few deals, a move undone an hour later (the pair of changes
  the KPIs must count as if neither happened);
- a product for most deals, from six;
- for every open deal, a tick of every criterion of every open stage, so that any open
  deal can move on at any time. Closed deals carry no ticks (the board never reads them);
- the search index of every deal (pipeline/search.rebuild_deal_index).

A generated file is checked (foreign keys, and every deal's history against its stage)
before it goes into the cache.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

GENERATOR = 5  # bump whenever the generated data changes
BATCH = 20_000  # deals per bulk insert: bounds the memory the generator needs
REPS = 8
PRODUCTS = 6
SEED = 1
NEEDLES = ("ERP", "有限公司", "zzz", "")  # searches: a few deals, every deal, none, all again


@dataclass(frozen=True)
class Size:
    open_deals: int
    closed_deals: int

    def file_name(self, seed: int) -> str:
        from funneldesk.db.revisions import HEAD

        return (f"open{self.open_deals}-closed{self.closed_deals}-seed{seed}"
                f"-rev{HEAD}-gen{GENERATOR}.db")


def cached(size: Size, cache: Path, seed: int = SEED) -> Path:
    """The database of ``size``, generated on first use."""
    path = cache / size.file_name(seed)
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        for leftover in cache.glob(partial.name + "*"):
            leftover.unlink()
        generate(partial, size, seed)
        verify(partial)
        os.replace(partial, path)
    return path


# every deal's history: starts with its creation, each change leaves the stage the one
# before entered, and the last one is the deal's stage, entered when the deal says
CHECKS = {
    "foreign keys": "SELECT count(*) FROM pragma_foreign_key_check",
    "deals without history": "SELECT count(*) FROM deals d WHERE NOT EXISTS "
                             "(SELECT 1 FROM stage_changes WHERE deal_id = d.id)",
    "last change other than the deal's stage": (
        "SELECT count(*) FROM deals d JOIN stage_changes s ON s.id = (SELECT max(id) "
        "FROM stage_changes WHERE deal_id = d.id) "
        "WHERE s.to_stage_id != d.stage_id OR s.at != d.stage_entered_at"),
    "broken chains": (
        "SELECT count(*) FROM stage_changes a JOIN stage_changes b ON b.deal_id = a.deal_id "
        "AND b.id = (SELECT min(id) FROM stage_changes WHERE deal_id = a.deal_id AND id > a.id) "
        "WHERE b.from_stage_id != a.to_stage_id OR b.at < a.at"),
}


def verify(path: Path) -> None:
    """Refuses a generated database that the application could not trust."""
    conn = sqlite3.connect(path)
    try:
        broken = {name: n for name, sql in CHECKS.items() if (n := conn.execute(sql).fetchone()[0])}
    finally:
        conn.close()
    if broken:
        raise RuntimeError(f"{path.name}: {broken}")


def generate(path: Path, size: Size, seed: int) -> None:
    from funneldesk import i18n
    from funneldesk.db import open_database
    from funneldesk.services import Services
    from funneldesk.services.pipeline import reads

    i18n.set_language("zh_CN")
    db = open_database(path)
    try:
        services = Services.for_database(db)
        manager = services.users.current("bench")
        pipeline = reads.read_pipeline(db.query, reads.read_pipelines(db.query)[0][0])
        with db.engine.begin() as conn:
            _Generator(conn, random.Random(seed), pipeline, manager.id).run(size)
            # the search index, as the application keeps it (bulk inserts bypass it)
            from funneldesk.services.pipeline.search import rebuild_deal_index

            rebuild_deal_index(conn.connection.driver_connection)
    finally:
        db.close()


class _Generator:
    def __init__(self, conn: Any, rng: random.Random, pipeline: Any, manager_id: int) -> None:
        from funneldesk.enums import StageKind
        from funneldesk.services.sample_data.names import ZH

        self.conn, self.rng, self.words = conn, rng, ZH
        self.opens = [s for s in pipeline.stages if s.is_open]
        self.won = next(s for s in pipeline.stages if s.kind is StageKind.WON)
        self.lost = next(s for s in pipeline.stages if s.kind is StageKind.LOST)
        self.manager_id = manager_id
        self.criteria = [c for s in self.opens for c in s.criteria]
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.positions: dict[int, float] = {}
        self.next_deal = 1
        self.next_change = 0

    def _change_id(self) -> int:
        self.next_change += 1
        return self.next_change

    def insert(self, model: Any, rows: list[dict[str, Any]]) -> None:
        from sqlalchemy import insert

        if rows:
            self.conn.execute(insert(model.__table__), rows)

    def run(self, size: Size) -> None:
        from funneldesk.enums import Role
        from funneldesk.models import Company, Product, User

        self.insert(User, [{"login": f"bench-rep-{n}", "display_name": name, "role": Role.REP}
                           for n, name in enumerate(self._rep_names(), start=1)])
        self.owners = [r[0] for r in self.conn.exec_driver_sql("SELECT id FROM users")]
        companies = max(50, (size.open_deals + size.closed_deals) // 5)
        w = self.words
        self.insert(Company, [{"id": n, "name": f"{self.rng.choice(w['cities'])}"
                               f"{self.rng.choice(w['brands'])}{self.rng.choice(w['trades'])}"
                               f"{w['suffix']}", "created_by_id": self.manager_id}
                              for n in range(1, companies + 1)])
        self.companies = companies
        self.reasons = [r[0] for r in self.conn.exec_driver_sql("SELECT id FROM lost_reasons")]
        self.insert(Product, [{"id": n, "name": f"{w['products'][n % len(w['products'])]} {n}",
                               "currency": "CNY", "list_price": Decimal(1000 * n)}
                              for n in range(1, PRODUCTS + 1)])
        for kinds in _batches(self._kinds(size)):
            self._deals(kinds)

    def _kinds(self, size: Size) -> list[bool]:
        """Whether each deal, in id order, is closed: exactly the sizes asked for, shuffled."""
        kinds = [True] * size.closed_deals + [False] * size.open_deals
        self.rng.shuffle(kinds)
        return kinds

    def _rep_names(self) -> list[str]:
        w = self.words
        return [w["surnames"][n] + w["given"][n] for n in range(REPS)]

    def _path(self, closed: bool) -> list[Any]:
        if closed and self.rng.random() < 0.5:
            return [*self.opens, self.won]
        if closed:
            lost_at = self.rng.randint(1, len(self.opens))
            if self.rng.random() < 0.08:  # lost, reopened where it was, and won after all
                return [*self.opens[:lost_at], self.lost, *self.opens[lost_at - 1:], self.won]
            return [*self.opens[:lost_at], self.lost]
        weights = [len(self.opens) - i + 1 for i in range(len(self.opens))]
        last = self.rng.choices(range(len(self.opens)), weights=weights)[0]
        return self.opens[: last + 1]

    def _times(self, path: list[Any], closed: bool) -> list[dt.datetime]:
        rng = self.rng
        if closed:
            back = rng.randint(0, 5 * 365)
        else:
            limit = path[-1].rot_days or 30
            back = rng.randint(0, limit) if rng.random() < 0.85 else rng.randint(limit + 1, 3 * limit)
        at = self.now - dt.timedelta(days=back, minutes=rng.randint(0, 600))
        times = [at]
        for _stage in path[:-1]:
            at -= dt.timedelta(days=rng.randint(2, 18), hours=rng.randint(0, 8))
            times.append(at)
        return times[::-1]

    def _deals(self, kinds: list[bool]) -> None:
        from funneldesk.models import CriterionCheck, Deal, StageChange

        rng, w = self.rng, self.words
        has_won_value = "won_value" in Deal.__table__.c
        deals: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        checks: list[dict[str, Any]] = []
        for closed in kinds:
            ident = self.next_deal
            self.next_deal += 1
            path = self._path(closed)
            times = self._times(path, closed)
            owner = rng.choice(self.owners)
            undone = rng.randrange(len(path) - 1) if len(path) > 1 and rng.random() < 0.06 \
                else -1
            for i, (stage, at) in enumerate(zip(path, times, strict=True)):
                changes.append({"id": self._change_id(), "deal_id": ident,
                                "from_stage_id": path[i - 1].id if i else None,
                                "to_stage_id": stage.id, "at": at, "by_id": owner,
                                "reverts_id": None})
                if i == undone:  # moved on by mistake, and undone an hour later
                    ahead = changes[-1] | {"id": self._change_id(), "from_stage_id": stage.id,
                                           "to_stage_id": path[i + 1].id,
                                           "at": at + dt.timedelta(minutes=30)}
                    back = ahead | {"id": self._change_id(), "from_stage_id": path[i + 1].id,
                                    "to_stage_id": stage.id, "reverts_id": ahead["id"],
                                    "at": at + dt.timedelta(minutes=90)}
                    changes += [ahead, back]
            final, entered = path[-1], times[-1]
            if not closed:
                checks += [{"deal_id": ident, "criterion_id": c.id, "checked": True,
                            "at": entered, "by_id": owner} for c in self.criteria]
            self.positions[final.id] = self.positions.get(final.id, 0.0) + 1024.0
            value = Decimal(rng.choice([5, 8, 12, 20, 35, 50, 80, 120, 200, 450]) * 1000
                            + rng.randint(0, 99) * 100)
            row = {
                "id": ident, "pipeline_id": final.pipeline_id, "stage_id": final.id,
                "stage_entered_at": entered, "position": self.positions[final.id],
                "title": f"{rng.choice(w['products'])}（{rng.choice(w['cities'])}）",
                "company_id": rng.randint(1, self.companies), "contact_id": None,
                "value": value, "currency": "CNY", "owner_id": owner,
                "expected_close": None if closed else (entered + dt.timedelta(
                    days=rng.randint(7, 120))).date(),
                "next_step": "" if closed else rng.choice(w["steps"]),
                "next_step_date": None if closed else (self.now + dt.timedelta(
                    days=rng.randint(-5, 14))).date(),
                "lead_source_id": rng.randint(1, 11),  # the seeded sources
                "product_id": rng.randint(1, PRODUCTS) if rng.random() < 0.9 else None,
                "closed_on": entered.date() if closed else None,
                "lost_reason_id": rng.choice(self.reasons) if final is self.lost else None,
                "created_at": times[0], "created_by_id": owner, "updated_at": entered,
                "updated_by_id": owner, "archived_at": None, "deleted_at": None, "version": 1,
            }
            if has_won_value:
                row["won_value"] = value if final is self.won else None
            deals.append(row)
        self.insert(Deal, deals)
        self.insert(StageChange, changes)
        self.insert(CriterionCheck, checks)


def _batches(kinds: list[bool]) -> Iterator[list[bool]]:
    for start in range(0, len(kinds), BATCH):
        yield kinds[start:start + BATCH]
