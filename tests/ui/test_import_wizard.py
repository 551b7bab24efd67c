"""The import wizard, driven through its real pages: columns suggested from Chinese
headers, the mapping edited, the date question, the dry run that writes nothing, an
import that skips bad rows, Cancel in the middle of a large import, and the saved report."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any, ClassVar

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QWidget, QWizard
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from funneldesk import paths
from funneldesk.services import Services
from funneldesk.services.common.tabular.engine import (
    Context,
    Field,
    ImportReport,
    Row,
    reason_label,
)
from funneldesk.services.common.tabular.service import ImportService
from funneldesk.services.customers.records import CompanyFields
from funneldesk.services.dto import Actor
from funneldesk.ui.common import background
from funneldesk.ui.customers.duplicates_view import DuplicatesDialog
from funneldesk.ui.customers.import_entry import open_import_wizard
from funneldesk.ui.customers.import_models import FIELD
from funneldesk.ui.customers.import_preview_page import DAY_FIRST
from funneldesk.ui.customers.import_wizard import ImportWizard
from funneldesk.ui.shell.main_window import MainWindow
from tests.ui.conftest import answer_next_dialog

COMPANIES = ("公司名称,手机,邮箱,行业,传真\r\n"
             "北京星辰科技有限公司,138 0013 8000,info@xingchen.cn,软件,010-1234\r\n"
             "上海华信有限公司,139 1234 5678,not-an-email,贸易,\r\n"
             "深圳前海云端科技有限公司,,yun@qianhai.cn,云计算,\r\n")


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def companies(db_path: Path) -> int:
    with closing(sqlite3.connect(db_path)) as conn:
        return int(conn.execute("SELECT count(*) FROM companies").fetchone()[0])


@pytest.fixture
def wizard(qtbot: QtBot, services: Services, manager: Actor) -> Iterator[ImportWizard]:
    wiz = ImportWizard(services, manager, "companies")
    qtbot.addWidget(wiz)
    wiz.show()
    yield wiz
    wiz.runner.cancel()


def open_file(qtbot: QtBot, wiz: ImportWizard, path: Path) -> None:
    wiz.file_page.load(path)
    qtbot.waitUntil(wiz.file_page.isComplete, timeout=10000)


def go_on(wiz: ImportWizard) -> None:
    assert wiz.currentPage().isComplete()
    wiz.next()


def dry_run(qtbot: QtBot, wiz: ImportWizard) -> None:
    """From the preview: runs the dry run and waits for its report."""
    go_on(wiz)
    assert wiz.currentPage() is wiz.dry_run_page
    qtbot.waitUntil(lambda: not wiz.dry_run_page.running, timeout=20000)


def test_a_gbk_file_with_chinese_headers_has_its_columns_suggested(
        qtbot: QtBot, wizard: ImportWizard, tmp_path: Path) -> None:
    open_file(qtbot, wizard, write(tmp_path, "c.csv", COMPANIES, "gbk"))
    assert wizard.file_page.encoding.text() == "GBK / GB18030 (Chinese Windows)"
    assert wizard.file_page.rows.text() == "3"
    go_on(wizard)
    model = wizard.mapping_page.model
    assert model.columns() == {"name": "公司名称", "phone": "手机", "email": "邮箱",
                               "industry": "行业"}
    shown = [model.index(r, FIELD).data() for r in range(model.rowCount())]
    assert shown == ["Company", "Phone", "Email", "Industry", "Don’t import"]
    assert model.index(0, 1).data().startswith("北京星辰科技有限公司 · 上海华信有限公司")
    assert wizard.mapping_page.isComplete()
    assert wizard.mapping_page.subTitle().startswith("Columns whose header names a field")


def test_columns_are_unmapped_and_mapped_through_the_model(
        qtbot: QtBot, wizard: ImportWizard, tmp_path: Path, qtmodeltester: ModelTester) -> None:
    open_file(qtbot, wizard, write(tmp_path, "c.csv", COMPANIES))
    go_on(wizard)
    page, model = wizard.mapping_page, wizard.mapping_page.model
    qtmodeltester.check(model)
    assert model.setData(model.index(0, FIELD), "")  # the company name: not imported
    assert "name" not in model.columns()
    assert not page.isComplete()
    assert page.missing.isVisible()
    assert "Company" in page.missing.text()
    # the fax column becomes the name; then the name column takes it back from it
    assert model.setData(model.index(4, FIELD), "name")
    assert model.columns()["name"] == "传真"
    assert page.isComplete()
    assert model.setData(model.index(0, FIELD), "name")
    assert model.columns()["name"] == "公司名称"
    assert model.index(4, FIELD).data() == "Don’t import"
    assert not model.setData(model.index(4, FIELD), "no_such_field")
    # update mode needs its key matched to a column
    page.mode.setCurrentIndex(page.mode.findData("update"))
    page.key.setCurrentIndex(page.key.findData("credit_code"))
    assert not page.isComplete()
    page.key.setCurrentIndex(page.key.findData("name"))
    assert page.isComplete()


class DatedImporter:
    """A kind with a date, as the deals will have: it keeps the rows it is given."""

    entity = "visit"
    fields = (Field("name", "Name", required=True), Field("when", "Date", "date"))
    match_keys = ("name",)
    references_checked = False
    applied: ClassVar[list[Row]] = []

    def parse(self, row: Row, ctx: Context) -> None:
        pass

    def apply(self, session: object, rows: Sequence[Row], ctx: Context) -> None:
        for row in rows:
            DatedImporter.applied.append(row)
            ctx.done("created")


@pytest.fixture
def dated(services: Services) -> Services:
    """The services, importing visits as well."""
    DatedImporter.applied = []
    services.__dict__["imports"] = ImportService(services.db, {"visits": DatedImporter})
    return services


def test_an_ambiguous_date_column_is_asked_about_and_the_answer_is_used(
        qtbot: QtBot, dated: Services, manager: Actor, tmp_path: Path) -> None:
    wiz = ImportWizard(dated, manager)
    qtbot.addWidget(wiz)
    wiz.show()
    text = "Name,Date\n甲,05/03/2026\n乙,07/04/2026\n丙,2026-05-01\n"
    open_file(qtbot, wiz, write(tmp_path, "v.csv", text))
    go_on(wiz)
    go_on(wiz)
    page = wiz.preview_page
    assert page.dates.isVisible()
    assert "05/03/2026" in page.question.text()
    assert not page.isComplete()  # never guessed
    assert page.model.index(0, 1).data() == "05/03/2026"
    page.order.setCurrentIndex(page.order.findData(DAY_FIRST))
    assert page.isComplete()
    assert page.date_format() == "%d/%m/%Y"
    assert page.model.index(0, 1).data() == "2026-03-05"
    dry_run(qtbot, wiz)
    # the year-first date is read as ever beside the format chosen for the others
    assert [r.values["when"] for r in DatedImporter.applied] == [
        dt.date(2026, 3, 5), dt.date(2026, 4, 7), dt.date(2026, 5, 1)]


def test_the_preview_marks_the_cells_the_import_would_refuse_and_says_why(
        qtbot: QtBot, wizard: ImportWizard, tmp_path: Path) -> None:
    text = (COMPANIES + "广州立信有限公司,12345,ok@lixin.cn,贸易,\r\n"
            "星辰科技北京分部,+86 138-0013-8000,,软件,\r\n")  # the first row's phone again
    open_file(qtbot, wizard, write(tmp_path, "c.csv", text))
    go_on(wizard)
    go_on(wizard)
    model = wizard.preview_page.model
    labels = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    phone, email = labels.index("Phone"), labels.index("Email")

    def cell(row: int, column: int) -> tuple[str, object]:
        index = model.index(row, column)
        return index.data(Qt.ItemDataRole.ToolTipRole), index.data(Qt.ItemDataRole.ForegroundRole)

    assert cell(1, email)[0] == reason_label("bad_email")
    assert cell(1, email)[1] is not None  # red
    assert cell(3, phone)[0] == reason_label("bad_phone")
    assert cell(0, email) == ("info@xingchen.cn", None)
    assert cell(0, phone) == ("138 0013 8000", None)
    assert cell(4, phone)[0] == reason_label("duplicate")  # as the dry run would say
    assert cell(4, phone)[1] is not None


def test_a_date_column_that_proves_its_order_is_not_asked_about(
        qtbot: QtBot, dated: Services, manager: Actor, tmp_path: Path) -> None:
    wiz = ImportWizard(dated, manager)
    qtbot.addWidget(wiz)
    wiz.show()
    open_file(qtbot, wiz, write(tmp_path, "v.csv", "Name,Date\n甲,05/03/2026\n乙,25/04/2026\n"))
    go_on(wiz)
    go_on(wiz)
    assert not wiz.preview_page.dates.isVisible()
    assert wiz.preview_page.date_format() is None
    assert wiz.preview_page.model.index(0, 1).data() == "2026-03-05"


def test_the_dry_run_shows_the_errors_and_writes_nothing(
        qtbot: QtBot, wizard: ImportWizard, tmp_path: Path, db_path: Path) -> None:
    before = companies(db_path)
    open_file(qtbot, wizard, write(tmp_path, "c.csv", COMPANIES))
    go_on(wizard)
    go_on(wizard)
    dry_run(qtbot, wizard)
    page = wizard.dry_run_page
    assert companies(db_path) == before
    view = page.view
    assert view.counts.text() == ("3 rows read, 0 would be created, 0 would be updated, "
                                  "0 would stay unchanged, 1 has errors")
    assert view.verdict.text().startswith(
        "1 row has errors. The import is all or nothing, so it would write nothing")
    assert not page.isComplete()  # all or nothing: nothing to import
    errors = view.errors
    assert errors.rowCount() == 1
    assert [errors.index(0, c).data() for c in range(5)] == [
        "2", "3", "邮箱", "not-an-email", "Not a valid email address."]
    # the report, as the command saves it
    view.save(tmp_path / "report.json")
    saved = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert set(saved) == {"counts", "errors"}
    assert saved["errors"][0]["reason"] == "bad_email"
    view.save(tmp_path / "report.csv")
    lines = (tmp_path / "report.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "record,line,column,value,reason,reason_label"
    assert lines[1].startswith("2,3,邮箱,not-an-email,bad_email,")


def dry_run_skipping_bad_rows(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> ImportWizard:
    """The wizard from the File menu's entry, on COMPANIES, up to the dry run's report."""
    wiz = open_import_wizard(window, window.services, window.actor, window.workspace,
                             "companies")
    open_file(qtbot, wiz, write(tmp_path, "c.csv", COMPANIES))
    go_on(wiz)
    wiz.mapping_page.skip.setChecked(True)
    go_on(wiz)
    dry_run(qtbot, wiz)
    return wiz


def test_an_import_that_skips_bad_rows_writes_the_good_ones_and_tells_the_pages(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, db_path: Path) -> None:
    before = companies(db_path)
    assert window.status.save_state.text() == ""
    wiz = dry_run_skipping_bad_rows(qtbot, window, tmp_path)
    assert "skip" in wiz.dry_run_page.view.verdict.text()
    with qtbot.waitSignal(wiz.runner.searchIndexed, timeout=20000) as indexed, \
            qtbot.waitSignal(window.runner.changed, timeout=20000):
        go_on(wiz)
        assert wiz.currentPage() is wiz.import_page
    assert companies(db_path) == before + 2
    assert wiz.import_page.view.verdict.text() == "The import is done."
    assert "if you cancel" not in wiz.import_page.subTitle()  # no Cancel any more
    assert wiz.import_page.view.errors.rowCount() == 1
    assert window.status.save_state.text().startswith("All changes saved · ")
    # the report is kept without being asked for, and the page says where
    [kept] = paths.import_reports_dir().glob("* companies.json")
    assert str(kept) in wiz.import_page.view.saved.text()
    assert [e["reason"] for e in json.loads(kept.read_text(encoding="utf-8"))["errors"]] == [
        "bad_email"]
    assert indexed.args == [""]
    assert wiz.import_page.status.text() == ""
    hits = window.services.search.search("前海云端", by=window.actor)
    assert [h.title for h in hits if h.kind == "company"] == ["深圳前海云端科技有限公司"]
    wiz.accept()


def test_an_import_saved_as_funneldesk_quits_leaves_its_indexing_to_the_next_start(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A window closed after a big import does not keep the process running while its
    records are indexed for search: the indexing stops, and the next start finishes it."""
    quitting = threading.Event()
    quitting.set()
    monkeypatch.setattr(background, "_quitting", quitting)
    wiz = dry_run_skipping_bad_rows(qtbot, window, tmp_path)
    with qtbot.waitSignal(wiz.runner.searchIndexed, timeout=20000):
        go_on(wiz)
    assert not window.services.search.search("前海云端", by=window.actor)
    assert window.services.customers.index_missing() == 2  # what the next start does
    hits = window.services.search.search("前海云端", by=window.actor)
    assert [h.title for h in hits if h.kind == "company"] == ["深圳前海云端科技有限公司"]
    wiz.accept()


