"""Migrations 0005 and 0006: the deals list's index, added to a demo-filled database at
0003 and used by the list's default order."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from funneldesk.db import open_database
from funneldesk.services.dto import DealQuery
from funneldesk.services.pipeline.deal_list import order_by, where

FIXTURE = Path(__file__).parent / "fixtures" / "demo-0003.db"


def test_the_list_index_is_added_to_a_filled_database_and_serves_the_default_order(
        tmp_path: Path) -> None:
    path = tmp_path / "sales.db"
    shutil.copy(FIXTURE, path)
    with closing(sqlite3.connect(path)) as conn:
        # every column the file had, but the free-text lead source that 0007 replaces
        kept = ", ".join(r[1] for r in conn.execute("PRAGMA table_info(deals)")
                         if r[1] != "lead_source")
        deals = conn.execute(f"SELECT {kept} FROM deals ORDER BY id").fetchall()
    open_database(path).close()
    with closing(sqlite3.connect(path)) as conn:
        columns = [r[2] for r in conn.execute("PRAGMA index_info('ix_deals_list_created')")]
        # 0006: without the stage and owner, which moves and owner changes write
        assert columns == ["created_at", "deleted_at", "archived_at", "pipeline_id"]
        assert conn.execute(f"SELECT {kept} FROM deals ORDER BY id").fetchall() == deals
        clause, params = where(DealQuery(), ordered=True)
        order, order_params = order_by(DealQuery())
        plan = " ".join(str(r[3]) for r in conn.execute(
            f"EXPLAIN QUERY PLAN SELECT d.id FROM deals d WHERE {clause} "
            f"ORDER BY {order} LIMIT 200 OFFSET 0", [*params, *order_params]))
    assert "ix_deals_list_created" in plan
