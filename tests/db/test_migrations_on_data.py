"""Every migration runs on databases full of data: demo-filled files saved at each earlier
head (tests/db/fixtures/demo-<revision>.db) are upgraded to the current head, and every
row and every history entry must still be there.

When a migration is added, save a fixture at the head before it:
    .venv/bin/funneldesk --lang zh_CN demo --deals 400 --seed 7 --db tests/db/fixtures/demo-<head>.db
(then archive, delete, undo and reopen a few deals; see the 0001 fixture), in journal mode
DELETE so that it is one file.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from contextlib import closing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from funneldesk.db import open_database
from funneldesk.db.migrate import upgrade
from funneldesk.db.revisions import HEAD, REVISIONS
from funneldesk.errors import MigrationFailed
from funneldesk.services import Services
from funneldesk.services.dto import Actor

HERE = Path(__file__).parent
FIXTURES = sorted((HERE / "fixtures").glob("demo-*.db"))
CHECKS = HERE / "migration_checks"

# what must survive every migration, column by column (columns that exist at 0001)
KEPT = {
    "deals": "id, pipeline_id, stage_id, title, company_id, contact_id, currency, owner_id, "
             "closed_on, lost_reason_id, created_at, archived_at, deleted_at, version",
    "stage_changes": "id, deal_id, from_stage_id, to_stage_id, at, by_id, reverts_id",
    "criterion_checks": "id, deal_id, criterion_id, checked, at, by_id",
    "companies": "id, name, deleted_at", "contacts": "id, company_id, name",
    "stages": "id, pipeline_id, name, kind, position", "stage_criteria": "id, stage_id, label",
    "users": "id, login", "audit_log": "id, action, entity, entity_id",
    "pipelines": "id, name", "lost_reasons": "id, label", "team_settings": "key, value",
}


def rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {table: conn.execute(f"SELECT {cols} FROM {table} ORDER BY 1").fetchall()
                for table, cols in KEPT.items()}
    finally:
        conn.close()


def cents(path: Path) -> list[tuple[int, int]]:
    """Each deal's value in whole hundredths, whatever the file stores it as (units up to
    0001, integer hundredths from 0002 on)."""
    conn = sqlite3.connect(path)
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        scale = 1 if revision >= "0002" else 100
        return [(ident, int((Decimal(str(v)) * scale).to_integral_value()))
                for ident, v in conn.execute("SELECT id, value FROM deals ORDER BY id")]
    finally:
        conn.close()


def foreign_key_problems(path: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()


@pytest.fixture(params=FIXTURES, ids=lambda p: p.stem)
def filled(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / "sales.db"
    shutil.copy(request.param, path)
    return path


def test_there_is_a_filled_fixture_for_every_earlier_head() -> None:
    assert {p.stem for p in FIXTURES} >= {f"demo-{r}" for r in REVISIONS[:-1]}


def test_upgrading_a_filled_database_keeps_every_row(filled: Path) -> None:
    before, values = rows(filled), cents(filled)
    assert all(before[t] for t in ("deals", "stage_changes", "criterion_checks", "audit_log"))
    open_database(filled).close()
    after = rows(filled)
    # settings may be added (0011: the database's id), never changed or dropped
    assert set(before.pop("team_settings")) <= set(after.pop("team_settings"))
    assert after == before
    assert cents(filled) == values
    assert foreign_key_problems(filled) == []
    assert list(filled.parent.glob("sales.before-*.db")), "no copy was saved before migrating"


def test_a_migration_that_rebuilds_deals_keeps_every_row(filled: Path) -> None:
    open_database(filled).close()
    before = rows(filled)
    upgrade(filled, HEAD, extra_versions=CHECKS / "rebuild_deals")
    assert rows(filled) == before
    conn = sqlite3.connect(filled)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(deals)")]
    version = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    conn.close()
    assert "test_rating" in columns
    assert version == "9001"
    assert foreign_key_problems(filled) == []


def test_a_migration_that_breaks_a_foreign_key_fails_and_changes_nothing(filled: Path) -> None:
    open_database(filled).close()
    before = rows(filled)
    with pytest.raises(MigrationFailed) as failed:
        upgrade(filled, HEAD, extra_versions=CHECKS / "orphan_rows")
    message = failed.value.message()
    assert str(filled) in message
    assert "deals" in message
    assert rows(filled) == before
    conn = sqlite3.connect(filled)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
    conn.close()
    assert list(filled.parent.glob(f"sales.before-{HEAD}-*.db"))


def test_every_deal_of_an_upgraded_database_is_found_by_search(filled: Path) -> None:
    """The search index is filled from the deals a file already has (migration 0004):
    every deal outside the Trash is found by its own title, archived ones marked."""
    from funneldesk.services import Services

    db = open_database(filled)
    try:
        services = Services(db)
        actor = services.users.current("migration-check")
        deals = db.query("SELECT id, title, archived_at IS NOT NULL FROM deals "
                         "WHERE deleted_at IS NULL")
        trashed = {r[0] for r in db.query("SELECT id FROM deals WHERE deleted_at IS NOT NULL")}
        assert db.query("SELECT count(*) FROM search_docs WHERE kind = 'deal'")[0][0] \
            == len(deals)
        for ident, title, archived in deals[::7]:  # a sample: each search reads the index
            hits = {h.record_id: h for h in services.search.search(title, by=actor, limit=200)}
            assert ident in hits, title
            assert hits[ident].archived == bool(archived)
        assert not trashed & {h for (h,) in db.query(
            "SELECT record_id FROM search_docs WHERE kind = 'deal'")}
    finally:
        db.close()


# texts that normalising and cutting into terms treat differently: full-width letters,
# accents, a ligature, ß, a dotted capital I, Roman numerals, Hangul, kana, supplementary
# ideographs, punctuation, underscores, digits, blank fields
ODD_TEXTS = ["Ｃafé  Ltd", "ÅNGSTRÖM ﬁber-Optik", "Straße 12", "İstanbul Ⅻ", "한국 전자 주식회사",
             "株式会社カタカナ・テスト", "𠀀𠀁 研究所 x", "a_b-c 7", "  ", "", "Ünïcödé, ñ; Ça?",
             "星辰（北京）科技", "q", "ΣΊΣΥΦΟΣ ὅμηρος"]


def index_of(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """What the search index holds, table by table (the FTS table by its rows and by what
    it finds); asks the FTS table to check its own index first."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')")
        return {
            "docs": conn.execute("SELECT id, kind, record_id, title, norm_title, body, archived "
                                 "FROM search_docs ORDER BY id").fetchall(),
            "terms": conn.execute("SELECT term, doc_id FROM search_terms "
                                  "ORDER BY term, doc_id").fetchall(),
            "fts": conn.execute("SELECT rowid, body FROM search_fts ORDER BY rowid").fetchall(),
            "found": [(q, *ids) for q in ("有限公", "cafe", "angstrom", "stra", "究所")
                      for ids in [conn.execute(
                          "SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid",
                          (f'"{q}"',)).fetchall()]],
            "schema": conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                                   "WHERE name LIKE 'search%' OR name LIKE 'ix_search%' "
                                   "ORDER BY name").fetchall(),
        }
    finally:
        conn.close()


