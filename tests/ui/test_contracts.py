"""The Contracts area in the window: a contract made from the accepted quote in its
editor, an unknown placeholder said under the terms (nothing saved), the review ticked
in the checklist, the posting and the customer's signature recorded through the step
dialog, money received against a milestone (undone from the Edit menu), the Contracts
page's filters and receivables, and a confidential contract saved only encrypted."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from funneldesk.db import Database
from funneldesk.enums import Confidentiality, ContractState
from funneldesk.services import Services
from funneldesk.services.contracts.records import ContractView
from funneldesk.services.dto import Actor
from funneldesk.settings import Settings
from funneldesk.ui.contracts import pdf as contract_pdf
from funneldesk.ui.contracts.contract_window import ContractWindow
from funneldesk.ui.contracts.money_tab import PaymentDialog
from funneldesk.ui.contracts.page import ContractsPage
from funneldesk.ui.contracts.step_dialog import StepDialog
from funneldesk.ui.quotes.editor import QuoteEditor
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_user
from tests.services.contract_helpers import accepted_quote, contract, reviewed, signed


def step_button(window: ContractWindow, text: str) -> QPushButton:
    return next(b for b in window.findChildren(QPushButton)
                if b.text().startswith(text) and b.isVisibleTo(window))


def opened(qtbot: QtBot, window: MainWindow, view: ContractView) -> ContractWindow:
    """The contract's window, as a double-click on its row opens it."""
    shown = ContractWindow(window.workspace, view)
    qtbot.addWidget(shown)
    return shown


