"""Importing companies, contacts and products from files shaped like real exports: BOM,
GBK, CRLF, blank cells, trailing spaces, quoted newlines, Excel-mangled numbers, duplicate
rows and unknown columns; the report's exact form; all-or-nothing against skipping."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from funneldesk.cli import main
from funneldesk.services import Services
from funneldesk.services.common.tabular import cells
from funneldesk.services.common.tabular.engine import ImportOptions
from funneldesk.services.common.tabular.files import read_table
from funneldesk.services.dto import Actor

CONTACTS = (
    "姓名,公司名称,手机,邮箱,微信号,负责人,来源,备注,Fax\r\n"
    "张伟 ,北京星辰科技有限公司,138 0013 8000,Zhang.Wei@XingChen.cn,zhangwei_88,李娜,微信,"
    "\"第一行\r\n第二行\",n/a\r\n"
    "王芳,,1.38001E+10,wf@example.cn,,,展会,,\r\n"
    ",,,,,,,,\r\n"
    "李雷,上海华信有限公司,139 1234 5678,lilei@huaxin.cn,,王强,,,\r\n"
    "张伟,北京星辰科技有限公司,+86 138 0013 8000,,,,,,\r\n"
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db_path)) as conn:
        return conn.execute(sql).fetchall()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_the_file_is_read_in_any_of_its_encodings_with_its_physical_lines(
        tmp_path: Path, encoding: str) -> None:
    table = read_table(write(tmp_path, "c.csv", CONTACTS, encoding))
    assert table.headers[0] == "姓名"
    # the blank record is left out; the quoted newline makes lines and records differ
    assert [(r.number, r.line) for r in table.records] == [(1, 2), (2, 4), (3, 6), (4, 7)]
    assert table.records[0].cells[7] == "第一行\r\n第二行"


def test_an_all_or_nothing_import_with_a_bad_row_writes_nothing_and_reports_it_exactly(
        tmp_path: Path, db_path: Path) -> None:
    path = write(tmp_path, "c.csv", CONTACTS)
    report = tmp_path / "r.json"
    assert main(["--db", str(db_path), "import", "contacts", str(path),
                 "--report", str(report)]) == 1
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["counts"] == {"read": 4, "created": 0, "updated": 0, "unchanged": 0,
                              "failed": 2}
    assert [{k: e[k] for k in ("record", "line", "column", "value", "reason")}
            for e in data["errors"]] == [
        {"record": 2, "line": 4, "column": "手机", "value": "1.38001E+10",
         "reason": "bad_phone"},
        {"record": 4, "line": 7, "column": "手机", "value": "+86 138 0013 8000",
         "reason": "duplicate"},
    ]
    assert all(e["reason_label"] for e in data["errors"])
    assert rows(db_path, "SELECT count(*) FROM contacts") == [(0,)]
    assert rows(db_path, "SELECT count(*) FROM companies") == [(0,)]


def test_skipping_bad_rows_writes_the_rest_with_everything_a_row_names(
        tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "c.csv", CONTACTS)
    assert main(["--db", str(db_path), "import", "contacts", str(path),
                 "--skip-bad-rows"]) == 0
    assert "2 bad rows were skipped." in capsys.readouterr().err
    people = rows(db_path, """
        SELECT c.name, co.name, u.display_name, coalesce(s.code, s.label), c.wechat, c.notes
        FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
        JOIN users u ON u.id = c.owner_id LEFT JOIN lead_sources s ON s.id = c.lead_source_id
        ORDER BY c.id""")
    assert people[0] == ("张伟", "北京星辰科技有限公司", "李娜", "wechat", "zhangwei_88",
                         "第一行\r\n第二行")
    assert people[1][:4] == ("李雷", "上海华信有限公司", "王强", None)
    # owners the file names become users; companies it names are created once
    assert {r[0] for r in rows(db_path, "SELECT display_name FROM users")} >= {"李娜", "王强"}
    assert rows(db_path, "SELECT kind, value, key FROM channels WHERE contact_id = 1") == [
        ("phone", "+8613800138000", "+8613800138000"),
        ("email", "Zhang.Wei@xingchen.cn", "zhang.wei@xingchen.cn")]


def test_upsert_updates_matched_records_keeps_what_a_blank_cell_leaves_and_counts(
        tmp_path: Path, db_path: Path, services: Services, manager: Actor) -> None:
    first = write(tmp_path, "a.csv", "name,email,title,phone\nAmy Lee,amy@ex.com,CFO,\n"
                                     "Bo Chen,bo@ex.com,CTO,\n")
    again = write(tmp_path, "b.csv", "name,email,title,phone\nAmy Lee,AMY@ex.com,CEO,\n"
                                     "Bo Chen,bo@ex.com,,13800138000\n"
                                     "Cy Wu,cy@ex.com,,\nDee,dee@ex.com,CTO,\n")
    options = ImportOptions(columns={"name": "name", "email": "email", "title": "title",
                                     "phone": "phone"})
    services.imports.run("contacts", first, options, by=manager)
    report = services.imports.run("contacts", again, ImportOptions(
        **{**options.__dict__, "mode": "upsert", "match": "email"}), by=manager)
    assert (report.read, report.created, report.updated, report.unchanged, report.failed) == (
        4, 2, 2, 0, 0)
    assert rows(db_path, "SELECT name, title FROM contacts ORDER BY id") == [
        ("Amy Lee", "CEO"), ("Bo Chen", "CTO"), ("Cy Wu", ""), ("Dee", "CTO")]
    unchanged = services.imports.run("contacts", again, ImportOptions(
        **{**options.__dict__, "mode": "update", "match": "email"}), by=manager)
    assert (unchanged.updated, unchanged.unchanged) == (0, 4)


def test_an_update_that_would_name_a_missing_record_is_caught_and_writes_nothing(
        tmp_path: Path, db_path: Path, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The import's change runs with SQLite's own reference checks off; what its updates
    wrote is checked before it commits (here an owner made to point nowhere)."""
    from funneldesk.services.customers.importers import References

    first = write(tmp_path, "a.csv", "name,email\nAmy Lee,amy@ex.com\n")
    options = ImportOptions(columns={"name": "name", "email": "email"})
    services.imports.run("contacts", first, options, by=manager)
    monkeypatch.setattr(References, "customer_owner", lambda _self, _name: 9999)
    again = write(tmp_path, "b.csv", "name,email,owner\nAmy Lee,amy@ex.com,Bob\n")
    with pytest.raises(sqlite3.IntegrityError, match="contacts"):
        services.imports.run("contacts", again, ImportOptions(
            columns={"name": "name", "email": "email", "owner": "owner"}, mode="update",
            match="email"), by=manager)
    assert rows(db_path, "SELECT name, owner_id FROM contacts") == [("Amy Lee", manager.id)]


