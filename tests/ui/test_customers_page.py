"""The Customers page, driven through its real widgets: the table of companies or
contacts read in pages off the GUI thread, sorting by a header, the filters, the side
panel's tags and saved segments, the detail beside the list, and Ctrl+K opening a
company there."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog, QMainWindow, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from funneldesk import formatting
from funneldesk.collation import sort_key
from funneldesk.enums import ActivityKind
from funneldesk.services import Services
from funneldesk.services.activities.records import ActivityFields
from funneldesk.services.dto import COMPANY, CompanyRow, CustomerColumn
from funneldesk.settings import Settings
from funneldesk.ui.common.page import Workspace
from funneldesk.ui.common.user_action import ActionRunner
from funneldesk.ui.customers.field_filters import FieldFiltersDialog
from funneldesk.ui.customers.page import CustomersPage
from funneldesk.ui.customers.side_panel import SEGMENT, TAG, Entry
from funneldesk.ui.shell.main_window import MainWindow


@pytest.fixture
def demo(services: Services, manager: object) -> None:
    services.demo.generate(deals=60, seed=3, by=manager)  # type: ignore[arg-type]


@pytest.fixture
def page(qtbot: QtBot, services: Services, manager: object, demo: None) -> CustomersPage:
    window = QMainWindow()
    qtbot.addWidget(window)
    undo_stack = QUndoStack(window)
    messages: list[str] = []
    workspace = Workspace(services, manager, Settings(),  # type: ignore[arg-type]
                          ActionRunner(undo_stack, window), undo_stack, window, messages.append)
    made = CustomersPage(workspace)
    window.setCentralWidget(made)
    window.resize(1500, 800)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: made.model.rowCount() > 0)
    qtbot.waitUntil(lambda: made.panel_model.rowCount() > 2)
    return made


def sql_names(db_path: Path, table: str, where: str = "1 = 1", order: str = "sort_name, id",
              params: tuple[object, ...] = ()) -> list[str]:
    with closing(sqlite3.connect(db_path)) as conn:
        return [r[0] for r in conn.execute(
            f"SELECT name FROM {table} r WHERE deleted_at IS NULL AND merged_into_id IS NULL "
            f"AND {where} ORDER BY {order}", params)]


def shown_names(page: CustomersPage, qtbot: QtBot, rows: int | None = None) -> list[str]:
    n = page.model.rowCount() if rows is None else min(rows, page.model.rowCount())
    for row in range(n):
        page.model.ensure(row)
    qtbot.waitUntil(lambda: all(page.model.row_at(r) is not None for r in range(n)))
    return [page.model.row_at(r).name for r in range(n)]  # type: ignore[union-attr]


def test_the_page_lists_the_demo_companies_with_their_profiles(
        page: CustomersPage, qtbot: QtBot, db_path: Path) -> None:
    expected = sql_names(db_path, "companies")
    assert shown_names(page, qtbot) == expected
    assert page.status_text() == f"{formatting.number(len(expected))} companies"
    rows = [page.model.row_at(r) for r in range(page.model.rowCount())]
    assert all(isinstance(r, CompanyRow) for r in rows)
    assert any(r.tags for r in rows if isinstance(r, CompanyRow))
    assert any(r.key_level for r in rows if isinstance(r, CompanyRow))
    header = [page.model.headerData(s, Qt.Orientation.Horizontal)
              for s in range(page.model.columnCount())]
    assert header[:3] == ["Company name", "Location", "Industry"]


def test_the_model_passes_qt_s_model_checks(page: CustomersPage, qtbot: QtBot,
                                            qtmodeltester: ModelTester) -> None:
    shown_names(page, qtbot)
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.panel_model)


def click_header(qtbot: QtBot, page: CustomersPage, column: CustomerColumn) -> None:
    header = page.table.horizontalHeader()
    section = page.model.columns.index(column)
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_clicking_a_header_sorts_in_sql(page: CustomersPage, qtbot: QtBot,
                                        db_path: Path) -> None:
    click_header(qtbot, page, CustomerColumn.CREATED)
    header = page.table.horizontalHeader()
    assert header.sortIndicatorSection() == page.model.columns.index(CustomerColumn.CREATED)
    click_header(qtbot, page, CustomerColumn.NAME)
    direction = "DESC" if header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder else "ASC"
    assert shown_names(page, qtbot) == sql_names(
        db_path, "companies", order=f"name {direction}, id {direction}")
    click_header(qtbot, page, CustomerColumn.NAME)  # again: the other way round
    flipped = "ASC" if direction == "DESC" else "DESC"
    assert shown_names(page, qtbot) == sql_names(
        db_path, "companies", order=f"name {flipped}, id {flipped}")


def test_the_selected_row_stays_selected_when_the_list_is_sorted(
        page: CustomersPage, qtbot: QtBot) -> None:
    page.model.ensure(2)
    qtbot.waitUntil(lambda: page.model.row_at(2) is not None)
    page.table.selectRow(2)
    chosen = page.current_record()
    assert chosen is not None
    click_header(qtbot, page, CustomerColumn.CREATED)
    qtbot.waitUntil(lambda: page.current_record() is not None, timeout=10000)
    assert page.current_record().id == chosen.id  # type: ignore[union-attr]
    assert page.open_action.isEnabled()


def test_typing_in_the_search_box_filters(page: CustomersPage, qtbot: QtBot,
                                          db_path: Path) -> None:
    wanted = sql_names(db_path, "companies")[3]
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        qtbot.keyClicks(page.filters.text, wanted)
    assert wanted in shown_names(page, qtbot)
    assert all(wanted.casefold() in n.casefold() for n in shown_names(page, qtbot))
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.filters.text.clear()
        qtbot.keyClick(page.filters.text, Qt.Key.Key_Return)
    assert len(shown_names(page, qtbot)) == len(sql_names(db_path, "companies"))


def test_a_new_search_starts_at_its_first_match(page: CustomersPage, qtbot: QtBot) -> None:
    page.table.setFixedHeight(120)  # a few rows show: the list scrolls
    qtbot.waitUntil(lambda: page.model.rowCount() == 15, timeout=10000)
    bar = page.table.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    assert bar.value() > 0
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        qtbot.keyClicks(page.filters.text, "Inc")  # every company: the list still scrolls
        qtbot.keyClick(page.filters.text, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    assert bar.value() == 0


def test_filtering_by_any_field_through_the_fields_dialog(
        page: CustomersPage, qtbot: QtBot, db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as conn:
        industry, city = conn.execute(
            "SELECT industry, city FROM companies WHERE deleted_at IS NULL AND industry != '' "
            "AND city != '' GROUP BY industry, city ORDER BY count(*) DESC LIMIT 1").fetchone()
    assert page.filters.fields.text() == "Fields…"
    page.filters.fields.click()
    qtbot.waitUntil(lambda: page.findChild(FieldFiltersDialog) is not None)
    dialog = page.findChild(FieldFiltersDialog)
    assert isinstance(dialog, FieldFiltersDialog)
    assert dialog.isVisible()
    box = dialog.boxes["industry"]
    offered = [box.itemText(i) for i in range(1, box.count())]
    assert offered == sorted(offered, key=sort_key)  # in the order of their words
    assert "key_level" not in dialog.boxes  # the bar has its own box for it
    sizes = [dialog.boxes["size"].itemText(i) for i in range(1, dialog.boxes["size"].count())]
    assert len(sizes) > 2
    assert sizes == sorted(sizes, key=lambda t: int(t.split("-")[0].rstrip("+")))  # 1-49 ...
    assert all(box.count() > 1 for box in dialog.boxes.values())  # each offers a value
    box.setCurrentIndex(box.findData(industry))  # offered: a value the companies hold
    typed = dialog.boxes["city"].lineEdit()
    qtbot.keyClicks(typed, city)
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        qtbot.keyClick(typed, Qt.Key.Key_Return)  # Return is OK, the typed text kept
    qtbot.waitUntil(lambda: page.findChild(FieldFiltersDialog) is None)  # closed, let go
    assert dict(page.filters.query().profile) == {"city": city, "industry": industry}
    assert shown_names(page, qtbot) == sql_names(
        db_path, "companies", where="industry = ? AND city = ?", params=(industry, city))
    assert page.filters.fields.text() == "Fields (2)…"
    # a value no company holds yet, typed then Return: filtered by that text
    page.filters.fields.click()
    qtbot.waitUntil(lambda: page.findChild(FieldFiltersDialog) is not None)
    dialog = page.findChild(FieldFiltersDialog)
    assert isinstance(dialog, FieldFiltersDialog)
    typed = dialog.boxes["city"].lineEdit()
    typed.clear()
    qtbot.keyClicks(typed, "Atlantis")
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        qtbot.keyClick(typed, Qt.Key.Key_Return)
    assert dict(page.filters.query().profile) == {"city": "Atlantis", "industry": industry}
    assert page.model.rowCount() == 0
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.clear_action.trigger()
    assert page.filters.fields.text() == "Fields…"


def panel_row(page: CustomersPage, kind: str, key: str | int) -> int:
    row = page.panel_model.row_of(kind, key)
    assert row >= 0
    return row


def first_entry(page: CustomersPage, kind: str) -> Entry:
    entries = [page.panel_model.entry(r) for r in range(page.panel_model.rowCount())]
    return next(e for e in entries if e is not None and e.kind == kind)


def click_panel(qtbot: QtBot, page: CustomersPage, row: int) -> None:
    index = page.panel_model.index(row, 0)
    page.panel.scrollTo(index)
    rect = page.panel.visualRect(index)
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        QTest.mouseClick(page.panel.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_clicking_a_tag_in_the_side_panel_filters(page: CustomersPage, qtbot: QtBot,
                                                  db_path: Path) -> None:
    tag = first_entry(page, TAG)
    click_panel(qtbot, page, panel_row(page, TAG, tag.tag))
    expected = sql_names(db_path, "companies", where=(
        "EXISTS (SELECT 1 FROM company_tags x JOIN tags t ON t.id = x.tag_id "
        "WHERE x.company_id = r.id AND t.name = ?)"), params=(tag.tag,))
    assert shown_names(page, qtbot) == expected
    assert f"({formatting.number(len(expected))})" in tag.text
    assert page.filters.tag.currentData() == tag.tag
    click_panel(qtbot, page, panel_row(page, TAG, tag.tag))  # again: every company
    assert len(shown_names(page, qtbot)) == len(sql_names(db_path, "companies"))


def test_saving_a_segment_and_applying_it_again(page: CustomersPage, qtbot: QtBot,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.filters.level.setCurrentIndex(page.filters.level.findData("A"))
    key_customers = shown_names(page, qtbot)
    assert key_customers
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda *_a, **_k: ("Key accounts A", True))
    with qtbot.waitSignal(page.panelLoaded, timeout=10000):
        page.save_segment_action.trigger()
    segment = first_entry(page, SEGMENT)
    assert segment.text == "Key accounts A"
    assert segment.segment is not None
    row = panel_row(page, SEGMENT, segment.segment.id)
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.clear_action.trigger()
    assert len(shown_names(page, qtbot)) > len(key_customers)
    click_panel(qtbot, page, row)
    assert shown_names(page, qtbot) == key_customers
    assert page.filters.level.currentData() == "A"
    assert page.delete_segment_action.isEnabled()
    asked: list[str] = []

    def answer(reply: QMessageBox.StandardButton) -> None:
        monkeypatch.setattr(QMessageBox, "question",
                            lambda _p, _t, text, *_a: asked.append(text) or reply)

    answer(QMessageBox.StandardButton.No)
    page.delete_segment_action.trigger()
    assert asked == ["Delete the saved segment “Key accounts A”? Its customers stay; only "
                     "the saved filters go."]
    assert [s.name for s in page.workspace.services.customer_list.segments(COMPANY)] == [
        "Key accounts A"]
    answer(QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(page.panelLoaded, timeout=10000):
        page.delete_segment_action.trigger()
    assert page.workspace.services.customer_list.segments(COMPANY) == ()



def test_a_tag_picked_after_a_segment_lists_the_tags_records(
        page: CustomersPage, qtbot: QtBot, db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The tag takes the segment's place in the panel: the segment's filters (a field
    filter the bar shows only as a count among them) no longer apply."""
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.model.set_query(replace(page.model.query, profile=(("industry", "no such"),)))
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("Nobody", True))
    with qtbot.waitSignal(page.panelLoaded, timeout=10000):
        page.save_segment_action.trigger()
    segment = first_entry(page, SEGMENT)
    assert segment.segment is not None
    click_panel(qtbot, page, panel_row(page, SEGMENT, segment.segment.id))
    assert shown_names(page, qtbot) == []
    tag = first_entry(page, TAG)
    click_panel(qtbot, page, panel_row(page, TAG, tag.tag))
    assert shown_names(page, qtbot) == sql_names(db_path, "companies", where=(
        "EXISTS (SELECT 1 FROM company_tags x JOIN tags t ON t.id = x.tag_id "
        "WHERE x.company_id = r.id AND t.name = ?)"), params=(tag.tag,))

