"""A big import writes its new records in batches on a writer thread while the next rows
are checked, and leaves them to search-everything in a transaction of its own. These tests
make the batches tiny, so that a small file crosses many of them."""

from __future__ import annotations

import datetime as dt
import gc
import json
import sqlite3
import sys
import threading
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from funneldesk.cli import main
from funneldesk.db import Database
from funneldesk.db.driver import driver_connection
from funneldesk.errors import DatabaseBusy, DatabaseUnavailable, InvalidInput
from funneldesk.models import Base, Channel, Contact
from funneldesk.services import Services
from funneldesk.services.common import bulk, search_index
from funneldesk.services.common.bulk import BulkWriter, _json_batch
from funneldesk.services.common.tabular import engine
from funneldesk.services.common.tabular.engine import ImportCancelled, ImportOptions
from funneldesk.services.customers import importers
from funneldesk.services.dto import Actor

CONTACTS = (
    "姓名,公司名称,手机,邮箱,负责人\n"
    "张伟,北京星辰科技有限公司,138 0013 8000,zw@xingchen.cn,\n"
    "王芳,上海华信有限公司,139 1234 5678,wf@huaxin.cn,\n"
    "李雷,北京星辰科技有限公司,137 0000 1111,ll@xingchen.cn,\n"
    "韩梅梅,深圳远航有限公司,136 2222 3333,hmm@yuanhang.cn,\n"
    "赵敏,上海华信有限公司,135 4444 5555,zm@huaxin.cn,周强\n"
    "张伟,北京星辰科技有限公司,+86 138 0013 8000,other@xingchen.cn,\n"
    "孙丽,深圳远航有限公司,150 6666 7777,sl@yuanhang.cn,周强\n"
)


@pytest.fixture(autouse=True)
def tiny_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importers, "_BATCH", 2)


def rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db_path)) as conn:
        return conn.execute(sql).fetchall()


def options(services: Services) -> ImportOptions:
    headers = ("姓名", "公司名称", "手机", "邮箱", "负责人")
    return ImportOptions(columns=services.imports.suggest("contacts", headers),
                         skip_bad_rows=True)