def test_update_mode_reports_rows_that_match_nothing(tmp_path: Path, services: Services,
                                                     manager: Actor, db_path: Path) -> None:
    path = write(tmp_path, "a.csv", "Company,External ID\n星辰,X-1\n")
    report = services.imports.run("companies", path, ImportOptions(
        columns={"name": "Company", "external_id": "External ID"}, mode="update",
        match="external_id"), by=manager)
    assert [(e.reason, e.column, e.value) for e in report.errors] == [
        ("not_found", "External ID", "X-1")]
    assert rows(db_path, "SELECT count(*) FROM companies") == [(0,)]


def test_an_xlsx_file_reads_like_its_csv(tmp_path: Path, services: Services,
                                         manager: Actor, db_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["公司名称", "统一社会信用代码", "标签", "客户等级"])
    sheet.append(["深圳腾云科技有限公司", "91440300708461136T", "华南、重点", "a"])
    sheet.append([None, None, None, None])
    # a code typed as a number: Excel keeps 15 significant digits and mangles the rest
    sheet.append(["杭州远航物流有限公司", 914403001922038216, None, None])
    book.save(tmp_path / "c.xlsx")
    report = services.imports.run("companies", tmp_path / "c.xlsx", ImportOptions(
        columns=services.imports.suggest("companies", ("公司名称", "统一社会信用代码", "标签",
                                                       "客户等级")), skip_bad_rows=True),
        by=manager)
    assert (report.created, report.failed) == (1, 1)
    assert [(e.line, e.reason, e.value) for e in report.errors] == [
        (4, "bad_credit_code", "914403001922038272")]
    assert rows(db_path, "SELECT name, credit_code, key_level FROM companies ORDER BY id") == [
        ("深圳腾云科技有限公司", "91440300708461136T", "A")]
    assert rows(db_path, "SELECT t.name FROM tags t JOIN company_tags ct ON ct.tag_id = t.id "
                         "ORDER BY t.name") == [("华南",), ("重点",)]


def test_a_mapping_naming_a_column_the_file_lacks_is_refused_before_anything(
        tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "c.csv", "Name\nAmy\n")
    assert main(["--db", str(db_path), "import", "contacts", str(path),
                 "--column", "email=E-mail"]) == 1
    assert "E-mail" in capsys.readouterr().err


