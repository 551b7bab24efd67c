"""The derived visits and progress (services/pipeline/visits.py) follow every writer of
stage changes: what each leaves is what a rebuild from the whole history gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from funneldesk.db import Database
from funneldesk.services import Services
from funneldesk.services.analytics.records import KpiRequest
from funneldesk.services.dto import Actor
from funneldesk.services.pipeline import visits
from tests.helpers import make_deal, stage, tick_all, version


def derived(db: Database) -> tuple[list[Any], list[Any]]:
    return (db.query("SELECT deal_id, stage_id, entered_s, left_s, entered_day, left_day, "
                     "days FROM stage_visits ORDER BY deal_id, entered_s, id"),
            db.query("SELECT deal_id, furthest_stage_id, created_day FROM deal_progress "
                     "ORDER BY deal_id"))


def assert_as_rebuilt(db: Database) -> None:
    kept = derived(db)
    with db.session() as session:
        conn = session.connection().connection.driver_connection
        visits.rebuild(conn, visits.built_zone(conn) or "UTC")
    assert kept == derived(db)


def test_nothing_is_derived_before_the_first_kpi_read(services: Services, db: Database,
                                                      manager: Actor) -> None:
    make_deal(services, manager)
    assert derived(db) == ([], [])
    services.analytics.core(KpiRequest())
    assert len(derived(db)[1]) == 1


def test_moves_undo_and_reopening(services: Services, db: Database, manager: Actor) -> None:
    services.analytics.prepare()
    card = make_deal(services, manager)
    assert_as_rebuilt(db)
    tick_all(services, manager, card.id, "Initial contact", "Needs analysis", "Proposal")
    moved = services.moves.move_deal(deal_id=card.id, to_stage_id=stage(services, "Proposal").id,
                                     before_id=None, expected_version=version(services, card.id),
                                     by=manager)
    assert db.query("SELECT furthest_stage_id FROM deal_progress")[0][0] == moved.card.stage_id
    assert_as_rebuilt(db)
    services.moves.revert_move(deal_id=card.id, before=moved.before, change_id=moved.change_id,
                               expected_version=moved.card.version, by=manager)
    # the undone move leaves no visit: one stretch in the first stage, still open
    assert [(r[1], r[3]) for r in derived(db)[0]] == [(card.stage_id, None)]
    assert db.query("SELECT furthest_stage_id FROM deal_progress")[0][0] == card.stage_id
    assert_as_rebuilt(db)
    lost = services.moves.move_deal(deal_id=card.id, to_stage_id=stage(services, "Lost").id,
                                    before_id=None, expected_version=version(services, card.id),
                                    by=manager, lost_reason_text="no budget")
    reopened = services.moves.move_deal(
        deal_id=card.id, to_stage_id=card.stage_id, before_id=None,
        expected_version=lost.card.version, by=manager)
    assert reopened.card.stage_id == card.stage_id
    assert len(derived(db)[0]) == 3
    assert_as_rebuilt(db)


def test_bulk_moves_and_their_undo(services: Services, db: Database, manager: Actor) -> None:
    services.analytics.prepare()
    cards = [make_deal(services, manager, title=f"Deal {n}") for n in range(3)]
    result = services.bulk.move(deals=[(c.id, version(services, c.id)) for c in cards],
                                to_stage_id=stage(services, "Lost").id, by=manager,
                                lost_reason_text="gone")
    assert_as_rebuilt(db)
    services.bulk.undo(result=result, by=manager)
    assert_as_rebuilt(db)
    assert [r[3] for r in derived(db)[0]] == [None, None, None]


def test_imports_demo_data_purges_and_stage_order(
        services: Services, db: Database, manager: Actor, tmp_path: Path) -> None:
    services.analytics.prepare()
    services.demo.generate(deals=40, seed=3, by=manager)
    assert_as_rebuilt(db)
    path = tmp_path / "deals.csv"
    path.write_text("Title,Stage,Created,Close date,Value\n"
                    "Imported,Won,2026-01-05,2026-02-01,100\n"
                    "Open one,Proposal,2026-01-07,,50\n", encoding="utf-8")
    table = services.imports.read(path)
    from funneldesk.services.common.tabular.engine import ImportOptions

    report = services.imports.run("deals", table, ImportOptions(
        columns=services.imports.suggest("deals", table.headers)), by=manager)
    assert report.created == 2
    assert_as_rebuilt(db)
    opens = [s.id for s in services.pipelines.pipeline(stage(services, "Proposal").pipeline_id)
             .stages if s.is_open]
    services.pipelines.reorder_stages(pipeline_id=stage(services, "Proposal").pipeline_id,
                                      open_stage_ids=opens[::-1], by=manager)
    assert_as_rebuilt(db)
    samples = services.sample_data.remove(by=manager)
    assert samples
    assert_as_rebuilt(db)
    assert len(derived(db)[1]) == 2  # the imported deals stay