def rebuilt_by_the_live_indexer(path: Path) -> Path:
    """A copy of the file whose index the areas' own indexers have written anew, in the
    order the migrations wrote it (deals by 0004, then companies and contacts by 0008,
    then activities by 0013)."""
    from funneldesk.services.activities.search import rebuild_activity_index
    from funneldesk.services.common import search_index
    from funneldesk.services.customers.search import rebuild_customer_index
    from funneldesk.services.pipeline.search import rebuild_deal_index

    copy = path.with_name("live.db")
    shutil.copy(path, copy)
    conn = sqlite3.connect(copy)
    try:
        with conn:
            for kind in ("company", "contact", "activity"):
                search_index.clear(conn, kind)
            rebuild_deal_index(conn)
            rebuild_customer_index(conn)
            rebuild_activity_index(conn)
    finally:
        conn.close()
    return copy


def with_odd_texts(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        with conn:
            deals = [r[0] for r in conn.execute("SELECT id FROM deals WHERE deleted_at IS NULL "
                                                "ORDER BY id LIMIT ?", (len(ODD_TEXTS),))]
            for ident, text in zip(deals, ODD_TEXTS, strict=True):
                conn.execute("UPDATE deals SET title = ? WHERE id = ?", (text, ident))
            for table in ("companies", "contacts"):
                ids = [r[0] for r in conn.execute(f"SELECT id FROM {table} ORDER BY id DESC "
                                                  f"LIMIT ?", (len(ODD_TEXTS),))]
                for ident, text in zip(ids, reversed(ODD_TEXTS), strict=True):
                    conn.execute(f"UPDATE {table} SET name = ? WHERE id = ?", (text, ident))
            conn.execute("UPDATE deals SET company_id = NULL, contact_id = NULL WHERE id = ?",
                         (deals[-1],))
    finally:
        conn.close()


BEFORE_THE_INDEX = [p for p in FIXTURES if p.stem.removeprefix("demo-") < "0004"]


@pytest.mark.parametrize("odd", [False, True], ids=["as-saved", "odd-texts"])
@pytest.mark.parametrize("fixture", BEFORE_THE_INDEX, ids=lambda p: p.stem)
def test_migration_0004_indexes_deals_as_the_live_indexer_does(
        fixture: Path, odd: bool, tmp_path: Path) -> None:
    """0004 fills the index with a frozen copy of the indexer (so that later changes to the
    services cannot change what it writes); today the two must write the same. Once a
    migration rebuilds the index with a newer indexing, this compares that migration's
    result instead, and 0004 stays as it is."""
    path = tmp_path / "sales.db"
    shutil.copy(fixture, path)
    if odd:
        with_odd_texts(path)
    open_database(path).close()
    migrated = index_of(path)
    assert len(migrated["docs"]) > 300
    assert len(migrated["terms"]) > 3000
    assert migrated == index_of(rebuilt_by_the_live_indexer(path))


BEFORE_THE_CUSTOMER_INDEX = [p for p in FIXTURES if p.stem.removeprefix("demo-") < "0008"]


@pytest.mark.parametrize("odd", [False, True], ids=["as-saved", "odd-texts"])
@pytest.mark.parametrize("fixture", BEFORE_THE_CUSTOMER_INDEX[-2:], ids=lambda p: p.stem)
def test_migration_0008_indexes_customers_as_the_live_indexer_does(
        fixture: Path, odd: bool, tmp_path: Path) -> None:
    """0008 fills the index with every company and contact through a frozen copy of the
    customers' indexer; today the two must write the same."""
    path = tmp_path / "sales.db"
    shutil.copy(fixture, path)
    if odd:
        with_odd_texts(path)
    open_database(path).close()
    migrated = index_of(path)
    kinds = {doc[1] for doc in migrated["docs"]}
    assert kinds == {"deal", "company", "contact", "activity"}  # activities: 0013
    assert migrated == index_of(customers_rebuilt_by_the_live_indexer(path))


def customers_rebuilt_by_the_live_indexer(path: Path) -> Path:
    """A copy of the file whose companies and contacts the customers area's own indexer
    has written anew (the deals' entries left as they are; the activities', which 0013
    wrote after them, written after them again)."""
    from funneldesk.services.activities.search import rebuild_activity_index
    from funneldesk.services.common import search_index
    from funneldesk.services.customers.search import rebuild_customer_index

    copy = path.with_name("live.db")
    shutil.copy(path, copy)
    conn = sqlite3.connect(copy)
    try:
        with conn:
            search_index.clear(conn, "activity")
            rebuild_customer_index(conn)
            rebuild_activity_index(conn)
    finally:
        conn.close()
    return copy


def test_every_company_and_contact_of_an_upgraded_database_is_found_by_search(
        tmp_path: Path) -> None:
    from funneldesk.services import Services

    path = tmp_path / "sales.db"
    shutil.copy(HERE / "fixtures" / "demo-0007.db", path)
    db = open_database(path)
    try:
        services = Services(db)
        actor = services.users.current("migration-check")
        for kind, table in (("company", "companies"), ("contact", "contacts")):
            records = db.query(f"SELECT id, name FROM {table} WHERE deleted_at IS NULL "
                               "AND merged_into_id IS NULL")
            assert db.query("SELECT count(*) FROM search_docs WHERE kind = ?",
                            (kind,))[0][0] == len(records)
            for ident, name in records[::9]:
                hits = services.search.search(name, by=actor, limit=200)
                assert (kind, ident) in {(h.kind, h.record_id) for h in hits}, name
    finally:
        db.close()


@pytest.mark.parametrize("fixture", [p for p in FIXTURES if p.stem >= "demo-0007"],
                         ids=lambda p: p.stem)
def test_an_upgraded_database_lists_customers_in_pinyin_order(
        fixture: Path, tmp_path: Path) -> None:
    """0009 keys every company and contact a file already has, as a record saved today is
    keyed, and the lists then read 北京… before 上海…"""
    from funneldesk.collation import sort_key
    from funneldesk.services import Services
    from funneldesk.services.customers.list_records import CustomerQuery

    path = tmp_path / "sales.db"
    shutil.copy(fixture, path)
    db = open_database(path)
    try:
        for table, person in (("companies", False), ("contacts", True)):
            stored = db.query(f"SELECT name, sort_name FROM {table}")
            assert len(stored) > 50
            assert all(key == sort_key(name, person=person) for name, key in stored)
        services = Services(db)
        names = [r.name for r in services.customer_list.page(
            CustomerQuery(entity="company"), 0, 500)]
        chinese = [n for n in names if "\u4e00" <= n[0] <= "\u9fff"]
        assert len(chinese) > 20
        assert chinese == sorted(chinese, key=sort_key)
        assert chinese != sorted(chinese)  # code-point order is another order
    finally:
        db.close()


def test_migration_0011_makes_every_next_step_a_planned_activity(tmp_path: Path) -> None:
    path = tmp_path / "sales.db"
    shutil.copy(HERE / "fixtures" / "demo-0010.db", path)
    conn = sqlite3.connect(path)
    steps = conn.execute(
        "SELECT id, next_step, next_step_date, owner_id, company_id, contact_id FROM deals "
        "WHERE next_step != '' OR next_step_date IS NOT NULL ORDER BY id").fetchall()
    conn.close()
    assert len(steps) > 100
    open_database(path).close()
    conn = sqlite3.connect(path)
    try:
        planned = conn.execute(
            "SELECT deal_id, title, due_on, assignee_id, company_id, contact_id FROM activities "
            "WHERE kind = 'OTHER' AND state = 'PLANNED' AND due_at IS NULL ORDER BY deal_id"
        ).fetchall()
        (database_id,), = conn.execute(
            "SELECT value FROM team_settings WHERE key = 'database_id'").fetchall()
        kept = conn.execute("SELECT id, next_step, next_step_date FROM deals "
                            "WHERE next_step != '' OR next_step_date IS NOT NULL ORDER BY id"
                            ).fetchall()
    finally:
        conn.close()
    assert planned == steps
    assert kept == [s[:3] for s in steps]  # the card still shows them
    assert len(database_id) == 32
    assert set(database_id) <= set("0123456789abcdef")


BEFORE_THE_ACTIVITY_INDEX = [p for p in FIXTURES if "0011" <= p.stem.removeprefix("demo-")
                             < "0013"]


def with_odd_activities(path: Path) -> None:
    """Activities titled oddly (accents, full-width letters, emoji), some untitled with
    only an agenda or an outcome (the first line titles them), some with nothing."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            ids = [r[0] for r in conn.execute("SELECT id FROM activities ORDER BY id")]
            for ident, text in zip(ids, ODD_TEXTS, strict=False):
                conn.execute("UPDATE activities SET title = ? WHERE id = ?", (text, ident))
            conn.execute("UPDATE activities SET title = '', agenda = ?, outcome = '' "
                         "WHERE id = ?", ("\n  带样品去现场\n第二行", ids[-1]))
            conn.execute("UPDATE activities SET title = '', agenda = '', outcome = ? "
                         "WHERE id = ?", ("Café: wants a quote", ids[-2]))
            conn.execute("UPDATE activities SET title = '', agenda = '', outcome = '' "
                         "WHERE id = ?", (ids[-3],))
    finally:
        conn.close()


@pytest.mark.parametrize("odd", [False, True], ids=["as-saved", "odd-texts"])
@pytest.mark.parametrize("fixture", BEFORE_THE_ACTIVITY_INDEX, ids=lambda p: p.stem)
def test_migration_0013_indexes_activities_as_the_live_indexer_does(
        fixture: Path, odd: bool, tmp_path: Path) -> None:
    """0013 fills the index with every activity that says something, through a frozen
    copy of the activities' indexer; today the two must write the same."""
    from funneldesk.services.activities.search import rebuild_activity_index

    path = tmp_path / "sales.db"
    shutil.copy(fixture, path)
    if odd:
        with_odd_activities(path)
    open_database(path).close()
    migrated = index_of(path)
    with closing(sqlite3.connect(path)) as conn:
        saying = conn.execute("SELECT count(*) FROM activities WHERE title != '' "
                              "OR agenda != '' OR outcome != ''").fetchone()[0]
    assert sum(1 for doc in migrated["docs"] if doc[1] == "activity") == saying > 100
    copy = path.with_name("live.db")
    shutil.copy(path, copy)
    with closing(sqlite3.connect(copy)) as conn, conn:
        rebuild_activity_index(conn)
    assert migrated == index_of(copy)


# the tables whose ids are never given again (0014), and the audit log's name for a record
NEVER_REUSED = {"companies": "company", "contacts": "contact", "deals": "deal",
                "activities": "activity"}


def schema_of(conn: sqlite3.Connection, table: str) -> tuple[str, list[str]]:
    """The table's CREATE statement, its key written as before 0014, and its indexes'."""
    [(create,)] = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' "
                               "AND name = ?", (table,)).fetchall()
    indexes = [sql for (sql,) in conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL ORDER BY name", (table,))]
    # 0022 widened the deals' totals index for the KPIs, deliberately: not 0014's doing
    indexes = sorted(sql.replace("ix_deals_stage_totals", "ix_deals_stage_figures")
                     .replace("currency, value, won_value)", "currency, value, won_value, "
                              "lead_source_id, product_id, closed_on, lost_reason_id, company_id)")
                     for sql in indexes)
    # and 0022 added the forecast category to the deals
    create = create.replace(", forecast_category VARCHAR(12) DEFAULT 'pipeline' NOT NULL", "")
    create = create.replace(f"id INTEGER NOT NULL CONSTRAINT pk_{table} PRIMARY KEY "
                            f"AUTOINCREMENT,", "id INTEGER NOT NULL,")
    create = create.replace(f", \n\tCONSTRAINT pk_{table} PRIMARY KEY (id)", "")
    return create.replace(f'CREATE TABLE "{table}"', f"CREATE TABLE {table}"), indexes


def test_an_upgraded_file_never_gives_an_id_its_audit_log_names_again(filled: Path) -> None:
    open_database(filled).close()
    with closing(sqlite3.connect(filled)) as conn:
        for table, entity in NEVER_REUSED.items():
            create = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?",
                                  (table,)).fetchone()[0]
            assert "PRIMARY KEY AUTOINCREMENT" in create, table
            [(seq,)] = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?",
                                    (table,)).fetchall()
            named = conn.execute("SELECT max(entity_id) FROM audit_log WHERE entity = ?",
                                 (entity,)).fetchone()[0] or 0
            held = conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 0
            assert seq >= max(named, held), table


