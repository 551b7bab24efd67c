"""The deal form saves its criteria ticks with its fields (Cancel keeps neither, undo
restores both) and picks the company by searching as the user types."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.board.deal_form import DealForm
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal, stage
from tests.ui.conftest import answer_next_dialog, reload

# the offscreen platform cannot raise the company list's popup or grab the keyboard for it
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise",
                                       "does not support grabbing the keyboard")


def type_text(widget: QWidget, text: str) -> None:
    """Types ``text`` as an input method commits it (how Chinese reaches a field)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def saved_ticks(services: Services, deal_id: int) -> list[bool]:
    return [i.checked for i in services.deals.detail(deal_id).checklist]


def tick_all_rows(dialog: DealForm) -> None:
    for row in range(dialog.checklist.rowCount()):
        dialog.checklist.item(row).setCheckState(Qt.CheckState.Checked)


def test_ticks_in_a_cancelled_form_are_not_saved(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = make_deal(services, manager)
    reload(qtbot, window)

    def tick_then_cancel(dialog) -> None:  # type: ignore[no-untyped-def]
        tick_all_rows(dialog)
        dialog.reject()

    answer_next_dialog(tick_then_cancel)
    window.editor.open(card.id)
    assert saved_ticks(services, card.id) == [False, False]
    assert services.deals.detail(card.id).version == card.version


def test_ticks_and_fields_save_together_and_undo_restores_both(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    card = make_deal(services, manager)
    reload(qtbot, window)

    def tick_and_rename(dialog) -> None:  # type: ignore[no-untyped-def]
        tick_all_rows(dialog)
        dialog.title.setText("Warehouse system, phase 2")
        dialog.accept()

    answer_next_dialog(tick_and_rename)
    window.editor.open(card.id)
    detail = services.deals.detail(card.id)
    assert (detail.fields.title, saved_ticks(services, card.id)) == (
        "Warehouse system, phase 2", [True, True])
    assert detail.version == card.version + 1  # one step for the whole form
    assert page.board.find_card(card.id).version == detail.version  # type: ignore[union-attr]
    window.actions_.undo.trigger()
    assert services.deals.detail(card.id).fields.title == "Warehouse system"
    assert saved_ticks(services, card.id) == [False, False]
    window.actions_.redo.trigger()
    assert saved_ticks(services, card.id) == [True, True]


def test_the_company_is_found_by_typing_part_of_its_name(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow, db) -> None:  # type: ignore[no-untyped-def]
    page = board_page(window)
    from funneldesk.models import Company

    with db.session() as session:  # a team's worth of customers
        session.add_all([Company(name=f"客户{i:04d}有限公司", created_by_id=manager.id)
                         for i in range(2500)])
    star = services.customers.create_company(name="北京星辰科技有限公司", by=manager)
    services.customers.create_company(name="星辰物流", by=manager)
    contact = services.customers.create_contact(name="张伟", company_id=star.id, by=manager)
    shown: list[object] = []

    def pick(dialog) -> None:  # type: ignore[no-untyped-def]
        picker = dialog.company
        type_text(picker, "星辰")
        popup = picker.popup_list.popup()
        qtbot.waitUntil(popup.isVisible)  # found off the GUI thread once typing paused
        shown.append(popup.isVisible())
        shown.append([popup.model().index(r, 0).data() for r in range(popup.model().rowCount())])
        qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup, Qt.Key.Key_Return)
        shown.append(picker.text())
        shown.append([dialog.contact.itemText(i) for i in range(dialog.contact.count())])
        dialog.contact.setCurrentIndex(1)
        dialog.title.setText("数据平台")
        dialog.accept()

    answer_next_dialog(pick)
    window.actions_.new_deal.trigger()
    assert shown == [True, ["星辰物流", "北京星辰科技有限公司"], "北京星辰科技有限公司",
                     ["(none)", "张伟"]]
    first = stage(services, "Initial contact").id
    [card] = page.board.columns[first].model.visible_cards()
    fields = services.deals.detail(card.id).fields
    assert (fields.company_id, fields.contact_id) == (star.id, contact.id)


def test_a_company_name_no_company_has_is_refused_in_the_form(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    services.customers.create_company(name="星辰物流", by=manager)
    seen: list[object] = []

    def type_it(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.title.setText("Fleet tracking")
        type_text(dialog.company, "星辰快递")
        dialog.accept()
        seen.append(dialog.error.text())
        dialog.company.clear()
        type_text(dialog.company, "星辰物流")  # typed in full, not picked: fine
        dialog.accept()

    answer_next_dialog(type_it)
    window.actions_.new_deal.trigger()
    assert seen == ["No company is called “星辰快递”. Choose one from the list, or create it "
                    "with “New company…”."]
    first = stage(services, "Initial contact").id
    [card] = page.board.columns[first].model.visible_cards()
    assert card.company == "星辰物流"
