"""The Customers page's actions, driven through its real widgets: a new company appears
in the list, Enter opens the selected row's form and an edit shows in the list, two
selected rows merge, claim and release change the owner column and show in the detail's
pool history, and Export writes the rows the list shows, and only those."""

from __future__ import annotations

import csv
import re
import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from funneldesk import i18n
from funneldesk.services import Services
from funneldesk.services.customers.records import CompanyFields, ContactFields
from funneldesk.services.dto import Actor, CustomerColumn, CustomerQuery
from funneldesk.settings import Settings
from funneldesk.ui.common import file_dialogs
from funneldesk.ui.common.page import Workspace
from funneldesk.ui.common.user_action import ActionRunner
from funneldesk.ui.customers.company_form import CompanyForm
from funneldesk.ui.customers.contact_form import ContactForm
from funneldesk.ui.customers.merge_dialog import MergeDialog
from funneldesk.ui.customers.page import CustomersPage
from tests.ui.conftest import answer_next_dialog

NAMES = ("北京星辰科技有限公司", "上海明远贸易有限公司", "广州远航物流有限公司",
         "深圳海岸电子有限公司")


@pytest.fixture
def companies(services: Services, manager: Actor) -> dict[str, int]:
    made = {}
    for i, name in enumerate(NAMES):
        saved = services.customers.add_company(
            CompanyFields(name=name, city="北京" if i % 2 == 0 else "上海"), by=manager)
        made[name] = saved.id
    return made


@pytest.fixture
def messages() -> list[str]:
    return []


@pytest.fixture
def page(qtbot: QtBot, services: Services, manager: Actor, companies: dict[str, int],
         messages: list[str]) -> CustomersPage:
    window = QMainWindow()
    qtbot.addWidget(window)
    undo_stack = QUndoStack(window)
    runner = ActionRunner(undo_stack, window)
    workspace = Workspace(services, manager, Settings(), runner, undo_stack, window,
                          messages.append)
    made = CustomersPage(workspace)
    runner.changed.connect(made.apply_changes)  # as the window relays every change
    runner.stepped.connect(messages.append)  # and shows what an undo or redo did
    window.setCentralWidget(made)
    window.resize(1400, 700)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: made.model.rowCount() == len(NAMES))
    return made


def column_texts(page: CustomersPage, column: CustomerColumn) -> dict[str, str]:
    """Each listed company's name -> its cell in ``column``."""
    section = page.model.columns.index(column)
    shown = {}
    for row in range(page.model.rowCount()):
        name = page.model.index(row, 0).data()
        shown[name] = page.model.index(row, section).data()
    return shown


def select(page: CustomersPage, qtbot: QtBot, *names: str) -> None:
    rows = [r for r in range(page.model.rowCount()) if page.model.index(r, 0).data() in names]
    selection = page.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag
    selection.setCurrentIndex(page.model.index(rows[0], 0),
                              flags.ClearAndSelect | flags.Rows)
    for row in rows[1:]:
        selection.select(page.model.index(row, 0), flags.Select | flags.Rows)
    page.table.setFocus()


def test_a_new_company_from_the_page_appears_in_the_list_and_is_shown(
        qtbot: QtBot, page: CustomersPage, messages: list[str]) -> None:
    def fill_in(form: QWidget) -> None:
        assert isinstance(form, CompanyForm)
        assert form.windowTitle()
        form.name.insert("杭州云帆网络有限公司")
        form.accept()

    answer_next_dialog(fill_in)
    page.new_company_action.trigger()
    qtbot.waitUntil(lambda: page.model.rowCount() == len(NAMES) + 1, timeout=10000)
    assert "杭州云帆网络有限公司" in column_texts(page, CustomerColumn.NAME)
    qtbot.waitUntil(lambda: page.detail.overview is not None
                    and page.detail.overview.detail.fields.name == "杭州云帆网络有限公司",
                    timeout=10000)
    qtbot.waitUntil(lambda: page.current_record() is not None, timeout=10000)
    assert page.current_record().name == "杭州云帆网络有限公司"  # type: ignore[union-attr]
    assert messages[-1] == "“杭州云帆网络有限公司” saved."


