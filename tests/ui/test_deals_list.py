"""The Deals page on its own, in a workspace like the window's: the real table, header,
filter bar, dialogs and undo stack over a database with demo data."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from funneldesk import formatting, i18n
from funneldesk.services.dto import ChangeSet, DealFields, DealQuery, ListColumn, Outcome
from funneldesk.settings import Settings
from funneldesk.ui.common.page import Workspace
from funneldesk.ui.deals import jump_hold
from funneldesk.ui.deals import model as model_module
from funneldesk.ui.deals.columns import COLUMNS
from funneldesk.ui.deals.delegate import OVERDUE, QUIET, SOON, WON, DealsDelegate, close_state
from funneldesk.ui.deals.dialogs import StageDialog
from funneldesk.ui.deals.model import PAGE, DealsTableModel
from funneldesk.ui.deals.page import DealsListPage
from tests.helpers import make_deal, stage, tick_all, version
from tests.ui.conftest import answer_next_dialog
from tests.ui.deals_list_helpers import ids_in_sql, select_deals, shown_ids

# every test here reads the Deals list of the 450 sample deals
pytestmark = pytest.mark.sample_deals


def wait_loaded(qtbot: QtBot, page: DealsListPage, rows: range) -> None:
    for r in rows:  # asks for the pages, as painting would
        page.model.index(r, 0).data()
    qtbot.waitUntil(lambda: all(page.model.deal_at(r) is not None for r in rows))


def click_header(qtbot: QtBot, page: DealsListPage, column: ListColumn) -> None:
    header = page.table.horizontalHeader()
    section = COLUMNS.index(column)
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_the_list_shows_every_deal_newest_first(page: DealsListPage, db_path: Path) -> None:
    expected = ids_in_sql(db_path)
    assert page.model.rowCount() == len(expected)
    assert shown_ids(page, range(PAGE)) == expected[:PAGE]
    assert page.count.text() == f"{formatting.number(len(expected))} deals"


def test_clicking_headers_sorts_in_sql(qtbot: QtBot, page: DealsListPage, db_path: Path) -> None:
    click_header(qtbot, page, ListColumn.TITLE)
    header = page.table.horizontalHeader()
    assert header.sortIndicatorSection() == COLUMNS.index(ListColumn.TITLE)
    direction = "DESC" if header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder else "ASC"
    expected = ids_in_sql(db_path, order=f"d.title {direction}, d.id {direction}")
    assert shown_ids(page, range(50)) == expected[:50]

    click_header(qtbot, page, ListColumn.TITLE)  # again: the other way round
    flipped = "ASC" if direction == "DESC" else "DESC"
    expected = ids_in_sql(db_path, order=f"d.title {flipped}, d.id {flipped}")
    assert shown_ids(page, range(50)) == expected[:50]

    click_header(qtbot, page, ListColumn.OWNER)
    direction = "DESC" if header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder else "ASC"
    expected = ids_in_sql(db_path, order=f"u.display_name {direction}, d.id {direction}")
    wait_loaded(qtbot, page, range(page.model.rowCount()))
    assert shown_ids(page, range(page.model.rowCount())) == expected


def test_filtering_by_owner_and_outcome(qtbot: QtBot, page: DealsListPage, db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as conn:  # someone else with deals
        owner_id = conn.execute(
            "SELECT owner_id FROM deals WHERE owner_id != ? AND deleted_at IS NULL "
            "GROUP BY owner_id ORDER BY count(*) DESC, owner_id LIMIT 1",
            (page.workspace.actor.id,)).fetchone()[0]
    owner = page.filters.owner
    assert owner.findData(owner_id) > 0
    owner.setCurrentIndex(owner.findData(owner_id))
    qtbot.waitUntil(lambda: page.model.query.owner_ids == {owner_id})
    qtbot.waitUntil(lambda: page.model.rowCount() == len(
        ids_in_sql(db_path, "d.owner_id = ?", params=(owner_id,))))
    won_only = page.filters.outcome_actions
    with qtbot.waitSignal(page.model.loaded):
        won_only[next(o for o in won_only if o.value == "open")].setChecked(False)
    with qtbot.waitSignal(page.model.loaded):
        won_only[next(o for o in won_only if o.value == "lost")].setChecked(False)
    expected = ids_in_sql(db_path, "d.owner_id = ? AND d.stage_id IN "
                          "(SELECT id FROM stages WHERE kind = 'WON')", params=(owner_id,))
    assert expected
    assert page.model.rowCount() == len(expected)
    assert shown_ids(page, range(len(expected))) == expected


def test_jumping_to_the_end_reads_only_the_last_page(qtbot: QtBot, page: DealsListPage,
                                                     db_path: Path) -> None:
    expected = ids_in_sql(db_path)
    total = len(expected)
    assert total > 2 * PAGE  # a page in between that the jump must not read
    page.table.scrollToBottom()
    last = page.table.rowAt(page.table.viewport().height() - 2)
    assert last == total - 1
    qtbot.waitUntil(lambda: page.model.deal_at(total - 1) is not None)
    page.table.viewport().repaint()
    assert shown_ids(page, range(total - 20, total)) == expected[-20:]
    assert page.model.loaded_pages() == [0, (total - 1) // PAGE]


def test_a_bulk_move_reports_the_refused_deals_and_one_undo_reverts_it(
        qtbot: QtBot, page: DealsListPage, workspace: Workspace, db_path: Path) -> None:
    services, manager = workspace.services, workspace.actor
    ready = [make_deal(services, manager, title=f"Ready {i}") for i in range(3)]
    blocked = make_deal(services, manager, title="Not ticked")
    for card in ready:
        tick_all(services, manager, card.id, "Initial contact")
    with qtbot.waitSignal(page.model.loaded):
        page.filters.owner.setCurrentIndex(page.filters.owner.findData(manager.id))
    chosen = [c.id for c in [*ready, blocked]]
    select_deals(page, chosen)
    target = stage(services, "Needs analysis")

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, StageDialog)
        dialog.choice.setCurrentIndex(dialog.choice.findData(target.id))
        dialog.accept()

    answer_next_dialog(choose)
    with qtbot.waitSignal(page.model.refreshed, timeout=10000):
        page.move_action.trigger()

    def stages() -> dict[int, int]:
        with closing(sqlite3.connect(db_path)) as conn:
            return dict(conn.execute(
                f"SELECT id, stage_id FROM deals WHERE id IN ({','.join('?' * len(chosen))})",
                chosen).fetchall())

    assert stages() == {**{c.id: target.id for c in ready}, blocked.id: blocked.stage_id}
    report = page.bulk.report
    assert report is not None
    assert report.isVisible()
    text = report.details.toPlainText()
    refused, changed = text.split("Changed (3)")
    assert "Left as it was (1)" in refused
    assert "Not ticked" in refused
    assert "Contact person confirmed" in refused  # the reason, whole
    assert all(f"Ready {i}" in changed for i in range(3))
    assert "Not ticked" not in changed
    # the list shows the moved deals in their new stage, still selected
    stage_column = COLUMNS.index(ListColumn.STAGE)
    for row in page.model.rows_of([c.id for c in ready]):
        assert page.model.index(row, stage_column).data() == target.name
    assert {d.id for d in page.selected_loaded()} == set(chosen)

    with qtbot.waitSignal(page.model.refreshed, timeout=10000):
        workspace.undo_stack.undo()
    assert stages() == {c: blocked.stage_id for c in chosen}
    for row in page.model.rows_of(chosen):
        assert page.model.index(row, stage_column).data() == "Initial contact"


def test_double_click_and_enter_open_the_deal(qtbot: QtBot, page: DealsListPage,
                                              workspace: Workspace) -> None:
    opened: list[int] = []
    workspace.openers["deal"] = opened.append
    rect = page.table.visualRect(page.model.index(2, 0))
    QTest.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    page.table.setCurrentIndex(page.model.index(5, 0))
    QTest.keyClick(page.table, Qt.Key.Key_Return)
    deals = [page.model.deal_at(2), page.model.deal_at(5)]
    assert opened == [d.id for d in deals if d is not None]


def test_columns_views_and_sort_are_remembered(qtbot: QtBot, page: DealsListPage,
                                               workspace: Workspace) -> None:
    menu = page.column_menu()
    next_step = COLUMNS.index(ListColumn.NEXT_STEP)
    menu.actions()[next_step].setChecked(False)
    assert page.table.isColumnHidden(next_step)
    page.table.setColumnWidth(0, 321)
    click_header(qtbot, page, ListColumn.VALUE)
    with qtbot.waitSignal(page.model.loaded):
        page.filters.date_field.setCurrentIndex(page.filters.date_field.findData("closed"))
    page.save_view("Closed this month by value")
    page.store_settings()
    workspace.settings.save()

    again = DealsListPage(Workspace(workspace.services, workspace.actor, Settings(),
                                    workspace.runner, workspace.undo_stack, workspace.window,
                                    workspace.show_message))
    qtbot.addWidget(again)
    assert again.table.isColumnHidden(next_step)
    assert again.table.columnWidth(0) == 321
    assert again.model.query == page.model.query
    assert again.model.query.sort is ListColumn.VALUE
    assert again.model.query.closed.start is not None
    names = [again.saved.itemText(i) for i in range(again.saved.count())]
    assert "Closed this month by value" in names
    assert "My open deals closing this month" in names

    with qtbot.waitSignal(again.model.loaded):
        again.choose_view("My open deals closing this month")
    assert again.model.query.owner_ids == {workspace.actor.id}
    assert again.model.query.expected_close.start is not None
    again.delete_view("Closed this month by value")
    assert "Closed this month by value" not in [
        again.saved.itemText(i) for i in range(again.saved.count())]
    qtbot.waitUntil(lambda: not again.model.reading)  # no read left running


def test_the_model_keeps_the_rules_of_qt_item_models(qtbot: QtBot, page: DealsListPage,
                                                     qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(page.model)
    qtbot.waitUntil(lambda: not page.model.reading)


def stage_ids_of(db_path: Path, deal_ids: list[int]) -> set[int]:
    with closing(sqlite3.connect(db_path)) as conn:
        return {r[0] for r in conn.execute(
            f"SELECT stage_id FROM deals WHERE id IN ({','.join('?' * len(deal_ids))})",
            deal_ids)}


def test_after_a_bulk_archive_no_other_deal_is_selected(
        qtbot: QtBot, page: DealsListPage, db_path: Path) -> None:
    first = ids_in_sql(db_path)[:3]
    select_deals(page, first)
    with qtbot.waitSignal(page.model.refreshed, timeout=10000):
        page.archive_action.trigger()
    assert not set(first) & set(ids_in_sql(db_path))  # archived: off the list
    assert shown_ids(page, range(3)) == ids_in_sql(db_path)[:3]  # the rows moved up
    assert page.selected_loaded() == []  # and none of them is selected now
    assert not page.archive_action.isEnabled()


def test_every_selected_deal_is_acted_on_however_many(
        qtbot: QtBot, workspace: Workspace, db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_module, "PAGE", 20)  # many pages, few of them kept
    monkeypatch.setattr(model_module, "MAX_PAGES", 3)
    made = DealsListPage(workspace)
    qtbot.addWidget(made)
    workspace.runner.changed.connect(made.apply_changes)
    made.show()  # a hidden list reads again only when shown
    qtbot.waitUntil(lambda: made.model.rowCount() > 0)
    expected = ids_in_sql(db_path)
    assert len(expected) > 3 * 20
    made.table.selectAll()
    assert made.chosen().count == len(expected)  # most of them not read: read with the action
    with qtbot.waitSignal(made.model.refreshed, timeout=10000):
        made.archive_action.trigger()
    assert ids_in_sql(db_path) == []  # every one archived, not only the pages kept


def test_a_change_to_everything_reads_the_list_and_its_choices_again(
        qtbot: QtBot, page: DealsListPage, workspace: Workspace, db_path: Path) -> None:
    services, manager = workspace.services, workspace.actor
    before = page.model.rowCount()
    pipeline_id = services.pipelines.create_pipeline(name="Renewals", by=manager)
    added = make_deal(services, manager, title="Added elsewhere")
    assert page.filters.pipeline.findData(pipeline_id) < 0
    with qtbot.waitSignal(page.model.refreshed, timeout=10000):
        workspace.runner.relay(ChangeSet(everything=True))
    assert page.model.rowCount() == before + 1 == len(ids_in_sql(db_path))
    assert shown_ids(page, range(1)) == [added.id]
    assert page.count.text() == f"{formatting.number(before + 1)} deals"
    assert page.filters.pipeline.findData(pipeline_id) > 0


def test_a_page_asked_for_before_a_new_count_arrives_is_read_again(
        qtbot: QtBot, workspace: Workspace, db_path: Path) -> None:
    jobs: list[tuple[Callable[[], object], Callable[[object], None]]] = []

    def queued(work: Callable[[], object], done: Callable[[object], None],
               _failed: Callable[[Exception], None]) -> None:
        jobs.append((work, done))

    def run_all() -> None:  # each job in the order asked, its result handed over
        while jobs:
            work, done = jobs.pop(0)
            done(work())

    model = DealsTableModel(workspace.services, lambda _e: None, run=queued)
    model.set_query(DealQuery())
    run_all()
    narrower = DealQuery(outcomes=frozenset({Outcome.OPEN, Outcome.WON}))
    expected = ids_in_sql(db_path, "d.stage_id IN (SELECT id FROM stages WHERE kind != 'LOST')")
    assert PAGE < len(expected) < model.rowCount()  # a second page, and a count that shrinks
    model.set_query(narrower)
    model.index(PAGE, 0).data()  # a repaint asks for page 1 before the new count is in
    run_all()  # the new count and first page arrive first, then the page asked for
    for row in range(model.rowCount()):
        model.index(row, 0).data()
    run_all()
    assert [d.id if (d := model.deal_at(r)) else None
            for r in range(model.rowCount())] == expected


def test_a_bulk_undo_follows_own_later_changes_but_not_anybody_elses(
        qtbot: QtBot, page: DealsListPage, workspace: Workspace, db_path: Path,
        warnings_shown: list[str]) -> None:
    services, manager = workspace.services, workspace.actor
    cards = [make_deal(services, manager, title=f"Ready {i}") for i in range(2)]
    for card in cards:
        tick_all(services, manager, card.id, "Initial contact")
    ids = [c.id for c in cards]
    with qtbot.waitSignal(page.model.refreshed, timeout=10000):
        workspace.runner.relay(ChangeSet(frozenset(ids)))
    select_deals(page, ids)
    target, start = stage(services, "Needs analysis"), cards[0].stage_id
    assert page.bulk.move_deals(page.selected_loaded(), target.id, target.name) is not None

    def edit(deal_id: int, next_step: str) -> Callable[[], object]:
        fields = services.deals.detail(deal_id).fields
        return lambda: services.deals.update(
            deal_id=deal_id, expected_version=version(services, deal_id),
            fields=replace(fields, next_step=next_step), by=manager)

    # an edit of one's own after the move, through the window's one action path
    workspace.runner.run("Edit", edit(ids[0], "Call back"))
    workspace.undo_stack.undo()
    assert warnings_shown == []
    assert stage_ids_of(db_path, ids) == {start}
    workspace.undo_stack.redo()
    assert warnings_shown == []
    assert stage_ids_of(db_path, ids) == {target.id}

    # somebody else's edit (not through this window): the undo is refused as a whole
    edit(ids[1], "Sent the offer")()
    workspace.undo_stack.undo()
    assert len(warnings_shown) == 1
    assert "Nothing was undone" in warnings_shown[0]
    assert stage_ids_of(db_path, ids) == {target.id}


def test_the_page_says_when_its_first_rows_are_painted(qtbot: QtBot,
                                                       workspace: Workspace) -> None:
    made = DealsListPage(workspace)
    rows_then: list[int] = []
    made.firstPainted.connect(lambda: rows_then.append(made.model.rowCount()))
    workspace.window.setCentralWidget(made)
    with qtbot.waitSignal(made.firstPainted, timeout=10000):
        workspace.window.show()
    assert len(rows_then) == 1
    assert rows_then[0] > 0  # painted with its rows, not empty
    with qtbot.waitSignal(made.model.loaded, timeout=10000):  # a new query: said once only
        made.model.set_query(DealQuery(sort=ListColumn.TITLE))
    made.table.viewport().repaint()
    QApplication.processEvents()
    assert len(rows_then) == 1


def test_a_broken_saved_view_does_not_stop_the_page(qtbot: QtBot,
                                                    workspace: Workspace) -> None:
    database = workspace.services.location()
    broken = {"query": {"outcomes": [["open"], "won"], "sort": ["title"]},
              "date_field": ["closed"], "period": {"x": 1}}
    workspace.settings.set("deals.views", {database: {"Broken": broken}})
    workspace.settings.set("deals.filters", {database: broken})
    made = DealsListPage(workspace)
    qtbot.addWidget(made)
    qtbot.waitUntil(lambda: made.model.rowCount() > 0)
    assert made.model.query.outcomes == {Outcome.WON}
    assert "Broken" in [made.saved.itemText(i) for i in range(made.saved.count())]


def test_the_first_view_is_named_in_the_language_shown(qtbot: QtBot,
                                                       workspace: Workspace) -> None:
    first = DealsListPage(workspace)
    qtbot.addWidget(first)
    first.store_settings()  # kept in English
    i18n.set_language("zh_CN")
    again = DealsListPage(workspace)
    qtbot.addWidget(again)
    names = [again.saved.itemText(i) for i in range(again.saved.count())]
    assert "我本月预计成交的进行中商机" in names
    assert "My open deals closing this month" not in names
    # both lists read before the test's database closes
    qtbot.waitUntil(lambda: first.model.rowCount() > 0 and again.model.rowCount() > 0)
    qtbot.waitUntil(lambda: not first.model.reading and not again.model.reading)


def test_a_large_bulk_action_runs_off_the_gui_thread_and_undoes_as_one(
        qtbot: QtBot, page: DealsListPage, workspace: Workspace, db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from funneldesk.ui.deals import bulk_actions

    monkeypatch.setattr(bulk_actions, "QUICK_BULK", 5)  # what thousands of deals would be
    before = ids_in_sql(db_path)
    assert len(before) > 5
    page.table.selectAll()
    page.archive_action.trigger()
    assert not workspace.window.isEnabled()  # the work is in the background: nothing to click
    assert workspace.undo_stack.count() == 0  # not done yet
    qtbot.waitUntil(lambda: workspace.undo_stack.count() == 1, timeout=20000)
    assert workspace.window.isEnabled()
    assert ids_in_sql(db_path) == []
    workspace.undo_stack.undo()  # one step takes back every deal, in the background too
    assert not workspace.window.isEnabled()
    qtbot.waitUntil(workspace.window.isEnabled, timeout=20000)
    assert ids_in_sql(db_path) == before
    workspace.undo_stack.redo()
    assert not workspace.window.isEnabled()
    qtbot.waitUntil(workspace.window.isEnabled, timeout=20000)
    assert ids_in_sql(db_path) == []
    assert workspace.undo_stack.count() == 1


def test_the_delegate_shows_the_model_as_qt_would_with_its_colours(
        qtbot: QtBot, page: DealsListPage) -> None:
    # the delegate fills the options itself instead of asking the model for every role
    # a cell: what it takes from the model must be what Qt's own delegate takes
    model, ours, plain = page.model, page.table.itemDelegate(), QStyledItemDelegate()
    assert isinstance(ours, DealsDelegate)
    services, actor = page.workspace.services, page.workspace.actor
    first = stage(services, "Initial contact")
    overdue = DealFields("Two\nlines", None, None, Decimal(5), "USD",
                         dt.date.today() - dt.timedelta(days=3), actor.id)
    services.deals.create(pipeline_id=first.pipeline_id, stage_id=first.id, fields=overdue,
                          by=actor)
    with qtbot.waitSignal(model.refreshed, timeout=10000):
        page.reload()
    today = dt.date.today()
    seen: set[str] = set()

    def options(index: QModelIndex) -> tuple[QStyleOptionViewItem, QStyleOptionViewItem]:
        qt, got = QStyleOptionViewItem(), QStyleOptionViewItem()
        plain.initStyleOption(qt, index)
        ours.initStyleOption(got, index)
        return qt, got

    rows = range(model.rowCount())
    wait_loaded(qtbot, page, rows)
    for row in rows:
        deal = model.deal_at(row)
        assert deal is not None
        for section, column in enumerate(COLUMNS):
            qt, got = options(model.index(row, section))
            assert (got.text, got.features, got.displayAlignment, got.index) == (
                qt.text, qt.features, qt.displayAlignment, qt.index)
            color = got.palette.color(QPalette.ColorRole.Text)
            if column is ListColumn.VALUE and deal.won_value is not None:
                assert color == WON
                seen.add("won value")
            if column is ListColumn.EXPECTED_CLOSE:
                state = close_state(deal, today)
                assert got.font.bold() == (state == "overdue")
                if state:
                    assert color == (OVERDUE if state == "overdue" else SOON)
                    seen.add(state)
            if column is ListColumn.OUTCOME and deal.outcome is Outcome.LOST:
                assert color == QUIET
                seen.add("lost")
    assert {"won value", "overdue", "lost"} <= seen
    assert "Two\u2028lines" in [options(model.index(r, 0))[1].text for r in rows]
    with qtbot.waitSignal(model.loaded, timeout=10000):
        model.set_query(model.query)  # the first page only is held again
    last = model.rowCount() - 1  # a row whose page is being read: "…" in the first column
    for section in range(2):
        qt, got = options(model.index(last, section))
        assert (got.text, got.features) == (qt.text, qt.features)
    assert options(model.index(last, 0))[1].text == model_module.LOADING
    qtbot.waitUntil(lambda: not model.reading)


def test_the_texts_kept_with_a_page_follow_the_language(page: DealsListPage) -> None:
    model = page.model
    outcome = model.index(0, COLUMNS.index(ListColumn.OUTCOME))
    created = model.index(0, COLUMNS.index(ListColumn.CREATED))
    english = (outcome.data(), created.data())
    i18n.set_language("zh_CN")
    deal = model.deal_at(0)
    assert deal is not None
    assert (outcome.data(), created.data()) == (
        model.text(deal, ListColumn.OUTCOME), model.text(deal, ListColumn.CREATED)) != english
    assert model.row_texts(0) == tuple(model.text(deal, c) for c in COLUMNS)


class Jobs:
    """A runner that keeps the reads asked for until ``run`` hands their results over."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Callable[[], object], Callable[[object], None]]] = []

    def __call__(self, work: Callable[[], object], done: Callable[[object], None],
                 _failed: Callable[[Exception], None]) -> None:
        self.jobs.append((work, done))

    def run(self) -> None:
        while self.jobs:
            work, done = self.jobs.pop(0)
            done(work())


