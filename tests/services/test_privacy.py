"""One person's data: exported whole on request, and erased for good by a manager, the
audit keeping only who erased whom and when."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from funneldesk.db import Database
from funneldesk.errors import NotAllowed
from funneldesk.services import Services
from funneldesk.services.customers.records import CompanyFields, ContactFields
from funneldesk.services.dto import Actor, DealFields
from tests.helpers import snapshot, stage

# what identifies the person, as they are kept
PERSON = ("王芳", "13800138000", "wangfang@example.cn", "wangfang_88")


def person(services: Services, manager: Actor, rep: Actor) -> tuple[int, int]:
    """王芳 of 星辰科技, with a verified phone, an email, tags, a deal, an edit and a trip
    through the public pool; returns her id and her deal's."""
    company = services.customers.add_company(CompanyFields(name="星辰科技"), by=manager).id
    contact = services.customers.add_contact(ContactFields(
        name="王芳", company_id=company, wechat="wangfang_88", phones=("138 0013 8000",),
        emails=("WangFang@example.cn",), tags=("展会", "重点"), data_origin="2026 工博会名片",
        consent="given"), by=rep).id
    detail = services.customers.contact_detail(contact)
    services.customers.verify(detail.channels[0].id, verified=True, by=rep)
    services.customers.update_contact(contact, replace(detail.fields, title="采购经理"),
                                      expected_version=detail.version, by=rep)
    services.pool.release("contact", contact, by=rep)
    services.pool.claim("contact", contact, by=rep)
    target = stage(services, "Initial contact")
    deal = services.deals.create(pipeline_id=target.pipeline_id, stage_id=target.id, by=manager,
                                 fields=DealFields("星辰 CRM", company, contact, Decimal("1200.50"),
                                                   "CNY", None, manager.id)).card.id
    return contact, deal


def test_the_export_holds_everything_kept_about_the_person(
        services: Services, manager: Actor, rep: Actor, tmp_path: Path) -> None:
    contact, _deal = person(services, manager, rep)
    exported = services.privacy.export_person(contact)
    assert exported["contact"]["name"] == "王芳"
    assert exported["contact"]["title"] == "采购经理"
    assert exported["contact"]["data_origin"] == "2026 工博会名片"
    assert exported["contact"]["consent"] == "given"
    assert exported["company"] == "星辰科技"
    assert [(c["kind"], c["value"], c["verified_by"]) for c in exported["channels"]] == [
        ("phone", "+8613800138000", "Rita Rep"), ("email", "WangFang@example.cn", None)]
    assert exported["tags"] == ["展会", "重点"]
    assert [(d["title"], d["stage"], d["value"]) for d in exported["deals"]] == [
        ("星辰 CRM", "Initial contact", "1200.50")]
    assert [h["action"] for h in exported["pool_history"]] == ["claimed", "released"]
    assert [a["action"] for a in exported["audit"]] == [
        "create", "verify", "update", "release", "claim"]  # the pool's events too

    path = tmp_path / "王芳.json"
    services.privacy.write_person(contact, path)
    text = path.read_text(encoding="utf-8")
    assert "王芳" in text  # readable, not \\u escapes
    assert json.loads(text)["channels"] == exported["channels"]


def _rows_naming(db_path: Path, texts: tuple[str, ...]) -> list[str]:
    """Every table and column whose text holds one of ``texts`` (any case)."""
    found = []
    with closing(sqlite3.connect(db_path)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for column in [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]:
                for text in texts:
                    hits = conn.execute(
                        f'SELECT count(*) FROM "{table}" WHERE typeof("{column}") = \'text\' '
                        f'AND instr(lower("{column}"), ?) > 0', (text.lower(),)).fetchone()[0]
                    if hits:
                        found.append(f"{table}.{column}: {text}")
    return found


def test_an_erasure_leaves_nothing_about_the_person_but_who_erased_them_and_when(
        services: Services, manager: Actor, rep: Actor, db: Database, db_path: Path) -> None:
    contact, deal = person(services, manager, rep)
    assert len(_rows_naming(db_path, PERSON)) > 5  # the scan does find her before

    services.privacy.erase(contact, by=manager)

    assert _rows_naming(db_path, PERSON) == []
    assert services.deals.detail(deal).fields.contact_id is None  # the deal stays
    assert services.customers.company(services.deals.detail(deal).fields.company_id or 0)
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute(
            "SELECT action, details, user_id FROM audit_log WHERE entity = 'contact' "
            "AND entity_id = ?", (contact,)).fetchall() == [("erase", "{}", manager.id)]
    # the deal is still found by its title
    assert [h.record_id for h in services.search.search("星辰 CRM", by=manager)] == [deal]


def test_an_erasure_leaves_no_copy_in_the_file_nor_in_its_log(
        services: Services, manager: Actor, rep: Actor, db: Database, db_path: Path) -> None:
    """Deleted rows are overwritten, and the write-ahead log's older frames (which
    hold the rows as they were written) are emptied out."""
    contact, _deal = person(services, manager, rep)
    wal = db_path.with_name(db_path.name + "-wal")
    services.privacy.erase(contact, by=manager)
    for path in (db_path, wal):
        data = path.read_bytes() if path.exists() else b""
        for text in PERSON:
            assert text.encode() not in data, (path.name, text)


def test_a_rep_cannot_erase_anyone_and_nothing_changes(
        services: Services, manager: Actor, rep: Actor, db_path: Path) -> None:
    contact, _deal = person(services, manager, rep)
    before = snapshot(db_path)
    with pytest.raises(NotAllowed):
        services.privacy.erase(contact, by=rep)
    assert snapshot(db_path) == before