def test_a_new_contact_joins_the_company_selected(
        qtbot: QtBot, page: CustomersPage, messages: list[str]) -> None:
    company = NAMES[1]
    select(page, qtbot, company)
    seen: list[str] = []

    def fill_in(form: QWidget) -> None:
        if not isinstance(form, ContactForm):  # closed, so that the test fails, not waits
            form.close()
            return
        seen.append(form.company.text())
        form.name.insert("周敏")
        form.accept()

    answer_next_dialog(fill_in)
    page.new_contact_action.trigger()
    qtbot.waitUntil(lambda: bool(seen) and bool(messages), timeout=10000)
    assert seen == [company]
    assert messages[-1] == "“周敏” saved."
    overview = page.workspace.services.customer_list.overview(
        "company", page.workspace.services.customers.search_companies(company)[0].id)
    assert "周敏" in [p.name for p in overview.contacts]


def test_enter_opens_the_selected_rows_form_and_the_edit_shows_in_the_list(
        qtbot: QtBot, page: CustomersPage) -> None:
    name = "上海明远贸易有限公司"
    select(page, qtbot, name)
    qtbot.waitUntil(lambda: page.detail.overview is not None, timeout=10000)
    opened: list[str] = []

    def edit(form: QWidget) -> None:
        assert isinstance(form, CompanyForm)
        opened.append(form.name.text())
        form.city.clear()
        form.city.insert("苏州")
        form.accept()

    answer_next_dialog(edit)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened == [name]
    qtbot.waitUntil(lambda: column_texts(page, CustomerColumn.CITY)[name] == "苏州",
                    timeout=10000)
    # the row stays selected and its detail is read again
    qtbot.waitUntil(lambda: "苏州" in page.detail.toPlainText(), timeout=10000)
    qtbot.waitUntil(lambda: page.current_record() is not None, timeout=10000)
    assert page.current_record().name == name  # type: ignore[union-attr]


def edit_city(qtbot: QtBot, page: CustomersPage, name: str, city: str) -> None:
    """Opens the company's form with Enter and saves it with ``city``."""
    select(page, qtbot, name)

    def edit(form: QWidget) -> None:
        assert isinstance(form, CompanyForm)
        form.city.setText(city)
        form.accept()

    answer_next_dialog(edit)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: column_texts(page, CustomerColumn.CITY)[name] == city,
                    timeout=10000)


def test_form_edits_are_undone_and_redone_but_never_over_another_users_change(
        qtbot: QtBot, page: CustomersPage, services: Services, manager: Actor,
        companies: dict[str, int], warnings_shown: list[str]) -> None:
    name, stack = "上海明远贸易有限公司", page.workspace.undo_stack
    ident = companies[name]
    edit_city(qtbot, page, name, "苏州")
    edit_city(qtbot, page, name, "杭州")
    assert stack.undoText() == f"Edit “{name}”"

    def city_shown(city: str) -> None:
        qtbot.waitUntil(lambda: column_texts(page, CustomerColumn.CITY)[name] == city,
                        timeout=10000)
        assert services.customers.company_detail(ident).fields.city == city

    stack.undo()
    city_shown("苏州")
    stack.undo()  # the first edit, although the second one moved the version on
    city_shown("上海")
    stack.redo()
    city_shown("苏州")
    assert warnings_shown == []
    history = services.customer_list.overview("company", ident).history
    assert [h.action for h in history][:3] == ["redo", "undo", "undo"]  # newest first
    qtbot.waitUntil(lambda: "Edit redone — City" in page.detail.toPlainText(), timeout=10000)
    # someone else changes it: redoing the second edit would overwrite that, unseen
    detail = services.customers.company_detail(ident)
    services.customers.update_company(ident, replace(detail.fields, city="南京"),
                                      expected_version=detail.version, by=manager)
    stack.redo()
    assert len(warnings_shown) == 1
    assert warnings_shown[0].startswith(f"Cannot redo Edit “{name}”: it has been changed "
                                        f"since (last by {manager.display_name} at ")
    assert warnings_shown[0].endswith(". It is no longer on the Undo list.")
    assert services.customers.company_detail(ident).fields.city == "南京"
    assert not stack.canRedo()
    city_shown("南京")  # the list reads the record again