def test_products_are_imported_and_matched_by_name(tmp_path: Path, services: Services,
                                                   manager: Actor) -> None:
    path = write(tmp_path, "p.csv", "产品名称,产品编码\nCRM 实施,CRM-1\n年度维保,\n")
    report = services.imports.run("products", path, ImportOptions(
        columns=services.imports.suggest("products", ("产品名称", "产品编码"))), by=manager)
    assert report.created == 2
    again = services.imports.run("products", path, ImportOptions(
        columns={"name": "产品名称", "code": "产品编码"}, mode="upsert", match="name"),
        by=manager)
    assert (again.created, again.unchanged) == (0, 2)
    assert [(p.name, p.code) for p in services.products.all()] == [("CRM 实施", "CRM-1"),
                                                                   ("年度维保", "")]


@pytest.mark.parametrize(("text", "value"), [
    ("1,234.50", "1234.50"), ("¥1,234", "1234"), ("$1,234", "1234"), ("RMB 88", "88"),
    ("￥1，234.5", "1234.5"), ("0", "0")])
def test_amounts_with_separators_and_signs_are_read(text: str, value: str) -> None:
    assert str(cells.money(text)) == value


@pytest.mark.parametrize(("text", "reason"), [
    ("1,234.567", "too_many_decimals"), ("12,34", "not_a_number"), ("abc", "not_a_number"),
    ("-5", "negative"), ("1.2e3", "not_a_number"), ("1.234,50", "not_a_number")])
def test_a_doubtful_amount_is_refused_never_rounded(text: str, reason: str) -> None:
    with pytest.raises(cells.CellProblem) as refused:
        cells.money(text)
    assert refused.value.reason == reason


def test_dates_are_read_when_their_order_is_certain_and_asked_for_otherwise() -> None:
    assert str(cells.date("2026-03-05")) == "2026-03-05"
    assert str(cells.date("2026/3/5 14:30")) == "2026-03-05"
    assert str(cells.date("2026年3月5日")) == "2026-03-05"
    with pytest.raises(cells.CellProblem, match="ambiguous_date"):
        cells.date("05/03/2026")
    assert cells.date_order(["05/03/2026", "25/03/2026"]) == "dmy"
    assert str(cells.date("05/03/2026", order="dmy")) == "2026-03-05"
    assert cells.date_order(["05/03/2026", "03/25/2026"]) == "mdy"
    assert cells.date_order(["25/03/2026", "03/25/2026"]) is None  # contradicts itself
    assert str(cells.date("05-03-2026 10:00", "%d-%m-%Y %H:%M")) == "2026-03-05"
    with pytest.raises(cells.CellProblem, match="bad_date"):
        cells.date("2026-02-30")
    with pytest.raises(cells.CellProblem, match="bad_date"):  # no order makes it a date
        cells.date("31/31/2026")



def test_a_dry_run_counts_as_the_import_would_and_writes_nothing(
        tmp_path: Path, db_path: Path, services: Services, manager: Actor) -> None:
    path = write(tmp_path, "c.csv", "公司名称,手机\n北京星辰科技有限公司,010 6552 9988\n"
                                    "上海星辰科技有限公司,021 6288 1234\n")
    columns = services.imports.suggest("companies", ("公司名称", "手机"))
    with closing(sqlite3.connect(db_path)) as conn:
        before = conn.execute("SELECT count(*) FROM companies").fetchone()
    dry = services.imports.run("companies", path, ImportOptions(columns=columns, dry_run=True),
                               by=manager)
    assert (dry.created, dry.failed, dry.wrote) == (2, 0, False)
    assert rows(db_path, "SELECT count(*) FROM companies") == [before]
    real = services.imports.run("companies", path, ImportOptions(columns=columns), by=manager)
    # two branches of one brand are two customers: only exact keys make a duplicate
    assert (real.created, real.wrote) == (2, True)


def test_a_product_renamed_onto_another_products_name_is_a_row_error_with_a_report(
        tmp_path: Path, db_path: Path) -> None:
    first = write(tmp_path, "p1.csv", "name,code\nAlpha,A1\nBeta,B1\n")
    assert main(["--db", str(db_path), "import", "products", str(first)]) == 0
    second = write(tmp_path, "p2.csv", "name,code\nBeta,A1\nGamma,B1\n")
    report = tmp_path / "r.json"
    assert main(["--db", str(db_path), "import", "products", str(second), "--match", "code",
                 "--skip-bad-rows", "--report", str(report)]) == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["counts"]["updated"] == 1
    assert [(e["record"], e["reason"]) for e in data["errors"]] == [(1, "duplicate")]
    assert rows(db_path, "SELECT name, code FROM products ORDER BY id") == [
        ("Alpha", "A1"), ("Gamma", "B1")]