def test_the_quote_editor_makes_the_contract_and_the_window_refuses_an_unknown_placeholder(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _deal, quote_id = accepted_quote(services, manager, manager)
    opened: list[ContractWindow] = []
    monkeypatch.setattr(ContractWindow, "exec", lambda self: opened.append(self) or 0)
    editor = QuoteEditor(window.workspace, quote_id=quote_id)
    qtbot.addWidget(editor)
    assert editor.contract_button.isVisibleTo(editor)
    editor.contract_button.click()
    (shown,) = opened
    qtbot.addWidget(shown)
    assert shown.view.state is ContractState.DRAFT
    assert "Make contract" in window.undo_stack.undoText()
    # the quote now opens its contract, and is not reopened under it
    assert editor.contract_button.text() == f"Open contract {shown.view.summary.number}"
    assert not editor.reopen_button.isEnabled()
    assert shown.view.summary.number in editor.reopen_button.toolTip()
    assert not editor.accept_button.isVisibleTo(editor)  # answered: no answer to give
    assert not editor.send_button.isVisibleTo(editor)
    # opened on its payments, saying where the schedule came from
    assert shown.tabs.currentWidget() is shown.money
    assert "taken from the quote's payment terms" in shown.money.notice.text()
    assert "30% on signing, 70% on acceptance" in shown.money.notice.text()
    shown.tabs.setCurrentWidget(shown.terms)
    terms = shown.terms
    terms.terms.setPlainText(terms.terms.toPlainText() + "\n\n付款\n{amont} 元")
    # said as it is typed, and again when saving is refused
    assert terms.errors["terms"].isVisibleTo(shown)
    assert "{amont}" in terms.errors["terms"].text()
    shown.save_button.click()
    assert "{amont}" in terms.errors["terms"].text()
    assert "{amont}" not in services.contracts.get(shown.view.id, viewer=manager).content.terms
    terms.terms.setPlainText(terms.terms.toPlainText().replace("{amont}", "{amount}"))
    assert not terms.errors["terms"].isVisibleTo(shown)
    shown.save_button.click()
    assert "{amount} 元" in services.contracts.get(shown.view.id, viewer=manager).content.terms


def test_review_posting_signature_and_money_through_the_window(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    view = contract(services, manager, manager)
    shown = opened(qtbot, window, view)
    step_button(shown, "Send to review").click()
    assert shown.view.state is ContractState.IN_REVIEW
    approve = step_button(shown, "Approve for signature")
    assert not approve.isEnabled()  # not until every item is ticked
    model = shown.review.model
    for row in range(model.rowCount()):
        model.item(row).setCheckState(Qt.CheckState.Checked)
    assert all(r.ticked_by == manager.display_name for r in shown.view.reviews)
    assert "Ticked by" in model.item(0).text()
    step_button(shown, "Approve for signature").click()
    assert shown.view.state is ContractState.APPROVED

    def post(dialog: StepDialog) -> int:
        dialog.courier.setText("顺丰速运")
        dialog.accept()  # no tracking number: said under its field, the dialog stays
        assert dialog.errors["tracking"].isVisibleTo(dialog)
        dialog.tracking.setText("SF1234567890")
        dialog.accept()
        return 1

    monkeypatch.setattr(StepDialog, "exec", post)
    step_button(shown, "Post for signature").click()
    assert shown.view.state is ContractState.SENT
    assert shown.view.steps[-1].tracking == "SF1234567890"
    def sign(dialog: StepDialog) -> int:
        # not before the posting (today): the calendar offers no earlier day
        calendar = dialog.on.calendar
        assert calendar.minimumDate() == calendar.maximumDate() == QDate.currentDate()
        # and draws the days it does not offer greyed
        grey = dialog.on.palette().color(QPalette.ColorGroup.Disabled,
                                         QPalette.ColorRole.Text)
        yesterday = calendar.dateTextFormat(QDate.currentDate().addDays(-1))
        assert yesterday.foreground().color() == grey
        assert calendar.dateTextFormat(QDate.currentDate()).foreground().color() != grey
        # a day typed before it is said under the date, and the dialog stays
        dialog.on.edit.setText((dt.date.today() - dt.timedelta(days=3)).isoformat())
        dialog.accept()
        assert "before the previous step" in dialog.errors["on"].text()
        dialog.on.edit.setText("not a day")
        assert dialog.errors["on"].text() == ""  # gone as the date is edited
        dialog.accept()
        assert "is not a date" in dialog.errors["on"].text()
        dialog.on.set_value(dt.date.today())
        dialog.accept()
        return 1

    monkeypatch.setattr(StepDialog, "exec", sign)
    step_button(shown, "Customer signed").click()
    assert shown.view.state is ContractState.SIGNED
    # no rule moved the deal: the window says where it stays and why
    assert "stays in “Contract”" in shown.said.text()
    assert not shown.money.receive_button.isHidden()

    def receive(dialog: PaymentDialog) -> int:
        dialog.amount.setText("99999")  # more than the advance: refused under the amount
        dialog.accept()
        assert dialog.errors["amount"].isVisibleTo(dialog)
        dialog.amount.setText("5000")
        dialog.reference.setText("CMB-001")
        dialog.accept()
        return 1

    monkeypatch.setattr(PaymentDialog, "exec", receive)
    shown.money.receive_button.click()
    assert shown.view.summary.received == Decimal("5000.00")
    assert shown.money.payments.rowCount() == 1
    assert "Money received" in window.undo_stack.undoText()
    window.undo_stack.undo()
    assert services.contracts.get(view.id, viewer=manager).summary.received == 0


def test_taking_back_a_payment_is_asked_first_and_undone_by_recording_it_again(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    view = signed(services, manager, contract(services, manager, manager))
    paid_on = dt.date.today() - dt.timedelta(days=2)
    view = services.contracts.record_payment(
        view.milestones[0].id, Decimal(2500), paid_on, method="Bank transfer",
        reference="CMB-7", expected_version=view.version, by=manager).contract
    shown = opened(qtbot, window, view)
    shown.money.paid.selectRow(0)
    asked: list[str] = []

    def answer(reply: QMessageBox.StandardButton) -> None:
        def question(_parent: object, _title: str, text: str) -> QMessageBox.StandardButton:
            asked.append(text)
            return reply
        monkeypatch.setattr(QMessageBox, "question", staticmethod(question))

    answer(QMessageBox.StandardButton.No)
    shown.money.take_back_button.click()
    assert "$2,500.00" in asked[-1]
    assert services.contracts.get(view.id, viewer=manager).summary.received == Decimal(2500)
    answer(QMessageBox.StandardButton.Yes)
    shown.money.take_back_button.click()
    assert services.contracts.get(view.id, viewer=manager).summary.received == 0
    assert shown.money.payments.rowCount() == 0
    # undone from the contract's own window, which keeps the main window's menu back
    assert shown.undo_action.text() == "Undo Take back payment"
    shown.undo_action.trigger()
    again = services.contracts.get(view.id, viewer=manager).milestones[0].payments
    assert [(p.amount, p.received_on, p.reference) for p in again] == [
        (Decimal("2500.00"), paid_on, "CMB-7")]
    assert shown.money.payments.rowCount() == 1
    shown.redo_action.trigger()
    assert services.contracts.get(view.id, viewer=manager).summary.received == 0
    assert shown.money.payments.rowCount() == 0


def test_the_page_filters_by_whom_a_contract_waits_on_and_lists_receivables(
        qtbot: QtBot, services: Services, manager: Actor, rep: Actor,
        window: MainWindow) -> None:
    waiting = contract(services, manager, manager)
    done = signed(services, manager, contract(services, manager, manager))
    theirs = contract(services, manager, rep)
    ticked = reviewed(services, manager, contract(services, manager, manager))
    draft = contract(services, manager, manager)
    halfway = services.contracts.advance(draft.id, ContractState.IN_REVIEW,
                                         expected_version=draft.version, by=manager).contract
    window.show_page("contracts")
    page = window.pages["contracts"]
    assert isinstance(page, ContractsPage)
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=10000)

    def showing(group: str) -> set[int]:
        page.group.setCurrentIndex(page.group.findData(group))
        return {r.id for r in page.model.rows}

    assert showing("customer") == set()
    assert showing("signed") == {done.id}
    # a review ticked through waits on us to approve it; one half-way, on its reviewers
    assert showing("us") == {waiting.id, done.id, theirs.id, ticked.id}
    assert showing("review") == {ticked.id, halfway.id}
    waits = {r.id: page.model.index(n, 4).data() for n, r in enumerate(page.model.rows)}
    assert waits == {ticked.id: "Us: approve it for signature",
                     halfway.id: "Reviewers: tick the checklist"}
    assert showing("drafts") == {waiting.id, theirs.id}
    assert showing("mine") == {waiting.id, done.id, ticked.id, halfway.id}  # the manager's
    assert showing("archived") == set()
    # the signed contract's two milestones are owed, under its customer
    tree = page.receivables.model
    assert tree.rowCount() == 1
    assert tree.item(0).rowCount() == 2
    # on the receivables the search box finds, the Show box has nothing to choose
    page.tabs.setCurrentWidget(page.receivables)
    assert not page.group.isEnabled()
    page.search.setText("nobody owes this")
    assert tree.rowCount() == 0
    assert "matches" in page.receivables.summary.text()
    page.search.setText(done.summary.number)
    assert tree.rowCount() == 1
    page.tabs.setCurrentWidget(page.table)
    assert page.group.isEnabled()


def test_a_confidential_contract_is_saved_only_encrypted(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    view = contract(services, manager, manager)
    view = services.contracts.set_confidentiality(
        view.id, Confidentiality.CONFIDENTIAL, expected_version=view.version,
        by=manager).contract
    target = tmp_path / "contract.pdf"
    monkeypatch.setattr(contract_pdf, "save_file_name",
                        lambda *_a, **_k: (str(target), ""))

    def typed(dialog: contract_pdf.PasswordDialog) -> int:
        assert dialog.confidential
        # no secure keyring here: keeping the password there is not offered
        assert not dialog.keep.isEnabled()
        assert "keyring" in dialog.keep.toolTip()
        dialog.accept()  # an empty password is refused for a confidential contract
        assert dialog.error.isVisibleTo(dialog)
        dialog.password.setText("暗号 7")
        dialog.repeat.setText("暗号 7")
        dialog.accept()
        return 1

    monkeypatch.setattr(contract_pdf.PasswordDialog, "exec", typed)
    monkeypatch.setattr(contract_pdf.secrets, "available", lambda: False)
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes))
    shown = opened(qtbot, window, view)
    shown.pdf_button.click()
    qtbot.waitUntil(target.exists, timeout=20000)
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    assert reader.is_encrypted
    assert reader.decrypt("暗号 7") != 0
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".pdf"] == ["contract.pdf"]