def test_releasing_a_record_does_not_block_undoing_an_edit_made_before(
        qtbot: QtBot, page: CustomersPage, services: Services, companies: dict[str, int],
        warnings_shown: list[str], messages: list[str]) -> None:
    name, stack = "上海明远贸易有限公司", page.workspace.undo_stack
    edit_city(qtbot, page, name, "苏州")
    select(page, qtbot, name)
    row = page.current_record()
    assert row is not None
    page.commands.release("company", row)
    qtbot.waitUntil(lambda: column_texts(page, CustomerColumn.OWNER)[name] != "manager",
                    timeout=10000)
    stack.undo()
    assert warnings_shown == []
    undone = services.customers.company_detail(companies[name])
    assert undone.fields.city == "上海"
    assert undone.fields.owner_id is None  # the release stays: the undo took back the edit
    qtbot.waitUntil(lambda: messages[-1] == f"Undone: Edit “{name}”", timeout=5000)


def test_a_verify_in_a_cancelled_form_shows_in_the_detail(
        qtbot: QtBot, page: CustomersPage) -> None:
    name = "杭州青松软件有限公司"
    page.workspace.services.customers.add_company(
        CompanyFields(name=name, phones=("13800138000",)), by=page.workspace.actor)
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.reload()
    select(page, qtbot, name)
    qtbot.waitUntil(lambda: "(not verified)" in page.detail.toPlainText(), timeout=10000)

    def verify_then_cancel(form: QWidget) -> None:
        assert isinstance(form, CompanyForm)
        form.phones.entries[0].verify.click()  # saved at once
        form.reject()

    answer_next_dialog(verify_then_cancel)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "✓ verified on" in page.detail.toPlainText(), timeout=10000)


def test_two_selected_rows_are_merged_into_the_first(
        qtbot: QtBot, page: CustomersPage, services: Services,
        companies: dict[str, int]) -> None:
    first, second = "北京星辰科技有限公司", "深圳海岸电子有限公司"
    select(page, qtbot, first, second)
    assert page.merge_action.isEnabled()
    assert not page.open_action.isEnabled() or page.current_record() is not None
    shown: list[tuple[int, int]] = []

    def merge(dialog: QWidget) -> None:
        assert isinstance(dialog, MergeDialog)
        assert dialog.preview is not None
        shown.append((dialog.preview.kept.id, dialog.preview.merged.id))
        dialog.merge()

    answer_next_dialog(merge)
    page.merge_action.trigger()
    assert shown == [(companies[first], companies[second])]
    qtbot.waitUntil(lambda: page.model.rowCount() == len(NAMES) - 1, timeout=10000)
    assert second not in column_texts(page, CustomerColumn.NAME)
    assert page.workspace.undo_stack.canUndo()
    page.workspace.undo_stack.undo()  # the merge's change set brings the record back
    qtbot.waitUntil(lambda: page.model.rowCount() == len(NAMES), timeout=10000)


def test_the_detail_never_shows_a_record_merged_away_or_filtered_out(
        qtbot: QtBot, page: CustomersPage, services: Services, manager: Actor,
        companies: dict[str, int], messages: list[str]) -> None:
    kept, gone = "北京星辰科技有限公司", "深圳海岸电子有限公司"
    select(page, qtbot, gone)
    qtbot.waitUntil(lambda: gone in page.detail.toPlainText(), timeout=10000)
    services.merges.merge("company", companies[kept], companies[gone], {}, (1, 1), by=manager)
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.reload()  # as a change made elsewhere makes it
    qtbot.waitUntil(lambda: gone not in page.detail.toPlainText(), timeout=10000)
    assert not [m for m in messages if "no longer exists" in m]
    # a filter that still lists the record keeps it; one that hides it clears the detail
    select(page, qtbot, kept)
    qtbot.waitUntil(lambda: kept in page.detail.toPlainText(), timeout=10000)
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.filters.text.setText("星辰")  # QTest types ASCII only
        qtbot.keyClick(page.filters.text, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.current_record() is not None, timeout=10000)
    assert page.current_record().name == kept  # type: ignore[union-attr]
    assert kept in page.detail.toPlainText()
    page.filters.text.clear()
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        qtbot.keyClicks(page.filters.text, "Guangzhou")
        qtbot.keyClick(page.filters.text, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kept not in page.detail.toPlainText(), timeout=10000)