def test_products_with_blank_codes_matched_by_code_are_all_kept(
        tmp_path: Path, db_path: Path) -> None:
    """A blank key matches nothing, not the product an earlier row created blank."""
    path = write(tmp_path, "p.csv", "name,code\nAlpha,\nBeta,\nGamma,G1\nGamma2,G1\n")
    assert main(["--db", str(db_path), "import", "products", str(path), "--match", "code",
                 "--skip-bad-rows"]) == 0
    assert rows(db_path, "SELECT name, code FROM products ORDER BY id") == [
        ("Alpha", ""), ("Beta", ""), ("Gamma2", "G1")]

def test_skipping_bad_rows_exits_1_when_every_row_was_bad(
        tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "c.csv", "name,email\nA,bad\nB,bad2\n")
    assert main(["--db", str(db_path), "import", "companies", str(path),
                 "--skip-bad-rows"]) == 1
    assert "every row" in capsys.readouterr().err


def test_a_utf8_file_with_bytes_that_are_not_utf8_is_refused_not_mangled(
        tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfname\nAc\xffme Ltd\n")
    assert main(["--db", str(db_path), "import", "companies", str(path)]) == 1
    assert "UTF-8" in capsys.readouterr().err
    assert rows(db_path, "SELECT count(*) FROM companies") == [(0,)]


@pytest.mark.parametrize("after", [1, 10_000])
def test_a_quote_left_open_is_refused_with_its_line_not_read_into_one_cell(
        tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str], after: int) -> None:
    """Without the closing quote, the rest of the file would be one contact's name (or,
    past Python's cell limit, a crash)."""
    rest = "".join(f"王芳{n},139{n:08d}\n" for n in range(after))
    path = write(tmp_path, "c.csv", f"姓名,手机\n李雷,13800138001\n\"张伟,13800138000\n{rest}")
    assert main(["--db", str(db_path), "import", "contacts", str(path)]) == 1
    error = capsys.readouterr().err
    assert "from line 3 on" in error  # where the quote was opened
    assert rows(db_path, "SELECT count(*) FROM contacts") == [(0,)]


def test_an_excel_file_reads_by_excels_quoting_whatever_its_start_shows(
        tmp_path: Path) -> None:
    """A doubled quote far into the file, past what the delimiter is guessed from (where
    only quoted commas are), and one in a cell with no comma: both read as Excel wrote
    them; a semicolon file too."""
    start = "".join(f'"Company {n}, Ltd",Shanghai\n' for n in range(1000))  # > 20,000 chars
    path = write(tmp_path, "c.csv", f'name,city\n{start}"ACME ""Big"", Ltd",Beijing\n'
                                    f'"He said ""hi""",Wuhan\n')
    cells = [r.cells for r in read_table(path).records[-2:]]
    assert cells == [('ACME "Big", Ltd', "Beijing"), ('He said "hi"', "Wuhan")]
    semicolons = write(tmp_path, "s.csv", 'name;city\n"Star; Co";"Xi\'an"\n')
    assert read_table(semicolons).records[0].cells == ("Star; Co", "Xi'an")


def test_a_quote_left_open_before_a_quoted_cell_is_refused_too(
        tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "c.csv", '姓名,手机\n"张伟,13800138000\n李雷,13800138001\n'
                                    '"王芳",13800138002\n')
    assert main(["--db", str(db_path), "import", "contacts", str(path)]) == 1
    assert "from line 2 on" in capsys.readouterr().err
    assert rows(db_path, "SELECT count(*) FROM contacts") == [(0,)]


def test_a_long_cell_is_read_whole(tmp_path: Path) -> None:
    notes = "很长的备注" * 40_000  # 200,000 characters, past Python's cell limit
    table = read_table(write(tmp_path, "c.csv", f'公司名称,备注\n星辰,"{notes}"\n'))
    assert table.records[0].cells[1] == notes


def test_a_phone_keeps_its_extension_and_is_matched_without_it(
        tmp_path: Path, db_path: Path, services: Services, manager: Actor) -> None:
    path = write(tmp_path, "c.csv", "公司名称,电话\n星辰,010-62881234 ext. 5\n"
                                    "星辰二,+86 10 6288 1234\n")
    report = services.imports.run("companies", path, ImportOptions(
        columns={"name": "公司名称", "phone": "电话"}, skip_bad_rows=True), by=manager)
    assert [e.reason for e in report.errors] == ["duplicate"]  # the same line, no extension
    assert rows(db_path, "SELECT value, key FROM channels") == [
        ("+861062881234;ext=5", "+861062881234")]
    detail = services.customers.company_detail(1)
    assert detail.channels[0].shown == "010 6288 1234 ext. 5"


