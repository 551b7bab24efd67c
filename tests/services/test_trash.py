"""Deleted deals wait in the Trash: restorable until purged, and purged for good."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from funneldesk.errors import NotFound, PurgeBlocked, StageGone, StaleEdit
from funneldesk.services import Services
from funneldesk.services.dto import Actor
from tests.helpers import make_deal, pipeline, stage, tick_all, version


def rows(db_path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db_path)) as conn:
        return conn.execute(sql, params).fetchall()


def moved_deal(services: Services, by: Actor, title: str) -> int:
    """A deal with a stage change and criterion checks of its own."""
    card = make_deal(services, by, title=title)
    tick_all(services, by, card.id, "Initial contact")
    services.moves.move_deal(deal_id=card.id, to_stage_id=stage(services, "Needs analysis").id,
                             before_id=None, expected_version=version(services, card.id), by=by)
    return card.id


def test_a_deleted_deal_waits_in_the_trash_and_comes_back_where_it_was(
        services: Services, manager: Actor) -> None:
    first = make_deal(services, manager, title="First")
    second = make_deal(services, manager, title="Second")
    result = services.trash.delete(deal_id=second.id, expected_version=second.version,
                                   by=manager)
    board = services.board.load(pipeline(services).id)
    assert [c.title for c in board.cards] == ["First"]
    trashed = services.trash.deals()
    assert [(d.title, d.stage, d.deleted_by) for d in trashed] == [
        ("Second", "Initial contact", "manager")]
    assert trashed[0].version == result.version
    restored = services.trash.restore(deal_id=second.id, expected_version=result.version,
                                      by=manager)
    assert restored.card is not None
    assert restored.card.stage_id == second.stage_id
    board = services.board.load(pipeline(services).id)
    assert [c.title for c in board.cards] == ["Second", "First"]  # its old place, on top
    assert services.trash.deals() == []
    assert first.id != second.id


def test_delete_and_restore_carry_the_version_they_saw(
        services: Services, manager: Actor, rep: Actor) -> None:
    card = make_deal(services, rep)
    detail = services.deals.detail(card.id)
    services.deals.update(deal_id=card.id, expected_version=detail.version,
                          fields=detail.fields, by=rep)
    with pytest.raises(StaleEdit):
        services.trash.delete(deal_id=card.id, expected_version=card.version, by=manager)
    assert services.trash.deals() == []
    current = services.deals.detail(card.id).version
    deleted = services.trash.delete(deal_id=card.id, expected_version=current, by=rep)
    with pytest.raises(StaleEdit):
        services.trash.restore(deal_id=card.id, expected_version=current, by=rep)
    services.trash.restore(deal_id=card.id, expected_version=deleted.version, by=rep)
    with pytest.raises(StaleEdit):  # a second restore of the same step is refused
        services.trash.restore(deal_id=card.id, expected_version=deleted.version, by=rep)


def test_emptying_the_trash_purges_the_deal_and_its_history_but_not_the_audit(
        services: Services, manager: Actor, db_path: Path) -> None:
    keep = moved_deal(services, manager, "Keep")
    gone = moved_deal(services, manager, "Gone")
    version = services.deals.detail(gone).version
    deleted = services.trash.delete(deal_id=gone, expected_version=version, by=manager)
    assert services.trash.empty(deal_ids=[gone], by=manager) == 1
    for table in ("stage_changes", "criterion_checks"):
        assert rows(db_path, f"SELECT count(*) FROM {table} WHERE deal_id = ?", gone) == [(0,)]
        assert rows(db_path, f"SELECT count(*) FROM {table} WHERE deal_id = ?", keep)[0][0] > 0
    assert rows(db_path, "SELECT count(*) FROM deals WHERE id = ?", gone) == [(0,)]
    actions = rows(db_path, "SELECT action, user_id, details FROM audit_log "
                   "WHERE entity = 'deal' AND entity_id = ? ORDER BY id", gone)
    assert [a for a, _u, _d in actions][-2:] == ["delete", "purge"]
    assert all(u == manager.id for _a, u, _d in actions[-2:])
    assert json.loads(str(actions[-1][2]))["title"] == "Gone"
    with pytest.raises(NotFound):  # a purged deal never comes back
        services.trash.restore(deal_id=gone, expected_version=deleted.version, by=manager)


def test_emptying_purges_only_what_is_still_in_the_trash(
        services: Services, manager: Actor) -> None:
    card = make_deal(services, manager, title="Restored meanwhile")
    deleted = services.trash.delete(deal_id=card.id, expected_version=card.version, by=manager)
    services.trash.restore(deal_id=card.id, expected_version=deleted.version, by=manager)
    assert services.trash.empty(deal_ids=[card.id], by=manager) == 0
    assert services.board.card(card.id) is not None


def test_a_purge_that_would_leave_a_dangling_reference_changes_nothing(
        services: Services, manager: Actor, db_path: Path) -> None:
    gone = moved_deal(services, manager, "Referenced")
    services.trash.delete(deal_id=gone, expected_version=services.deals.detail(gone).version,
                          by=manager)
    with closing(sqlite3.connect(db_path)) as conn:  # a table added by a later area
        conn.execute("CREATE TABLE deal_attachments (id INTEGER PRIMARY KEY, "
                     "deal_id INTEGER REFERENCES deals (id))")
        conn.execute("INSERT INTO deal_attachments (deal_id) VALUES (?)", (gone,))
        conn.commit()
    history = rows(db_path, "SELECT count(*) FROM stage_changes WHERE deal_id = ?", gone)
    with pytest.raises(PurgeBlocked) as refused:
        services.trash.empty(deal_ids=[gone], by=manager)
    assert refused.value.tables == ["deal_attachments"]
    assert [d.id for d in services.trash.deals()] == [gone]
    assert rows(db_path, "SELECT count(*) FROM stage_changes WHERE deal_id = ?", gone) == history


def test_a_broken_reference_to_some_other_deal_does_not_stop_emptying_the_trash(
        services: Services, manager: Actor, db_path: Path) -> None:
    gone = moved_deal(services, manager, "Gone for good")
    services.trash.delete(deal_id=gone, expected_version=services.deals.detail(gone).version,
                          by=manager)
    with closing(sqlite3.connect(db_path)) as conn:  # left by some old import, unrelated
        conn.execute("CREATE TABLE deal_attachments (id INTEGER PRIMARY KEY, "
                     "deal_id INTEGER REFERENCES deals (id))")
        conn.execute("INSERT INTO deal_attachments (deal_id) VALUES (9999)")
        conn.commit()
    assert services.trash.empty(deal_ids=[gone], by=manager) == 1
    assert services.trash.deals() == []
    assert rows(db_path, "SELECT count(*) FROM stage_changes WHERE deal_id = ?", gone) == [(0,)]


def test_deals_deleted_longer_ago_than_the_team_keeps_them_are_purged(
        services: Services, manager: Actor, db_path: Path) -> None:
    old = make_deal(services, manager, title="Old")
    recent = make_deal(services, manager, title="Recent")
    for card in (old, recent):
        services.trash.delete(deal_id=card.id, expected_version=card.version, by=manager)
    assert services.trash.keep_days() == 30
    services.trash.set_keep_days(days=10, by=manager)
    assert services.trash.keep_days() == 10
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=5)
    assert services.trash.purge_expired(now=later) == 0
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("UPDATE deals SET deleted_at = ? WHERE id = ?",
                     ((later - dt.timedelta(days=11)).replace(tzinfo=None).isoformat(" "), old.id))
        conn.commit()
    assert services.trash.purge_expired(now=later) == 1
    assert [d.title for d in services.trash.deals()] == ["Recent"]
    purge = rows(db_path, "SELECT user_id FROM audit_log WHERE action = 'purge'")
    assert purge == [(None,)]  # applied by FunnelDesk, not by whoever happened to start it


def test_keeping_deals_until_emptied_and_bad_periods(services: Services, manager: Actor) -> None:
    card = make_deal(services, manager)
    services.trash.delete(deal_id=card.id, expected_version=card.version, by=manager)
    services.trash.set_keep_days(days=0, by=manager)
    far = dt.datetime.now(dt.UTC) + dt.timedelta(days=3000)
    assert services.trash.purge_expired(now=far) == 0
    from funneldesk.errors import InvalidInput

    for days in (-1, 3651):
        with pytest.raises(InvalidInput):
            services.trash.set_keep_days(days=days, by=manager)
    assert services.trash.keep_days() == 0


def test_a_deal_whose_stage_was_deleted_stays_in_the_trash(
        services: Services, manager: Actor) -> None:
    card = make_deal(services, manager, stage_name="Negotiation")
    deleted = services.trash.delete(deal_id=card.id, expected_version=card.version, by=manager)
    services.pipelines.delete_stage(stage_id=card.stage_id, by=manager)
    with pytest.raises(StageGone) as refused:
        services.trash.restore(deal_id=card.id, expected_version=deleted.version, by=manager)
    assert "Negotiation" in refused.value.message()
    assert [d.id for d in services.trash.deals()] == [card.id]