def test_switching_to_contacts(page: CustomersPage, qtbot: QtBot, db_path: Path) -> None:
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.contacts_action.trigger()
    expected = sql_names(db_path, "contacts")
    assert shown_names(page, qtbot, 50) == expected[:50]
    assert page.status_text() == f"{formatting.number(len(expected))} contacts"
    headers = [page.model.headerData(s, Qt.Orientation.Horizontal)
               for s in range(page.model.columnCount())]
    assert headers[:3] == ["Name", "Company", "Job title"]
    assert page.contacts_action.isChecked()


def test_opening_a_row_shows_its_deals_and_contacts(page: CustomersPage, qtbot: QtBot,
                                                    db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as conn:
        name, title, person = conn.execute(
            "SELECT c.name, d.title, p.name FROM deals d JOIN companies c ON c.id = d.company_id "
            "JOIN contacts p ON p.company_id = c.id WHERE c.merged_into_id IS NULL "
            "ORDER BY c.name LIMIT 1").fetchone()
    row = shown_names(page, qtbot).index(name)
    index = page.model.index(row, 0)
    page.table.scrollTo(index)
    rect = page.table.visualRect(index)
    with qtbot.waitSignal(page.customerShown, timeout=10000):  # the detail follows a click
        QTest.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    text = page.detail.toPlainText()
    assert name in text
    assert "Deals" in text
    company = page.current_record()
    assert company is not None
    channels = page.workspace.services.customers.company_detail(company.id).channels
    assert channels  # the demo gives every company a phone: a verification shows
    assert f"{channels[0].shown} (not verified)" in text
    page.workspace.services.customers.verify(channels[0].id, verified=True,
                                             by=page.workspace.actor)
    with qtbot.waitSignal(page.customerShown, timeout=10000):
        page.open_customer("company", company.id)
    assert f"{channels[0].shown} ✓ verified on" in page.detail.toPlainText()
    assert title in text
    assert "Contacts" in text
    assert person in text
    assert "History" in text
    # its activities: the planned ones, and one done with what came of it
    services, me = page.workspace.services, page.workspace.actor
    plan = services.activities.plan
    plan(ActivityFields(ActivityKind.VISIT, "Plant tour", company_id=company.id,
                        due_on=dt.date(2031, 5, 6)), by=me)
    call = plan(ActivityFields(ActivityKind.CALL, "First call", company_id=company.id,
                               due_on=dt.date(2031, 5, 1)), by=me).activity
    services.activities.complete(call.id, "Wants a quote", expected_version=call.version,
                                 by=me)
    with qtbot.waitSignal(page.customerShown, timeout=10000):
        page.open_customer("company", company.id)
    planned, happened = page.detail.toPlainText().split("What happened")
    assert "Visit: Plant tour" in planned
    assert "✓ Call: First call" in happened
    assert "Outcome: Wants a quote" in happened


@pytest.mark.usefixtures("demo")
def test_ctrl_k_finds_a_company_and_opens_it_on_this_page(
        qtbot: QtBot, window: MainWindow, db_path: Path) -> None:
    name = sql_names(db_path, "companies", order="id DESC")[0]
    palette = window.open_search()
    qtbot.waitExposed(palette)
    palette.edit.setText(name)
    hits = [palette.model.row_at(r) for r in range(palette.model.rowCount())]
    row = next(r for r, h in enumerate(hits) if h is not None and h.hit is not None
               and h.hit.kind == "company" and h.title == name)
    palette.view.setCurrentIndex(palette.model.index(row, 0))
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_key() == "customers")
    customers = window.page("customers")
    assert isinstance(customers, CustomersPage)
    qtbot.waitUntil(lambda: customers.detail.overview is not None, timeout=10000)
    assert name in customers.detail.toPlainText()

    def selected() -> str | None:
        record = customers.model.row_at(customers.table.currentIndex().row())
        return record.name if record is not None else None

    qtbot.waitUntil(lambda: selected() == name, timeout=10000)
