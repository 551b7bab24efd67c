"""The Quotes area in the window: the editor pricing lines as they are typed, refusing a
bad cell under the table, marking a line below its floor, saving (undone from the Edit
menu), a manager's approval letting the quote go out, the comparison of two revisions,
the customer's answer, the Quotes page's filters, and the PDF preview's pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from funneldesk.db import Database
from funneldesk.enums import ApprovalState, QuoteState, Role
from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.ui.common.pdf_preview import PdfPreview
from funneldesk.ui.quotes.compare_dialog import CompareDialog
from funneldesk.ui.quotes.editor import QuoteEditor
from funneldesk.ui.quotes.lines_model import DISCOUNT, PRICE, PRODUCT, QUANTITY
from funneldesk.ui.quotes.page import QuotesPage
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal, make_user
from tests.services.quote_helpers import catalogue, content


def answers(monkeypatch: pytest.MonkeyPatch, text: str = "ok", item: str | None = None) -> None:
    """The editor's questions answered: a reason or note, an option, Yes."""
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        staticmethod(lambda *_a, **_k: (text, True)))
    if item is not None:
        monkeypatch.setattr(QInputDialog, "getItem",
                            staticmethod(lambda *_a, **_k: (item, True)))
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes))


def type_in(editor: QuoteEditor, row: int, column: int, value: Any) -> bool:
    model = editor.tabs()[editor.options.currentIndex()].model
    return bool(model.setData(model.index(row, column), value))


def test_a_new_quote_prices_its_lines_as_typed_refuses_a_bad_cell_and_saves_undoably(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, manager)
    editor = QuoteEditor(window.workspace, deal_id=deal.id)
    qtbot.addWidget(editor)
    tab = editor.tabs()[0]
    tab.add_button.click()
    assert type_in(editor, 0, PRODUCT, products["licence"].id)
    # the licence's list price with 13% tax, as the quote includes tax by default
    assert tab.model.lines[0].unit_price == Decimal("1130.00")
    assert type_in(editor, 0, QUANTITY, "10")
    assert "11,300.00" in tab.totals.text()
    assert not type_in(editor, 0, QUANTITY, "ten")
    assert tab.problem.isVisibleTo(editor)
    assert "quantity above 0" in tab.problem.text()
    assert tab.model.lines[0].quantity == Decimal(10)  # nothing changed
    assert type_in(editor, 0, DISCOUNT, "5")
    assert not tab.problem.isVisibleTo(editor)
    assert "10,735.00" in tab.totals.text()
    editor.save_button.click()
    assert editor.quote is not None
    saved = services.quotes.get(editor.quote.id)
    assert saved.revision.options[0].amounts.total == Decimal("10735.00")
    # a later edit is a step the Edit menu takes back
    assert type_in(editor, 0, QUANTITY, "12")
    editor.save_button.click()
    assert "Edit quote" in window.undo_stack.undoText()
    window.undo_stack.undo()
    assert services.quotes.get(saved.id).revision.options[0].lines[0].quantity == 10
    # the draft itself goes with Delete draft… (a quote made is not undone)
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes))
    editor = QuoteEditor(window.workspace, quote_id=saved.id)
    qtbot.addWidget(editor)
    assert editor.delete_button.isVisibleTo(editor)
    editor.delete_button.click()
    assert services.quotes.for_deal(deal.id) == []