def test_a_date_with_an_offset_is_that_moment() -> None:
    import datetime as dt

    utc = cells.moment("2026-03-05T23:30:00Z")
    assert utc == dt.datetime(2026, 3, 5, 23, 30, tzinfo=dt.UTC)
    assert cells.moment("2026-03-06T07:30:00+08:00") == utc
    assert cells.moment("2026-03-05 18:30-0500") == utc
    assert cells.moment("2026-03-05 23:30").tzinfo is None  # the caller's time zone


def test_an_update_that_only_adds_a_phone_makes_a_new_version(
        tmp_path: Path, services: Services, manager: Actor) -> None:
    """So that undoing an edit made before it is refused as stale, not made over it."""
    first = write(tmp_path, "a.csv", "name,email\nAmy Lee,amy@ex.com\n")
    services.imports.run("contacts", first, ImportOptions(
        columns={"name": "name", "email": "email"}), by=manager)
    before = services.customers.contact_detail(1).version
    again = write(tmp_path, "b.csv", "name,email,phone\nAmy Lee,amy@ex.com,13800138000\n")
    report = services.imports.run("contacts", again, ImportOptions(
        columns={"name": "name", "email": "email", "phone": "phone"}, mode="update",
        match="email"), by=manager)
    assert report.updated == 1
    assert services.customers.contact_detail(1).version == before + 1


def test_a_company_file_imported_twice_makes_each_company_once(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path) -> None:
    path = write(tmp_path, "c.csv", "公司名称,行业\n北京星辰科技有限公司,软件\n"
                                    "Acme Trading,贸易\nACME TRADING,贸易\n")
    columns = services.imports.suggest("companies", ("公司名称", "行业"))
    first = services.imports.run("companies", path,
                                 ImportOptions(columns=columns, skip_bad_rows=True), by=manager)
    # the same name in other letters is the same company
    assert (first.created, [(e.record, e.column, e.reason) for e in first.errors]) == (
        2, [(3, "公司名称", "duplicate")])
    again = services.imports.run("companies", path,
                                 ImportOptions(columns=columns, skip_bad_rows=True), by=manager)
    assert (again.created, again.failed) == (0, 3)
    assert rows(db_path, "SELECT name, count(*) FROM companies WHERE name IN "
                         "('北京星辰科技有限公司', 'Acme Trading') GROUP BY name") == [
        ("Acme Trading", 1), ("北京星辰科技有限公司", 1)]


def test_people_with_nothing_but_a_name_are_known_by_it_at_their_company(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path) -> None:
    path = write(tmp_path, "c.csv", "姓名,公司名称,手机\n宋佳,星辰科技,\n"
                                    "张伟,星辰科技,138 0013 8000\n")
    columns = services.imports.suggest("contacts", ("姓名", "公司名称", "手机"))
    options = ImportOptions(columns=columns, skip_bad_rows=True)
    assert services.imports.run("contacts", path, options, by=manager).created == 2
    more = write(tmp_path, "more.csv", "姓名,公司名称,手机\n宋佳,星辰科技,\n"  # again
                                       "宋佳,远航贸易,\n"  # another company: another person
                                       "张伟,星辰科技,\n")  # the other 张伟 has a phone
    report = services.imports.run("contacts", more, options, by=manager)
    assert (report.created, [(e.record, e.column, e.reason) for e in report.errors]) == (
        2, [(1, "姓名", "duplicate")])
    assert rows(db_path, "SELECT count(*) FROM contacts WHERE name = '宋佳'") == [(2,)]


def test_a_required_field_no_column_gives_is_said_before_any_row_is_read(
        tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "c.csv", "客户姓名,手机\n宋佳,138 0013 8000\n")
    assert main(["--db", str(db_path), "import", "contacts", str(path)]) == 1
    err = capsys.readouterr().err
    assert ("No column of the file gives “Name”, which every new record needs: match one "
            "to it (on the command line, --column name=HEADER). The file's columns are: "
            "客户姓名, 手机.") in err
    assert main(["--db", str(db_path), "--lang", "zh_CN", "import", "contacts", str(path),
                 "--dry-run", "--skip-bad-rows"]) == 1
    assert "“姓名”" in capsys.readouterr().err
    # named, it imports
    assert main(["--db", str(db_path), "import", "contacts", str(path),
                 "--column", "name=客户姓名"]) == 0
    assert rows(db_path, "SELECT name FROM contacts") == [("宋佳",)]


