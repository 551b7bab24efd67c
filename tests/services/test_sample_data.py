"""Sample data stays apart from real data: a separate file, or one call removes it all."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

from funneldesk.db import open_database
from funneldesk.services import Services
from funneldesk.services.dto import Actor, SampleCounts
from tests.helpers import make_deal, snapshot


def count(db_path: Path, table: str, where: str = "1") -> int:
    with closing(sqlite3.connect(db_path)) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0])


def test_removing_sample_data_takes_every_sample_record_and_leaves_real_ones(
        services: Services, manager: Actor, db_path: Path) -> None:
    summary = services.demo.generate(deals=40, seed=4, by=manager)
    sample = services.board.load(1, include_closed=True).cards
    # every sample deal's next step is its earliest planned activity: a rep's call, a
    # colleague's task, a contract's collection or return visit alike
    with closing(sqlite3.connect(db_path)) as conn:
        steps = conn.execute("SELECT id, next_step, next_step_date FROM deals "
                             "WHERE next_step != '' ORDER BY id").fetchall()
        planned = conn.execute(
            "SELECT a.deal_id, a.title, a.due_on FROM activities a WHERE a.id = "
            "(SELECT b.id FROM activities b WHERE b.deal_id = a.deal_id "
            "AND b.state = 'PLANNED' ORDER BY b.due_on IS NULL, b.due_on, "
            "b.due_at IS NULL, b.due_at, b.id LIMIT 1) ORDER BY a.deal_id").fetchall()
    assert steps
    assert planned == steps
    assert count(db_path, "contracts") > 0
    real = make_deal(services, manager, title="Real deal")
    # a real deal for a sample company keeps that company (and its contact)
    kept_company = services.customers.contacts()[0]
    detail = services.deals.detail(real.id)
    services.deals.update(deal_id=real.id, expected_version=detail.version, by=manager,
                          fields=replace(detail.fields, company_id=kept_company.company_id,
                                         contact_id=kept_company.id))
    binned = sample[0]
    services.trash.delete(deal_id=binned.id, expected_version=binned.version, by=manager)
    reps = count(db_path, "users", "is_sample")
    expected = SampleCounts(40, summary.companies - 1, summary.contacts - 1, reps)
    before = snapshot(db_path)
    assert services.sample_data.counts() == expected
    assert snapshot(db_path) == before  # counting changes nothing
    assert services.sample_data.remove(by=manager) == expected
    assert count(db_path, "deals", "is_sample") == 0
    assert count(db_path, "users", "is_sample") == 0
    assert count(db_path, "companies", "is_sample") == 1  # the one a real deal is for
    assert count(db_path, "contacts", "is_sample") == 1
    assert count(db_path, "stage_changes", f"deal_id <> {real.id}") == 0
    assert count(db_path, "criterion_checks") == 0
    assert count(db_path, "activities") == 0  # they went with their deals
    assert count(db_path, "contracts") == 0  # and so did their contracts
    assert count(db_path, "return_visits") == 0
    board = services.board.load(1, include_closed=True)
    assert [c.title for c in board.cards] == ["Real deal"]
    assert [c.name for c in services.customers.search_companies("")] == [board.cards[0].company]
    assert len(services.deals.detail(real.id).history) == 1
    with closing(sqlite3.connect(db_path)) as conn:
        audit = conn.execute("SELECT user_id, details FROM audit_log "
                             "WHERE action = 'remove-samples'").fetchall()
    assert [(u, json.loads(d)["deals"]) for u, d in audit] == [(manager.id, 40)]
    assert services.sample_data.counts() == SampleCounts(0, 0, 0, 0)


def test_a_separate_sample_database_is_a_new_file_beside_the_current_one(
        services: Services, manager: Actor, db_path: Path) -> None:
    make_deal(services, manager, title="Real deal")
    target = services.sample_data.separate_path()
    assert target == db_path.parent / "funneldesk-sample.db"
    services.sample_data.create_separate(path=target, deals=25, seed=1, by=manager)
    assert services.sample_data.separate_path() == db_path.parent / "funneldesk-sample-2.db"
    assert count(db_path, "deals") == 1  # the real database got nothing
    other = open_database(target)
    try:
        assert Services.for_database(other).board.deal_count() == 25
    finally:
        other.close()
    assert count(target, "deals", "is_sample") == 25