def test_release_and_claim_change_the_owner_and_show_in_the_pool_history(
        qtbot: QtBot, page: CustomersPage, manager: Actor) -> None:
    name = "广州远航物流有限公司"
    select(page, qtbot, name)
    assert page.release_action.isEnabled()
    assert not page.claim_action.isEnabled()
    page.release_action.trigger()
    qtbot.waitUntil(lambda: column_texts(page, CustomerColumn.OWNER)[name] == "Public pool",
                    timeout=10000)
    qtbot.waitUntil(lambda: "released by " + manager.display_name
                    in page.detail.toPlainText(), timeout=10000)
    assert "Public pool" in page.detail.toPlainText()
    qtbot.waitUntil(lambda: page.claim_action.isEnabled(), timeout=10000)
    assert not page.release_action.isEnabled()
    page.claim_action.trigger()
    qtbot.waitUntil(lambda: column_texts(page, CustomerColumn.OWNER)[name]
                    == manager.display_name, timeout=10000)
    qtbot.waitUntil(lambda: "claimed by " + manager.display_name
                    in page.detail.toPlainText(), timeout=10000)
    assert page.detail.pool[0].action == "claimed"
    assert page.detail.pool[1].action == "released"


def filter_to_beijing(page: CustomersPage, qtbot: QtBot) -> None:
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.model.set_query(CustomerQuery(city="北京"))
    assert page.model.rowCount() == 2


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as source:
        return list(csv.reader(source))


def test_export_writes_the_filtered_rows_with_the_columns_shown(
        qtbot: QtBot, page: CustomersPage, tmp_path: Path, messages: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    filter_to_beijing(page, qtbot)
    target = tmp_path / "list.csv"
    asked: list[str] = []

    def save_as(_parent: object, _title: str, name: str, filters: str) -> tuple[str, str]:
        asked.append(name)
        return str(target), filters.split(";;")[1]  # CSV, as the list shows it

    monkeypatch.setattr(file_dialogs, "save_file_name", save_as)
    page.export_action.trigger()
    qtbot.waitUntil(lambda: bool(messages) and "written" in messages[-1], timeout=10000)
    assert asked == ["companies.xlsx"]
    assert messages[-2:] == ["Writing list.csv…", "2 companies written to list.csv."]
    rows = read_csv(target)
    headers = [page.model.headerData(s, Qt.Orientation.Horizontal)
               for s in range(page.model.columnCount())]
    assert rows[0] == headers
    assert [r[0] for r in rows[1:]] == ["北京星辰科技有限公司", "广州远航物流有限公司"]
    created = headers.index("Created")  # a date any spreadsheet reads the same way
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[created]) for r in rows[1:])