def test_an_update_matched_on_a_phone_with_an_extension_finds_its_record(
        tmp_path: Path, services: Services, manager: Actor) -> None:
    first = write(tmp_path, "a.csv", "name,phone\nAmy Lee,010 6288 1234 ext. 12\n")
    services.imports.run("contacts", first, ImportOptions(
        columns={"name": "name", "phone": "phone"}), by=manager)
    again = write(tmp_path, "b.csv", "name,phone,title\nAmy Lee,010 6288 1234 ext. 12,CTO\n")
    report = services.imports.run("contacts", again, ImportOptions(
        columns={"name": "name", "phone": "phone", "title": "title"}, mode="update",
        match="phone"), by=manager)
    assert (report.updated, report.errors) == (1, [])
    assert services.customers.contact_detail(1).fields.title == "CTO"


def test_an_upsert_gives_no_two_records_one_phone(tmp_path: Path, services: Services,
                                                  manager: Actor, db_path: Path) -> None:
    """A phone an updated record gains is claimed: a later new row with it is a
    duplicate, as is an update that would take another record's phone."""
    first = write(tmp_path, "a.csv", "姓名,手机,邮箱\n张伟,13800138000,zw@ex.cn\n"
                                     "李娜,13700137000,ln@ex.cn\n")
    services.imports.run("contacts", first, ImportOptions(
        columns=services.imports.suggest("contacts", ("姓名", "手机", "邮箱"))), by=manager)
    again = write(tmp_path, "b.csv", "姓名,手机,邮箱\n张伟,13900139000,zw@ex.cn\n"
                                     "王芳,13900139000,wf@ex.cn\n李娜,13800138000,ln@ex.cn\n")
    report = services.imports.run("contacts", again, ImportOptions(
        columns=services.imports.suggest("contacts", ("姓名", "手机", "邮箱")),
        mode="upsert", match="email", skip_bad_rows=True), by=manager)
    assert (report.created, report.updated) == (0, 1)
    assert [(e.record, e.column, e.reason) for e in report.errors] == [
        (2, "手机", "duplicate"), (3, "手机", "duplicate")]
    assert rows(db_path, "SELECT contact_id, value FROM channels WHERE kind = 'phone' "
                         "ORDER BY value") == [
        (2, "+8613700137000"), (1, "+8613800138000"), (1, "+8613900139000")]


def test_a_consent_an_import_changes_is_dated(tmp_path: Path, services: Services,
                                              manager: Actor, db_path: Path) -> None:
    first = write(tmp_path, "a.csv", "姓名,邮箱\n张伟,zw@ex.cn\n")
    services.imports.run("contacts", first, ImportOptions(
        columns={"name": "姓名", "email": "邮箱"}), by=manager)
    assert rows(db_path, "SELECT consent, consent_at FROM contacts") == [("unknown", None)]
    again = write(tmp_path, "b.csv", "姓名,邮箱,同意联系\n张伟,zw@ex.cn,是\n")
    report = services.imports.run("contacts", again, ImportOptions(
        columns={"name": "姓名", "email": "邮箱", "consent": "同意联系"}, mode="update",
        match="email"), by=manager)
    assert report.updated == 1
    (consent, at), = rows(db_path, "SELECT consent, consent_at FROM contacts")
    assert consent == "given"
    assert at is not None


def test_a_company_renamed_by_an_import_is_found_by_its_new_name_with_its_people(
        tmp_path: Path, services: Services, manager: Actor) -> None:
    first = write(tmp_path, "a.csv", "name,external_id\nOldname Ltd,C-1\n")
    services.imports.run("companies", first, ImportOptions(
        columns={"name": "name", "external_id": "external_id"}), by=manager)
    people = write(tmp_path, "p.csv", "name,company\nAmy Lee,Oldname Ltd\n")
    services.imports.run("contacts", people, ImportOptions(
        columns={"name": "name", "company": "company"}), by=manager)
    services.customers.index_missing()
    again = write(tmp_path, "b.csv", "name,external_id\nNewname Ltd,C-1\n")
    report = services.imports.run("companies", again, ImportOptions(
        columns={"name": "name", "external_id": "external_id"}, mode="update",
        match="external_id"), by=manager)
    assert report.updated == 1
    found = {(h.kind, h.title) for h in services.search.search("Newname", by=manager)}
    assert ("contact", "Amy Lee") in found
    assert not [h for h in services.search.search("Oldname", by=manager)]