def test_the_deal_and_the_customer_show_money_promises_and_visits(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    import datetime as dt

    from funneldesk.services.contracts.records import Commitments
    from funneldesk.ui.contracts.deal_tab import DealContractsTab
    from funneldesk.ui.customers.detail import overview_html

    view = contract(services, manager, manager)
    view = services.contracts.set_commitments(view.id, Commitments("7×24 热线", 4, 12, "张工"),
                                              expected_version=view.version,
                                              by=manager).contract
    view = signed(services, manager, view)
    view = services.contracts.record_payment(view.milestones[0].id, Decimal(1000),
                                             dt.date.today(), expected_version=view.version,
                                             by=manager).contract
    view = services.contracts.set_delivered(view.id, dt.date.today(),
                                            expected_version=view.version, by=manager).contract
    tab = DealContractsTab(window.workspace, view.summary.deal_id)
    qtbot.addWidget(tab)
    assert [r.id for r in tab.model.rows] == [view.id]
    shown = tab.after.toPlainText()
    assert "Contracted $33,200.00 · received $1,000.00 · outstanding $32,200.00" in shown
    assert "response within 4 hours" in shown
    assert "3 return visits planned" in shown
    company = view.summary.company_id
    assert company is not None
    html = overview_html(services.customer_list.overview("company", company),
                         after=services.after_sales.for_company(company, viewer=manager))
    assert "Contracts and after-sales" in html
    assert "7×24 热线" in html


def test_a_colleague_off_the_deals_team_reads_the_contract_but_is_offered_no_step(
        qtbot: QtBot, services: Services, manager: Actor, rep: Actor, db: Database) -> None:
    view = signed(services, manager, contract(services, manager, rep))
    other = make_user(db, "olga", "Olga Other")
    window = MainWindow(services, other, Settings())
    qtbot.addWidget(window)
    shown = ContractWindow(window.workspace, services.contracts.get(view.id, viewer=other))
    qtbot.addWidget(shown)
    seal = step_button(shown, "Our seal")
    assert not seal.isEnabled()
    assert "Only the deal's owner" in seal.toolTip()
    assert not shown.money.receive_button.isEnabled()
    assert not shown.cancel_button.isEnabled()
    assert "Only the deal's owner" in shown.where.text()
    # the owner is offered them, but not cancelling what the customer signed
    owners = MainWindow(services, rep, Settings())
    qtbot.addWidget(owners)
    mine = ContractWindow(owners.workspace, services.contracts.get(view.id, viewer=rep))
    qtbot.addWidget(mine)
    assert step_button(mine, "Our seal").isEnabled()
    assert mine.money.receive_button.isEnabled()
    assert not mine.cancel_button.isEnabled()
    assert "only a manager cancels it" in mine.cancel_button.toolTip()


def test_a_share_typed_in_the_schedule_shows_its_amount_and_what_the_schedule_comes_to(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    view = contract(services, manager, manager)  # 33,200.00: 30% and 70%
    shown = opened(qtbot, window, view)
    money = shown.money
    # the due day reads as the app's other dates do, its year in full
    due = money.schedule.item(0, 1).data(Qt.ItemDataRole.EditRole)
    shown_due = money.table.itemDelegateForColumn(1).displayText(due, QLocale())
    assert str(due.year()) in shown_due
    assert shown_due[0].isalpha()  # "Jan 2, 2027", not "1/2/27"
    money.schedule.item(0, 2).setText("50")
    assert money.schedule.item(0, 3).text() == "16,600.00"
    assert "add up to 39,840.00 of 33,200.00" in money.error.text()
    money.schedule.item(1, 2).setText("50")
    assert money.schedule.item(1, 3).text() == "16,600.00"
    assert money.error.text() == ""
    # an amount typed over a share fixes that amount: the share goes
    money.schedule.item(1, 3).setText("10000")
    assert money.schedule.item(1, 2).text() == ""
    assert "add up to 26,600.00 of 33,200.00" in money.error.text()
    money.schedule.item(1, 3).setText("16600")
    assert money.error.text() == ""
    # the typed amount reads as the others do, and what is owed on a draft follows it
    assert money.schedule.item(1, 3).text() == "16,600.00"
    assert money.schedule.item(1, 5).text() == "$16,600.00"
    # a share emptied keeps its amount, as a fixed one
    money.schedule.item(0, 2).setText("")
    assert money.schedule.item(0, 3).text() == "16,600.00"
    assert money.error.text() == ""
    shown.save_button.click()
    saved = services.contracts.get(view.id, viewer=manager).milestones
    assert [(m.percent, m.amount) for m in saved] == [
        (None, Decimal("16600.00")), (None, Decimal("16600.00"))]


@pytest.mark.parametrize(("column", "typed"), [(2, "inf"), (2, "1e30"), (3, "1e30"),
                                              (2, "150"), (3, "-1")])
def test_a_number_no_schedule_holds_is_said_under_it(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        column: int, typed: str) -> None:
    view = contract(services, manager, manager)
    shown = opened(qtbot, window, view)
    shown.money.schedule.item(0, column).setText(typed)
    assert shown.money.error.text()  # said, not a crash
    shown.save_button.click()
    assert "not saved" in shown.error.text()  # the click says it saved nothing
    shown.money.schedule.item(0, 0).setText("预付款")
    assert shown.error.text() == ""  # edited again: no longer said
    assert services.contracts.get(view.id, viewer=manager).milestones == view.milestones


def test_undo_and_redo_walk_back_and_forth_over_payments_taken_back(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Each payment keeps its id through undo and redo, so that an older step's undo
    still finds it; and the one who recorded it stays its recorder."""
    view = signed(services, manager, contract(services, manager, manager))
    shown = opened(qtbot, window, view)

    def paying(amount: str) -> None:
        def receive(dialog: PaymentDialog) -> int:
            dialog.amount.setText(amount)
            dialog.accept()
            return 1
        monkeypatch.setattr(PaymentDialog, "exec", receive)
        shown.money.receive_button.click()

    def received() -> list[Decimal]:
        return [p.amount for m in services.contracts.get(view.id, viewer=manager).milestones
                for p in m.payments]

    paying("1000")
    paying("500")
    assert received() == [Decimal("1000.00"), Decimal("500.00")]
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes))
    shown.money.paid.selectRow(0)
    shown.money.take_back_button.click()
    assert received() == [Decimal("500.00")]
    for expected in ([Decimal("1000.00"), Decimal("500.00")], [Decimal("1000.00")], []):
        shown.undo_action.trigger()
        assert received() == expected
    for expected in ([Decimal("1000.00")], [Decimal("1000.00"), Decimal("500.00")],
                     [Decimal("500.00")]):
        shown.redo_action.trigger()
        assert received() == expected
    assert shown.money.payments.rowCount() == 1
    (payment,) = [p for m in services.contracts.get(view.id, viewer=manager).milestones
                  for p in m.payments]
    assert payment.recorded_by == manager.display_name


def test_a_contracts_window_undoes_only_what_was_done_in_it(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    first = signed(services, manager, contract(services, manager, manager))
    other = signed(services, manager, contract(services, manager, manager))
    before = ContractWindow(window.workspace, first)
    qtbot.addWidget(before)

    def receive(dialog: PaymentDialog) -> int:
        dialog.amount.setText("1000")
        dialog.accept()
        return 1

    monkeypatch.setattr(PaymentDialog, "exec", receive)
    before.money.receive_button.click()
    assert before.undo_action.isEnabled()
    later = ContractWindow(window.workspace, services.contracts.get(other.id, viewer=manager))
    qtbot.addWidget(later)
    assert not later.undo_action.isEnabled()
    later.undo_action.trigger()
    assert services.contracts.get(first.id, viewer=manager).summary.received == Decimal(1000)
    # what it does itself, it undoes, and no further
    later.money.receive_button.click()
    assert later.undo_action.isEnabled()
    later.undo_action.trigger()
    assert services.contracts.get(other.id, viewer=manager).summary.received == 0
    assert not later.undo_action.isEnabled()
    assert services.contracts.get(first.id, viewer=manager).summary.received == Decimal(1000)


def test_changing_a_drafts_level_keeps_what_was_typed(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    view = contract(services, manager, manager)
    shown = opened(qtbot, window, view)
    shown.terms.warranty.setPlainText("质保 24 个月")
    level = shown.terms.confidentiality
    level.setCurrentIndex(level.findData(Confidentiality.CONFIDENTIAL.value))
    level.activated.emit(level.currentIndex())
    saved = services.contracts.get(view.id, viewer=manager)
    assert saved.summary.confidentiality is Confidentiality.CONFIDENTIAL
    assert saved.content.warranty_terms == "质保 24 个月"
    assert shown.terms.warranty.toPlainText() == "质保 24 个月"


def test_saving_a_draft_is_undone_in_the_window_and_a_tick_by_its_box(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    view = contract(services, manager, manager)
    first_warranty = view.content.warranty_terms
    shown = opened(qtbot, window, view)
    shown.terms.warranty.setPlainText("质保 24 个月")
    shown.save_button.click()
    assert services.contracts.get(view.id, viewer=manager).content.warranty_terms == \
        "质保 24 个月"
    assert shown.undo_action.text().startswith("Undo Save contract")
    shown.undo_action.trigger()
    assert services.contracts.get(view.id, viewer=manager).content.warranty_terms == \
        first_warranty
    assert shown.terms.warranty.toPlainText() == first_warranty  # the form shows it too
    shown.redo_action.trigger()
    assert shown.terms.warranty.toPlainText() == "质保 24 个月"
    # a tick is its own undo (untick it): no step that would go stale once the review ends
    step_button(shown, "Send to review").click()
    shown.review.model.item(0).setCheckState(Qt.CheckState.Checked)
    assert services.contracts.get(view.id, viewer=manager).reviews[0].ticked_by
    assert "Tick" not in shown.undo_action.text()
    shown.review.model.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert not services.contracts.get(view.id, viewer=manager).reviews[0].ticked_by


def test_undo_over_unsaved_typing_asks_first(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from funneldesk.ui.contracts import contract_window

    view = contract(services, manager, manager)
    shown = opened(qtbot, window, view)
    shown.terms.warranty.setPlainText("质保 12 个月")
    shown.save_button.click()
    shown.terms.warranty.setPlainText("质保 24 个月")  # typed, not saved
    answers = [QMessageBox.StandardButton.Cancel]
    monkeypatch.setattr(contract_window, "ask_about_unsaved", lambda _parent: answers.pop())
    shown.undo_action.trigger()  # kept editing: nothing undone, the typing stays
    assert shown.terms.warranty.toPlainText() == "质保 24 个月"
    assert services.contracts.get(view.id, viewer=manager).content.warranty_terms == \
        "质保 12 个月"
    answers.append(QMessageBox.StandardButton.Save)
    shown.undo_action.trigger()  # saved first: that save is the next step to undo
    assert services.contracts.get(view.id, viewer=manager).content.warranty_terms == \
        "质保 24 个月"
    shown.undo_action.trigger()
    assert shown.terms.warranty.toPlainText() == "质保 12 个月"
    assert not answers


def test_a_closed_contracts_steps_are_undone_from_the_edit_menu(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    from funneldesk.ui.contracts.contract_window import open_contract

    view = signed(services, manager, contract(services, manager, manager))

    def receive(dialog: PaymentDialog) -> int:
        dialog.amount.setText("1000")
        dialog.accept()
        return 1

    def work(shown: ContractWindow) -> int:
        shown.money.receive_button.click()
        return 0

    monkeypatch.setattr(PaymentDialog, "exec", receive)
    monkeypatch.setattr(ContractWindow, "exec", work)
    open_contract(window.workspace, view.id, window)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not window.findChildren(ContractWindow)  # the closed window is freed
    assert services.contracts.get(view.id, viewer=manager).summary.received == 1000
    window.actions_.undo.trigger()
    assert services.contracts.get(view.id, viewer=manager).summary.received == 0
    window.actions_.redo.trigger()
    assert services.contracts.get(view.id, viewer=manager).summary.received == 1000


def test_a_step_that_cannot_be_undone_ends_what_redo_offered(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    shown = opened(qtbot, window, signed(services, manager, contract(services, manager,
                                                                      manager)))

    def receive(dialog: PaymentDialog) -> int:
        dialog.amount.setText("1000")
        dialog.accept()
        return 1

    def seal(dialog: StepDialog) -> int:
        dialog.accept()
        return 1

    monkeypatch.setattr(PaymentDialog, "exec", receive)
    monkeypatch.setattr(StepDialog, "exec", seal)
    shown.money.receive_button.click()
    shown.undo_action.trigger()
    assert shown.redo_action.isEnabled()
    step_button(shown, "Our seal applied").click()
    assert shown.view.state is ContractState.SEALED
    assert not shown.redo_action.isEnabled()
    assert shown.redo_action.text() == "Redo"


def test_cancelling_without_a_reason_asks_again(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    shown = opened(qtbot, window, contract(services, manager, manager))
    answers = [("客户破产", True), ("  ", True)]
    asked: list[str] = []

    def get_text(_parent: object, _title: str, label: str) -> tuple[str, bool]:
        asked.append(label)
        return answers.pop()

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    shown.cancel_contract()
    assert len(asked) == 2
    assert "Give the reason" in asked[1]
    assert shown.view.state is ContractState.CANCELLED
    assert shown.view.cancelled_reason == "客户破产"


def test_the_steps_columns_follow_the_steps_until_the_user_sizes_one(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    shown = opened(qtbot, window, contract(services, manager, manager))
    table = shown.signing.steps_view
    first = table.columnWidth(0)  # fitted to "Draft"
    step_button(shown, "Send to review").click()
    for row in range(shown.review.model.rowCount()):
        shown.review.model.item(row).setCheckState(Qt.CheckState.Checked)
    step_button(shown, "Approve for signature").click()
    assert table.columnWidth(0) > first  # "Approved for signature" is read whole
    assert table.columnWidth(0) >= table.sizeHintForColumn(0)
    table.horizontalHeader().resizeSection(0, 60)  # the user's choice
    shown._load()
    assert table.columnWidth(0) == 60


def test_the_delivery_day_is_typed_checked_and_changed_only_when_confirmed(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    made = dt.date.today() - dt.timedelta(days=10)
    shown = opened(qtbot, window, signed(services, manager, contract(
        services, manager, manager, on=made), made + dt.timedelta(days=5)))
    after = shown.after
    after.delivered.edit.setText("12/3/26x")
    after.deliver_button.click()
    assert "is not a date" in after.errors["delivered_on"].text()
    assert shown.view.delivered_on is None
    after.delivered.set_value(dt.date.today())
    assert after.errors["delivered_on"].text() == ""  # put right: no longer said
    after.deliver_button.click()
    assert shown.view.delivered_on == dt.date.today()
    asked: list[str] = []

    def no(_parent: object, _title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(no))
    after.delivered.set_value(dt.date.today() - dt.timedelta(days=1))
    after.deliver_button.click()
    assert len(asked) == 1
    assert "those already made stay" in asked[0]
    # a day before the signature is refused under the field, without asking first
    after.delivered.set_value(made)
    after.deliver_button.click()
    assert len(asked) == 1
    assert "before the customer signed" in after.errors["delivered_on"].text()
    assert services.contracts.get(shown.view.id, viewer=manager).delivered_on == \
        dt.date.today()