def test_migration_0014_keeps_each_table_as_it_was_but_for_its_key(tmp_path: Path) -> None:
    """demo-0013's newest contact was erased and its newest deal purged: 0014 keeps every
    column, check, foreign key and index, and the next contact, deal and activity made get
    ids above them (the audit log still names both)."""
    from funneldesk.enums import ActivityKind
    from funneldesk.services import Services
    from funneldesk.services.activities.records import ActivityFields
    from funneldesk.services.customers.records import ContactFields
    from funneldesk.services.dto import DealFields

    path = tmp_path / "sales.db"
    shutil.copy(HERE / "fixtures" / "demo-0013.db", path)
    with closing(sqlite3.connect(path)) as conn:
        before = {table: schema_of(conn, table) for table in NEVER_REUSED}
        [(erased,)] = conn.execute("SELECT entity_id FROM audit_log WHERE action = 'erase'")
        [(purged,)] = conn.execute("SELECT entity_id FROM audit_log WHERE action = 'purge'")
        # a calendar file exported the newest activities, purged since with their deal
        exported = conn.execute("SELECT max(id) FROM activities").fetchone()[0] + 7
        conn.execute("INSERT INTO calendar_exports (user_id, at, events) VALUES "
                     "(1, '2026-11-30 09:00:00', ?)", (f'{{"{exported}": [1], "3": [1]}}',))
        conn.commit()
        newest_activity = max(exported, conn.execute(
            "SELECT max(entity_id) FROM audit_log WHERE entity = 'activity'").fetchone()[0] or 0)
        assert erased > conn.execute("SELECT max(id) FROM contacts").fetchone()[0]
        assert purged > conn.execute("SELECT max(id) FROM deals").fetchone()[0]
    db = open_database(path)
    try:
        with closing(sqlite3.connect(path)) as conn:
            assert {table: schema_of(conn, table) for table in NEVER_REUSED} == before
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        services = Services(db)
        manager = services.users.current("manager")
        contact = services.customers.add_contact(ContactFields(name="新客户"), by=manager).id
        [stage_id, pipeline_id] = db.query(
            "SELECT id, pipeline_id FROM stages ORDER BY pipeline_id, position LIMIT 1")[0]
        deal = services.deals.create(pipeline_id=pipeline_id, stage_id=stage_id, by=manager,
                                     fields=DealFields("新商机", None, contact, Decimal("1"),
                                                       "CNY", None, manager.id)).card.id
        activity = services.activities.plan(ActivityFields(
            ActivityKind.CALL, "电话", deal_id=deal), by=manager).activity.id
    finally:
        db.close()
    assert contact > erased
    assert deal > purged
    assert activity > newest_activity


