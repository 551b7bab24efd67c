"""Exports: what you see imports back with no mapping; CSV opens in Excel in Chinese (a
BOM); XLSX keeps long numbers whole; contacts as vCards; labels on request."""

from __future__ import annotations

import csv
import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from funneldesk.cli import main
from funneldesk.i18n import set_language
from funneldesk.services import Services
from funneldesk.services.common.tabular.engine import ImportOptions
from funneldesk.services.common.tabular.writing import name_parts
from funneldesk.services.customers.records import CompanyFields, ContactFields
from funneldesk.services.dto import Actor, CustomerQuery


def customers(services: Services, manager: Actor) -> None:
    star = services.customers.add_company(CompanyFields(
        name="北京星辰科技有限公司", credit_code="91440300708461136T", city="北京",
        phones=("010 6552 9988", "010 6288 1234 ext. 5"), tags=("重点", "华北"),
        lead_source_id=services.lead_sources.find("微信")), by=manager)
    services.customers.add_contact(ContactFields(
        name="张伟", company_id=star.id, title="采购经理", role="decision_maker",
        phones=("138 0013 8000",), emails=("zw@xingchen.cn",), notes="偏好电话, 周一"),
        by=manager)


def test_an_exported_csv_imports_back_into_an_empty_database_with_no_mapping(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path,
        template_db: Path) -> None:
    customers(services, manager)
    lead = services.customers.add_contact(ContactFields(name="李雷", phones=("137 0000 1111",)),
                                          by=manager)
    services.pool.release("contact", lead.id, by=manager)
    for kind in ("companies", "contacts"):
        assert main(["--db", str(db_path), "--lang", "en", "export", kind,
                     str(tmp_path / f"{kind}.csv")]) == 0
    data = (tmp_path / "companies.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese right
    with (tmp_path / "companies.csv").open(encoding="utf-8-sig", newline="") as f:
        row = next(csv.DictReader(f))
    assert (row["name"], row["credit_code"], row["phone"], row["tags"], row["source"]) == (
        "北京星辰科技有限公司", "91440300708461136T", "+861065529988; +861062881234 ext. 5",
        "华北; 重点", "WeChat")
    other = tmp_path / "other.db"
    other.write_bytes(template_db.read_bytes())
    for kind in ("companies", "contacts"):
        assert main(["--db", str(other), "import", kind, str(tmp_path / f"{kind}.csv")]) == 0
    for kind in ("companies", "contacts"):
        assert main(["--db", str(other), "--lang", "en", "export", kind,
                     str(tmp_path / "again.csv")]) == 0
        first = (tmp_path / f"{kind}.csv").read_text(encoding="utf-8-sig").splitlines()
        again = (tmp_path / "again.csv").read_text(encoding="utf-8-sig").splitlines()
        assert again[1:] == first[1:]  # owner, company, phones, role ... all came back
    assert "偏好电话, 周一" in (tmp_path / "contacts.csv").read_text(encoding="utf-8-sig")
    # a pooled lead's owner is the pool's word (which the loop above saw come back)
    assert "李雷,,,,,,,,,,,,,,unknown,,Public pool," in (tmp_path / "contacts.csv").read_text(
        encoding="utf-8-sig")


def test_xlsx_keeps_codes_and_numbers_as_text_and_labels_are_translated(
        tmp_path: Path, services: Services, manager: Actor) -> None:
    import openpyxl

    customers(services, manager)
    set_language("zh_CN")
    assert services.exports.export("companies", tmp_path / "c.xlsx", labels=True) == 1
    sheet = openpyxl.load_workbook(tmp_path / "c.xlsx").worksheets[0]
    header, row = ([c.value for c in r] for r in sheet.iter_rows(max_row=2))
    assert "统一社会信用代码" in header
    assert row[header.index("统一社会信用代码")] == "91440300708461136T"
    assert row[header.index("线索来源")] == "微信"
    # and the labelled file imports back too: its headers are the fields' labels
    report = services.imports.run("companies", tmp_path / "c.xlsx", ImportOptions(
        columns=services.imports.suggest("companies", tuple(header)), dry_run=True,
        mode="upsert", match="credit_code"), by=manager)
    assert (report.unchanged, report.failed) == (1, 0)


def test_contacts_become_vcards_and_deals_a_table(tmp_path: Path, services: Services,
                                                  manager: Actor) -> None:
    customers(services, manager)
    services.demo.generate(deals=12, seed=2, by=manager, append=True)
    assert services.exports.export("contacts", tmp_path / "c.vcf") > 1
    card = (tmp_path / "c.vcf").read_text(encoding="utf-8").split("END:VCARD")[0]
    assert "FN:张伟" in card
    assert "N:张;伟;;;" in card  # family and given names, as address books file them
    assert "ORG:北京星辰科技有限公司" in card
    assert "TEL;TYPE=VOICE:+8613800138000" in card
    assert "EMAIL;TYPE=INTERNET:zw@xingchen.cn" in card
    assert services.exports.export("deals", tmp_path / "d.csv") == 12
    with (tmp_path / "d.csv").open(encoding="utf-8-sig", newline="") as f:
        deals = list(csv.DictReader(f))
    assert all(d["title"] and d["stage"] and d["owner"] for d in deals)
    assert all("." in d["value"] for d in deals)  # exact amounts, two decimals


def test_a_list_exported_as_shown_in_chinese_maps_back_without_taking_place_for_city(
        tmp_path: Path, services: Services, manager: Actor) -> None:
    from funneldesk.services.dto import CustomerQuery

    services.customers.add_company(CompanyFields(
        name="南京天合医疗器械有限公司", city="南京", province="江苏", key_level="B"), by=manager)
    set_language("zh_CN")
    path = tmp_path / "公司.csv"
    services.exports.export_list(CustomerQuery(), path)
    with path.open(encoding="utf-8-sig", newline="") as source:
        headers, row = list(csv.reader(source))
    place = headers.index("所在地")
    assert row[place] == "南京（江苏）"  # as the list shows it
    mapped = services.imports.suggest("companies", tuple(headers))
    assert mapped["name"] == "公司名称"
    assert mapped["key_level"] == "重点客户等级"  # the list's own title for it
    assert "city" not in mapped  # "city (province)" is no city
    report = services.imports.run("companies", path, ImportOptions(
        columns=mapped, mode="update", match="name"), by=manager)
    assert (report.updated, report.unchanged, report.failed) == (0, 1, 0)


@pytest.mark.parametrize(("name", "parts"), [
    ("张伟", ("张", "伟")), ("欧阳娜娜", ("欧阳", "娜娜")), ("张 伟", ("张", "伟")),
    ("Wei Zhang", ("Zhang", "Wei")), ("Mary Ann Smith", ("Smith", "Mary Ann")),
    ("Madonna", ("Madonna", "")),
])
def test_a_vcard_files_a_name_under_its_family_name(name: str, parts: tuple[str, str]) -> None:
    assert name_parts(name) == parts


def test_labels_word_the_coded_values_and_still_import_back(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path,
        template_db: Path) -> None:
    customers(services, manager)
    [contact] = services.customer_list.all_rows(CustomerQuery(entity="contact"))
    detail = services.customers.contact_detail(contact.id)
    services.customers.update_contact(contact.id, replace(
        detail.fields, gender="Female", education="Bachelor's degree"),
        expected_version=detail.version, by=manager)
    set_language("zh_CN")
    path = tmp_path / "people.csv"
    assert services.exports.export("contacts", path, labels=True) == 1
    with path.open(encoding="utf-8-sig", newline="") as f:
        row = next(csv.DictReader(f))
    assert (row["角色"], row["同意联系"]) == ("决策者", i18n_of("Not asked yet"))
    assert (row["性别"], row["学历"]) == ("女", "本科")  # a usual word as the reader writes it
    other = tmp_path / "other.db"
    other.write_bytes(template_db.read_bytes())
    assert main(["--db", str(other), "--lang", "zh_CN", "import", "contacts", str(path),
                 "--column", "company=公司"]) == 0
    with closing(sqlite3.connect(other)) as conn:
        assert conn.execute("SELECT role, consent, gender, education FROM contacts").fetchall() \
            == [("decision_maker", "unknown", "Female", "Bachelor's degree")]


def i18n_of(text: str) -> str:
    from funneldesk.i18n import _

    return _(text)


def test_a_contacts_list_as_shown_imports_back_with_its_pool_and_verified_channels(
        tmp_path: Path, services: Services, manager: Actor, template_db: Path) -> None:
    from funneldesk.models import Channel
    from funneldesk.services.dto import CustomerQuery

    services.customers.add_contact(ContactFields(
        name="王芳", phones=("13812345678",), emails=("wang@xingchen.cn",)), by=manager)
    pooled = services.customers.add_contact(ContactFields(name="李雷"), by=manager)
    services.pool.release("contact", pooled.id, by=manager)
    with services.db.reading() as session:
        for channel in session.query(Channel).all():
            services.customers.verify(channel.id, verified=True, by=manager)
    for suffix in ("csv", "xlsx"):
        path = tmp_path / f"people.{suffix}"
        services.exports.export_list(CustomerQuery(entity="contact"), path)
        other = tmp_path / f"other-{suffix}.db"
        other.write_bytes(template_db.read_bytes())
        assert main(["--db", str(other), "import", "contacts", str(path)]) == 0
        with closing(sqlite3.connect(other)) as conn:
            assert sorted(conn.execute(
                "SELECT p.name, u.display_name FROM contacts p "
                "LEFT JOIN users u ON u.id = p.owner_id")) == [
                ("李雷", None), ("王芳", "manager")]  # the pool stays the pool
            assert sorted(conn.execute("SELECT key FROM channels")) == [
                ("+8613812345678",), ("wang@xingchen.cn",)]  # read without the ✓


def test_a_companies_list_in_xlsx_counts_open_deals_as_numbers(
        tmp_path: Path, services: Services, manager: Actor) -> None:
    import openpyxl

    from funneldesk.services.dto import CustomerQuery

    services.demo.generate(deals=30, seed=2, by=manager)
    path = tmp_path / "companies.xlsx"
    services.exports.export_list(CustomerQuery(), path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    counts = [r[header.index("Open deals")].value for r in sheet.iter_rows(min_row=2)]
    assert all(isinstance(n, int) for n in counts)
    assert sum(counts) > 0


def test_a_contacts_list_as_vcards_keeps_the_lists_order(
        tmp_path: Path, services: Services, manager: Actor) -> None:
    from funneldesk.services.dto import CustomerQuery

    for name in ("宋佳", "艾娃", "Zoe Li"):  # created out of the list's (name) order
        services.customers.add_contact(ContactFields(name=name), by=manager)
    query = CustomerQuery(entity="contact")
    listed = [r.name for r in services.customer_list.page(query, 0, 10)]
    path = tmp_path / "people.vcf"
    services.exports.export_list(query, path)
    names = [line[3:] for line in path.read_text(encoding="utf-8").splitlines()
             if line.startswith("FN:")]
    assert names == listed
    assert names != ["宋佳", "艾娃", "Zoe Li"]  # (the list's order is not the created one)
