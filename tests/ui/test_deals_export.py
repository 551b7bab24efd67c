"""The Deals page's Export: what the list shows (its filters, order and columns shown) to
CSV or XLSX, or every field the import reads, which imports back with no mapping."""

from __future__ import annotations

import csv
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from funneldesk.cli import main
from funneldesk.services.dto import ListColumn
from funneldesk.ui.common import file_dialogs
from funneldesk.ui.deals.columns import COLUMNS
from funneldesk.ui.deals.page import DealsListPage
from tests.ui.deals_list_helpers import ids_in_sql, shown_ids

# every test here reads the Deals list of the 450 sample deals
pytestmark = pytest.mark.sample_deals


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def export(qtbot: QtBot, page: DealsListPage, monkeypatch: pytest.MonkeyPatch,
           target: Path, choice: int) -> list[str]:
    """Exports through the page's action, the save dialog answered with ``target`` and
    its ``choice``-th file type; the status messages once it was written."""
    messages: list[str] = []
    monkeypatch.setattr(page.workspace, "show_message", messages.append)
    offered: list[str] = []

    def save_as(_parent: object, _title: str, name: str, filters: str) -> tuple[str, str]:
        offered.append(name)
        return str(target), filters.split(";;")[choice]

    monkeypatch.setattr(file_dialogs, "save_file_name", save_as)
    page.export_action.trigger()
    qtbot.waitUntil(lambda: len(messages) == 2, timeout=10000)
    assert offered == ["deals.xlsx"]
    assert messages[0] == f"Writing {target.with_suffix(target.suffix or '.xlsx').name}…"
    return messages[1:]


def owner_with_deals(db_path: Path, not_id: int) -> int:
    with closing(sqlite3.connect(db_path)) as conn:
        return int(conn.execute(
            "SELECT owner_id FROM deals WHERE owner_id != ? AND deleted_at IS NULL "
            "GROUP BY owner_id ORDER BY count(*) DESC LIMIT 1", (not_id,)).fetchone()[0])


def test_export_writes_the_filtered_list_in_its_order_with_the_columns_shown(
        qtbot: QtBot, page: DealsListPage, db_path: Path,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    owner_id = owner_with_deals(db_path, page.workspace.actor.id)
    page.filters.owner.setCurrentIndex(page.filters.owner.findData(owner_id))
    qtbot.waitUntil(lambda: page.model.query.owner_ids == {owner_id})
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.model.sort(COLUMNS.index(ListColumn.TITLE), Qt.SortOrder.AscendingOrder)
    page.table.horizontalHeader().setSectionHidden(COLUMNS.index(ListColumn.NEXT_STEP), True)
    expected = ids_in_sql(db_path, "d.owner_id = ?", "d.title ASC, d.id ASC", (owner_id,))
    assert 1 < len(expected) < page.workspace.services.deal_list.count(
        type(page.model.query)())  # the filter leaves some deals out

    messages = export(qtbot, page, monkeypatch, tmp_path / "mine.csv", 1)  # CSV, as shown

    assert messages == [f"{len(expected)} deals written to mine.csv."]
    rows = read_csv(tmp_path / "mine.csv")
    shown = [c for c in COLUMNS if c is not ListColumn.NEXT_STEP]
    assert rows[0] == [page.model.headerData(COLUMNS.index(c), Qt.Orientation.Horizontal)
                       for c in shown]
    assert len(rows) - 1 == len(expected)
    for r in range(len(expected)):  # the texts the list shows, row by row
        page.model.index(r, 0).data()
    qtbot.waitUntil(lambda: len(shown_ids(page, range(len(expected)))) == len(expected))
    assert shown_ids(page, range(len(expected))) == expected
    title, value, created = (shown.index(c) for c in (
        ListColumn.TITLE, ListColumn.VALUE, ListColumn.CREATED))
    for r, row in enumerate(rows[1:]):
        on_screen = page.model.row_texts(r)
        assert on_screen is not None
        assert row[title] == on_screen[COLUMNS.index(ListColumn.TITLE)]
        assert row[value] == on_screen[COLUMNS.index(ListColumn.VALUE)]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[created])  # read alike everywhere


@pytest.fixture
def in_shanghai(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The computer's time zone 8 hours from UTC (where a time without its offset would
    come back 8 hours off)."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_export_for_an_import_imports_back_with_no_mapping(
        qtbot: QtBot, page: DealsListPage, db_path: Path, template_db: Path,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, in_shanghai: None) -> None:
    owner_id = owner_with_deals(db_path, page.workspace.actor.id)
    page.filters.owner.setCurrentIndex(page.filters.owner.findData(owner_id))
    qtbot.waitUntil(lambda: page.model.query.owner_ids == {owner_id})
    expected = ids_in_sql(db_path, "d.owner_id = ?", params=(owner_id,))
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("UPDATE deals SET notes = '先寄样品', campaign = 'Spring Expo' "
                     "WHERE id = ?", (expected[0],))

    messages = export(qtbot, page, monkeypatch, tmp_path / "deals", 2)  # XLSX for an import

    assert messages == [f"{len(expected)} deals written to deals.xlsx."]
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "deals.xlsx").worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    values = [r[header.index("value")].value for r in sheet.iter_rows(min_row=2)]
    assert all(isinstance(v, (int, float)) for v in values)  # numbers Excel adds up
    other = tmp_path / "other.db"
    other.write_bytes(template_db.read_bytes())
    assert main(["--db", str(other), "import", "deals", str(tmp_path / "deals.xlsx")]) == 0
    # a spreadsheet keeps a moment to the second
    fields = ("SELECT title, value, won_value, currency, notes, campaign, "
              "substr(created_at, 1, 19), closed_on, expected_close FROM deals")
    with closing(sqlite3.connect(db_path)) as conn:
        exported = sorted(conn.execute(
            f"{fields} WHERE id IN ({', '.join('?' * len(expected))})", expected))
    with closing(sqlite3.connect(other)) as conn:
        assert sorted(conn.execute(fields)) == exported  # the same moment created, too


def test_an_xlsx_as_shown_holds_values_as_numbers_in_their_currency(
        qtbot: QtBot, page: DealsListPage, db_path: Path,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as conn:  # kept in cents; a won deal's is its won value
        amounts = sorted((Decimal(cents) / 100, currency) for cents, currency in conn.execute(
            "SELECT coalesce(won_value, value), currency FROM deals WHERE deleted_at IS NULL"))

    export(qtbot, page, monkeypatch, tmp_path / "shown.xlsx", 0)  # XLSX, as shown

    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "shown.xlsx").worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    value = header.index("Value")
    symbols = {'"CN¥"#,##0.00': "CNY", '"$"#,##0.00': "USD", '"€"#,##0.00': "EUR"}
    written = sorted((Decimal(str(row[value].value)),  # a number Excel adds up
                      symbols[row[value].number_format.split(";")[0]])  # shown in its currency
                     for row in sheet.iter_rows(min_row=2))
    assert written == amounts
