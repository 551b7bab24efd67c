"""Companies and contacts are listed in pinyin order, whichever way they were written:
a form, an edit, a merge, an import (new records, records matched and renamed, companies a
contact file names, contacts a deal file names) and the sample data."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

from funneldesk.collation import sort_key
from funneldesk.services import Services
from funneldesk.services.common.tabular.records import ImportOptions
from funneldesk.services.customers.list_records import CustomerColumn, CustomerQuery
from funneldesk.services.customers.records import CompanyFields, ContactFields
from funneldesk.services.dto import Actor


def unkeyed(path: Path) -> list[tuple[str, str, str]]:
    """(table, name, stored key) of every record whose key is not its name's."""
    wrong = []
    with closing(sqlite3.connect(path)) as conn:
        for table, person in (("companies", False), ("contacts", True)):
            for name, key in conn.execute(f"SELECT name, sort_name FROM {table}"):
                if key != sort_key(name, person=person):
                    wrong.append((table, name, key))
    return wrong


def listed(services: Services, entity: str, sort: CustomerColumn = CustomerColumn.NAME,
           descending: bool = False) -> list[str]:
    query = CustomerQuery(entity=entity, sort=sort, descending=descending)
    return [r.name for r in services.customer_list.page(query, 0, 100)]


def test_forms_edits_and_merges_keep_the_pinyin_order(
        services: Services, manager: Actor, db_path: Path) -> None:
    add = services.customers.add_company
    ids = {name: add(CompanyFields(name=name), by=manager).id
           for name in ("上海明远贸易", "北京星辰科技", "Apple", "重庆山城物流")}
    assert listed(services, "company") == ["Apple", "北京星辰科技", "重庆山城物流",
                                           "上海明远贸易"]
    assert listed(services, "company", descending=True) == [
        "上海明远贸易", "重庆山城物流", "北京星辰科技", "Apple"]
    detail = services.customers.company_detail(ids["上海明远贸易"])
    services.customers.update_company(ids["上海明远贸易"], replace(detail.fields, name="安徽明远"),
                                      expected_version=detail.version, by=manager)
    assert listed(services, "company")[:2] == ["安徽明远", "Apple"]
    preview = services.merges.preview("company", ids["Apple"], ids["重庆山城物流"])
    services.merges.merge("company", ids["Apple"], ids["重庆山城物流"], {"name": "merged"},
                          preview.versions, by=manager)
    assert listed(services, "company") == ["安徽明远", "北京星辰科技", "重庆山城物流"]
    for name, company in (("张伟", ids["北京星辰科技"]), ("曾静", ids["上海明远贸易"]),
                          ("陈明", None), ("艾伦", ids["北京星辰科技"])):  # 上海… is now 安徽…
        services.customers.add_contact(ContactFields(name=name, company_id=company),
                                       by=manager)
    # 曾 the surname is zeng1 (ceng2 would list it first)
    assert listed(services, "contact") == ["艾伦", "陈明", "曾静", "张伟"]
    # by company, then a company's contacts by name (艾伦 was added after 张伟)
    assert listed(services, "contact", CustomerColumn.COMPANY) == ["曾静", "艾伦", "张伟", "陈明"]
    for segment in ("上海客户", "Apple 客户", "阿里客户", "长沙客户"):
        services.customer_list.save_segment(segment, CustomerQuery(entity="company"), manager)
    assert [s.name for s in services.customer_list.segments("company")] == [
        "阿里客户", "Apple 客户", "长沙客户", "上海客户"]
    assert unkeyed(db_path) == []


def test_imports_and_sample_data_key_every_name(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path) -> None:
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("姓名,公司,邮箱\n张伟,上海明远贸易,zw@example.cn\n"
                        "李娜,北京星辰科技,ln@example.cn\n曾静,重庆山城物流,zj@example.cn\n",
                        encoding="utf-8-sig")
    columns = services.imports.suggest("contacts", ("姓名", "公司", "邮箱"))
    services.imports.run("contacts", contacts, ImportOptions(columns=columns), by=manager)
    assert listed(services, "company") == ["北京星辰科技", "重庆山城物流", "上海明远贸易"]
    renamed = tmp_path / "renamed.csv"
    renamed.write_text("姓名,邮箱\n安娜,ln@example.cn\n", encoding="utf-8-sig")
    services.imports.run("contacts", renamed, ImportOptions(
        columns={"name": "姓名", "email": "邮箱"}, mode="update", match="email"), by=manager)
    assert listed(services, "contact") == ["安娜", "曾静", "张伟"]
    deals = tmp_path / "deals.csv"
    deals.write_text("title,company,contact\nERP,广州白云电器,黄磊\n", encoding="utf-8")
    services.imports.run("deals", deals, ImportOptions(
        columns={"title": "title", "company": "company", "contact": "contact"}), by=manager)
    services.demo.generate(deals=20, seed=3, by=manager, append=True)
    assert unkeyed(db_path) == []
    names = listed(services, "company")
    assert names == sorted(names, key=sort_key)