def test_companies_imported_alike_to_others_are_named_and_reviewed_in_find_duplicates(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    for name in ("星辰科技有限公司", "恒通电子有限公司", "恒通电子股份有限公司"):  # a pair before
        window.services.customers.add_company(CompanyFields(name=name), by=window.actor)
    wiz = open_import_wizard(window, window.services, window.actor, window.workspace,
                             "companies")
    open_file(qtbot, wiz, write(tmp_path, "c.csv", "公司名称\n星辰科技股份有限公司\n远航物流\n"))
    go_on(wiz)
    go_on(wiz)
    dry_run(qtbot, wiz)
    page = wiz.import_page
    with qtbot.waitSignal(wiz.runner.alikeFound, timeout=20000) as found:
        go_on(wiz)
    assert found.args == [{"company": 1}]
    assert page.alike.isVisible()
    assert page.alike.text() == ("1 company imported has a name like another's: it may be "
                                 "the same customer.")
    seen: list[object] = []

    def close_it(dialog: QWidget) -> None:
        assert isinstance(dialog, DuplicatesDialog)
        qtbot.waitUntil(lambda: not dialog.busy.isVisible(), timeout=10000)
        seen.append(dialog.entity)
        seen.append(sorted(sorted(m.name for m in g.members) for g in dialog.model.groups))
        dialog.only_imported.setChecked(False)  # every group, the pair from before too
        qtbot.waitUntil(lambda: not dialog.busy.isVisible(), timeout=10000)
        seen.append(len(dialog.model.groups))
        dialog.reject()

    answer_next_dialog(close_it)
    qtbot.mouseClick(page.review, Qt.MouseButton.LeftButton)
    assert seen == ["company", [["星辰科技有限公司", "星辰科技股份有限公司"]], 2]
    # its work done, Find duplicates took its place (the wizard deletes itself on close)
    qtbot.waitUntil(lambda: not shiboken6.isValid(wiz))


def start_held_import(qtbot: QtBot, wizard: ImportWizard, tmp_path: Path,
                      request: pytest.FixtureRequest) -> threading.Event:
    """Starts importing 30,000 companies; the import's worker waits, once its first
    progress is out, until the event returned is set (by the test, else when it ends:
    however slow the machine, the import stays held until the test has acted)."""
    rows = "".join(f"Company {n:05d}\n" for n in range(30000))
    open_file(qtbot, wizard, write(tmp_path, "big.csv", f"Company name\n{rows}"))
    go_on(wizard)
    go_on(wizard)
    dry_run(qtbot, wizard)
    assert wizard.dry_run_page.view.counts.text().startswith("30,000 rows read")
    hold = threading.Event()
    request.addfinalizer(hold.set)
    wizard.runner.progressed.connect(lambda done, total: hold.wait(),
                                     Qt.ConnectionType.DirectConnection)
    go_on(wizard)
    qtbot.waitUntil(lambda: wizard.import_page.progress.maximum() == 30000, timeout=20000)
    return hold

def test_cancel_during_a_large_import_leaves_the_database_unchanged(
        qtbot: QtBot, wizard: ImportWizard, tmp_path: Path, db_path: Path,
        request: pytest.FixtureRequest) -> None:
    before = companies(db_path)
    clicked = start_held_import(qtbot, wizard, tmp_path, request)
    page = wizard.import_page
    qtbot.mouseClick(page.cancel, Qt.MouseButton.LeftButton)
    assert page.status.text() == "Cancelling…"
    assert "if you cancel, nothing is written" in page.subTitle()
    clicked.set()
    qtbot.waitUntil(lambda: not page.running, timeout=20000)
    assert page.view.problem.text() == "The import was cancelled; nothing was written."
    assert "if you cancel" not in page.subTitle()
    assert companies(db_path) == before
    assert page.isComplete()
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()  # Finish now



def test_closing_the_wizard_during_an_import_cancels_it_and_closes_it_once_stopped(
        qtbot: QtBot, wizard: ImportWizard, tmp_path: Path, db_path: Path,
        request: pytest.FixtureRequest) -> None:
    before = companies(db_path)
    closed = start_held_import(qtbot, wizard, tmp_path, request)
    cancel = wizard.button(QWizard.WizardButton.CancelButton)
    assert cancel.isVisible()  # where Cancel was on every page
    assert cancel.isEnabled()
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert wizard.isVisible()  # until the import has stopped
    with qtbot.waitSignal(wizard.closedCancelled, timeout=20000):  # the window says so
        closed.set()
    assert not wizard.isVisible()
    assert companies(db_path) == before


def test_closing_the_wizard_once_the_import_is_saved_says_it_was_saved_not_cancelled(
        qtbot: QtBot, wizard: ImportWizard, services: Services, tmp_path: Path,
        db_path: Path, request: pytest.FixtureRequest,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A close that comes after the import has committed, before the window has heard of
    it, cannot cancel it: the window must not say that nothing was written."""
    before = companies(db_path)
    open_file(qtbot, wizard, write(tmp_path, "c.csv", "公司名称\n甲公司\n乙公司\n"))
    go_on(wizard)
    go_on(wizard)
    dry_run(qtbot, wizard)
    saved, hold = threading.Event(), threading.Event()
    request.addfinalizer(hold.set)
    real = services.imports.run

    def held(*args: Any, **options: Any) -> ImportReport:
        report = real(*args, **options)
        saved.set()
        hold.wait()  # committed; the window not told yet
        return report

    monkeypatch.setattr(services.imports, "run", held)
    go_on(wizard)
    qtbot.waitUntil(saved.is_set, timeout=20000)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CancelButton),
                     Qt.MouseButton.LeftButton)
    assert wizard.isVisible()
    said: list[str] = []
    wizard.closedCancelled.connect(lambda: said.append("cancelled"))
    with qtbot.waitSignal(wizard.closedWritten, timeout=20000) as written:
        hold.set()
    assert said == []
    assert written.args[0].created == 2
    assert companies(db_path) == before + 2
    assert not wizard.isVisible()


def test_skipping_bad_rows_when_every_row_is_bad_goes_no_further_than_the_dry_run(
        qtbot: QtBot, wizard: ImportWizard, tmp_path: Path) -> None:
    open_file(qtbot, wizard, write(tmp_path, "c.csv", "公司名称,邮箱\n甲公司,bad\n乙公司,bad2\n"))
    go_on(wizard)
    wizard.mapping_page.skip.setChecked(True)
    go_on(wizard)
    dry_run(qtbot, wizard)
    assert wizard.dry_run_page.view.verdict.text().startswith(
        "Every row has errors: the import would write nothing.")
    assert not wizard.dry_run_page.isComplete()

def test_the_file_menu_opens_the_wizard(qtbot: QtBot, window: MainWindow) -> None:
    action = next(a for a in window.findChildren(QAction) if a.text() == "Import…")
    action.trigger()
    wiz = next(w for w in QApplication.topLevelWidgets()
               if isinstance(w, ImportWizard) and w.isVisible())
    assert wiz.parent() is window
    assert wiz.file_page.kind.count() >= 3
    assert wiz.file_page.kind_code() == "deals"  # from the board: what it shows
    wiz.reject()
    page = window.page("customers")
    window.show_page("customers")
    page.show_entity("contact")  # type: ignore[attr-defined]
    action.trigger()
    wiz = next(w for w in QApplication.topLevelWidgets()
               if isinstance(w, ImportWizard) and w.isVisible())
    assert wiz.file_page.kind_code() == "contacts"
    wiz.reject()
