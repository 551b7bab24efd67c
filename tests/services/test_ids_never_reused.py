"""A record's id is never given again: the audit log still names an erased person or a
purged deal by it, and a new record given that id would show their history as its own."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

from funneldesk.enums import ActivityKind
from funneldesk.services import Services
from funneldesk.services.activities.records import ActivityFields
from funneldesk.services.common.tabular.engine import ImportOptions
from funneldesk.services.customers.list_records import CONTACT, CustomerQuery
from funneldesk.services.customers.records import CompanyFields, ContactFields
from funneldesk.services.dto import Actor
from tests.helpers import make_deal

TODAY = dt.date(2026, 12, 2)


def audited(db_path: Path, entity: str, ident: int) -> list[str]:
    with closing(sqlite3.connect(db_path)) as conn:
        return [a for (a,) in conn.execute(
            "SELECT action FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id",
            (entity, ident))]


def history(services: Services, contact_id: int) -> list[str]:
    return [line.action for line in services.customer_list.overview("contact", contact_id).history]


def test_a_contact_made_after_the_newest_was_erased_has_a_new_id_and_no_history_of_theirs(
        services: Services, manager: Actor, tmp_path: Path) -> None:
    services.customers.add_contact(ContactFields(name="张伟"), by=manager)
    erased = services.customers.add_contact(ContactFields(name="王芳"), by=manager).id
    services.privacy.erase(erased, by=manager)

    made = services.customers.add_contact(ContactFields(name="李娜"), by=manager).id
    assert made > erased
    assert history(services, made) == ["create"]

    # an import numbers its rows itself: above the erased id too
    services.privacy.erase(made, by=manager)
    path = tmp_path / "contacts.csv"
    path.write_text("姓名,手机\n赵敏,13800138000\n", encoding="utf-8")
    report = services.imports.run("contacts", path, ImportOptions(
        columns=services.imports.suggest("contacts", ("姓名", "手机"))), by=manager)
    assert report.created == 1
    [imported] = [r.id for r in services.customer_list.all_rows(CustomerQuery(CONTACT))
                  if r.name == "赵敏"]
    assert imported > made
    assert "erase" not in history(services, imported)


def test_a_deal_and_an_activity_made_after_the_newest_were_purged_have_new_ids(
        services: Services, manager: Actor, tmp_path: Path, db_path: Path) -> None:
    make_deal(services, manager, title="Kept")
    gone = make_deal(services, manager, title="Gone")
    planned = services.activities.plan(ActivityFields(
        ActivityKind.CALL, "First call", deal_id=gone.id, due_on=TODAY), by=manager).activity
    services.trash.delete(deal_id=gone.id, expected_version=gone.version, by=manager)
    assert services.trash.empty(deal_ids=[gone.id], by=manager) == 1

    made = make_deal(services, manager, title="New")
    assert made.id > gone.id
    assert audited(db_path, "deal", made.id) == ["create"]
    call = services.activities.plan(ActivityFields(
        ActivityKind.CALL, "Call", deal_id=made.id, due_on=TODAY), by=manager).activity
    assert call.id > planned.id

    path = tmp_path / "deals.csv"
    path.write_text("title,value\nImported,100\n", encoding="utf-8")
    options = ImportOptions(columns=services.imports.suggest("deals", ("title", "value")))
    services.imports.run("deals", path, options, by=manager)
    [first] = titled(db_path, "Imported")
    assert first > made.id
    # the newest deal is the imported one: purged, its id is not the next import's
    services.trash.delete(deal_id=first, expected_version=services.deals.detail(
        first).version, by=manager)
    services.trash.empty(deal_ids=[first], by=manager)
    services.imports.run("deals", path, options, by=manager)
    [second] = titled(db_path, "Imported")
    assert second > first


def titled(db_path: Path, title: str) -> list[int]:
    with closing(sqlite3.connect(db_path)) as conn:
        return [i for (i,) in conn.execute("SELECT id FROM deals WHERE title = ?", (title,))]


def test_sample_data_loaded_after_an_erasure_and_a_purge_takes_none_of_their_ids(
        services: Services, manager: Actor, db_path: Path) -> None:
    services.demo.generate(deals=5, seed=1, by=manager)
    erased = services.customers.add_contact(ContactFields(name="王芳"), by=manager).id
    services.privacy.erase(erased, by=manager)
    gone = make_deal(services, manager, title="Gone")
    services.trash.delete(deal_id=gone.id, expected_version=gone.version, by=manager)
    services.trash.empty(deal_ids=[gone.id], by=manager)

    services.demo.generate(deals=5, seed=2, by=manager, append=True)
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT count(*) FROM contacts WHERE id = ?", (erased,)).fetchone() \
            == (0,)
        assert conn.execute("SELECT count(*) FROM deals WHERE id = ?", (gone.id,)).fetchone() \
            == (0,)


def test_a_company_a_contacts_import_makes_takes_no_id_sample_data_held(
        services: Services, manager: Actor, tmp_path: Path, db_path: Path) -> None:
    """Removing the sample data deletes its companies; a company made afterwards by a
    contacts import (which numbers its rows itself) is given a new id."""
    services.customers.add_company(CompanyFields(name="星辰科技"), by=manager)
    services.demo.generate(deals=5, seed=1, by=manager, append=True)
    with closing(sqlite3.connect(db_path)) as conn:
        [(held,)] = conn.execute("SELECT max(id) FROM companies").fetchall()
    services.sample_data.remove(by=manager)
    path = tmp_path / "contacts.csv"
    path.write_text("姓名,公司名称\n赵敏,远航物流有限公司\n", encoding="utf-8")
    services.imports.run("contacts", path, ImportOptions(
        columns=services.imports.suggest("contacts", ("姓名", "公司名称"))), by=manager)
    with closing(sqlite3.connect(db_path)) as conn:
        [(made,)] = conn.execute(
            "SELECT id FROM companies WHERE name = '远航物流有限公司'").fetchall()
    assert made > held


def test_sample_data_loaded_again_takes_no_id_of_the_sample_data_removed(
        services: Services, manager: Actor, db_path: Path) -> None:
    """A sample company edited, then removed with the rest: the audit still names it, so
    the next sample data gives its id to no company."""
    services.demo.generate(deals=5, seed=1, by=manager)
    with closing(sqlite3.connect(db_path)) as conn:
        [(top,)] = conn.execute("SELECT max(id) FROM companies").fetchall()
    detail = services.customers.company_detail(top)
    services.customers.update_company(top, replace(detail.fields, city="杭州"),
                                      expected_version=detail.version, by=manager)
    services.sample_data.remove(by=manager)
    services.demo.generate(deals=5, seed=2, by=manager, append=True)
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT count(*) FROM companies WHERE id = ?", (top,)).fetchone() \
            == (0,)
