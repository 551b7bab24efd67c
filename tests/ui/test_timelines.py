"""Timelines in the real widgets: the deal form's Timeline tab and a customer's detail on
the Customers page show what is planned, then what happened, newest first."""

from __future__ import annotations

from dataclasses import replace

from pytestqt.qtbot import QtBot

from funneldesk.enums import ActivityKind
from funneldesk.services import Services
from funneldesk.services.activities.records import ActivityFields
from funneldesk.services.customers.records import CompanyFields
from funneldesk.services.dto import Actor
from funneldesk.ui.board.deal_form import DealForm
from funneldesk.ui.customers.page import CustomersPage
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal


def test_the_deal_form_shows_the_deals_timeline(qtbot: QtBot, services: Services,
                                               manager: Actor) -> None:
    deal = make_deal(services, manager, title="仓储系统")
    services.activities.plan(ActivityFields(ActivityKind.VISIT, "现场演示", deal_id=deal.id,
                                            agenda="带样品"), by=manager)
    services.activities.log(ActivityFields(ActivityKind.CALL, "初次电话", deal_id=deal.id),
                            "客户需要报价", by=manager)
    form = DealForm(services, manager, services.deals.detail(deal.id), "CNY")
    qtbot.addWidget(form)
    qtbot.waitUntil(lambda: form.timeline.timeline is not None, timeout=10000)
    text = form.timeline.toPlainText()
    planned, happened = text.split("What happened")
    assert "Visit: 现场演示" in planned
    assert "带样品" in planned  # the agenda
    assert "✓ Call: 初次电话" in happened
    assert "Outcome: 客户需要报价" in happened
    assert happened.index("初次电话") < happened.index("Created in Initial contact")


def test_a_customers_detail_shows_its_deals_moves_and_activities_in_one_stream(
        qtbot: QtBot, window: MainWindow, services: Services, manager: Actor) -> None:
    company = services.customers.add_company(CompanyFields(name="星辰科技"), by=manager)
    deal = make_deal(services, manager, title="仓储系统")
    services.deals.update(deal_id=deal.id, fields=replace(
        services.deals.detail(deal.id).fields, company_id=company.id),
        expected_version=deal.version, by=manager)
    services.activities.log(ActivityFields(ActivityKind.VISIT, "拜访", company_id=company.id),
                            "见到了采购", by=manager)
    window.show_page("customers")
    page = window.current
    assert isinstance(page, CustomersPage)
    with qtbot.waitSignal(page.customerShown, timeout=10000):
        page.open_customer("company", company.id)
    text = page.detail.toPlainText()
    happened = text.split("What happened")[1]
    assert happened.index("拜访") < happened.index("Created in Initial contact")
    assert "仓储系统" in happened  # each entry names its deal