def test_an_update_needs_no_name_and_an_upserts_new_rows_do(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path) -> None:
    first = write(tmp_path, "a.csv", "姓名,邮箱\n张伟,zw@ex.cn\n")
    services.imports.run("contacts", first, ImportOptions(
        columns={"name": "姓名", "email": "邮箱"}), by=manager)
    again = write(tmp_path, "b.csv", "邮箱,职位\nzw@ex.cn,采购经理\nnew@ex.cn,工程师\n")
    columns = {"email": "邮箱", "title": "职位"}
    update = services.imports.run("contacts", again, ImportOptions(
        columns=columns, mode="update", match="email", skip_bad_rows=True), by=manager)
    assert update.updated == 1
    assert [(e.record, e.reason) for e in update.errors] == [(2, "not_found")]
    upsert = services.imports.run("contacts", again, ImportOptions(
        columns=columns, mode="upsert", match="email", skip_bad_rows=True), by=manager)
    assert (upsert.unchanged, upsert.created) == (1, 0)
    assert [(e.record, e.column, e.reason) for e in upsert.errors] == [
        (2, "Name", "required")]
    assert rows(db_path, "SELECT name, title FROM contacts") == [("张伟", "采购经理")]


def test_a_row_with_more_cells_than_columns_is_refused_not_read_shifted(
        tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "c.csv", "name,industry,city\nAcme Co., Ltd.,Manufacturing,Shanghai\n"
                                    "Bolt Inc.,Retail,Boston\n")
    report = tmp_path / "r.json"
    assert main(["--db", str(db_path), "import", "companies", str(path), "--skip-bad-rows",
                 "--report", str(report)]) == 0
    errors = json.loads(report.read_text(encoding="utf-8"))["errors"]
    assert [(e["record"], e["reason"], e["value"]) for e in errors] == [
        (1, "extra_cells", "Shanghai")]
    assert rows(db_path, "SELECT name, industry, city FROM companies") == [
        ("Bolt Inc.", "Retail", "Boston")]


def test_an_update_matched_by_name_in_another_case_keeps_the_names_case(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path) -> None:
    first = write(tmp_path, "a.csv", "name,industry\nACME Inc.,Retail\n")
    services.imports.run("companies", first, ImportOptions(
        columns={"name": "name", "industry": "industry"}), by=manager)
    again = write(tmp_path, "b.csv", "name,industry\nacme inc.,Logistics\n")
    report = services.imports.run("companies", again, ImportOptions(
        columns={"name": "name", "industry": "industry"}, mode="update", match="name"),
        by=manager)
    assert report.updated == 1
    assert rows(db_path, "SELECT name, industry FROM companies") == [("ACME Inc.", "Logistics")]


def test_a_contact_rows_report_names_each_of_its_problems(
        tmp_path: Path, services: Services, manager: Actor) -> None:
    path = write(tmp_path, "c.csv", "姓名,手机,邮箱,角色\n"
                                    "王芳,12345,wang@,boss\n")  # a bad phone, email and role
    report = services.imports.run("contacts", path, ImportOptions(
        columns={"name": "姓名", "phone": "手机", "email": "邮箱", "role": "角色"}), by=manager)
    assert sorted((e.record, e.column, e.reason) for e in report.errors) == [
        (1, "手机", "bad_phone"), (1, "角色", "unknown_value"), (1, "邮箱", "bad_email")]


def test_an_owner_cell_naming_the_public_pool_puts_the_record_in_it(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path) -> None:
    path = write(tmp_path, "c.csv", "姓名,负责人,公司\n王芳,公海,星辰科技\nTom Lee,Public pool,\n"
                                    "李雷,赵强,\n")
    report = services.imports.run("contacts", path, ImportOptions(
        columns={"name": "姓名", "owner": "负责人", "company": "公司"}), by=manager)
    assert (report.created, report.errors) == (3, [])
    assert rows(db_path, "SELECT p.name, u.display_name FROM contacts p "
                         "LEFT JOIN users u ON u.id = p.owner_id ORDER BY p.id") == [
        ("王芳", None), ("Tom Lee", None), ("李雷", "赵强")]
    assert rows(db_path, "SELECT name FROM contacts WHERE pooled_at IS NOT NULL "
                         "ORDER BY id") == [("王芳",), ("Tom Lee",)]  # pooled since the import
    # the company she brings along is in the pool since then too (not "never owned")
    assert rows(db_path, "SELECT owner_id, pooled_at IS NOT NULL FROM companies") == [
        (None, 1)]
    assert rows(db_path, "SELECT count(*) FROM users WHERE display_name IN "
                         "('公海', 'Public pool')") == [(0,)]