def test_migration_0015_keeps_the_profile_words_as_the_live_code_does(tmp_path: Path) -> None:
    """demo-0014 holds usual words written in Chinese, in English in any case, as 女性 or
    20-29: 0015 keeps each as the live code keeps a word picked or imported today, through
    a frozen copy of the words; other texts stay as they were."""
    from funneldesk.services.customers import profile_words

    frozen = migration("0015_profile_words_kept_one_way")
    for field, words in profile_words.USUAL.items():
        if words:
            assert frozen.kept_as(field) == profile_words.kept_as_table(field), field

    path = tmp_path / "sales.db"
    shutil.copy(HERE / "fixtures" / "demo-0014.db", path)
    columns = "gender, age_band, education, loyalty"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE contacts SET age_band = '20-29' WHERE id = 1")
        conn.execute("UPDATE contacts SET age_band = '30至39' WHERE id = 2")
        conn.commit()
        before = conn.execute(f"SELECT id, {columns} FROM contacts ORDER BY id").fetchall()
    open_database(path).close()
    with closing(sqlite3.connect(path)) as conn:
        after = conn.execute(f"SELECT id, {columns} FROM contacts ORDER BY id").fetchall()
    fields = columns.split(", ")
    assert after == [(ident, *(profile_words.kept(f, v) for f, v in zip(fields, values, strict=True)))
                     for ident, *values in before]
    assert [row[1] for row in after[:12]] == [
        "Female", "Female", "Female", "Male", "Male", "Male", "其他", "Female", "", "Female",
        "Male", "Woman"]
    assert [row[3] for row in after[:6]] == [
        "Bachelor's degree", "Bachelor's degree", "Bachelor's degree", "Master's degree",
        "Master", "Doctorate"]
    assert [row[2] for row in after[:2]] == ["20–29", "30–39"]
    assert after[10][4] == "老客户"  # not a usual word: kept as typed


