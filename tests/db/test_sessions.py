"""Transactions against a second FunnelDesk process on the same file: a change holds the
write lock from its first read, a stale ORM write becomes StaleEdit, a writer that waits
too long gets DatabaseBusy, and reading never takes the write lock."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from funneldesk.db import Database, open_database
from funneldesk.errors import DatabaseBusy, StaleEdit
from funneldesk.models import Deal
from funneldesk.services import Services
from funneldesk.services.dto import Actor
from tests.helpers import make_deal, stage
from tests.second_process import holding_the_lock, release, run_second


def test_a_change_holds_the_write_lock_from_its_first_read(
        services: Services, manager: Actor, db: Database, db_path: Path) -> None:
    card = make_deal(services, manager)
    services.users.current("bob")  # bob's first run would otherwise add him
    criterion = stage(services, "Initial contact").criteria[0]
    services.deals.set_criterion(deal_id=card.id, criterion_id=criterion.id, checked=True,
                                 by=manager, expected_version=card.version)
    with db.session() as session:
        assert session.get(Deal, card.id) is not None
        # while this transaction has only read, another process cannot write
        assert run_second(db_path, "bob", "untick", card.id, criterion.id, busy_ms=300) == "busy"
    assert run_second(db_path, "bob", "untick", card.id, criterion.id) == "ok"


def test_sqlalchemy_finding_a_stale_version_is_a_stale_edit_naming_who_changed_it(
        services: Services, manager: Actor, db: Database, db_path: Path) -> None:
    card = make_deal(services, manager)
    with db.session() as session:
        deal = session.get(Deal, card.id)
    assert deal is not None
    assert run_second(db_path, "bob", "value", card.id, card.version, "777").startswith("ok")

    def overwrite() -> None:
        with db.session() as session:
            session.add(deal)  # still at the version read before bob's change
            deal.title = "Overwritten"

    with pytest.raises(StaleEdit) as refused:
        overwrite()
    assert refused.value.changed_by == "bob"
    assert "bob" in refused.value.message()
    saved = services.deals.detail(card.id)
    assert (saved.fields.title, str(saved.fields.value)) == ("Warehouse system", "777.00")


def test_a_change_waiting_longer_than_the_busy_timeout_is_database_busy(
        db_path: Path, manager: Actor) -> None:
    impatient = Services(open_database(db_path, busy_timeout_ms=200))
    card = make_deal(impatient, manager)
    other = holding_the_lock(db_path)
    try:
        with pytest.raises(DatabaseBusy):
            impatient.moves.move_deal(deal_id=card.id, to_stage_id=stage(impatient, "Lost").id,
                                      before_id=None, expected_version=card.version,
                                      by=manager, lost_reason_text="budget")
        # reading needs no write lock: the deal opens while the other process writes
        assert impatient.deals.detail(card.id).stage_name == "Initial contact"
        assert impatient.moves.lost_reasons()
    finally:
        release(other)
    assert impatient.deals.detail(card.id).stage_name == "Initial contact"
    impatient.db.close()


def test_a_pragma_outside_any_transaction_works_and_later_changes_still_begin_at_once(
        db: Database) -> None:
    # what a table rebuild needs: foreign keys off, which SQLite ignores inside a transaction
    with db.engine.connect() as plain:
        autocommit = plain.execution_options(isolation_level="AUTOCOMMIT")
        autocommit.exec_driver_sql("PRAGMA foreign_keys=OFF")
        assert autocommit.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
        autocommit.exec_driver_sql("PRAGMA foreign_keys=ON")
    with db.session() as session:  # the same pooled connection, back to explicit BEGINs
        session.get(Deal, 1)
        assert session.connection().connection.dbapi_connection.in_transaction  # type: ignore[union-attr]


def test_what_a_drop_needs_and_what_sample_removal_would_take_are_read_while_another_process_writes(
        db_path: Path, manager: Actor) -> None:
    impatient = Services(open_database(db_path, busy_timeout_ms=200))
    impatient.demo.generate(deals=5, seed=1, by=manager)
    card = make_deal(impatient, manager)
    expected = impatient.sample_data.counts()
    other = holding_the_lock(db_path)
    try:
        check = impatient.moves.can_move(deal_id=card.id, to_stage_id=stage(impatient, "Won").id,
                                         expected_version=card.version)
        assert not check.allowed
        assert impatient.sample_data.counts() == expected
    finally:
        release(other)
    impatient.db.close()


def fill(db: Database, *, large: bool) -> None:
    """A change that writes some 6 MB: more than the log's 1,000 pages."""
    with db.session(large=large) as session:
        connection = session.connection()
        connection.exec_driver_sql("CREATE TABLE IF NOT EXISTS filler (b BLOB)")
        connection.exec_driver_sql("INSERT INTO filler VALUES (randomblob(6000000))")


def test_a_large_change_commits_without_copying_its_log_and_has_it_copied_after(
        db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A big import's commit returns once its rows are in the write-ahead log; a thread
    copies them into the database file after, and the connection's next commit copies
    its log at once again, as SQLite does. (The file grows only as the log is copied.)"""
    later: list[Database] = []
    monkeypatch.setattr(Database, "checkpoint_soon", lambda self: later.append(self))
    fill(db, large=True)
    assert later == [db]
    assert db_path.stat().st_size < 6_000_000  # the 6 MB are in the log alone
    fill(db, large=False)  # the same pooled connection: its commit copies the log
    assert db_path.stat().st_size > 12_000_000
    monkeypatch.undo()
    fill(db, large=True)
    db.copies_done()
    assert db_path.stat().st_size > 18_000_000  # copied by the thread, the file still open


@pytest.mark.parametrize("then", ["close", "checkpoint"])
def test_closing_or_emptying_the_log_waits_for_the_copy_under_way(
        db: Database, monkeypatch: pytest.MonkeyPatch, then: str) -> None:
    """Closing must not leave a copy's connection holding the file; an erasure's emptying
    of the log would give up, busy, while a copy runs (and leave copies of what it
    erased in the log)."""
    steps: list[str] = []
    copy = Database._copy_log

    def slow(self: Database) -> None:
        time.sleep(0.5)  # not a measure: the copy is still under way when ``then`` runs
        copy(self)
        steps.append("copied")

    monkeypatch.setattr(Database, "_copy_log", slow)
    fill(db, large=True)
    getattr(db, then)()
    steps.append(then)
    assert steps == ["copied", then]


def test_a_copy_after_the_file_went_makes_no_empty_file(db: Database, db_path: Path) -> None:
    fill(db, large=False)
    db.close()
    for path in db_path.parent.glob(db_path.name + "*"):
        path.unlink()
    db.checkpoint_soon()
    db.copies_done()
    assert not db_path.exists()