def test_rows_across_batches_keep_their_companies_owners_and_duplicates(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(CONTACTS, encoding="utf-8")
    report = services.imports.run("contacts", path, options(services), by=manager)
    assert (report.created, report.failed) == (6, 1)
    # the sixth row repeats the first one's number, four batches later
    assert [(e.record, e.reason) for e in report.errors] == [(6, "duplicate")]
    people = rows(db_path, """
        SELECT c.name, co.name, u.display_name FROM contacts c
        JOIN companies co ON co.id = c.company_id JOIN users u ON u.id = c.owner_id
        ORDER BY c.id""")
    assert people == [("张伟", "北京星辰科技有限公司", manager.display_name),
                      ("王芳", "上海华信有限公司", manager.display_name),
                      ("李雷", "北京星辰科技有限公司", manager.display_name),
                      ("韩梅梅", "深圳远航有限公司", manager.display_name),
                      ("赵敏", "上海华信有限公司", "周强"),
                      ("孙丽", "深圳远航有限公司", "周强")]
    # each company named is created once, whichever batch named it first
    assert rows(db_path, "SELECT name, count(*) FROM companies GROUP BY name "
                         "HAVING count(*) > 1") == []
    assert rows(db_path, "SELECT c.name, ch.kind, ch.value, ch.position FROM channels ch "
                         "JOIN contacts c ON c.id = ch.contact_id WHERE c.name = '孙丽' "
                         "ORDER BY ch.position") == [
        ("孙丽", "phone", "+8615066667777", 0), ("孙丽", "email", "sl@yuanhang.cn", 1)]


@pytest.mark.parametrize(("large_from", "copied_after"), [(7, True), (8, False)])
def test_a_big_import_leaves_the_copy_of_its_log_to_a_thread_and_a_small_one_does_not(
        tmp_path: Path, services: Services, manager: Actor, db: Database,
        monkeypatch: pytest.MonkeyPatch, large_from: int, copied_after: bool) -> None:
    """A file of LARGE_IMPORT records or more (here lowered to the seven rows of this
    one, or one more) commits without SQLite's copy of the log into the file."""
    monkeypatch.setattr(engine, "LARGE_IMPORT", large_from)
    later: list[Database] = []
    monkeypatch.setattr(Database, "checkpoint_soon", lambda self: later.append(self))
    path = tmp_path / "c.csv"
    path.write_text(CONTACTS, encoding="utf-8")
    assert services.imports.run("contacts", path, options(services), by=manager).created == 6
    assert later == ([db] if copied_after else [])


def test_every_phone_and_email_keeps_its_record_position_and_key_in_any_batch(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path) -> None:
    """Batches of two: in the first and third every contact has one phone and one email
    (the columns are built in one go), in the second one has two phones and one none."""
    path = tmp_path / "c.csv"
    path.write_text("姓名,手机,邮箱\n"
                    "甲,138 0013 8000,Jia.Yi@Example.cn\n"
                    "乙,139 1234 5678,yi@example.cn\n"
                    "丙,137 0000 1111；136 2222 3333,bing@example.cn\n"
                    "丁,,DING@example.cn\n"
                    "戊,010-62881234 ext. 5,wu@example.cn\n"
                    "己,150 6666 7777,ji@example.cn\n", encoding="utf-8")
    report = services.imports.run("contacts", path, ImportOptions(
        columns={"name": "姓名", "phone": "手机", "email": "邮箱"}), by=manager)
    assert (report.created, report.errors) == (6, [])
    assert rows(db_path, "SELECT c.name, h.kind, h.value, h.key, h.position FROM channels h "
                         "JOIN contacts c ON c.id = h.contact_id ORDER BY c.id, h.position") == [
        ("甲", "phone", "+8613800138000", "+8613800138000", 0),
        ("甲", "email", "Jia.Yi@example.cn", "jia.yi@example.cn", 1),
        ("乙", "phone", "+8613912345678", "+8613912345678", 0),
        ("乙", "email", "yi@example.cn", "yi@example.cn", 1),
        ("丙", "phone", "+8613700001111", "+8613700001111", 0),
        ("丙", "phone", "+8613622223333", "+8613622223333", 1),
        ("丙", "email", "bing@example.cn", "bing@example.cn", 2),
        ("丁", "email", "DING@example.cn", "ding@example.cn", 0),
        ("戊", "phone", "+861062881234;ext=5", "+861062881234", 0),
        ("戊", "email", "wu@example.cn", "wu@example.cn", 1),
        ("己", "phone", "+8615066667777", "+8615066667777", 0),
        ("己", "email", "ji@example.cn", "ji@example.cn", 1)]


def test_imported_contacts_are_found_by_search_once_the_index_has_caught_up(
        tmp_path: Path, services: Services, manager: Actor) -> None:
    path = tmp_path / "c.csv"
    path.write_text(CONTACTS, encoding="utf-8")
    services.imports.run("contacts", path, options(services), by=manager)
    assert not [h for h in services.search.search("韩梅梅", by=manager)]
    # six contacts and the three companies they named
    assert services.customers.index_missing() == 9
    hits = services.search.search("韩梅梅", by=manager)
    assert [(h.kind, h.title) for h in hits] == [("contact", "韩梅梅")]
    assert services.customers.index_missing() == 0


def test_indexing_after_an_import_commits_a_chunk_at_a_time(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Each chunk is a transaction: a change made meanwhile waits for one chunk, and a
    failure keeps the chunks already done (the next call indexes the rest)."""
    path = tmp_path / "c.csv"
    path.write_text(CONTACTS, encoding="utf-8")
    services.imports.run("contacts", path, options(services), by=manager)
    monkeypatch.setattr("funneldesk.services.customers.companies.INDEX_CHUNK", 2)
    insert = search_index.bulk_insert
    calls: list[int] = []

    def failing_third(conn: Any, docs: Any, next_id: int) -> int:
        calls.append(len(docs))
        if len(calls) == 3:
            raise DatabaseBusy(str(db_path))
        return insert(conn, docs, next_id)

    monkeypatch.setattr(search_index, "bulk_insert", failing_third)
    with pytest.raises(DatabaseBusy):
        services.customers.index_missing()
    assert calls == [2, 1, 2]  # three companies (two, then one), then contacts two by two
    assert rows(db_path, "SELECT kind, count(*) FROM search_docs GROUP BY kind") == [
        ("company", 3)]
    monkeypatch.setattr(search_index, "bulk_insert", insert)
    assert services.customers.index_missing() == 6  # the contacts left
    assert rows(db_path, "SELECT count(*) FROM search_docs") == [(9,)]


def test_indexing_asked_to_stop_ends_after_its_chunk_and_the_next_call_does_the_rest(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """FunnelDesk quitting asks the indexing to stop: it ends at the next chunk, not after
    every record, and what it left is indexed at the next start."""
    path = tmp_path / "c.csv"
    path.write_text(CONTACTS, encoding="utf-8")
    services.imports.run("contacts", path, options(services), by=manager)
    monkeypatch.setattr("funneldesk.services.customers.companies.INDEX_CHUNK", 2)
    asked: list[int] = []

    def stop_after_one_chunk() -> bool:
        asked.append(1)
        return len(asked) > 1

    assert services.customers.index_missing(stop_after_one_chunk) == 2
    assert rows(db_path, "SELECT count(*) FROM search_docs") == [(2,)]
    assert services.customers.index_missing(lambda: True) == 0
    assert services.customers.index_missing() == 7
    assert rows(db_path, "SELECT count(*) FROM search_docs") == [(9,)]


def test_the_import_command_leaves_its_records_findable(
        tmp_path: Path, db_path: Path, db: Database) -> None:
    path = tmp_path / "c.csv"
    path.write_text(CONTACTS, encoding="utf-8")
    assert main(["--db", str(db_path), "import", "contacts", str(path),
                 "--skip-bad-rows"]) == 0
    services = Services.for_database(db)
    hits = services.search.search("远航", by=services.users.current("manager"))
    assert {(h.kind, h.title) for h in hits} >= {("company", "深圳远航有限公司"),
                                                 ("contact", "韩梅梅"), ("contact", "孙丽")}


def test_a_search_index_that_cannot_be_updated_does_not_fail_a_saved_import(
        tmp_path: Path, db_path: Path, db: Database, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    path, report = tmp_path / "c.csv", tmp_path / "report.json"
    path.write_text(CONTACTS, encoding="utf-8")

    def busy(_self: object) -> int:
        raise DatabaseBusy(str(db_path))

    monkeypatch.setattr("funneldesk.services.customers.companies.CustomerService"
                        ".index_missing", busy)
    assert main(["--db", str(db_path), "import", "contacts", str(path),
                 "--skip-bad-rows", "--report", str(report)]) == 0
    assert json.loads(report.read_text(encoding="utf-8"))["counts"]["created"] == 6
    assert rows(db_path, "SELECT count(*) FROM contacts") == [(6,)]
    assert "search-everything could not be updated" in capsys.readouterr().err
    monkeypatch.undo()  # as at the next start: what the import left out is indexed then
    services = Services.for_database(db)
    assert services.customers.index_missing() == 9


def test_an_import_cancelled_after_batches_were_written_leaves_nothing(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.csv"
    path.write_text(CONTACTS, encoding="utf-8")
    monkeypatch.setattr("funneldesk.services.common.tabular.engine._EVERY", 1)
    written: list[str] = []
    insert = BulkWriter.insert_columns

    def watched(self: BulkWriter, table: Table, given: Any) -> None:
        insert(self, table, given)
        self.drain()  # written, not only queued
        written.append(table.name)

    monkeypatch.setattr(BulkWriter, "insert_columns", watched)
    asked: list[int] = []

    def cancelled() -> bool:  # once before the import, then before each row
        asked.append(1)
        return len(asked) > 6  # after two batches of two

    progress: list[tuple[int, int]] = []
    with pytest.raises(ImportCancelled):
        services.imports.run("contacts", path, options(services), by=manager,
                             progress=lambda n, total: progress.append((n, total)),
                             cancelled=cancelled)
    assert written.count("contacts") == 2
    assert progress[:3] == [(0, 7), (1, 7), (2, 7)]
    assert rows(db_path, "SELECT count(*) FROM contacts") == [(0,)]
    assert rows(db_path, "SELECT count(*) FROM companies") == [(0,)]
    # the connection is whole again: the next import writes
    report = services.imports.run("contacts", path, options(services), by=manager)
    assert report.created == 6


def test_an_upsert_reports_both_passes_and_is_cancelled_while_it_writes(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.csv"
    path.write_text(CONTACTS, encoding="utf-8")
    services.imports.run("contacts", path, options(services), by=manager)
    path.write_text(CONTACTS.replace("@", "+new@"), encoding="utf-8")  # every email changes
    monkeypatch.setattr("funneldesk.services.common.tabular.engine._EVERY", 1)
    progress: list[tuple[int, int]] = []
    asked: list[int] = []

    def cancelled() -> bool:  # once before, seven times while matching, then while writing
        asked.append(1)
        return len(asked) > 11

    upsert = replace(options(services), mode="upsert", match="phone")
    with pytest.raises(ImportCancelled):
        services.imports.run("contacts", path, upsert, by=manager,
                             progress=lambda n, total: progress.append((n, total)),
                             cancelled=cancelled)
    assert progress[0] == (0, 14)
    assert progress[-1] == (9, 14)  # into the second pass
    assert rows(db_path, "SELECT count(*) FROM channels WHERE value LIKE '%+new@%'") == [(0,)]
    report = services.imports.run("contacts", path, upsert, by=manager)
    # the sixth row has the first one's phone: both update that contact
    assert (report.updated, report.created) == (7, 0)
    assert rows(db_path, "SELECT count(*) FROM channels WHERE value LIKE '%+new@%'") == [(7,)]


def test_a_batch_binds_a_shared_value_once_and_reads_a_repeated_column_once() -> None:
    sql, parameters = _json_batch("INSERT INTO t (a, b, c, d)", [
        [1, 2, 3], ["甲", "甲", "甲"], ["x", "y", "z"], ["x", "y", "z"]])
    assert sql == "INSERT INTO t (a, b, c, d) SELECT value->>0, ?, value->>1, value->>1 " \
                  "FROM json_each(?)"
    assert parameters[0] == "甲"
    assert json.loads(parameters[1]) == [[1, "x"], [2, "y"], [3, "z"]]


def test_the_writer_binds_shared_values_once_and_writes_times_as_the_orm_reads_them(
        db: Database, services: Services, manager: Actor) -> None:
    when = dt.datetime(2026, 11, 30, 8, 15, 0, tzinfo=dt.UTC)  # no microseconds
    table = Base.metadata.tables["contacts"]
    with db.session() as session, BulkWriter(session) as writer:
        writer.insert_columns(table, {
            "id": [101, 102, 103], "name": ["甲", "乙", "丙"],
            "created_at": [when] * 3, "touched_at": [when, when, when + dt.timedelta(1)],
            "owner_id": [manager.id] * 3, "version": [1, 1, 1]})
        writer.insert_columns(Base.metadata.tables["channels"], {
            "contact_id": [101, 102, 103], "kind": ["phone", "email", "email"],
            # a key equal to its value is written once; here the third differs
            "value": ["+8613800138000", "yi@example.cn", "Bing@example.cn"],
            "key": ["+8613800138000", "yi@example.cn", "bing@example.cn"],
            "position": [0, 0, 0]})
    with db.session() as session:
        people = session.execute(select(Contact.id, Contact.name, Contact.created_at,
                                        Contact.touched_at, Contact.consent)
                                 .order_by(Contact.id)).all()
        assert [tuple(p) for p in people] == [
            (101, "甲", when, when, "unknown"), (102, "乙", when, when, "unknown"),
            (103, "丙", when, when + dt.timedelta(1), "unknown")]
        assert [tuple(c) for c in session.execute(
            select(Channel.contact_id, Channel.value, Channel.key).order_by(Channel.id))] == [
            (101, "+8613800138000", "+8613800138000"), (102, "yi@example.cn", "yi@example.cn"),
            (103, "Bing@example.cn", "bing@example.cn")]


def test_new_ids_given_as_a_range_are_counted_by_sqlite() -> None:
    sql, parameters = _json_batch("INSERT INTO t (id, name)", [range(41, 44), ["甲", "乙", "丙"]])
    assert parameters[0] == 41
    # no ids in the JSON; with one column left, a flat array of its values
    assert json.loads(parameters[1]) == ["甲", "乙", "丙"]
    with closing(sqlite3.connect(":memory:")) as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute(sql, parameters)
        assert conn.execute("SELECT id, name FROM t ORDER BY id").fetchall() == [
            (41, "甲"), (42, "乙"), (43, "丙")]


def test_one_varying_column_keeps_each_value_as_it_was() -> None:
    for column, stored in (([7, None, 9], [7, None, 9]), (["1", "", "x"], ["1", "", "x"]),
                           ([1.5, 2, None], [1.5, 2, None]), ([True, False, None], [1, 0, None]),
                           ([dt.date(2026, 12, 1), None, dt.date(2026, 1, 31)],
                            ["2026-12-01", None, "2026-01-31"])):
        sql, parameters = _json_batch("INSERT INTO t (a, b)", [column, ["甲"] * 3])
        with closing(sqlite3.connect(":memory:")) as conn:
            conn.execute("CREATE TABLE t (a, b TEXT)")
            conn.execute(sql, parameters)
            # the type too: a whole number stays an integer, a text that looks like one text
            assert [(type(a), a, b) for a, b in conn.execute(
                "SELECT a, b FROM t ORDER BY rowid")] == [
                (type(value), value, "甲") for value in stored], column


def insert_contacts(writer: BulkWriter, ids: range, **more: list[Any]) -> None:
    now = dt.datetime.now(dt.UTC)
    writer.insert_columns(Base.metadata.tables["contacts"], {
        "id": ids, "name": [f"客户{n}" for n in ids], "created_at": [now] * len(ids),
        "touched_at": [now] * len(ids), "version": [1] * len(ids), **more})


def a_contact_of_no_company(db: Database, manager: Actor, checked: bool) -> None:
    with db.session(references_checked=checked) as session, BulkWriter(session) as writer:
        insert_contacts(writer, range(1, 4), owner_id=[manager.id] * 3)
        writer.drain()
        insert_contacts(writer, range(4, 6), company_id=[None, 999])


def a_phone_of_no_contact(db: Database, checked: bool) -> None:
    with db.session(references_checked=checked) as session, BulkWriter(session) as writer:
        insert_contacts(writer, range(1, 3))
        writer.insert_columns(Base.metadata.tables["channels"], {
            "contact_id": [1, 3], "kind": ["phone"] * 2, "value": ["+8613800138000"] * 2,
            "key": ["+8613800138000"] * 2, "position": [0, 0]})


@pytest.mark.parametrize("checked", [False, True])
def test_a_reference_to_nothing_is_refused_whoever_checks_it(
        db: Database, db_path: Path, manager: Actor, checked: bool) -> None:
    """SQLite checks each row, or (a bulk import's change) the writer checks each batch:
    either way a contact of a company that does not exist is refused, and so is a phone
    of a contact that does not, and nothing is written."""
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        a_contact_of_no_company(db, manager, checked)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        a_phone_of_no_contact(db, checked)
    assert rows(db_path, "SELECT count(*) FROM contacts") == [(0,)]


def every_contact_of_an_owner_who_is_not(db: Database) -> None:
    with db.session(references_checked=True) as session, BulkWriter(session) as writer:
        insert_contacts(writer, range(1, 4), owner_id=[999] * 3)


def phones_of_a_run_of_contacts_one_missing(db: Database) -> None:
    with db.session(references_checked=True) as session, BulkWriter(session) as writer:
        insert_contacts(writer, range(1, 3))
        writer.insert_columns(Base.metadata.tables["channels"], {
            "contact_id": range(1, 4), "kind": ["phone"] * 3,
            "value": ["+8613800138000", "+8613800138001", "+8613800138002"],
            "key": ["+8613800138000", "+8613800138001", "+8613800138002"],
            "position": [0] * 3})


@pytest.mark.parametrize("write", [every_contact_of_an_owner_who_is_not,
                                   phones_of_a_run_of_contacts_one_missing])
def test_a_reference_every_row_shares_or_a_run_of_ids_is_checked_too(
        db: Database, db_path: Path, write: Callable[[Database], None]) -> None:
    """The writer looks such references up once (one owner for every row, the ids of the
    records a batch made): one that names nothing is refused all the same."""
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        write(db)
    assert rows(db_path, "SELECT count(*) FROM contacts") == [(0,)]


def test_references_looked_up_once_let_rows_that_name_what_is_there_in(
        db: Database, db_path: Path, manager: Actor) -> None:
    with db.session(references_checked=True) as session, BulkWriter(session) as writer:
        # contact 4 too: the run of ids 1-3 is counted within its ends, not past them
        insert_contacts(writer, range(1, 5), owner_id=[manager.id] * 4,
                        company_id=[None] * 4)
        writer.insert_columns(Base.metadata.tables["channels"], {
            "contact_id": range(1, 4), "kind": ["phone"] * 3,
            "value": ["+8613800138000", "+8613800138001", "+8613800138002"],
            "key": ["+8613800138000", "+8613800138001", "+8613800138002"],
            "position": [0] * 3})
    assert rows(db_path, "SELECT count(*) FROM channels") == [(3,)]
    assert rows(db_path, "PRAGMA foreign_key_check") == []


def foreign_keys(session: Session) -> tuple[int, int]:
    """Whether the change's connection checks foreign keys, and which connection it is."""
    return (session.connection().exec_driver_sql("PRAGMA foreign_keys").scalar(),
            id(driver_connection(session)))


def test_after_a_change_whose_references_were_checked_by_its_writer_sqlite_checks_again(
        db: Database) -> None:
    with db.session(references_checked=True) as session:
        off, first = foreign_keys(session)
    with db.reading() as session:  # a read in between
        session.connection()
    with db.session() as session:
        assert foreign_keys(session) == (1, first)  # the same pooled connection, on again
    assert off == 0


def test_a_change_that_could_not_begin_leaves_the_checks_on(db: Database, db_path: Path
                                                            ) -> None:
    with closing(sqlite3.connect(db_path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")  # another program writes
        with pytest.raises(DatabaseBusy), db.session(references_checked=True) as session:
            session.connection()
        other.execute("ROLLBACK")
    with db.session() as session:
        assert foreign_keys(session)[0] == 1


def test_a_big_upsert_with_its_references_unchecked_by_sqlite_leaves_none_broken(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path) -> None:
    """New owners, sources, tags and companies, matched rows and new ones, in batches of
    two: SQLite's own check of the whole database finds nothing afterwards."""
    first = tmp_path / "first.csv"
    first.write_text(CONTACTS, encoding="utf-8")
    services.imports.run("contacts", first, options(services), by=manager)
    again = tmp_path / "again.csv"
    again.write_text("姓名,公司名称,手机,邮箱,负责人,来源,标签\n"
                     "张伟,新公司甲,138 0013 8000,zw2@xingchen.cn,吴新,新来源,重点；新标签\n"
                     "钱七,新公司乙,133 0000 7777,qq@yi.cn,吴新,新来源,新标签\n"
                     "周八,北京星辰科技有限公司,133 0000 8888,zb@xingchen.cn,,,其他标签\n",
                     encoding="utf-8")
    report = services.imports.run("contacts", again, ImportOptions(
        columns=services.imports.suggest("contacts", ("姓名", "公司名称", "手机", "邮箱",
                                                      "负责人", "来源", "标签")),
        mode="upsert", match="phone"), by=manager)
    assert (report.created, report.updated, report.errors) == (2, 1, [])
    assert rows(db_path, "PRAGMA foreign_key_check") == []
    assert rows(db_path, "SELECT count(*) FROM contact_tags") == [(4,)]


def test_rows_given_ids_below_the_last_are_still_checked(db: Database, db_path: Path
                                                         ) -> None:
    with db.session() as session, BulkWriter(session) as writer:
        insert_contacts(writer, range(10, 12))
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        a_contact_below_the_last_of_no_company(db)
    assert rows(db_path, "SELECT id FROM contacts") == [(10,), (11,)]


def a_contact_below_the_last_of_no_company(db: Database) -> None:
    with db.session(references_checked=True) as session, BulkWriter(session) as writer:
        insert_contacts(writer, range(3, 5), company_id=[None, 999])


def test_a_batch_written_row_by_row_is_checked_too(db: Database, db_path: Path) -> None:
    """A NUL in a text sends the batch through executemany instead of JSON."""
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        a_contact_with_a_nul_of_no_company(db)
    assert rows(db_path, "SELECT count(*) FROM contacts") == [(0,)]


def a_contact_with_a_nul_of_no_company(db: Database) -> None:
    now = dt.datetime.now(dt.UTC)
    with db.session(references_checked=True) as session, BulkWriter(session) as writer:
        writer.insert_columns(Base.metadata.tables["contacts"], {
            "id": [1, 2], "name": ["甲\x00乙", "丙"], "created_at": [now] * 2,
            "touched_at": [now] * 2, "version": [1, 1], "company_id": [None, 999]})


def test_a_tag_link_to_no_tag_is_refused(db: Database, db_path: Path) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        a_tag_link_to_no_tag(db)
    assert rows(db_path, "SELECT count(*) FROM contacts") == [(0,)]


def a_tag_link_to_no_tag(db: Database) -> None:
    with db.session(references_checked=True) as session, BulkWriter(session) as writer:
        insert_contacts(writer, range(1, 3))
        writer.insert_columns(Base.metadata.tables["contact_tags"],
                              {"contact_id": [1, 2], "tag_id": [404, 404]})


def write_a_refused_channel(db: Database) -> None:
    with db.session() as session, BulkWriter(session) as writer:
        now = dt.datetime.now(dt.UTC)
        writer.insert_columns(Base.metadata.tables["contacts"], {
            "id": [7], "name": ["甲"], "created_at": [now], "touched_at": [now],
            "version": [1]})
        writer.insert(Base.metadata.tables["channels"], [
            {"contact_id": 7, "kind": "fax", "value": "1", "key": "1",
             "position": 0}])  # not a kind of channel
        writer.drain()


def test_a_refused_insert_raises_and_the_transaction_writes_nothing(
        db: Database, db_path: Path) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="ck_channels_kind"):
        write_a_refused_channel(db)
    assert rows(db_path, "SELECT count(*) FROM contacts") == [(0,)]


def test_a_batch_refused_after_the_last_drain_is_raised_when_the_writer_closes(
        db: Database, db_path: Path) -> None:
    now = dt.datetime.now(dt.UTC)

    def write() -> None:
        with db.session() as session, BulkWriter(session) as writer:
            writer.insert_columns(Base.metadata.tables["contacts"], {
                "id": [7, 7], "name": ["甲", "乙"], "created_at": [now] * 2,
                "touched_at": [now] * 2, "version": [1, 1]})  # never drained here

    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        write()
    assert rows(db_path, "SELECT count(*) FROM contacts") == [(0,)]


def test_the_cycle_collector_runs_again_after_an_import_that_raised(
        tmp_path: Path, services: Services, manager: Actor) -> None:
    path = tmp_path / "c.csv"
    path.write_text(CONTACTS, encoding="utf-8")
    assert gc.isenabled()
    with pytest.raises(ImportCancelled):
        services.imports.run("contacts", path, options(services), by=manager,
                             cancelled=lambda: not gc.isenabled())  # raises once paused
    assert gc.isenabled()


def test_a_full_disk_during_an_import_is_told_as_such_and_writes_nothing(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.csv"
    path.write_text("姓名,手机\n" + "".join(f"联系人{n},138{n:08d}\n" for n in range(3000)),
                    encoding="utf-8")
    monkeypatch.setattr(importers, "_BATCH", 500)
    enter = BulkWriter.__enter__

    def nearly_full(self: BulkWriter) -> BulkWriter:
        pages = self._connection.execute("PRAGMA page_count").fetchone()[0]
        self._connection.execute(f"PRAGMA max_page_count={pages + 8}")
        return enter(self)

    monkeypatch.setattr(BulkWriter, "__enter__", nearly_full)
    with pytest.raises(DatabaseUnavailable, match="full"):
        services.imports.run("contacts", path, ImportOptions(
            columns=services.imports.suggest("contacts", ("姓名", "手机"))), by=manager)
    assert rows(db_path, "SELECT count(*) FROM contacts") == [(0,)]


def test_after_a_failed_insert_the_writer_runs_no_later_batch_and_keeps_saying_why(
        db: Database, db_path: Path) -> None:
    contacts = Base.metadata.tables["contacts"]
    now = dt.datetime.now(dt.UTC)
    raised: list[BaseException] = []

    def write_twice() -> None:
        with db.session() as session, BulkWriter(session) as writer:
            writer.insert_columns(contacts, {"id": [1, 1], "name": ["甲", "乙"],
                                             "created_at": [now] * 2, "touched_at": [now] * 2,
                                             "version": [1, 1]})  # the same id twice
            for attempt in (writer.drain, lambda: writer.insert_columns(contacts, {
                    "id": [2], "name": ["丙"], "created_at": [now], "touched_at": [now],
                    "version": [1]})):
                try:
                    attempt()
                except sqlite3.IntegrityError as error:
                    raised.append(error)

    with pytest.raises(sqlite3.IntegrityError):
        write_twice()
    assert len(raised) == 2
    assert raised[0] is raised[1]  # the first batch's error again, no later batch ran
    assert rows(db_path, "SELECT count(*) FROM contacts") == [(0,)]


def test_a_nul_in_a_cell_is_written_whole_and_unequal_columns_are_refused(
        db: Database) -> None:
    contacts = Base.metadata.tables["contacts"]
    now = dt.datetime.now(dt.UTC)
    with db.session() as session, BulkWriter(session) as writer:
        writer.insert_columns(contacts, {"id": [1, 2], "name": ["甲\x00乙", "丙"],
                                         "created_at": [now] * 2, "touched_at": [now] * 2,
                                         "version": [1, 1]})
        with pytest.raises(ValueError, match="unequal"):
            writer.insert_columns(contacts, {"id": [3, 4], "name": ["丁"]})
    with db.session() as session:
        assert list(session.scalars(select(Contact.name).order_by(Contact.id))) == [
            "甲\x00乙", "丙"]


def test_the_database_itself_is_refused_as_a_file_to_import_without_being_read(
        services: Services, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(Path, "read_bytes", lambda self: opened.append(self) or b"")
    with pytest.raises(InvalidInput, match="FunnelDesk's database"):
        services.imports.read(db_path)
    assert opened == []  # a descriptor closed would have dropped the window's locks


def test_the_writer_puts_back_the_thread_switch_interval(db: Database) -> None:
    """The writer asks Python to switch threads more often while it runs (its waits for
    Python's lock after each statement held the import back); the rest of the program
    keeps the interval it had, even when an insert failed."""
    before = sys.getswitchinterval()
    table = Base.metadata.tables["channels"]
    during: list[float] = []

    def insert_a_bad_row() -> None:
        with db.session() as session, BulkWriter(session) as writer:
            during.append(sys.getswitchinterval())
            writer.insert_columns(table, {"kind": ["phone"], "value": [None]})  # NOT NULL
            writer.drain()

    with pytest.raises(sqlite3.IntegrityError):
        insert_a_bad_row()
    assert during[0] < before
    assert sys.getswitchinterval() == before


def test_companies_named_in_any_case_are_one_and_a_blank_names_none(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path) -> None:
    # a company saved without a name (no form allows it, an older file might hold one)
    nameless = services.customers.create_company(name="待改名", by=manager)
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("UPDATE companies SET name = '' WHERE id = ?", (nameless.id,))
    path = tmp_path / "c.csv"
    path.write_text("姓名,公司名称,手机,邮箱,负责人\n"
                    "张伟,Acme Trading,138 0013 8000,,周强\n"
                    "王芳,ACME TRADING,139 1234 5678,,李娜\n"  # the same batch of two
                    "李雷,,137 0000 1111,,\n"
                    "韩梅梅,acme trading,136 2222 3333,,\n"
                    # as an earlier batch wrote it (looked up as written), and a blank
                    "钱七,Acme Trading,135 4444 5555,,\n"
                    "孙八,,134 6666 7777,,\n", encoding="utf-8")
    report = services.imports.run("contacts", path, options(services), by=manager)
    assert (report.created, report.failed) == (6, 0)
    assert rows(db_path, """
        SELECT c.name, co.name, u.display_name FROM contacts c
        LEFT JOIN companies co ON co.id = c.company_id
        LEFT JOIN users u ON u.id = co.owner_id ORDER BY c.id""") == [
        # created once, spelled and owned as the first row that names it
        ("张伟", "Acme Trading", "周强"), ("王芳", "Acme Trading", "周强"),
        ("李雷", None, None), ("韩梅梅", "Acme Trading", "周强"),
        ("钱七", "Acme Trading", "周强"), ("孙八", None, None)]


def test_the_interval_is_back_only_when_the_last_writer_ends_or_one_cannot_start(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    before = sys.getswitchinterval()
    bulk._switch_often(True)
    bulk._switch_often(True)  # a second writer, overlapping the first
    bulk._switch_often(False)
    assert sys.getswitchinterval() < before  # the first still runs
    bulk._switch_often(False)
    assert sys.getswitchinterval() == before

    def no_thread(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", no_thread)
    with pytest.raises(RuntimeError), db.session() as session:
        BulkWriter(session).__enter__()
    assert sys.getswitchinterval() == before


def test_the_cycle_collector_resumes_when_the_last_of_two_imports_ends() -> None:
    import gc

    from funneldesk.services.common.tabular.engine import _collector_paused

    assert gc.isenabled()
    first, second = _collector_paused(), _collector_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first import ends while the second goes on
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()