def migration(name: str) -> Any:
    """A migration's module, loaded from its file (Alembic's folder is no package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        name, HERE.parents[1] / "funneldesk" / "db" / "migrations" / "versions" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_migration_0014_leaves_a_table_another_tool_rewrote_as_it_was() -> None:
    rebuild = migration("0014_ids_never_reused")._autoincrement
    written = ('CREATE TABLE "deals" (\n\tid INTEGER NOT NULL, \n\ttitle VARCHAR(300) NOT NULL, '
               '\n\tCONSTRAINT pk_deals PRIMARY KEY (id)\n)')
    assert rebuild(written, "deals") == ('CREATE TABLE "deals" (\n\tid INTEGER NOT NULL '
                                         'CONSTRAINT pk_deals PRIMARY KEY AUTOINCREMENT, '
                                         '\n\ttitle VARCHAR(300) NOT NULL\n)')
    assert rebuild("CREATE TABLE deals (id INTEGER PRIMARY KEY, title TEXT)", "deals") is None


def test_migration_0014_leaves_a_rewritten_table_but_sets_its_counter(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A contacts table another tool wrote again (its key declared another way, its
    checks and defaults gone) is left as it is, with a warning; the imports' counter still
    starts above the erased id."""
    path = tmp_path / "sales.db"
    shutil.copy(HERE / "fixtures" / "demo-0013.db", path)
    with closing(sqlite3.connect(path)) as conn:
        [(erased,)] = conn.execute("SELECT entity_id FROM audit_log WHERE action = 'erase'")
        conn.execute("PRAGMA foreign_keys = OFF")
        columns = ", ".join("id INTEGER PRIMARY KEY" if name == "id" else f"{name} {kind}"
                            for _cid, name, kind, *_rest in conn.execute(
                                "PRAGMA table_info(contacts)"))
        conn.execute(f"CREATE TABLE contacts_copy ({columns})")
        conn.execute("INSERT INTO contacts_copy SELECT * FROM contacts")
        conn.execute("DROP TABLE contacts")
        conn.execute("ALTER TABLE contacts_copy RENAME TO contacts")
        conn.commit()
        [(rewritten,)] = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'contacts'")
    with caplog.at_level("WARNING"):
        open_database(path).close()
    assert "contacts was changed by another tool" in caplog.text
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT sql FROM sqlite_master WHERE name = 'contacts'").fetchone() \
            == (rewritten,)
        assert conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'contacts'"
                            ).fetchone()[0] >= erased
        assert "AUTOINCREMENT" in conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'deals'").fetchone()[0]