def test_a_segment_shown_names_the_exported_file(
        qtbot: QtBot, page: CustomersPage, tmp_path: Path, messages: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    filter_to_beijing(page, qtbot)
    page.save_segment("北京/天津 客户")
    asked: list[str] = []

    def save_as(_parent: object, _title: str, name: str, filters: str) -> tuple[str, str]:
        asked.append(name)
        return "", ""  # cancelled

    monkeypatch.setattr(file_dialogs, "save_file_name", save_as)
    page.export_action.trigger()
    assert asked == ["北京-天津 客户.xlsx"]  # no folder made of the slash


def test_the_export_s_file_types_keep_their_patterns_in_chinese(
        qtbot: QtBot, page: CustomersPage, monkeypatch: pytest.MonkeyPatch) -> None:
    offered: list[str] = []

    def save_as(_parent: object, _title: str, _name: str, filters: str) -> tuple[str, str]:
        offered.extend(filters.split(";;"))
        return "", ""  # cancelled

    monkeypatch.setattr(file_dialogs, "save_file_name", save_as)
    i18n.set_language("zh_CN")
    page.export_action.trigger()
    # Qt reads a type's pattern between ASCII brackets: "（*.csv）" made "公司.csv）"
    assert [re.search(r" \((\*\.\w+)\)$", f).group(1) for f in offered] == [  # type: ignore[union-attr]
        "*.xlsx", "*.csv", "*.xlsx", "*.csv"]
    assert all(re.search("[\u4e00-\u9fff]", f) for f in offered)  # and they are Chinese


def test_export_for_an_import_uses_the_field_names(
        qtbot: QtBot, page: CustomersPage, tmp_path: Path, messages: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    filter_to_beijing(page, qtbot)
    target = tmp_path / "for-import"

    def save_as(_parent: object, _title: str, _name: str, filters: str) -> tuple[str, str]:
        return str(target), filters.split(";;")[3]  # CSV for an import

    monkeypatch.setattr(file_dialogs, "save_file_name", save_as)
    page.export_action.trigger()
    qtbot.waitUntil(lambda: bool(messages) and "written" in messages[-1], timeout=10000)
    rows = read_csv(target.with_suffix(".csv"))
    assert {"name", "city"} <= set(rows[0])
    names = sorted(r[rows[0].index("name")] for r in rows[1:])
    assert names == sorted(["北京星辰科技有限公司", "广州远航物流有限公司"])


def test_an_erased_person_leaves_the_list_and_every_undo_step(
        qtbot: QtBot, page: CustomersPage, services: Services, manager: Actor,
        db_path: Path, messages: list[str]) -> None:
    services.customers.add_contact(ContactFields(name="艾娃", phones=("13900139000",)),
                                   by=manager)
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.show_entity("contact")
    stack = page.workspace.undo_stack

    def edit(form: QWidget) -> None:
        assert isinstance(form, ContactForm)
        form.title.setText("采购经理")
        form.accept()

    select(page, qtbot, "艾娃")
    answer_next_dialog(edit)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stack.count() == 1, timeout=10000)
    assert "艾娃" in stack.undoText()

    def erase(form: QWidget) -> None:
        assert isinstance(form, ContactForm)

        def confirm(box: QWidget) -> None:
            assert isinstance(box, QMessageBox)
            next(b for b in box.buttons() if b.text() == "Erase for good").click()

        answer_next_dialog(confirm)
        form.erase_action.trigger()

    select(page, qtbot, "艾娃")
    answer_next_dialog(erase)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "艾娃" not in column_texts(page, CustomerColumn.NAME),
                    timeout=10000)
    assert stack.count() == 0  # no step keeps the name, nor undoes into the erased data
    assert messages[-1] == "The person's data was erased for good."
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT count(*) FROM contacts WHERE name = '艾娃'").fetchone() \
            == (0,)


def test_the_history_names_each_move_to_the_pool_in_words(
        qtbot: QtBot, page: CustomersPage, services: Services, companies: dict[str, int],
        db_path: Path) -> None:
    name = "上海明远贸易有限公司"
    with closing(sqlite3.connect(db_path)) as conn, conn:  # untouched for a year
        conn.execute("UPDATE companies SET touched_at = '2025-01-01 00:00:00.000000' "
                     "WHERE id = ?", (companies[name],))
    assert services.pool.sweep() >= 1
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.reload()
    select(page, qtbot, name)
    qtbot.waitUntil(lambda: "Returned to the pool: untouched too long"
                    in page.detail.toPlainText(), timeout=10000)
    assert "return-to-pool" not in page.detail.toPlainText()


def test_a_contact_list_exports_as_vcards_what_it_shows(
        qtbot: QtBot, page: CustomersPage, services: Services, manager: Actor, tmp_path: Path,
        messages: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name, phone in (("艾娃", "13900139000"), ("宋佳", "13700137000")):
        services.customers.add_contact(ContactFields(name=name, phones=(phone,)), by=manager)
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.show_entity("contact")
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.filters.text.setText("宋佳")  # QtTest types ASCII only
        qtbot.keyClick(page.filters.text, Qt.Key.Key_Return)
    target = tmp_path / "people"  # no extension typed: the kind chosen gives it

    def save_as(_parent: object, _title: str, _name: str, filters: str) -> tuple[str, str]:
        return str(target), next(f for f in filters.split(";;") if "*.vcf" in f)

    monkeypatch.setattr(file_dialogs, "save_file_name", save_as)
    page.export_action.trigger()
    qtbot.waitUntil(lambda: bool(messages) and "written" in messages[-1], timeout=10000)
    assert messages[-1] == "1 contact written to people.vcf."
    cards = (tmp_path / "people.vcf").read_text(encoding="utf-8")
    assert cards.count("BEGIN:VCARD") == 1
    assert "FN:宋佳" in cards
    assert "TEL;TYPE=VOICE:+8613700137000" in cards
