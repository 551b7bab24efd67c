"""Migration 0007 on a filled file saved at 0006: phones and emails move into channels
(kept as typed when they do not parse), deals' free-text sources join the managed list,
and every customer gets an owner and a pool clock."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from funneldesk.db import open_database

FIXTURE = Path(__file__).parent / "fixtures" / "demo-0006.db"


def upgraded(tmp_path: Path) -> tuple[Path, dict[str, list[tuple[object, ...]]]]:
    path = tmp_path / "sales.db"
    shutil.copy(FIXTURE, path)
    with closing(sqlite3.connect(path)) as conn, conn:
        # a number with its extension, as people type one
        conn.execute("UPDATE contacts SET phone = '010-62881234 ext. 5' WHERE id = 7")
    with closing(sqlite3.connect(path)) as conn:
        before = {
            "contacts": conn.execute("SELECT id, phone, email FROM contacts "
                                     "WHERE phone <> '' OR email <> '' ORDER BY id").fetchall(),
            "companies": conn.execute("SELECT id, phone, email FROM companies "
                                      "WHERE phone <> '' OR email <> '' ORDER BY id").fetchall(),
            "sources": conn.execute("SELECT id, lead_source FROM deals ORDER BY id").fetchall(),
        }
    open_database(path).close()
    return path, before


def test_every_phone_and_email_is_kept_and_keyed_when_it_parses(tmp_path: Path) -> None:
    path, before = upgraded(tmp_path)
    with closing(sqlite3.connect(path)) as conn:
        held = {(r[0], r[1]): (r[2], r[3]) for r in conn.execute(
            "SELECT contact_id, kind, value, key FROM channels WHERE contact_id IS NOT NULL")}
        companies = conn.execute("SELECT count(*) FROM channels "
                                 "WHERE company_id IS NOT NULL").fetchone()[0]
    assert held[(1, "phone")] == ("+8613800138000", "+8613800138000")
    assert held[(1, "email")] == ("Li.Ming@Example.COM", "li.ming@example.com")
    assert held[(2, "phone")] == ("+862162881234", "+862162881234")
    assert held[(3, "phone")] == ("not a phone", "")  # kept as typed, matched on nothing
    assert held[(3, "email")] == ("no-at-sign", "")
    assert held[(4, "phone")] == ("+16502530000", "+16502530000")
    assert held[(7, "phone")] == ("+861062881234;ext=5", "+861062881234")  # nothing lost
    # the same person entered twice now shows as one number and one address
    assert held[(5, "phone")][1] == held[(1, "phone")][1]
    assert held[(6, "email")][1] == held[(5, "email")][1]
    typed = sum(bool(p.strip()) + bool(e.strip()) for _id, p, e in before["contacts"])
    assert len(held) == typed
    assert companies == sum(bool(p.strip()) + bool(e.strip())
                            for _id, p, e in before["companies"])


def test_deal_sources_join_the_managed_list_by_either_name(tmp_path: Path) -> None:
    path, before = upgraded(tmp_path)
    with closing(sqlite3.connect(path)) as conn:
        source = dict(conn.execute(
            "SELECT d.id, coalesce(s.code, s.label) FROM deals d "
            "LEFT JOIN lead_sources s ON s.id = d.lead_source_id").fetchall())
        labels = [r[0] for r in conn.execute(
            "SELECT label FROM lead_sources WHERE code IS NULL ORDER BY position")]
    expected = {"WeChat": "wechat", "电话营销": "cold_call", "官网": "website",
                "展会": "trade_show", "合作伙伴": "partner_referral",
                "老客户推荐": "老客户推荐", "  抖音直播 ": "抖音直播"}
    assert {ident: source[ident] for ident, _text in before["sources"]} == {
        ident: expected[text] for ident, text in before["sources"]}
    assert sorted(labels) == ["抖音直播", "老客户推荐"]


def test_every_customer_has_an_owner_and_a_pool_clock(tmp_path: Path) -> None:
    path, _before = upgraded(tmp_path)
    with closing(sqlite3.connect(path)) as conn:
        for table in ("companies", "contacts"):
            assert conn.execute(f"SELECT count(*) FROM {table} WHERE owner_id IS NULL "
                                "OR touched_at < created_at").fetchone() == (0,)
        # a company belongs to the owner of its newest deal
        mismatched = conn.execute("""
            SELECT count(*) FROM companies c WHERE owner_id <> (
                SELECT owner_id FROM deals d WHERE d.company_id = c.id
                ORDER BY created_at DESC, id DESC LIMIT 1)""").fetchone()[0]
        assert mismatched == 0
        assert conn.execute("SELECT count(*) FROM lead_sources WHERE code IS NOT NULL"
                            ).fetchone() == (11,)