def test_migration_0018_counts_each_plans_cadence_from_its_last_change(tmp_path: Path) -> None:
    """Each plan of demo-0017 with a cadence gets the local day of its last change, what
    its cadence counted from before; one without (made so here) gets none."""
    path = tmp_path / "sales.db"
    shutil.copy(HERE / "fixtures" / "demo-0017.db", path)
    with closing(sqlite3.connect(path)) as conn:
        plain = conn.execute("SELECT min(id) FROM follow_up_plans").fetchone()[0]
        conn.execute("UPDATE follow_up_plans SET every_kind = NULL, every_days = NULL "
                     "WHERE id = ?", (plain,))
        conn.commit()
        before = conn.execute("SELECT id, every_kind, updated_at FROM follow_up_plans "
                              "WHERE every_kind IS NOT NULL ORDER BY id").fetchall()
    open_database(path).close()
    with closing(sqlite3.connect(path)) as conn:
        after = dict(conn.execute("SELECT id, cadence_since FROM follow_up_plans").fetchall())
    assert len(before) > 100
    assert after[plain] is None
    for ident, _kind, updated_at in before:
        local = dt.datetime.fromisoformat(updated_at).replace(tzinfo=dt.UTC).astimezone()
        assert after[ident] == local.date().isoformat()


def test_going_back_before_0021_takes_the_contracts_out_of_search(
        db_path: Path, services: Services, manager: Actor) -> None:
    from alembic import command

    from funneldesk.db.migrate import _migration_engine, alembic_config

    path = db_path
    services.demo.generate(deals=120, seed=7, by=manager)
    contract_id = services.contracts.all(viewer=manager)[0].id
    services.search.note_opened("contract", contract_id, by=manager)
    services.db.close()
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT count(*) FROM search_docs "
                            "WHERE kind = 'contract'").fetchone()[0] > 0
    config, engine = alembic_config(), _migration_engine(path)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0020")
    finally:
        engine.dispose()
    with closing(sqlite3.connect(path)) as conn:
        left = {table: conn.execute(f"SELECT count(*) FROM {table} WHERE kind = 'contract'"
                                    ).fetchone()[0]
                for table in ("search_docs", "search_recent")}
        orphans = conn.execute("SELECT count(*) FROM search_terms WHERE doc_id NOT IN "
                               "(SELECT id FROM search_docs)").fetchone()[0]
        quotes = conn.execute("SELECT count(*) FROM search_docs WHERE kind = 'quote'"
                              ).fetchone()[0]
    assert left == {"search_docs": 0, "search_recent": 0}
    assert orphans == 0
    assert quotes > 0  # the rest of the index stays


