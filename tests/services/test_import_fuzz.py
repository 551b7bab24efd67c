"""Property-based fuzzing of the importer: whatever the file holds, the import ends with a
report, never an unhandled exception; an all-or-nothing import that reports an error
changes nothing; the counts always add up."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funneldesk.db import open_database
from funneldesk.errors import InvalidInput
from funneldesk.services import Services
from funneldesk.services.common.tabular.engine import ImportOptions

HEADERS = {
    "contacts": ["姓名", "公司名称", "手机", "邮箱", "微信号", "负责人", "来源", "标签", "同意联系"],
    "companies": ["公司名称", "统一社会信用代码", "电话", "邮箱", "客户等级", "External ID",
                  "标签", "负责人", "网址"],
    "products": ["产品名称", "产品编码", "name"],
    "deals": ["Deal Name", "Deal Stage", "Amount", "Close Date", "Create Date", "Deal owner",
              'Date entered "Won (Sales)"', "Deal - Status", "Deal - Currency"],
}
cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "138 0013 8000", "1.38001E+10", "a@b.cn", "A@B.CN", "x@",
                     "张伟", "李娜", "微信", "yes", "否", "\r\n", '"', ",", "；", "\x00",
                     "Won", "Lost", "won", "Initial contact", "1,234.50", "¥12", "1.005",
                     "2026-02-30", "05/03/2026", "2026-03-05 10:00", "usd", "CNYX",
                     "91440300708461136T", "A", "X-1", "2026-03-05T10:00Z"]))
record = st.lists(cell, min_size=0, max_size=11)


def snapshot(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with closing(sqlite3.connect(path)) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'")]
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


def csv_text(kind: str, records: list[list[str]], raw: bool = False) -> str:
    """The records as CSV, each cell quoted as it must be; ``raw``: as a careless script
    writes them, quotes, commas and newlines as they are (quotes left open)."""
    def quoted(text: str) -> str:
        if raw or not any(c in text for c in ',"\r\n'):
            return text
        return '"' + text.replace('"', '""') + '"'
    return "\r\n".join(",".join(quoted(c) for c in r) for r in [HEADERS[kind], *records])


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(records=st.lists(record, max_size=8), skip=st.booleans(),
       encoding=st.sampled_from(["utf-8-sig", "gb18030"]),
       kind=st.sampled_from(["contacts", "deals", "companies", "products"]),
       upsert=st.booleans(), raw=st.booleans())
def test_an_import_never_fails_unhandled_and_all_or_nothing_means_it(
        template_db: Path, tmp_path: Path, records: list[list[str]], skip: bool,
        encoding: str, kind: str, upsert: bool, raw: bool) -> None:
    path = tmp_path / "fuzz.db"
    shutil.copy(template_db, path)
    text = csv_text(kind, records, raw)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8-sig")
    (tmp_path / "in.csv").write_bytes(data)
    db = open_database(path)
    try:
        services = Services.for_database(db)
        me = services.users.current("fuzz")
        try:
            table = services.imports.read(tmp_path / "in.csv")
        except InvalidInput:
            return  # a file it cannot read is refused as a whole, with a sentence
        columns = services.imports.suggest(kind, table.headers)
        key = services.imports.importer(kind).match_keys[0]
        matching = {"mode": "upsert", "match": key} if upsert and key in columns else {}
        options = ImportOptions(
            columns=columns, skip_bad_rows=skip,
            entered=services.imports.suggest_entered(kind, table.headers), **matching)
        # twice: the second run updates what the first created
        services.imports.run(kind, table, options, by=me)
        before = snapshot(path)
        report = services.imports.run(kind, table, options, by=me)
    finally:
        db.close()
    assert report.read == len(table.records)
    if report.errors and not skip:
        assert snapshot(path) == before
        assert report.created == report.updated == report.unchanged == 0
    else:
        assert report.created + report.updated + report.unchanged + report.failed == report.read
