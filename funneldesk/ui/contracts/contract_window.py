"""A contract's window: where it stands and whom it waits on, the next step of its path as
a button (send to review, approve, post, record the signature and the seal, post the
countersigned copy, archive), its terms, payments, review, signing steps and after-sales,
and its PDF to preview, print and save."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from funneldesk import formatting
from funneldesk.enums import SIGNED_STATES, Confidentiality, ContractState
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services.contracts.records import (
    DATED,
    ContractContent,
    ContractResult,
    ContractView,
    RemovedPayment,
    StepDetails,
    confidentiality_label,
    state_label,
)
from funneldesk.ui.common.error_label import ErrorLabel, show_refusal
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.file_dialogs import save_file_name
from funneldesk.ui.common.page import Workspace
from funneldesk.ui.common.unsaved import ask_about_unsaved
from funneldesk.ui.contracts.after_sales_tab import AfterSalesTab, VisitDialog
from funneldesk.ui.contracts.money_tab import MoneyTab, PaymentDialog
from funneldesk.ui.contracts.review_tab import ReviewTab
from funneldesk.ui.contracts.signing_tab import SigningTab
from funneldesk.ui.contracts.step_dialog import StepDialog, choose_scan, step_title
from funneldesk.ui.contracts.terms_tab import TermsTab

S = ContractState
SIGNED = SIGNED_STATES
# the steps a button takes from each state, in the order shown (a step with details
# asks for them first)
FORWARD: dict[ContractState, tuple[ContractState, ...]] = {
    S.DRAFT: (S.IN_REVIEW,), S.IN_REVIEW: (S.APPROVED, S.DRAFT),
    S.APPROVED: (S.SENT, S.DRAFT), S.SENT: (S.SIGNED,), S.SIGNED: (S.SEALED,),
    S.SEALED: (S.RETURNED,), S.RETURNED: (S.ARCHIVED,),
}


class ContractWindow(QDialog):
    def __init__(self, workspace: Workspace, view: ContractView,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent or workspace.window)
        self.workspace, self.view = workspace, view
        self.contracts = workspace.services.contracts
        self.resize(980, 720)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15pt; font-weight: 600")
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.steps = QHBoxLayout()
        self.terms = TermsTab()
        self.money = MoneyTab()
        self.review = ReviewTab()
        self.signing = SigningTab()
        self.after = AfterSalesTab()
        self.tabs = QTabWidget()
        for tab, label in ((self.terms, _("Terms")), (self.money, _("Payments")),
                           (self.review, _("Review checklist")), (self.signing, _("Signing")),
                           (self.after, _("After-sales"))):
            self.tabs.addTab(tab, label)
        self._signing = False  # a signature being recorded: its result says what the deal did
        self.error = ErrorLabel()
        # what the window tells of its own actions: here, not in the main window's status
        # bar behind it
        self.said = QLabel()
        self.said.setWordWrap(True)
        self.said.hide()
        self.save_button = QPushButton(_("Save draft"))
        self.save_button.setAutoDefault(False)
        self.preview_button = QPushButton(_("Preview PDF…"))
        self.pdf_button = QPushButton(_("Save PDF…"))
        self.cancel_button = QPushButton(_("Cancel contract…"))
        self.delete_button = QPushButton(_("Delete draft…"))
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        for button in (self.save_button, self.preview_button, self.pdf_button):
            bottom.addWidget(button)
        bottom.addStretch(1)
        for tool in self._undo_buttons():
            bottom.addWidget(tool)
        for button in (self.delete_button, self.cancel_button, close):
            bottom.addWidget(button)
        for button in (self.preview_button, self.pdf_button, self.cancel_button,
                       self.delete_button, close):
            button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.where)
        layout.addLayout(self.steps)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.said)
        layout.addLayout(bottom)
        self.save_button.clicked.connect(self.save)
        # "not saved" is stale once the draft is edited again
        self.money.schedule.itemChanged.connect(lambda _i: self._edited())
        for edit in (self.terms.terms, self.terms.delivery, self.terms.warranty,
                     self.terms.acceptance):
            edit.textChanged.connect(self._edited)
        self.preview_button.clicked.connect(self.preview)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.cancel_button.clicked.connect(self.cancel_contract)
        self.delete_button.clicked.connect(self.delete_draft)
        self.terms.confidentiality.activated.connect(lambda _i: self.set_level())
        self.review.ticked.connect(self.tick)
        self.money.receive_button.clicked.connect(self.receive)
        self.money.take_back_button.clicked.connect(self.take_back)
        self.signing.attach_button.clicked.connect(self.attach)
        self.signing.save_file_button.clicked.connect(self.save_scan)
        self.after.save_commitments.clicked.connect(self.save_commitments)
        self.after.deliver_button.clicked.connect(self.deliver)
        self.after.result_button.clicked.connect(self.record_visit)
        self._load()

    def _undo_buttons(self) -> list[QToolButton]:
        """The window holds the main window's menu back while it is open: what was done
        in it, and only that, is undone here (Ctrl+Z, Ctrl+Shift+Z), from the same
        history as Edit ▸ Undo."""
        stack = self.workspace.undo_stack
        self._first = stack.index()  # what was done before the window opened stays
        # a redo waiting from before the window opened is not this window's to redo
        self._old_next = stack.command(self._first) if stack.canRedo() else None
        undo, redo = QAction(_("Undo"), self), QAction(_("Redo"), self)
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        # a greyed-out action does not trigger: the window's history ends where it began
        undo.triggered.connect(lambda: self._walk(stack.undo))
        redo.triggered.connect(lambda: self._walk(stack.redo))
        stack.indexChanged.connect(self._history_changed)
        # a step that cannot be undone drops what Redo offered without moving the index
        stack.canRedoChanged.connect(self._history_changed)
        stack.canUndoChanged.connect(self._history_changed)
        buttons = []
        for action, label in ((undo, _("Undo")), (redo, _("Redo"))):
            action.setIconText(label)  # the button keeps a short label
            self.addAction(action)
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.append(button)
        self.undo_action, self.redo_action = undo, redo
        self._history_shown()
        return buttons

    def _edited(self) -> None:
        if self.view.state is S.DRAFT:
            self.error.show_message("")

    def _say(self, text: str) -> None:
        """A word on what the window just did (or why it did nothing), kept until the
        next action is done."""
        self.said.setText(text)
        self.said.setVisible(bool(text))
        if text:
            self.workspace.show_message(text)  # the main window's status bar says it too

    def _walk(self, step: Callable[[], None]) -> None:
        """Undo or redo, once a draft's unsaved typing is saved (which is then the step
        to undo next) or given up: the undo would load the saved contract over it."""
        if self._unsaved():
            answer = ask_about_unsaved(self)
            if answer == QMessageBox.StandardButton.Save:
                self.save()
                return
            if answer != QMessageBox.StandardButton.Discard:
                return
            self._load()
        step()

    def _history_changed(self, _changed: object) -> None:
        if isValid(self.workspace.undo_stack) and isValid(self.undo_action):
            self._history_shown()  # (not as the main window closes and takes it along)

    def _history_shown(self) -> None:
        stack = self.workspace.undo_stack
        may_undo = stack.canUndo() and stack.index() > self._first
        may_redo = (stack.canRedo() and stack.index() >= self._first
                    and (self._old_next is None
                         or stack.command(self._first) is not self._old_next))
        self.undo_action.setEnabled(may_undo)
        self.redo_action.setEnabled(may_redo)
        self.undo_action.setText(_("Undo {action}").format(action=stack.undoText())
                                 if may_undo else _("Undo"))
        self.redo_action.setText(_("Redo {action}").format(action=stack.redoText())
                                 if may_redo else _("Redo"))

    # --- showing ----------------------------------------------------------------------
    def _load(self) -> None:
        view, actor = self.view, self.workspace.actor
        if view.state is not S.DRAFT:  # where a new schedule came from: told, done
            self.money.notice.hide()
        summary = view.summary
        self.setWindowTitle(_("Contract {number}").format(number=summary.number))
        level = (f"  ·  {confidentiality_label(summary.confidentiality)}"
                 if summary.confidentiality is Confidentiality.CONFIDENTIAL else "")
        self.heading.setText(f"{summary.number}  ·  {summary.customer or summary.deal_title}"
                             f"  ·  {formatting.money(summary.amount, summary.currency)}{level}")
        whom = summary.waiting
        where = _("{state} — waiting on {whom}").format(
            state=state_label(summary.state), whom=whom) if whom else state_label(summary.state)
        if view.cancelled_reason:  # the state once, with why
            where = _("Cancelled: {reason}").format(reason=view.cancelled_reason)
        self.where.setText(where + "\n" + _("From quote {quote}, option “{option}”; deal "
                                            "“{deal}”, owner {owner}.").format(
            quote=view.quote_number, option=view.option_name, deal=summary.deal_title,
            owner=summary.owner))
        draft = view.state is S.DRAFT and view.may_work
        open_ = view.state not in (S.ARCHIVED, S.CANCELLED) and view.may_work
        may_hide = actor.is_manager or actor.id == summary.owner_id
        self.terms.set_view(view, draft, may_hide and open_)
        self.money.set_view(view, draft, view.state in SIGNED)
        self.review.set_view(view)
        self.signing.set_view(view, open_)
        # after-sales goes on after the paper is archived: delivery and visits come later
        self.after.set_view(view, view.may_work and view.state is not S.CANCELLED,
                            view.state in SIGNED)
        self._steps(view)
        self._mark_may_work(view.may_work)

    def _mark_may_work(self, may_work: bool) -> None:
        """What a colleague off the deal's team may not do is greyed out with the reason,
        rather than refused after the click."""
        reason = _("Only the deal's owner, a colleague on its team or a manager can work "
                   "on this contract.")
        items = (self.steps.itemAt(i) for i in range(self.steps.count()))
        buttons = [item.widget() for item in items if item is not None]
        for button in (self.cancel_button, self.money.receive_button,
                       self.money.take_back_button, *(b for b in buttons if not may_work)):
            if button is not None:
                button.setEnabled(may_work)
                button.setToolTip("" if may_work else reason)
        if may_work and not self.money.payments.rowCount():
            self.money.take_back_button.setEnabled(False)
            self.money.take_back_button.setToolTip(_("No payment is recorded yet."))
        if may_work and self.view.state in SIGNED and not self.workspace.actor.is_manager:
            self.cancel_button.setEnabled(False)
            self.cancel_button.setToolTip(_(
                "The customer has signed this contract: only a manager cancels it (and "
                "decides what becomes of the deal won and the money received)."))
        if not may_work:
            self.where.setText(self.where.text() + "\n" + reason)

    def _steps(self, view: ContractView) -> None:
        draft, open_ = view.state is S.DRAFT, view.state not in (S.ARCHIVED, S.CANCELLED)
        self.save_button.setVisible(draft and view.may_work)
        self.delete_button.setVisible(draft and len(view.steps) == 1 and view.may_work)
        self.cancel_button.setVisible(open_ and not (draft and len(view.steps) == 1))
        while self.steps.count():
            item = self.steps.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:  # gone now, not when Qt next deletes what it may
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        for to in FORWARD.get(view.state, ()):
            button = QPushButton(step_title(to))
            button.setAutoDefault(False)
            if to is not S.DRAFT:
                button.setStyleSheet("font-weight: 600")
            if to is S.APPROVED and not view.review_complete:
                button.setEnabled(False)
                button.setToolTip(_("Every review item must be ticked first."))
            button.clicked.connect(lambda _c=False, to=to: self.step(to))
            self.steps.addWidget(button)
        self.steps.addStretch(1)

    def _shown(self, result: ContractResult) -> None:
        """The contract as the result left it, read again as this user sees it (who may
        tick which item)."""
        if not isValid(self):
            return  # undone from Edit ▸ Undo once the window has closed
        self._say("")  # what an earlier action said is stale once another is done
        self.error.show_message("")
        self.view = self.contracts.get(result.contract.id, viewer=self.workspace.actor)
        self._load()
        if result.deal_won:
            self._say(_("The contract is signed: the deal moved to Won."))
        elif self._signing and result.contract.state is S.SIGNED:
            detail = self.workspace.services.deals.detail(result.contract.summary.deal_id)
            if detail.closed_on is None:  # still open: say why it did not move
                self._say(_("The contract is signed. The deal stays in “{stage}”: move it "
                            "to Won on the board, or have a manager make a signed contract "
                            "meet its Won criterion (Settings ▸ Manage pipelines and "
                            "stages).").format(stage=detail.stage_name))
        self._signing = False

    # --- acting ---------------------------------------------------------------------
    def _version(self) -> int:
        return self.workspace.runner.own_version(("contract", self.view.id), self.view.version)

    def _run(self, text: str, call: Callable[[int], ContractResult],
             undo: Callable[[ContractResult], ContractResult] | None = None,
             refused: Callable[[FunnelDeskError], None] | None = None,
             ) -> ContractResult | None:
        """Runs ``call`` on the contract's version; a refusal is said by ``refused`` (under
        the field it names) when given, else in a box."""
        runner = self.workspace.runner
        try:
            return runner.run(
                text, lambda: call(self._version()), undo=undo,
                redo=(lambda _undone: call(self._version())) if undo else None,
                shown=self._shown, refused=refused, parent=self,
                versions=lambda r: [(("contract", r.contract.id), r.contract.version)],
                reraise=(FunnelDeskError,) if refused is not None else ())
        except FunnelDeskError as error:  # said once, where it was typed; not in a box too
            assert refused is not None
            refused(error)
            return None

    def _raising(self, text: str, call: Callable[[int], ContractResult]) -> None:
        """For a dialog that says the refusal under its own field: the call's error is
        passed on, not said in a box."""
        self.workspace.runner.run(
            text, lambda: call(self._version()), shown=self._shown, parent=self,
            versions=lambda r: [(("contract", r.contract.id), r.contract.version)],
            reraise=(FunnelDeskError,))

    def content(self) -> ContractContent:
        t = self.terms
        return ContractContent(
            t.title.text(), str(t.language.currentData()), t.level(),
            t.terms.toPlainText(), t.delivery.toPlainText(), t.warranty.toPlainText(),
            t.acceptance.toPlainText(), self.money.milestones(), self.after.commitments())

    def _unsaved(self) -> bool:
        if self.view.state is not S.DRAFT:
            return False
        try:
            return self.content() != self.view.content
        except FunnelDeskError:
            return True

    def save(self) -> bool:
        for label in (*self.terms.errors.values(), self.money.error, self.error):
            label.show_message("")
        try:
            content = self.content()
        except FunnelDeskError as error:
            self.money.error.show_error(error)
            self.tabs.setCurrentWidget(self.money)
            self._not_saved()
            return False
        contracts, actor, ident = self.contracts, self.workspace.actor, self.view.id
        before = self.view.content

        def saving(what: ContractContent) -> Callable[[object], ContractResult]:
            return lambda _result: contracts.save(ident, what,
                                                  expected_version=self._version(), by=actor)

        try:
            result = self.workspace.runner.run(
                _("Save contract {number}").format(number=self.view.summary.number),
                lambda: saving(content)(None), undo=saving(before), redo=saving(content),
                shown=self._shown, parent=self, reraise=(FunnelDeskError,),
                versions=lambda r: [(("contract", r.contract.id), r.contract.version)])
        except FunnelDeskError as error:
            labels = {**self.terms.errors, "milestones": self.money.error}
            show_refusal(error, labels,
                         {**self.terms.fields(), "milestones": self.money.table}, self.error)
            field = getattr(error, "field", "")
            self.tabs.setCurrentWidget(self.money if field == "milestones" else self.terms)
            self._not_saved()
            return False
        return result is not None

    def _not_saved(self) -> None:
        # the reason is said where it was typed, often already as it was typed: the click
        # itself must show that nothing was saved
        if not self.error.text():
            self.error.show_message(_("The draft is not saved: put right what is said in "
                                      "red above."))

    def step(self, to: ContractState) -> None:
        if self._unsaved() and not self.save_first():
            return
        actor, number = self.workspace.actor, self.view.summary.number
        text = _("{step}: contract {number}").format(step=step_title(to).rstrip("…"),
                                                     number=number)
        if to is S.DRAFT:
            answer = QMessageBox.question(self, _("Back to draft"), _(
                "Take contract {number} back to draft? Its review starts again from "
                "nothing.").format(number=number))
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._signing = to is S.SIGNED
        if to in DATED:
            dialog = StepDialog(to, lambda details: self._raising(text, lambda v: (
                self.contracts.advance(self.view.id, to, details, expected_version=v,
                                       by=actor))), self,
                                earliest=max((s.on for s in self.view.steps), default=None))
            try:
                dialog.exec()
            finally:  # cancelled or refused, no signature follows
                self._signing = False
            return
        self._run(text, lambda v: self.contracts.advance(self.view.id, to, StepDetails(),
                                                         expected_version=v, by=actor))

    def save_first(self) -> bool:
        answer = ask_about_unsaved(self)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self._load()
            return True
        return False

    def set_level(self) -> None:
        level = self.terms.level()
        if level is self.view.summary.confidentiality:
            return
        if self.view.state is S.DRAFT:  # a draft's level is saved with what was typed
            self.save()
            return
        actor, contracts, ident = self.workspace.actor, self.contracts, self.view.id
        before = self.view.summary.confidentiality
        if self._run(_("Set contract {number} {level}").format(
                number=self.view.summary.number, level=confidentiality_label(level)),
                lambda v: contracts.set_confidentiality(ident, level, expected_version=v,
                                                        by=actor),
                undo=lambda _r: contracts.set_confidentiality(
                    ident, before, expected_version=self._version(), by=actor)) is None:
            self._load()

    def tick(self, review_id: int, checked: bool) -> None:
        actor, contracts, ident = self.workspace.actor, self.contracts, self.view.id
        # no undo step: the box is its own undo, and a tick's undo would go stale the
        # moment the review ends
        if self._run(_("Tick review item") if checked else _("Untick review item"),
                     lambda v: contracts.tick(ident, review_id, checked, expected_version=v,
                                              by=actor)) is None:
            self._load()

    def receive(self) -> None:
        actor, contracts = self.workspace.actor, self.contracts

        def save(milestone_id: int, amount: Decimal, on: dt.date, method: str,
                 reference: str) -> None:
            def undo(result: ContractResult) -> ContractResult:
                assert result.payment_id is not None  # recording a payment names it
                return contracts.remove_payment(result.payment_id,
                                                expected_version=self._version(), by=actor)

            self.workspace.runner.run(
                _("Money received: contract {number}").format(
                    number=self.view.summary.number),
                lambda: contracts.record_payment(
                    milestone_id, amount, on,
                    method=method, reference=reference, expected_version=self._version(),
                    by=actor),
                # put back as it was, so that a later take-back's undo still finds it
                undo=undo, redo=lambda undone: contracts.restore_payment(
                    _removed(undone), expected_version=self._version(), by=actor),
                shown=self._shown, parent=self, reraise=(FunnelDeskError,),
                versions=lambda r: [(("contract", r.contract.id), r.contract.version)])

        PaymentDialog(self.view, save, self).exec()

    def take_back(self) -> None:
        """Takes back a payment recorded by mistake, once asked; undo records it again."""
        chosen = self.money.chosen_payment()
        found = next(((m, p) for m in self.view.milestones for p in m.payments
                      if p.id == chosen), None)
        if found is None:
            self._say(_("Choose a payment in the list first."))
            return
        milestone, payment = found
        actor = self.workspace.actor
        if payment.recorded_by_id != actor.id and not actor.is_manager:
            self._say(_("Only the one who recorded the payment, or a manager, takes it "
                        "back."))
            return
        answer = QMessageBox.question(self, _("Take back payment"), _(
            "Take back {amount} received on {day} against “{label}”? The milestone is "
            "owed again (Undo records the payment again).").format(
                amount=formatting.money(payment.amount, self.view.summary.currency),
                day=formatting.date(payment.received_on), label=milestone.label))
        if answer != QMessageBox.StandardButton.Yes:
            return
        contracts = self.contracts

        def restore(result: ContractResult) -> ContractResult:
            return contracts.restore_payment(_removed(result), expected_version=self._version(),
                                             by=actor)

        self._run(_("Take back payment"), lambda v: contracts.remove_payment(
            payment.id, expected_version=v, by=actor), undo=restore)

    def attach(self) -> None:
        chosen = choose_scan(self, self.error.show_message)
        if chosen is None:
            return
        name, data = chosen
        actor = self.workspace.actor
        self._run(_("Attach scan"), lambda v: self.contracts.attach(
            self.view.id, name, data, expected_version=v, by=actor))

    def save_scan(self) -> None:
        file_id = self.signing.chosen_file()
        if file_id is None:
            return
        try:
            name, data = self.contracts.file(file_id, viewer=self.workspace.actor)
        except FunnelDeskError as error:
            show_error(self, error)
            return
        path, _filter = save_file_name(self, _("Save the scan as"), name, "")
        if not path:
            return
        from funneldesk.files import write_whole

        try:
            write_whole(Path(path), data)
        except FunnelDeskError as error:
            show_error(self, error)
            return
        self._say(_("Saved: {path}").format(path=path))

    def save_commitments(self) -> None:
        actor, commitments = self.workspace.actor, self.after.commitments()

        def refused(error: FunnelDeskError) -> None:
            self.after.show_refusal(error, self.error)

        contracts, ident, before = self.contracts, self.view.id, self.view.content.commitments
        self._run(_("Save service commitments"), lambda v: contracts.set_commitments(
            ident, commitments, expected_version=v, by=actor), refused=refused,
            undo=lambda _r: contracts.set_commitments(ident, before,
                                                      expected_version=self._version(),
                                                      by=actor))

    def deliver(self) -> None:
        actor = self.workspace.actor
        try:
            day = self.after.delivered_on()
        except FunnelDeskError as error:
            self.after.show_refusal(error, self.error)
            return
        before, signed_on = self.view.delivered_on, self.view.summary.signed_on
        may_stand = (signed_on is None or day >= signed_on) and day <= dt.date.today()
        if before is not None and day != before and may_stand and QMessageBox.question(
                self, _("Change the delivery day"), _(
                    "Move the delivery from {before} to {day}? The return visits still "
                    "planned move with it; those already made stay as they were.").format(
                    before=formatting.date(before), day=formatting.date(day))
                ) != QMessageBox.StandardButton.Yes:
            return

        def refused(error: FunnelDeskError) -> None:
            self.after.show_refusal(error, self.error)

        self._run(_("Record delivery"), lambda v: self.contracts.set_delivered(
            self.view.id, day, expected_version=v, by=actor), refused=refused)

    def record_visit(self) -> None:
        visit = self.after.chosen_visit(self.view)
        if visit is None:
            self._say(_("Choose a return visit in the list first."))
            return
        actor, after = self.workspace.actor, self.workspace.services.after_sales

        def save(score: int | None, problems: str, follow_up: bool) -> None:
            changes = after.record_visit(visit.id, score, problems, follow_up, by=actor)
            self._say("")  # what an earlier action said is stale now
            self.workspace.runner.relay(changes)
            self.view = self.contracts.get(self.view.id, viewer=actor)
            self._load()
            if changes.activity_ids - {visit.activity_id}:
                self._say(_(
                    "A follow-up call is planned for {owner} in two days.").format(
                        owner=self.view.summary.owner))

        VisitDialog(visit, save, self).exec()

    def cancel_contract(self) -> None:
        ask = _("Why is contract {number} cancelled? It stays, marked cancelled, with its "
                "history.").format(number=self.view.summary.number)
        reason, ok = QInputDialog.getText(self, _("Cancel contract"), ask)
        while ok and not reason.strip():  # asked again, rather than refused and gone
            reason, ok = QInputDialog.getText(
                self, _("Cancel contract"),
                ask + "\n\n" + _("Give the reason: it stays with the contract."))
        if not ok:
            return
        actor = self.workspace.actor
        self._run(_("Cancel contract {number}").format(number=self.view.summary.number),
                  lambda v: self.contracts.cancel(self.view.id, reason, expected_version=v,
                                                  by=actor))

    def delete_draft(self) -> None:
        answer = QMessageBox.question(self, _("Delete draft"), _(
            "Delete the draft contract {number}? It never went to review.").format(
            number=self.view.summary.number))
        if answer != QMessageBox.StandardButton.Yes:
            return
        actor = self.workspace.actor
        result = self.workspace.runner.run(
            _("Delete contract {number}").format(number=self.view.summary.number),
            lambda: self.contracts.delete_draft(self.view.id, expected_version=self._version(),
                                                by=actor), parent=self)
        if result is not None:
            self.accept()

    def preview(self) -> None:
        from funneldesk.ui.contracts.pdf import preview_contract

        if self._unsaved() and not self.save_first():
            return
        preview_contract(self.workspace, self.view.id, self.view.summary.number, self)

    def save_pdf(self) -> None:
        from funneldesk.ui.contracts.pdf import save_contract_pdf

        if self._unsaved() and not self.save_first():
            return
        save_contract_pdf(self.workspace, self.view.id, self.view.summary.number, self)

    def reject(self) -> None:
        """Closing (Esc, the window's close box, Close) asks about a draft's unsaved edits
        first (QDialog's close goes through here too)."""
        if self._unsaved() and not self.save_first():
            return
        super().reject()


def _removed(result: ContractResult) -> RemovedPayment:
    assert result.removed is not None  # a payment taken back says what it was
    return result.removed


def open_contract(workspace: Workspace, contract_id: int, parent: QWidget | None = None,
                  schedule_note: str = "") -> None:
    """Opens the contract's window; ``schedule_note`` (a contract just made) says how its
    payment schedule was read, on the Payments tab, shown first."""
    try:
        view = workspace.services.contracts.get(contract_id, viewer=workspace.actor)
        workspace.services.search.note_opened("contract", contract_id, by=workspace.actor)
    except FunnelDeskError as error:
        show_error(parent or workspace.window, error)
        return
    window = ContractWindow(workspace, view, parent)
    if schedule_note:
        window.money.notice.setText(schedule_note)
        window.money.notice.show()
        window.tabs.setCurrentWidget(window.money)
    window.exec()
    window.deleteLater()  # its steps stay undoable from Edit ▸ Undo without it