def test_an_update_naming_the_pool_releases_the_record_with_its_pool_history(
        tmp_path: Path, services: Services, manager: Actor, db_path: Path) -> None:
    first = write(tmp_path, "a.csv", "姓名,邮箱,负责人,公司\n王芳,wang@x.cn,赵强,星辰科技\n")
    options = ImportOptions(columns={"name": "姓名", "email": "邮箱", "owner": "负责人",
                                     "company": "公司"}, mode="upsert", match="email")
    assert services.imports.run("contacts", first, options, by=manager).created == 1
    again = write(tmp_path, "b.csv", "姓名,邮箱,负责人,公司\n王芳,wang@x.cn,公海,新公司\n")
    report = services.imports.run("contacts", again, options, by=manager)
    assert (report.updated, report.errors) == (1, [])
    [(contact_id, owner, pooled)] = rows(
        db_path, "SELECT id, owner_id, pooled_at IS NOT NULL FROM contacts")
    assert (owner, pooled) == (None, 1)  # in the pool, since the import
    assert [(e.action, e.owner_before) for e in services.pool.history("contact", contact_id)] == [
        ("released", "赵强")]
    assert rows(db_path, "SELECT count(*) FROM users WHERE display_name = '公海'") == [(0,)]
    assert rows(db_path, "SELECT owner_id FROM companies WHERE name = '新公司'") == [(None,)]


def test_a_companies_file_headed_by_its_names_alone_is_matched(services: Services) -> None:
    """名称 (name) and 单位名称 (the unit's name) head many Chinese lists of companies."""
    for header in ("名称", "单位名称"):
        assert services.imports.suggest("companies", (header, "电话")) == {
            "name": header, "phone": "电话"}


def test_an_imported_record_shows_when_and_by_whom_it_was_made(
        tmp_path: Path, services: Services, manager: Actor) -> None:
    """An import audits the file, not each record: the history of a record it made names
    the record's own making, once, and a record made in a form keeps its own entry."""
    from funneldesk.services.customers.list_records import CONTACT, CustomerQuery
    from funneldesk.services.customers.records import ContactFields

    path = tmp_path / "contacts.csv"
    path.write_text("姓名,公司名称\n赵敏,远航物流有限公司\n", encoding="utf-8")
    services.imports.run("contacts", path, ImportOptions(
        columns=services.imports.suggest("contacts", ("姓名", "公司名称"))), by=manager)
    made = services.customers.add_contact(ContactFields(name="王芳"), by=manager).id
    rows = {r.name: r.id for r in services.customer_list.all_rows(CustomerQuery(CONTACT))}
    imported = services.customer_list.overview("contact", rows["赵敏"]).history
    assert [(h.action, h.by) for h in imported] == [("create", manager.display_name)]
    company = services.customer_list.overview("company", services.customers.contact_detail(
        rows["赵敏"]).fields.company_id or 0).history
    assert [h.action for h in company] == ["create"]
    assert [h.action for h in services.customer_list.overview("contact", made).history] == [
        "create"]


def test_the_making_of_an_imported_record_keeps_its_place_and_its_maker_after_a_merge(
        tmp_path: Path, services: Services, manager: Actor, rep: Actor) -> None:
    """A contact a rep made in a form, merged into an imported one: the kept record's
    history has both makings, each by its maker, newest first; sample data has none."""
    from funneldesk.services.customers.list_records import CONTACT, CustomerQuery
    from funneldesk.services.customers.records import ContactFields

    path = tmp_path / "contacts.csv"
    path.write_text("姓名,公司名称\n赵敏,远航物流有限公司\n", encoding="utf-8")
    services.imports.run("contacts", path, ImportOptions(
        columns=services.imports.suggest("contacts", ("姓名", "公司名称"))), by=manager)
    [kept] = [r.id for r in services.customer_list.all_rows(CustomerQuery(CONTACT))]
    other = services.customers.add_contact(ContactFields(name="赵敏"), by=rep).id
    preview = services.merges.preview("contact", kept, other)
    services.merges.merge("contact", kept, other, {}, preview.versions, by=manager)
    history = services.customer_list.overview("contact", kept).history
    assert [(h.action, h.by) for h in history] == [
        ("merge", manager.display_name), ("create", rep.display_name),
        ("create", manager.display_name)]
    assert [h.at for h in history] == sorted((h.at for h in history), reverse=True)

    services.demo.generate(deals=3, seed=1, by=manager, append=True)
    sample = next(r.id for r in services.customer_list.all_rows(CustomerQuery(CONTACT))
                  if r.id not in (kept, other))
    assert services.customer_list.overview("contact", sample).history == ()
