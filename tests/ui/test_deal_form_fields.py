"""The deal form's product, lead source and campaign are saved with the deal and shown
again when it is opened; its contact is found by typing part of the name, and a contact
found that way brings its company along."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.board.deal_form import DealForm
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import stage
from tests.ui.conftest import answer_next_dialog
from tests.ui.test_deal_form_saving import type_text

# the offscreen platform cannot raise the contact list's popup or grab the keyboard for it
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise",
                                       "does not support grabbing the keyboard")


def test_product_lead_source_and_campaign_are_saved_and_shown_again(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    page = board_page(window)
    services.products.add(name="数据平台", by=manager)
    cloud = services.products.add(name="云服务", by=manager)
    fair = services.lead_sources.all()[1]
    star = services.customers.create_company(name="北京星辰科技有限公司", by=manager)
    zhang = services.customers.create_contact(name="张伟", company_id=star.id, by=manager)
    services.customers.create_contact(name="张明", company_id=None, by=manager)
    offered: list[object] = []

    def fill_in(dialog: QWidget) -> None:
        assert isinstance(dialog, DealForm)
        offered.append([dialog.product.itemText(i) for i in range(dialog.product.count())])
        dialog.title.setText("云迁移")
        dialog.product.setCurrentIndex(dialog.product.findText("云服务"))
        dialog.lead_source.setCurrentIndex(dialog.lead_source.findData(fair.id))
        qtbot.keyClicks(dialog.campaign, "Spring fair")
        # no company chosen: typing finds everyone's contacts
        type_text(dialog.contact.lineEdit(), "张")
        popup = dialog.contact.popup_list.popup()
        qtbot.waitUntil(popup.isVisible)  # found off the GUI thread once typing paused
        offered.append([popup.model().index(r, 0).data()
                        for r in range(popup.model().rowCount())])
        rows = [r for r in range(popup.model().rowCount())
                if popup.model().index(r, 0).data() == "张伟 · 北京星辰科技有限公司"]
        if not rows:  # not the line looked for: close, so that the test fails, not waits
            dialog.reject()
            return
        row = rows[0]
        popup.setCurrentIndex(popup.model().index(row, 0))
        qtbot.keyClick(popup, Qt.Key.Key_Return)
        offered.append(dialog.contact.currentText())  # the name alone goes in the field
        offered.append(dialog.company.text())  # the contact's company came along
        dialog.accept()

    answer_next_dialog(fill_in)
    window.actions_.new_deal.trigger()
    # in pinyin order: 数据 shu4ju4 before 云 yun2, 张明 ming2 before 张伟 wei3; each
    # with the company, if any, that tells two people of one name apart
    assert offered == [["(none)", "数据平台", "云服务"], ["张明", "张伟 · 北京星辰科技有限公司"],
                       "张伟", "北京星辰科技有限公司"]
    [card] = page.board.columns[stage(services, "Initial contact").id].model.visible_cards()
    detail = services.deals.detail(card.id)
    fields = detail.fields
    assert (fields.product_id, fields.lead_source_id, fields.campaign) == (
        cloud.id, fair.id, "Spring fair")
    assert (fields.company_id, fields.contact_id) == (star.id, zhang.id)

    form = DealForm(services, manager, detail, "CNY")
    qtbot.addWidget(form)
    assert form.product.currentText() == "云服务"
    assert form.lead_source.currentData() == fair.id
    assert form.campaign.text() == "Spring fair"
    assert form.contact.currentText() == "张伟"
    assert form.fields() == fields


def test_a_contact_name_nobody_has_is_refused_at_the_field(
        qtbot: QtBot, services: Services, manager: Actor) -> None:
    form = DealForm(services, manager, None, "CNY")
    qtbot.addWidget(form)
    form.title.setText("云迁移")
    form.contact.setEditText("王五")
    form.accept()
    assert form.result() == 0  # still open, nothing saved
    assert "No contact is called “王五”" in form.error.text()


def test_cancel_after_an_edit_asks_before_the_edit_is_dropped(
        qtbot: QtBot, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    asked: list[DealForm] = []
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]

    def ask(form: DealForm) -> QMessageBox.StandardButton:
        asked.append(form)
        return answers.pop(0)

    monkeypatch.setattr(DealForm, "ask_about_changes", ask)
    untouched = DealForm(services, manager, None, "CNY")
    qtbot.addWidget(untouched)
    untouched.show()
    untouched.reject()  # nothing typed: closes unasked
    assert asked == []
    assert not untouched.isVisible()
    form = DealForm(services, manager, None, "CNY")
    qtbot.addWidget(form)
    form.show()
    form.title.setText("云迁移")
    form.reject()  # "Keep editing"
    assert form.isVisible()
    assert form.title.text() == "云迁移"
    form.reject()  # "Discard"
    assert not form.isVisible()
    assert asked == [form, form]