def test_a_jump_paints_its_rows_once_when_they_come_in_time(
        qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    jobs = Jobs()
    model = DealsTableModel(workspace.services, lambda _e: None, run=jobs)
    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(model)
    table.setItemDelegate(DealsDelegate(table))
    table.resize(900, 600)
    model.set_query(DealQuery())
    jobs.run()
    total, viewport = model.rowCount(), table.viewport()
    assert total > 2 * PAGE
    painted: list[bool] = []  # whether each cell painted showed its row (not "…")
    row_texts = model.row_texts

    def watched(row: int) -> tuple[str, ...] | None:
        texts = row_texts(row)
        painted.append(texts is not None)
        return texts

    monkeypatch.setattr(model, "row_texts", watched)
    table.show()
    qtbot.waitUntil(lambda: bool(painted))

    def jump(row: int) -> None:
        table.scrollTo(model.index(row, 0), QTableView.ScrollHint.PositionAtCenter)
        painted.clear()
        viewport.repaint()

    # a scroll shorter than the screen paints at once, "…" and all: the rows that stay
    # are moved, and the strip it uncovers cannot wait
    table.verticalScrollBar().setValue(PAGE - 3)
    viewport.repaint()
    table.verticalScrollBar().setValue(PAGE)  # on rows none of which is read yet
    painted.clear()
    viewport.repaint()
    assert set(painted) == {False}
    table.scrollToTop()
    jump(total // 2)  # to a page that takes too long: "…" after HOLD_MS
    assert painted == []  # the rows it left stay on screen meanwhile
    qtbot.wait(jump_hold.HOLD_MS + 50)
    viewport.repaint()
    assert set(painted) == {False}
    jobs.run()
    jump(total - 1)  # to the last page, which comes in time: painted once, with its rows
    assert painted == []
    assert jobs.jobs  # its page is being read
    jobs.run()
    viewport.repaint()
    assert set(painted) == {True}