def test_a_line_below_its_floor_is_marked_and_goes_out_once_another_manager_approves(
        qtbot: QtBot, services: Services, manager: Actor, db: Database, window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    products = catalogue(services, manager)
    rep = make_user(db, "rep", "Rita Rep")
    deal = make_deal(services, rep)
    quote = services.quotes.create(deal.id, content(products), by=rep).quote
    editor = QuoteEditor(window.workspace, quote_id=quote.id)
    qtbot.addWidget(editor)
    assert not editor.tabs()[0].warning.isVisibleTo(editor)
    assert type_in(editor, 0, PRICE, "800")  # below the floor of 904.00 with tax
    tab = editor.tabs()[0]
    assert tab.warning.isVisibleTo(editor)
    assert "below its floor" in tab.warning.text()
    assert tab.model.index(0, PRICE).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "manager must approve" in editor.approval.text()
    assert not editor.send_button.isEnabled()
    editor.save_button.click()
    answers(monkeypatch, "Strategic account")
    # the window's user priced it, and is the team's only manager: a self-approval, said so
    editor.approve_button.click()
    assert editor.quote is not None
    approval = editor.quote.revision.approval
    assert (approval.state, approval.self_approved) == (ApprovalState.APPROVED, True)
    assert "Self-approved by" in editor.approval.text()
    assert editor.send_button.isEnabled()
    editor.send_button.click()
    assert services.quotes.get(quote.id).state is QuoteState.SENT


def test_the_comparison_lists_what_the_second_revision_conceded(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, manager)
    quote = services.quotes.create(deal.id, content(products), by=manager).quote
    sent = services.quotes.send(quote.id, expected_version=quote.version, by=manager).quote
    services.quotes.save(quote.id, content(products, "1017.00"), expected_version=sent.version,
                         by=manager)
    dialog = CompareDialog(window.workspace, services.quotes.get(quote.id))
    qtbot.addWidget(dialog)
    rows = [[dialog.model.item(r, c).text() for c in range(5)]
            for r in range(dialog.model.rowCount())]
    assert ["Unit price", "Standard", "CRM licence", "1,130.00", "1,017.00"] in rows
    assert ["Option total", "Standard", "", "11,300.00", "10,170.00"] in rows
    assert "came down by 3,390.00 USD" in dialog.summary.text()


def test_the_customers_answer_sets_the_deals_value_and_undo_puts_it_back(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, manager, value="5000")
    quote = services.quotes.create(deal.id, content(products), by=manager).quote
    services.quotes.send(quote.id, expected_version=quote.version, by=manager)
    editor = QuoteEditor(window.workspace, quote_id=quote.id)
    qtbot.addWidget(editor)
    assert editor.accept_button.isEnabled()
    # a manager's every button fits an English window on a laptop's screen with room
    # to spare (in one row they needed 1,274 pixels here, more once answered)
    assert editor.minimumSizeHint().width() < 1000
    answers(monkeypatch, item="Premium")
    editor.accept_button.click()
    assert editor.minimumSizeHint().width() < 1000
    assert services.quotes.get(quote.id).state is QuoteState.ACCEPTED
    assert services.deals.detail(deal.id).fields.value == Decimal("33200.00")
    assert "accepted: Premium" in editor.heading.text()
    window.undo_stack.undo()
    assert services.quotes.get(quote.id).state is QuoteState.SENT
    assert services.deals.detail(deal.id).fields.value == Decimal("5000.00")


def test_the_quotes_page_filters_by_state_and_words(
        qtbot: QtBot, services: Services, manager: Actor, db: Database,
        window: MainWindow) -> None:
    products = catalogue(services, manager)
    rep = make_user(db, "rep", "Rita Rep", Role.REP)
    cheap = services.quotes.create(make_deal(services, rep, title="Cheap deal").id,
                                   content(products, "500.00"), by=rep).quote
    services.quotes.ask_approval(cheap.id, "please", expected_version=cheap.version, by=rep)
    fair = services.quotes.create(make_deal(services, rep, title="Fair deal").id,
                                  content(products), by=rep).quote
    services.quotes.send(fair.id, expected_version=fair.version, by=rep)
    window.show_page("quotes")
    page = window.pages["quotes"]
    assert isinstance(page, QuotesPage)
    qtbot.waitUntil(lambda: page.status_text() != "", timeout=10000)
    # a manager first sees what waits for their approval
    assert [row.number for row in page.model.rows] == [cheap.number]
    assert page.model.index(0, 3).data() == "Awaiting approval"
    page.state.setCurrentIndex(0)
    assert {row.number for row in page.model.rows} == {cheap.number, fair.number}
    page.search.setText("fair")
    assert [row.number for row in page.model.rows] == [fair.number]
    page.search.setText("nothing like it")
    assert page.empty.isVisibleTo(page)


def test_the_preview_shows_every_page_of_the_pdf(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, manager)
    quote = services.quotes.create(deal.id, content(products), by=manager).quote
    preview = PdfPreview(window.workspace, quote.number, quote.number,
                         lambda: window.workspace.services.quotes.pdf(quote.id))
    qtbot.addWidget(preview)
    qtbot.waitUntil(lambda: preview.data is not None, timeout=20000)
    pages = [w for w in preview.findChildren(QLabel) if w.pixmap() is not None
             and not w.pixmap().isNull()]
    assert len(pages) == 1
    assert pages[0].pixmap().width() > 700  # an A4 page at 96 dpi
    assert preview.save_button.isEnabled()
    assert preview.data is not None
    assert preview.data.startswith(b"%PDF")


def test_a_quote_emailed_from_the_window_reaches_the_mail_server(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    from aiosmtpd.controller import Controller

    from funneldesk.ui.quotes.mail_dialogs import EmailQuoteDialog
    from tests.services.test_quote_mail import Inbox, free_port

    port, inbox = free_port(), Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        window.settings.set("mail.server", {"host": "127.0.0.1", "port": port,
                                            "security": "none", "user": "",
                                            "sender": "sales@example.com"})
        products = catalogue(services, manager)
        deal = make_deal(services, manager)
        quote = services.quotes.create(deal.id, content(products), by=manager).quote
        dialog = EmailQuoteDialog(window.workspace, quote)
        qtbot.addWidget(dialog)
        assert dialog.subject.text() == f"Quotation {quote.number}"
        dialog.to.setText("nobody")
        dialog.send()
        qtbot.waitUntil(lambda: dialog.errors["to"].isVisibleTo(dialog), timeout=10000)
        assert services.mail.waiting() == 0
        dialog.to.setText("buyer@customer.example")
        dialog.send()
        qtbot.waitUntil(lambda: dialog.sent, timeout=20000)
        window.send_mail()
        qtbot.waitUntil(lambda: len(inbox.messages) == 1, timeout=10000)
        assert services.quotes.get(quote.id).state is QuoteState.SENT
        qtbot.waitUntil(lambda: "Email sent" in window.statusBar().currentMessage()
                        or services.mail.waiting() == 0, timeout=5000)
    finally:
        controller.stop()


def test_a_manager_keeps_the_catalogue_and_a_bad_floor_is_said_under_its_field(
        qtbot: QtBot, services: Services, manager: Actor) -> None:
    from funneldesk.ui.quotes.catalogue_dialog import CatalogueDialog, ProductForm

    dialog = CatalogueDialog(services, manager)
    qtbot.addWidget(dialog)
    form = ProductForm(services, manager, None, dialog)
    qtbot.addWidget(form)
    for name, text in (("name", "服务器"), ("code", "SRV"), ("unit", "台"),
                       ("list_price", "50,000"), ("floor_price", "60000"), ("cost", "abc")):
        form.fields[name].setText(text)
    form.save()
    assert form.errors["cost"].isVisibleTo(form)
    form.fields["cost"].setText("35000")
    form.save()
    assert "above the list price" in form.errors["floor_price"].text()
    assert services.catalogue.items() == []
    form.fields["floor_price"].setText("42000")
    form.save()
    assert form.saved is not None
    dialog.reload()
    assert [(i.code, i.list_price, i.floor_price) for i in dialog.model.rows] == [
        ("SRV", Decimal(50000), Decimal(42000))]


def test_the_letterhead_and_rules_are_saved_and_a_bad_margin_is_refused(
        qtbot: QtBot, services: Services, manager: Actor) -> None:
    from funneldesk.ui.quotes.quote_settings import QuoteSettingsDialog

    dialog = QuoteSettingsDialog(services, manager)
    qtbot.addWidget(dialog)
    dialog.fields["name"].setText("北京星辰科技有限公司")
    dialog.margin.setText("abc")
    dialog.save()
    assert dialog.errors["min_margin"].isVisibleTo(dialog)
    assert services.letterhead.letterhead().name == ""
    dialog.margin.setText("20")
    dialog.days.setValue(45)
    dialog.save()
    assert services.letterhead.letterhead().name == "北京星辰科技有限公司"
    rules = services.quote_rules.rules()
    assert (rules.min_margin, rules.valid_days) == (Decimal(20), 45)


@pytest.mark.qt_log_ignore("This plugin does not support raise",
                           "does not support grabbing the keyboard")
def test_the_deal_form_lists_the_deals_quotes(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    from PySide6.QtWidgets import QWidget

    from funneldesk.ui.board.deal_form import DealForm
    from funneldesk.ui.quotes.deal_tab import DealQuotesTab
    from tests.ui.conftest import answer_next_dialog

    products = catalogue(services, manager)
    deal = make_deal(services, manager)
    quote = services.quotes.create(deal.id, content(products), by=manager).quote
    seen: list[object] = []

    def look(form: QWidget) -> None:
        assert isinstance(form, DealForm)
        tab = next(form.tabs.widget(i) for i in range(form.tabs.count())
                   if isinstance(form.tabs.widget(i), DealQuotesTab))
        assert isinstance(tab, DealQuotesTab)
        seen.extend([row.number for row in tab.model.rows])
        seen.append(tab.new_button.isEnabled())
        form.reject()

    answer_next_dialog(look)
    window.editor.open(deal.id)
    assert seen == [quote.number, True]


def test_enter_in_the_editor_presses_no_button(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    from PySide6.QtWidgets import QPushButton

    products = catalogue(services, manager)
    deal = make_deal(services, manager)
    quote = services.quotes.create(deal.id, content(products), by=manager).quote
    editor = QuoteEditor(window.workspace, quote_id=quote.id)
    qtbot.addWidget(editor)
    # a dialog's Enter goes to its default button, or to the focused button that is
    # auto-default: none may be either
    buttons = editor.findChildren(QPushButton)
    assert buttons
    assert not [b.text() for b in buttons if b.autoDefault() or b.isDefault()]
    editor.show()
    qtbot.waitExposed(editor)
    tab = editor.tabs()[0]
    tab.table.setFocus()
    tab.table.selectRow(0)
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert editor.options.count() == 2
    assert services.quotes.get(quote.id).version == quote.version
    editor.close_editor()
