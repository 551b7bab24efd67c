"""The real pages together in one window: a change on the board shows in the Deals list
at once and a bulk change in the list shows on the board, Ctrl+K finds a deal and opens
it, and the palette runs an action by name."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.customers.records import CompanyFields, ContactFields
from funneldesk.services.dto import Actor, DealFields
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.board.deal_form import DealForm
from funneldesk.ui.customers.page import CustomersPage
from funneldesk.ui.deals.page import DealsListPage
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal, stage, version
from tests.ui.conftest import answer_next_dialog, reload


def deals_page(qtbot: QtBot, window: MainWindow) -> DealsListPage:
    window.show_page("deals")
    page = window.pages["deals"]
    assert isinstance(page, DealsListPage)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and page.model.deal_at(0) is not None,
                    timeout=10000)
    return page


def row_stage(page: DealsListPage, deal_id: int) -> str | None:
    for row in range(page.model.rowCount()):
        deal = page.model.deal_at(row)
        if deal is not None and deal.id == deal_id:
            return deal.stage
    return None


def test_a_move_on_the_board_shows_in_the_deals_list_when_shown(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    deal = make_deal(services, manager, title="Pump", stage_name="Proposal")
    reload(qtbot, window)
    page = deals_page(qtbot, window)
    assert row_stage(page, deal.id) == "Proposal"
    window.show_page("board")
    board = board_page(window)
    first = stage(services, "Initial contact")
    assert board.controller.move(deal.id, deal.version, first.id, None)
    assert not page.model.reading  # hidden, it reads nothing yet...
    window.show_page("deals")  # ...and shows the move as soon as it is shown
    qtbot.waitUntil(lambda: row_stage(page, deal.id) == "Initial contact", timeout=10000)
    window.undo_stack.undo()  # shown: it follows at once
    qtbot.waitUntil(lambda: row_stage(page, deal.id) == "Proposal", timeout=10000)


def test_a_bulk_move_in_the_list_shows_on_the_board_and_one_undo_takes_it_back(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    deals = [make_deal(services, manager, title=f"Pump {n}", stage_name="Proposal")
             for n in range(3)]
    reload(qtbot, window)
    board = board_page(window)
    first = stage(services, "Initial contact")
    page = deals_page(qtbot, window)
    rows = [d for r in range(page.model.rowCount()) if (d := page.model.deal_at(r)) is not None]
    result = page.bulk.move_deals(rows, first.id, first.name)
    assert result is not None
    assert len(result.done) == 3
    column = board.board.columns[first.id]
    assert sorted(c.title for c in column.model.visible_cards()) == ["Pump 0", "Pump 1", "Pump 2"]
    window.undo_stack.undo()
    assert column.model.visible_cards() == []
    proposal = board.board.columns[deals[0].stage_id]
    assert len(proposal.model.visible_cards()) == 3
    assert {services.deals.detail(d.id).stage_name for d in deals} == {"Proposal"}
    qtbot.waitUntil(lambda: window.statusBar().currentMessage()
                    == f"Undone: {window.undo_stack.redoText()}", timeout=5000)


def test_ctrl_k_finds_a_deal_by_two_chinese_characters_and_enter_opens_it(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    make_deal(services, manager, title="北京星辰科技仓储系统")
    make_deal(services, manager, title="Warehouse system")
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette = window.search_palette
    assert palette is not None
    assert palette.isVisible()
    palette.edit.insert("星辰")  # as an input method commits it (QTest types Latin-1 only)
    assert palette.model.rowCount() == 1
    opened: list[QWidget] = []

    def close(dialog: QWidget) -> None:
        opened.append(dialog)
        dialog.close()

    answer_next_dialog(close)
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(opened), timeout=5000)
    assert isinstance(opened[0], DealForm)
    assert opened[0].title.text() == "北京星辰科技仓储系统"
    assert not palette.isVisible()
    found = services.search.recent(by=manager)  # noted once, so it comes first next time
    assert [h.title for h in found] == ["北京星辰科技仓储系统"]


def test_the_palette_runs_an_action_of_the_window_by_name(
        qtbot: QtBot, window: MainWindow) -> None:
    assert window.current_key() == "board"
    palette = window.open_search(">")
    qtbot.keyClicks(palette.edit, "deals")
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    assert window.current_key() == "deals"
    assert QApplication.activeModalWidget() is None


def test_a_list_action_chosen_from_the_board_acts_on_the_list_as_read_again(
        qtbot: QtBot, services: Services, manager: Actor, rep: Actor, window: MainWindow,
        warnings_shown: list[str]) -> None:
    """The hidden list reads again only when shown: an action chosen in the palette on
    the board waits for that read, so that it never acts on rows from before a change."""
    deal = make_deal(services, manager, title="Pump")
    page = deals_page(qtbot, window)
    page.table.selectRow(0)
    window.show_page("board")
    window.runner.run("Owner", lambda: services.bulk.change_owner(
        deals=[(deal.id, version(services, deal.id))], owner_id=rep.id, by=manager))
    palette = window.open_search(">")
    qtbot.keyClicks(palette.edit, "archive (deals")
    with qtbot.waitSignal(page.model.refreshed, timeout=10000):  # the read it waits for...
        qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: services.deals.detail(deal.id).archived, timeout=10000)
    assert warnings_shown == []  # ...then the archive, at the version the change left


def test_f5_reads_the_deals_list_again_after_another_program_added_a_deal(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    make_deal(services, manager, title="Pump")
    page = deals_page(qtbot, window)
    assert page.model.rowCount() == 1
    make_deal(services, manager, title="Valve")  # as another FunnelDesk on the file would
    assert page.model.rowCount() == 1
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5000)
    titles = [a.text() for a in window.menuBar().actions()]
    assert "Deals &list" in titles  # not a second Alt+D beside the board's Deal menu


def test_f5_keeps_the_same_deals_selected_when_rows_move(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    first = make_deal(services, manager, title="Pump 1")
    make_deal(services, manager, title="Pump 2")
    page = deals_page(qtbot, window)
    row = next(r for r in range(page.model.rowCount())
               if (d := page.model.deal_at(r)) is not None and d.id == first.id)
    page.table.selectRow(row)
    make_deal(services, manager, title="Pump 3")  # newest first: every row moves down
    with qtbot.waitSignal(page.model.refreshed, timeout=10000):
        page.reload_action.trigger()
    assert [d.id for d in page.selected_loaded()] == [first.id]


def test_an_undo_never_reaches_past_an_action_whose_undo_was_refused(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        warnings_shown: list[str]) -> None:
    """A board move, a bulk move of that deal and another, someone else changes the other
    deal: the bulk undo is refused and dropped, so undoing the board move must not take
    the deal out of the stage the user was told it stays in."""
    deal = make_deal(services, manager, title="Pump", stage_name="Proposal")
    other = make_deal(services, manager, title="Valve", stage_name="Proposal")
    reload(qtbot, window)
    board = board_page(window)
    first, lost = stage(services, "Initial contact"), stage(services, "Lost")
    assert board.controller.move(deal.id, deal.version, first.id, None)
    page = deals_page(qtbot, window)
    rows = [d for r in range(page.model.rowCount()) if (d := page.model.deal_at(r)) is not None]
    reasons = services.moves.lost_reasons()
    assert page.bulk.move_deals(rows, lost.id, lost.name, reasons[0][0]) is not None
    detail = services.deals.detail(other.id)  # someone else's edit
    services.deals.update(deal_id=other.id, expected_version=detail.version,
                          fields=replace(detail.fields, title="Valve 2"), by=manager)
    window.undo_stack.undo()  # the bulk move: refused, dropped
    assert len(warnings_shown) == 1
    assert warnings_shown[0].startswith("Cannot undo ")  # not "reload and try again"
    window.undo_stack.undo()  # the board move: the deal is no longer where it left it
    assert len(warnings_shown) == 2
    assert services.deals.detail(deal.id).stage_id == lost.id


def test_the_customer_detail_opens_its_contacts_and_deals_by_their_links(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    company = services.customers.add_company(CompanyFields(name="北京星辰科技有限公司"),
                                             by=manager).id
    services.customers.add_contact(ContactFields(name="王芳", company_id=company), by=manager)
    first = stage(services, "Initial contact")
    services.deals.create(pipeline_id=first.pipeline_id, stage_id=first.id, by=manager,
                          fields=DealFields("CRM 升级", company, None, Decimal(1000), "USD",
                                            None, manager.id))
    window.show_page("customers")
    page = window.pages["customers"]
    assert isinstance(page, CustomersPage)
    page.open_customer("company", company)
    qtbot.waitUntil(lambda: page.detail.overview is not None, timeout=10000)
    page.detail.setFocus()
    qtbot.keyClick(page.detail, Qt.Key.Key_Tab)  # to the first link: the contact
    qtbot.keyClick(page.detail, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.detail.overview is not None
                    and page.detail.overview.detail.fields.name == "王芳", timeout=10000)
    qtbot.waitUntil(lambda: (row := page.current_record()) is not None and row.name == "王芳",
                    timeout=10000)
    page.open_customer("company", company)
    qtbot.waitUntil(lambda: page.detail.overview is not None
                    and page.detail.overview.entity == "company", timeout=10000)
    opened: list[str] = []

    def look(form: QWidget) -> None:
        assert isinstance(form, DealForm)
        opened.append(form.title.text())
        form.close()

    page.detail.setFocus()
    for _link in range(2):  # past the contact to the deal
        qtbot.keyClick(page.detail, Qt.Key.Key_Tab)
    answer_next_dialog(look)
    qtbot.keyClick(page.detail, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: opened == ["CRM 升级"], timeout=5000)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_page_fits_a_1400_pixel_wide_screen(qtbot: QtBot, services: Services,
                                                  manager: Actor, lang: str) -> None:
    """The filter bars hold long choices ("Outcome: in progress, won and lost"); at full
    width they made the English window wider than the screen, and it kept that width."""
    from funneldesk import i18n
    from funneldesk.settings import Settings

    i18n.set_language(lang)
    services.demo.generate(deals=40, seed=3, by=manager)  # owners, sources, tags to offer
    window = MainWindow(services, manager, Settings())
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    assert window.workspace.go_to_page is not None
    deals = window.workspace.go_to_page("deals")
    assert isinstance(deals, DealsListPage)
    customers = window.workspace.go_to_page("customers")
    assert isinstance(customers, CustomersPage)
    # the choices and rows are read off the GUI thread: measured once they are in
    qtbot.waitUntil(lambda: deals.model.rowCount() > 0 and deals.filters.owner.count() > 2)
    qtbot.waitUntil(lambda: customers.model.rowCount() > 0
                    and customers.filters.owner.count() > 2
                    and customers.filters.source.count() > 2)
    qtbot.waitUntil(lambda: "today" in window.docks.panes)  # beside every page
    QApplication.processEvents()
    assert window.docks.docks["today"].isVisible()
    # with room to spare: fonts differ from one desktop to the next
    assert window.minimumSizeHint().width() <= 1360
    assert window.width() == 1400


def test_leads_the_start_up_returns_to_the_pool_show_there_without_a_reload(
        qtbot: QtBot, window: MainWindow, services: Services, manager: Actor,
        db_path: Path) -> None:
    from funneldesk.services.dto import CustomerColumn

    company = services.customers.add_company(CompanyFields(name="久未跟进公司"), by=manager)
    with closing(sqlite3.connect(db_path)) as conn, conn:  # untouched for a year
        conn.execute("UPDATE companies SET touched_at = '2025-01-01 00:00:00.000000' "
                     "WHERE id = ?", (company.id,))
    page = window.page("customers")
    assert isinstance(page, CustomersPage)
    window.show_page("customers")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10000)
    owner = page.model.columns.index(CustomerColumn.OWNER)
    assert page.model.index(0, owner).data() == manager.display_name
    window.warm_up()
    qtbot.waitUntil(lambda: page.model.index(0, owner).data() == "Public pool",
                    timeout=20000)
