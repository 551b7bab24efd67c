"""What an import created that may repeat a customer under another spelling: the import
refuses exact repeats (a phone, an email, a credit code); names merely alike are found
after it, among the records it created and those there before, and named for a person to
decide on (Find duplicates), never refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from funneldesk.cli import main
from funneldesk.services import Services
from funneldesk.services.common.tabular.engine import ImportOptions
from funneldesk.services.customers.records import CompanyFields, ContactFields
from funneldesk.services.dto import Actor


def write(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return path


def test_companies_alike_to_one_there_before_or_to_each_other_are_found(
        tmp_path: Path, services: Services, manager: Actor) -> None:
    before = services.customers.add_company(CompanyFields(name="星辰科技有限公司"), by=manager)
    services.customers.add_company(CompanyFields(name="远航物流有限公司"), by=manager)
    path = write(tmp_path, "公司名称\n星辰科技股份有限公司\n恒通电子有限公司\n恒通电子（有限公司）\n"
                           "北京瑞丰制药\n")
    report = services.imports.run("companies", path, ImportOptions(
        columns={"name": "公司名称"}), by=manager)
    assert (report.created, report.failed) == (4, 0)  # alike is not refused
    groups = services.duplicates.alike_imported("company", report.created_from["company"])
    assert sorted(sorted(m.name for m in g.members) for g in groups) == [
        ["恒通电子有限公司", "恒通电子（有限公司）"], ["星辰科技有限公司", "星辰科技股份有限公司"]]
    assert before.id in {m.id for g in groups for m in g.members}


def test_a_contact_is_compared_with_its_colleagues_only(
        tmp_path: Path, services: Services, manager: Actor) -> None:
    star = services.customers.add_company(CompanyFields(name="星辰科技"), by=manager)
    services.customers.add_contact(ContactFields(name="李晓明", company_id=star.id,
                                                 phones=("13800138000",)), by=manager)
    # the same sound at the same company; the same name at another company is another man
    path = write(tmp_path, "姓名,公司名称,手机\n李小明,星辰科技,13900139000\n"
                           "李晓明,远航物流,13700137000\n王芳,星辰科技,13600136000\n")
    report = services.imports.run("contacts", path, ImportOptions(
        columns={"name": "姓名", "company": "公司名称", "phone": "手机"}), by=manager)
    assert report.created == 3
    groups = services.duplicates.alike_imported("contact", report.created_from["contact"])
    assert [sorted(m.name for m in g.members) for g in groups] == [["李小明", "李晓明"]]


def test_an_import_with_nothing_alike_finds_nothing_and_old_pairs_are_not_its_own(
        tmp_path: Path, services: Services, manager: Actor) -> None:
    for name in ("星辰科技有限公司", "星辰科技股份有限公司"):  # alike, but both there before
        services.customers.add_company(CompanyFields(name=name), by=manager)
    report = services.imports.run("companies", write(tmp_path, "公司名称\n远航物流\n"),
                                  ImportOptions(columns={"name": "公司名称"}), by=manager)
    assert services.duplicates.alike_imported("company", report.created_from["company"]) == []


def test_a_company_a_contacts_import_creates_and_a_renamed_record_are_looked_at_too(
        tmp_path: Path, services: Services, manager: Actor) -> None:
    services.customers.add_company(CompanyFields(name="星辰科技有限公司"), by=manager)
    path = write(tmp_path, "姓名,公司名称,手机\n李晓明,星辰科技股份有限公司,13900139000\n")
    report = services.imports.run("contacts", path, ImportOptions(
        columns={"name": "姓名", "company": "公司名称", "phone": "手机"}), by=manager)
    assert report.created == 1
    assert services.duplicates.alike_after_import(report.created_from, report.renamed) == {
        "company": 1}  # the new 星辰科技股份有限公司; its one contact has no colleague yet
    yuan = services.customers.add_company(CompanyFields(name="远航物流"), by=manager)
    services.customers.add_company(CompanyFields(name="恒通电子有限公司"), by=manager)
    renaming = write(tmp_path, "external_id,name\nX1,恒通电子股份有限公司\n", "rename.csv")
    services.imports.run("companies", write(tmp_path, "name,external_id\n远航物流,X1\n", "ids.csv"),
                         ImportOptions(columns={"name": "name", "external_id": "external_id"},
                                       mode="upsert", match="name"), by=manager)
    renamed = services.imports.run("companies", renaming, ImportOptions(
        columns={"name": "name", "external_id": "external_id"}, mode="update",
        match="external_id"), by=manager)
    assert renamed.renamed == {"company": [yuan.id]}
    assert services.duplicates.alike_after_import(renamed.created_from, renamed.renamed) == {
        "company": 1}


def test_the_command_names_how_many_it_wrote_look_like_others(
        tmp_path: Path, db_path: Path, services: Services, manager: Actor,
        capsys: pytest.CaptureFixture[str]) -> None:
    services.customers.add_company(CompanyFields(name="Xingchen Technology Co., Ltd."),
                                   by=manager)
    path = write(tmp_path, "name\nXingchen Technology Inc.\nYuanhang Logistics\n")
    assert main(["--db", str(db_path), "import", "companies", str(path)]) == 0
    captured = capsys.readouterr()
    assert "2 rows read, 2 created" in captured.out
    assert ("1 company written has a name like another's: review it with Find duplicates "
            "on the Customers page.") in captured.err
    assert main(["--db", str(db_path), "import", "companies",
                 str(write(tmp_path, "name\nNanjing Pharma\n"))]) == 0
    assert "like another" not in capsys.readouterr().err
