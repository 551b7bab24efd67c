"""Small builders shared by tests."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from decimal import Decimal
from pathlib import Path

from funneldesk.db import Database
from funneldesk.enums import Role
from funneldesk.services import Services
from funneldesk.services.dto import Actor, Card, DealFields, PipelineInfo, StageInfo


def pipeline(services: Services) -> PipelineInfo:
    return services.pipelines.pipeline(services.board.pipelines()[0][0])


def stage(services: Services, name: str) -> StageInfo:
    return next(s for s in pipeline(services).stages if s.name == name)


def make_deal(services: Services, by: Actor, *, title: str = "Warehouse system",
              stage_name: str = "Initial contact", value: str = "1000",
              company_id: int | None = None) -> Card:
    target = stage(services, stage_name)
    fields = DealFields(title, company_id, None, Decimal(value), "USD", None, by.id)
    return services.deals.create(pipeline_id=target.pipeline_id, stage_id=target.id,
                                 fields=fields, by=by).card


def tick_all(services: Services, by: Actor, deal_id: int, *stage_names: str) -> None:
    for name in stage_names:
        for criterion in stage(services, name).criteria:
            services.deals.set_criterion(deal_id=deal_id, criterion_id=criterion.id,
                                         checked=True, by=by, expected_version=version(services, deal_id))


def snapshot(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, to show that a refused call changed nothing."""
    with closing(sqlite3.connect(db_path)) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        # every column in order: tables WITHOUT ROWID (the search's terms) have no rowid
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY ' + ", ".join(
            str(n) for n in range(1, len(conn.execute(f'PRAGMA table_info("{t}")')
                                         .fetchall()) + 1))).fetchall() for t in tables}


def version(services: Services, deal_id: int) -> int:
    """The deal's version as saved now."""
    return services.deals.detail(deal_id).version


def make_user(db: Database, login: str, name: str, role: Role = Role.REP) -> Actor:
    """Another user of the team, as the acting user a service call takes."""
    from funneldesk.models import User

    with db.session() as session:
        user = User(login=login, display_name=name, role=role)
        session.add(user)
        session.flush()
        return Actor(user.id, user.login, user.display_name, user.role)
