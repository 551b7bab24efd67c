"""The quote editor: a deal's quote with its options side by side (a tab each, an item
model table of lines with live totals, margin and floor marks), its terms, the revision
the customer has and the one being drafted, and what can be done with it: save, ask for
or give an approval below the floor, send, preview and print, compare revisions, and the
customer's answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace as dataclass_replace
from decimal import Decimal

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.enums import ApprovalState, QuoteState
from funneldesk.errors import FunnelDeskError, InvalidFields, InvalidInput
from funneldesk.i18n import _, language
from funneldesk.services.contracts.records import ContractSummary
from funneldesk.services.quotes.records import (
    Approval,
    CatalogueItem,
    OptionDraft,
    QuoteContent,
    QuoteHeader,
    QuoteResult,
    QuoteTerms,
    QuoteView,
    state_label,
)
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.fields import OptionalDateEdit
from funneldesk.ui.common.page import Workspace
from funneldesk.ui.quotes.lines_model import EditLine
from funneldesk.ui.quotes.option_tab import OptionTab


def _versions(result: QuoteResult) -> list[tuple[object, int]]:
    """The versions a result leaves: the quote's, and the deal's when its value was set
    (so that the deal's form, open beneath, still saves over this window's own change)."""
    left: list[tuple[object, int]] = [(("quote", result.quote.id), result.quote.version)]
    if result.deal_version is not None:
        left.append((result.quote.deal_id, result.deal_version))
    return left


class QuoteEditor(QDialog):
    def __init__(self, workspace: Workspace, *, quote_id: int | None = None,
                 deal_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent or workspace.window)
        self.workspace = workspace
        services = workspace.services
        self.quotes = services.quotes
        self.rules = services.quote_rules.rules()
        self.quote: QuoteView | None = None
        self.viewed: int | None = None  # the revision shown, when not the newest
        self.contract: ContractSummary | None = None  # the one made from its answer
        self._margin: Decimal | None = None  # the margin rule of the revision shown
        if quote_id is not None:
            self.quote = self.quotes.get(quote_id)
            self.deal_id, self.currency = self.quote.deal_id, self.quote.currency
            self.deal_contact_id = self.quote.contact_id
            deal_title = self.quote.deal_title
        else:
            assert deal_id is not None
            detail = services.deals.detail(deal_id)
            self.deal_id, self.currency = deal_id, detail.fields.currency
            self.deal_contact_id = detail.fields.contact_id  # whom a new quote is for
            deal_title = detail.fields.title
        self.catalogue = self.quotes.catalogue(self.currency)
        self.setWindowTitle(_("Quote for “{deal}”").format(deal=deal_title))
        self.resize(1180, 820)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.revision = QComboBox()
        self.revision.setAccessibleName(_("Revision"))
        self.revision.activated.connect(lambda _i: self._view_revision())
        self.title = QLineEdit()
        self.title.setPlaceholderText(_("e.g. Warehouse system, phase 1"))
        self.pdf_language = QComboBox()
        self.pdf_language.addItem("中文", "zh_CN")
        self.pdf_language.addItem("English", "en")
        self.include_tax = QCheckBox(_("Prices include tax"))
        self.include_tax.toggled.connect(self._tax_basis)
        self.valid_until = OptionalDateEdit("valid_until")
        self.valid_error = ErrorLabel()
        self.options = QTabWidget()
        self.options.setTabsClosable(False)
        self.options.tabBarDoubleClicked.connect(self._rename_option)
        self.payment = QPlainTextEdit()
        self.delivery = QPlainTextEdit()
        self.notes = QPlainTextEdit()
        for box in (self.payment, self.delivery, self.notes):
            box.setMaximumHeight(self.fontMetrics().height() * 3 + 12)
        self.approval = QLabel()
        self.approval.setWordWrap(True)
        self.message = ErrorLabel()
        header = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.title, 1)
        row.addWidget(QLabel(_("PDF in")))
        row.addWidget(self.pdf_language)
        row.addWidget(self.include_tax)
        header.addRow(_("Title"), row)
        header.addRow(_("Valid until"), self.valid_until)
        header.addRow("", self.valid_error)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(QLabel(_("Revision")))
        top.addWidget(self.revision)
        option_buttons = QHBoxLayout()
        self.add_option_button = QPushButton(_("Add option"))
        self.rename_option_button = QPushButton(_("Rename option…"))
        self.remove_option_button = QPushButton(_("Remove option"))
        self.add_option_button.clicked.connect(self.add_option)
        self.rename_option_button.clicked.connect(
            lambda: self._rename_option(self.options.currentIndex()))
        self.remove_option_button.clicked.connect(self.remove_option)
        for button in (self.add_option_button, self.rename_option_button,
                       self.remove_option_button):
            button.setAutoDefault(False)  # Enter in the dialog presses no button
            option_buttons.addWidget(button)
        option_buttons.addStretch(1)
        terms = QFormLayout()
        terms.addRow(_("Payment terms"), self.payment)
        terms.addRow(_("Delivery"), self.delivery)
        terms.addRow(_("Notes"), self.notes)
        self.buttons = self._buttons()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(header)
        layout.addLayout(option_buttons)
        layout.addWidget(self.options, 1)
        layout.addLayout(terms)
        layout.addWidget(self.approval)
        layout.addWidget(self.message)
        layout.addLayout(self.buttons)
        self._load()

    def _buttons(self) -> QVBoxLayout:
        # two rows, so that a manager's full set fits an English window on a laptop's
        # screen: making the quote above, the customer's answer and what follows below
        rows, making, answer = QVBoxLayout(), QHBoxLayout(), QHBoxLayout()
        self.save_button = QPushButton(_("Save"))
        self.send_button = QPushButton(_("Mark as sent"))
        self.ask_button = QPushButton(_("Ask for approval…"))
        self.approve_button = QPushButton(_("Approve…"))
        self.decline_button = QPushButton(_("Decline…"))
        self.preview_button = QPushButton(_("Preview PDF…"))
        self.compare_button = QPushButton(_("Compare revisions…"))
        self.email_button = QPushButton(_("Email to customer…"))
        self.accept_button = QPushButton(_("Customer accepted…"))
        self.reject_button = QPushButton(_("Customer declined…"))
        self.delete_button = QPushButton(_("Delete draft…"))
        self.drop_button = QPushButton(_("Drop this draft revision…"))
        self.reopen_button = QPushButton(_("Reopen…"))
        self.contract_button = QPushButton(_("Make contract…"))
        self.close_button = QPushButton(_("Close"))
        for button, slot in ((self.save_button, self.save), (self.send_button, self.send),
                             (self.ask_button, self.ask_approval),
                             (self.approve_button, lambda: self.decide(True)),
                             (self.decline_button, lambda: self.decide(False)),
                             (self.preview_button, self.preview),
                             (self.email_button, self.email),
                             (self.compare_button, self.compare),
                             (self.accept_button, self.customer_accepted),
                             (self.reject_button, self.reject_quote),
                             (self.delete_button, self.delete_draft),
                             (self.drop_button, self.drop_revision),
                             (self.reopen_button, self.reopen),
                             (self.contract_button, self.make_contract),
                             (self.close_button, self.close_editor)):
            button.clicked.connect(slot)
            below = button in (self.preview_button, self.compare_button, self.accept_button,
                               self.reject_button, self.reopen_button,
                               self.contract_button, self.close_button)
            (answer if below else making).addWidget(button)
            # Enter finishes a cell's edit; it never saves, sends or answers for the user
            button.setAutoDefault(False)
            if button is self.contract_button:
                answer.addStretch(1)
        making.addStretch(1)
        rows.addLayout(making)
        rows.addLayout(answer)
        return rows

    # --- showing ------------------------------------------------------------------------
    def _load(self, view: QuoteView | None = None) -> None:
        """Shows ``view`` (the quote as saved, at the revision asked for), or a new quote's
        first option."""
        quote = view or self.quote
        editable = quote is None or (quote.editable and self.viewed is None)
        self._read_contract()
        if quote is None:
            include = self.rules.prices_include_tax
            header = QuoteHeader("", "en" if language() == "en" else "zh_CN", include)
            options: list[tuple[str, list[EditLine]]] = [(_("Option 1"), [])]
            terms = QuoteTerms(dt.date.today() + dt.timedelta(days=self.rules.valid_days))
        else:
            header, terms = quote.header, quote.revision.terms
            options = [(o.name, [EditLine(line.product_id, line.quantity, line.unit_price,
                                          line.discount, line.description)
                                 for line in o.lines]) for o in quote.revision.options]
        self.title.setText(header.title)
        self.pdf_language.setCurrentIndex(max(self.pdf_language.findData(header.language), 0))
        self.include_tax.blockSignals(True)
        self.include_tax.setChecked(header.prices_include_tax)
        self.include_tax.blockSignals(False)
        self.include_tax.setEnabled(editable and (quote is None or quote.latest_sent is None))
        self.valid_until.set_value(terms.valid_until)
        self.payment.setPlainText(terms.payment_terms)
        self.delivery.setPlainText(terms.delivery_terms)
        self.notes.setPlainText(terms.notes)
        while self.options.count():
            widget = self.options.widget(0)
            self.options.removeTab(0)
            if widget is not None:
                widget.deleteLater()
        # a revision that cannot change is priced as it was saved (its floors, costs and
        # tax rates, and the margin rule it went out under), not by today's catalogue
        kept = None if editable or quote is None else self._as_saved(quote)
        self._margin = quote.revision.min_margin if quote is not None else self.rules.min_margin
        for name, lines in options:
            self._add_tab(name, lines, editable, kept)
        for widget in (self.title, self.pdf_language, self.valid_until, self.payment,
                       self.delivery, self.notes, self.add_option_button,
                       self.rename_option_button, self.remove_option_button):
            widget.setEnabled(editable)
        self._heading(quote)
        self._refresh()

    def _add_tab(self, name: str, lines: list[EditLine], editable: bool,
                 catalogue: dict[int, CatalogueItem] | None = None) -> OptionTab:
        # a revision being drafted meets today's rule; one that cannot change, its own
        margin = self.rules.min_margin if editable else self._margin
        tab = OptionTab(name, catalogue or self.catalogue, self.include_tax.isChecked(),
                        margin, lines, editable, self.currency)
        tab.priced.connect(self._refresh)
        self.options.addTab(tab, name)
        return tab

    def _as_saved(self, quote: QuoteView) -> dict[int, CatalogueItem]:
        found = dict(self.catalogue)
        for option in quote.revision.options:
            for line in option.lines:
                base = found.get(line.product_id)
                if base is not None:
                    found[line.product_id] = dataclass_replace(
                        base, name=line.name, unit=line.unit, tax_rate=line.tax_rate,
                        list_price=line.list_price, floor_price=line.floor_price,
                        cost=line.cost)
        return found

    def tabs(self) -> list[OptionTab]:
        found = []
        for index in range(self.options.count()):
            tab = self.options.widget(index)
            assert isinstance(tab, OptionTab)
            found.append(tab)
        return found

    def _heading(self, quote: QuoteView | None) -> None:
        self.revision.clear()
        if quote is None:
            self.heading.setText(_("New quote. It gets its number when it is saved."))
            self.revision.setEnabled(False)
            return
        for number in quote.revisions:
            sent = number <= (quote.latest_sent or 0)
            self.revision.addItem(_("{number} (sent)").format(number=number) if sent
                                  else _("{number} (draft)").format(number=number), number)
        shown = self.viewed or quote.revisions[-1]
        self.revision.setCurrentIndex(quote.revisions.index(shown))
        self.revision.setEnabled(len(quote.revisions) > 1)
        parts = [quote.number, quote.company or quote.deal_title]
        if quote.accepted_option_id is None:  # "accepted: Premium" says it otherwise
            parts.append(state_label(quote.state_code))
        if quote.latest_sent is not None and quote.revisions[-1] != quote.latest_sent:
            parts.append(_("the customer has revision {sent}; revision {draft} is being "
                           "drafted").format(sent=quote.latest_sent, draft=quote.revisions[-1]))
        if quote.accepted_option_id is not None:
            chosen = next((o.name for o in quote.revision.options
                           if o.id == quote.accepted_option_id), "")
            parts.append(_("accepted: {option}").format(option=chosen))
        if quote.state is QuoteState.REJECTED and quote.rejected_reason:
            parts.append(_("declined: {reason}").format(reason=quote.rejected_reason))
        if self.viewed is not None:
            parts.append(_("an earlier revision, read only"))
        self.heading.setText(" · ".join(p for p in parts if p))

    def _refresh(self) -> None:
        """The approval line and the buttons, after any change."""
        quote, actor = self.quote, self.workspace.actor
        needs = any(tab.model.amounts().needs_approval for tab in self.tabs())
        newest = quote is not None and self.viewed is None
        revision = quote.revision if quote is not None else None
        unsent = revision is not None and not revision.sent
        approval = revision.approval if revision is not None else None
        state = approval.state if approval is not None else ApprovalState.NONE
        open_quote = quote is None or quote.editable
        dirty = self.dirty()
        self.approval.setText(self._approval_text(needs, approval, unsent, dirty))
        self.approval.setStyleSheet("color: #c62828" if needs and state is not
                                    ApprovalState.APPROVED else "")
        self.save_button.setEnabled(open_quote and self.viewed is None)
        # below floor, it goes only with an approval (the service says so too)
        cleared = not needs or (state is ApprovalState.APPROVED and not dirty)
        self.send_button.setEnabled(newest and open_quote and unsent and cleared)
        self.ask_button.setEnabled(newest and open_quote and unsent and needs
                                   and state in (ApprovalState.NONE, ApprovalState.DECLINED))
        may_decide = actor.is_manager and newest and open_quote and unsent and needs
        self.approve_button.setEnabled(may_decide and state is not ApprovalState.APPROVED)
        self.decline_button.setEnabled(may_decide and state is not ApprovalState.DECLINED)
        self.preview_button.setEnabled(quote is not None)
        # emailing sends the newest revision (or the one sent already, once more)
        self.email_button.setEnabled(quote is not None and open_quote and newest
                                     and (cleared or not unsent))
        self.compare_button.setEnabled(quote is not None and len(quote.revisions) > 1)
        answerable = (quote is not None and quote.state is QuoteState.SENT and newest
                      and not unsent and not dirty)
        self.accept_button.setToolTip(_("The quote has expired: extend its validity in a new "
                                        "revision and send it again.")
                                      if quote is not None and quote.expired else "")
        answerable = answerable and not (quote is not None and quote.expired)
        self.accept_button.setEnabled(answerable)
        self.reject_button.setEnabled(answerable)
        self.delete_button.setVisible(quote is not None and quote.state is QuoteState.DRAFT)
        self.drop_button.setVisible(newest and unsent and quote is not None
                                    and quote.latest_sent is not None)
        self.reopen_button.setVisible(quote is not None and not open_quote)
        # a contract resting on the answer: the quote opens it, and is not reopened under it
        self.reopen_button.setEnabled(self.contract is None)
        self.reopen_button.setToolTip("" if self.contract is None else _(
            "Contract {number} rests on the customer's answer: cancel it first to reopen "
            "the quote.").format(number=self.contract.number))
        self.contract_button.setVisible(quote is not None and quote.state is QuoteState.ACCEPTED)
        self.contract_button.setText(_("Make contract…") if self.contract is None else _(
            "Open contract {number}").format(number=self.contract.number))
        # answered, or no longer open: the buttons that only a quote in the making has go
        for button in (self.save_button, self.send_button, self.ask_button,
                       self.email_button):
            button.setVisible(open_quote)
        for button in (self.approve_button, self.decline_button):
            button.setVisible(open_quote and actor.is_manager)
        for button in (self.accept_button, self.reject_button):
            button.setVisible(quote is None or quote.state is QuoteState.SENT)

    @staticmethod
    def _approval_text(needs: bool, approval: Approval | None, unsent: bool,
                       dirty: bool) -> str:
        if not needs:
            return ""
        if approval is not None and not dirty and (
                unsent or approval.state is ApprovalState.APPROVED):
            when = formatting.datetime(approval.at) if approval.at else ""
            if approval.state is ApprovalState.APPROVED:
                text = (_("Self-approved by {who} on {when}: {reason}") if approval.self_approved
                        else _("Approved by {who} on {when}: {reason}"))
                return text.format(who=approval.by, when=when, reason=approval.reason)
            if approval.state is ApprovalState.DECLINED:
                return _("Declined by {who} on {when}: {reason}").format(
                    who=approval.by, when=when, reason=approval.reason)
            if approval.state is ApprovalState.REQUESTED:
                return _("Below the floor price or the minimum margin. {who} asked a manager "
                         "to approve it: {note}").format(who=approval.asked_by,
                                                         note=approval.request or "—")
        return _("Below the floor price or the minimum margin: a manager must approve this "
                 "quote before it is sent or accepted.")

    # --- what the editor holds ----------------------------------------------------------
    def header(self) -> QuoteHeader:
        contact = self.quote.contact_id if self.quote is not None else self.deal_contact_id
        return QuoteHeader(self.title.text(), str(self.pdf_language.currentData()),
                           self.include_tax.isChecked(), contact)

    def content(self) -> QuoteContent:
        """What the editor holds; InvalidInput when the validity is not a date."""
        options = tuple(OptionDraft(self.options.tabText(i), tab.model.drafts())
                        for i, tab in enumerate(self.tabs()))
        return QuoteContent(options, QuoteTerms(
            self.valid_until.value(), self.payment.toPlainText(),
            self.delivery.toPlainText(), self.notes.toPlainText()))

    def dirty(self) -> bool:
        """Whether the editor holds anything the database does not."""
        if self.viewed is not None:
            return False
        try:
            content = self.content()
        except InvalidInput:
            return True
        if self.quote is None:
            return any(option.lines for option in content.options)
        saved = self.quote.revision.content()
        return content != saved or self.header() != self.quote.header

    # --- changing the options -----------------------------------------------------------
    def add_option(self) -> None:
        names = {self.options.tabText(i) for i in range(self.options.count())}
        number = self.options.count() + 1
        while _("Option {number}").format(number=number) in names:
            number += 1
        tab = self._add_tab(_("Option {number}").format(number=number), [], True)
        self.options.setCurrentWidget(tab)
        self._refresh()

    def remove_option(self) -> None:
        if self.options.count() <= 1:
            self.message.show_message(_("A quote needs at least one option."))
            return
        index = self.options.currentIndex()
        widget = self.options.widget(index)
        self.options.removeTab(index)
        if widget is not None:
            widget.deleteLater()
        self._refresh()

    def _rename_option(self, index: int) -> None:
        if index < 0 or not self.add_option_button.isEnabled():
            return
        name, chosen = QInputDialog.getText(self, _("Rename option"), _("Name:"),
                                            text=self.options.tabText(index))
        if chosen and name.strip():
            self.options.setTabText(index, name.strip())
            self._refresh()

    def _tax_basis(self, include: bool) -> None:
        for tab in self.tabs():
            tab.model.set_include_tax(include)
        self.message.show_message(
            _("The prices now include tax: every total changed, and an approval given "
              "before no longer holds once saved.") if include else
            _("The prices are now before tax: every total changed, and an approval given "
              "before no longer holds once saved."))

    def _view_revision(self) -> None:
        if self.quote is None:
            return
        number = self.revision.currentData()
        if self.dirty() and not self._leave_changes():
            self._heading(self.quote)
            return
        self.viewed = None if number == self.quote.revisions[-1] else int(number)
        self._load(self.quotes.get(self.quote.id, self.viewed) if self.viewed else None)

    # --- acting -------------------------------------------------------------------------
    def _refused(self, error: FunnelDeskError) -> None:
        """A refusal said where it belongs: under the cell or field it names."""
        problems = error.problems if isinstance(error, InvalidFields) else (error,)
        for problem in problems:
            field = getattr(problem, "field", "")
            parts = str(field).split(".")
            if len(parts) == 5 and parts[0] == "options" and parts[2] == "lines":
                option = int(parts[1])
                self.options.setCurrentIndex(option)
                self.tabs()[option].show_problem(int(parts[3]), parts[4], problem.message())
                return
            if field == "valid_until":
                self.valid_error.show_error(problem)
                self.valid_until.setFocus()
                return
        self.message.show_error(error)

    def save(self) -> bool:
        """Saves what the editor holds; whether it is saved."""
        self.message.show_message("")
        self.valid_error.show_message("")
        try:
            content = self.content()
        except InvalidInput as problem:
            self._refused(problem)
            return False
        header = self.header()
        result = (self._create(content, header) if self.quote is None
                  else self._save_existing(content, header))
        if result is None:
            return False
        self.quote = result.quote
        self._load()
        self.workspace.show_message(_("Quote {number} saved.").format(number=result.quote.number))
        return True

    def _create(self, content: QuoteContent, header: QuoteHeader) -> QuoteResult | None:
        runner, actor, quotes, deal_id = (self.workspace.runner, self.workspace.actor,
                                          self.quotes, self.deal_id)
        try:
            # not undone: a draft is deleted with Delete draft… (an undone and redone new
            # quote would come back under another id, stranding the edits made to it)
            return runner.run(
                _("New quote"), lambda: quotes.create(deal_id, content, by=actor, header=header),
                versions=_versions, parent=self, reraise=(InvalidInput,))
        except InvalidInput as problem:
            self._refused(problem)
            return None

    def _save_existing(self, content: QuoteContent, header: QuoteHeader) -> QuoteResult | None:
        assert self.quote is not None
        runner, actor, quotes = self.workspace.runner, self.workspace.actor, self.quotes
        before, quote_id = self.quote, self.quote.id

        def undo(result: QuoteResult) -> QuoteResult:
            version = runner.own_version(("quote", quote_id), result.quote.version)
            if result.opened_revision:
                return quotes.discard_revision(quote_id, expected_version=version, by=actor)
            return quotes.save(quote_id, before.revision.content(), expected_version=version,
                               by=actor, header=before.header)

        def redo(undone: QuoteResult) -> QuoteResult:
            version = runner.own_version(("quote", quote_id), undone.quote.version)
            return quotes.save(quote_id, content, expected_version=version, by=actor,
                               header=header)

        try:
            return runner.run(
                _("Edit quote {number}").format(number=before.number),
                lambda: quotes.save(quote_id, content, expected_version=runner.own_version(
                    ("quote", quote_id), before.version), by=actor, header=header),
                undo=undo, redo=redo, versions=_versions, parent=self, reraise=(InvalidInput,))
        except InvalidInput as problem:
            self._refused(problem)
            return None

    def _saved_first(self) -> bool:
        """Asks to save unsaved changes before an action that works on the saved quote
        (saving may open a new revision or void an approval: never done unasked)."""
        if not self.dirty():
            return True
        answer = QMessageBox.question(
            self, _("Unsaved changes"), _("This works on the quote as saved. Save your "
                                          "changes first?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Save and self.save()

    def _act(self, text: str, call: str, undo: str | None, *args: object) -> None:
        """Runs one of the quote's actions (send, approve ...) with its undo, and shows the
        quote as it then is."""
        assert self.quote is not None
        runner, actor, quotes, quote_id = (self.workspace.runner, self.workspace.actor,
                                           self.quotes, self.quote.id)

        def version(seen: int) -> int:
            return runner.own_version(("quote", quote_id), seen)

        def do(seen: int) -> QuoteResult:
            result: QuoteResult = getattr(quotes, call)(
                quote_id, *args, expected_version=version(seen), by=actor)
            return result

        def back(result: QuoteResult) -> QuoteResult:
            assert undo is not None
            undone: QuoteResult = getattr(quotes, undo)(
                quote_id, expected_version=version(result.quote.version), by=actor)
            return undone

        seen = self.quote.version
        result = runner.run(text, lambda: do(seen), undo=back if undo else None,
                            redo=(lambda undone: do(undone.quote.version)) if undo else None,
                            versions=_versions, parent=self)
        if result is not None:
            self.quote = result.quote
            self._load()

    def send(self) -> None:
        if not self._saved_first() or self.quote is None:
            return
        answer = QMessageBox.question(self, _("Mark as sent"), _(
            "Mark revision {number} as sent to the customer? It is frozen as it is, for "
            "good; a later change opens revision {next}.").format(
            number=self.quote.revision.number, next=self.quote.revision.number + 1))
        if answer == QMessageBox.StandardButton.Yes:
            # what the customer has is frozen: a send is never undone
            self._act(_("Send quote {number}").format(number=self.quote.number), "send", None)

    def ask_approval(self) -> None:
        if not self._saved_first() or self.quote is None:
            return
        note, chosen = QInputDialog.getMultiLineText(
            self, _("Ask for approval"), _("Why this price? (the manager reads it)"))
        if chosen:
            self._act(_("Ask approval of quote {number}").format(number=self.quote.number),
                      "ask_approval", None, note)

    def decide(self, approve: bool) -> None:
        if not self._saved_first() or self.quote is None:
            return
        title = _("Approve below the floor") if approve else _("Decline the approval")
        reason, chosen = QInputDialog.getMultiLineText(self, title, _("Reason (kept with the "
                                                                      "approval):"))
        if not chosen:
            return
        if approve:
            self._act(_("Approve quote {number}").format(number=self.quote.number), "approve",
                      "withdraw_approval", reason)
        else:
            self._act(_("Decline quote {number}").format(number=self.quote.number), "decline",
                      "withdraw_approval", reason)

    def customer_accepted(self) -> None:
        if self.quote is None:
            return
        names = [o.name for o in self.quote.revision.options]
        name, chosen = QInputDialog.getItem(self, _("Customer accepted"), _(
            "Which option did the customer choose? The deal's value becomes its total."),
            names, 0, False)
        if not chosen:
            return
        option = next(o for o in self.quote.revision.options if o.name == name)
        self._act(_("Accept quote {number}").format(number=self.quote.number), "accept",
                  "reopen", option.id)

    def reject_quote(self) -> None:
        if self.quote is None:
            return
        reason, chosen = QInputDialog.getMultiLineText(self, _("Customer declined"),
                                                       _("Why did the customer decline?"))
        if chosen:
            self._act(_("Decline quote {number}").format(number=self.quote.number), "reject",
                      "reopen", reason)

    def drop_revision(self) -> None:
        """Drops the revision being drafted, so that the customer's answer to the sent one
        can be recorded."""
        if self.quote is None:
            return
        answer = QMessageBox.question(self, _("Drop the draft revision"), _(
            "Drop revision {number}, which was never sent? The customer keeps revision "
            "{sent}.").format(number=self.quote.revision.number, sent=self.quote.latest_sent))
        if answer == QMessageBox.StandardButton.Yes:
            self._act(_("Drop revision {number} of {quote}").format(
                number=self.quote.revision.number, quote=self.quote.number),
                "discard_revision", None)

    def reopen(self) -> None:
        """The customer's answer taken back: the quote is waiting for one again."""
        if self.quote is None:
            return
        answer = QMessageBox.question(self, _("Reopen the quote"), _(
            "Reopen quote {number}? It waits for the customer's answer again; an accepted "
            "quote gives the deal back the value it had.").format(number=self.quote.number))
        if answer == QMessageBox.StandardButton.Yes:
            self._act(_("Reopen quote {number}").format(number=self.quote.number), "reopen",
                      None)

    def delete_draft(self) -> None:
        if self.quote is None:
            return
        answer = QMessageBox.question(self, _("Delete draft"), _(
            "Delete the draft quote {number}? It was never sent; this cannot be undone.")
            .format(number=self.quote.number))
        if answer != QMessageBox.StandardButton.Yes:
            return
        runner, actor, quote = self.workspace.runner, self.workspace.actor, self.quote
        version = runner.own_version(("quote", quote.id), quote.version)
        result = runner.run(_("Delete quote {number}").format(number=quote.number),
                            lambda: self.quotes.delete_draft(quote.id, expected_version=version,
                                                             by=actor), parent=self)
        if result is not None:
            self.workspace.show_message(_("Draft {number} deleted.").format(
                number=quote.number))
            self.accept()

    def preview(self) -> None:
        from funneldesk.ui.quotes.preview import preview_quote

        if self.quote is None or not self._saved_first():
            return
        preview_quote(self.workspace, self.quote.id, self.viewed, self.quote.number, self)

    def email(self) -> None:
        from funneldesk.ui.quotes.mail_dialogs import EmailQuoteDialog

        if self.quote is None or not self._saved_first():
            return
        dialog = EmailQuoteDialog(self.workspace, self.quote, self)
        if dialog.exec() and dialog.sent:
            self.quote = self.quotes.get(self.quote.id)
            self._load()
            self.workspace.send_mail()

    def compare(self) -> None:
        from funneldesk.ui.quotes.compare_dialog import CompareDialog

        if self.quote is not None:
            CompareDialog(self.workspace, self.quote, self).exec()

    def _leave_changes(self) -> bool:
        answer = QMessageBox.question(
            self, _("Unsaved changes"), _("Save the changes to this quote first?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def make_contract(self) -> None:
        """The contract from the option the customer chose, opened in its window (the
        one made from it already, when there is one)."""
        from funneldesk.ui.contracts.contract_window import open_contract
        from funneldesk.ui.contracts.new_contract import make_contract

        if self.quote is None:
            return
        if self.contract is not None:
            open_contract(self.workspace, self.contract.id, self)
        else:
            make_contract(self.workspace, self.quote.id, self)
        self._read_contract()
        self._refresh()

    def _read_contract(self) -> None:
        quote = self.quote
        self.contract = (self.workspace.services.contracts.made_from(
            quote.id, viewer=self.workspace.actor)
            if quote is not None and quote.state is QuoteState.ACCEPTED else None)

    def close_editor(self) -> None:
        if self.dirty() and not self._leave_changes():
            return
        self.accept()

    def reject(self) -> None:  # Escape and the window's close button
        self.close_editor()


def open_quote(workspace: Workspace, quote_id: int, parent: QWidget | None = None) -> None:
    try:
        editor = QuoteEditor(workspace, quote_id=quote_id, parent=parent)
    except FunnelDeskError as error:
        show_error(parent or workspace.window, error)
        return
    editor.exec()


def new_quote(workspace: Workspace, deal_id: int, parent: QWidget | None = None) -> None:
    try:
        editor = QuoteEditor(workspace, deal_id=deal_id, parent=parent)
    except FunnelDeskError as error:
        show_error(parent or workspace.window, error)
        return
    editor.exec()