def test_going_back_before_0022_and_forward_again_keeps_every_deal_and_move(
        db_path: Path, services: Services, manager: Actor) -> None:
    """0022's tables and column go, every deal and stage change stays, and the KPIs are
    derived anew after the way back up."""
    from alembic import command

    from funneldesk.db.migrate import _migration_engine, alembic_config
    from funneldesk.services.analytics.records import KpiRequest

    path = db_path
    services.demo.generate(deals=120, seed=7, by=manager)
    before = services.analytics.core(KpiRequest())
    services.db.close()
    kept = rows(path)
    config, engine = alembic_config(), _migration_engine(path)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0021")
    finally:
        engine.dispose()
    with closing(sqlite3.connect(path)) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        columns = {r[1] for r in conn.execute("PRAGMA table_info(deals)")}
        setting = conn.execute("SELECT count(*) FROM team_settings WHERE key IN "
                               "('visits_zone', 'doctor_rules_seeded')").fetchone()[0]
    assert not tables & {"stage_visits", "deal_progress", "doctor_rules", "kpi_targets",
                         "forecast_adjustments", "training_plans", "ix_deals_stage_figures"}
    assert "ix_deals_stage_totals" in tables
    assert "forecast_category" not in columns
    assert setting == 0
    derived = ("visits_zone", "doctor_rules_seeded")  # 0022's own settings go with it
    kept["team_settings"] = [r for r in kept["team_settings"] if r[0] not in derived]
    assert rows(path) == kept
    db = open_database(path)  # up again, as the next start does
    try:
        again = Services.for_database(db).analytics.core(KpiRequest())
    finally:
        db.close()
    assert again == before
