"""Email in the window: the mail server's settings (the password in the system keyring),
a quote emailed to the customer's contact, and the outbox that sends what waits whenever
the server can be reached (off the GUI thread)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from funneldesk import secrets
from funneldesk.errors import FunnelDeskError, InvalidInput
from funneldesk.i18n import _, ngettext
from funneldesk.services import Services
from funneldesk.services.quotes.mail import (
    Delivery,
    Draft,
    MailServer,
    check_address,
    default_draft,
)
from funneldesk.services.quotes.records import QuoteResult, QuoteView
from funneldesk.settings import Settings
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.error_label import ErrorLabel, show_refusal
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.page import Workspace

RETRY_MS = 5 * 60 * 1000  # how often waiting mail is tried again


def password_key(host: str, user: str) -> str:
    return f"smtp:{user}@{host}"


def mail_server(settings: Settings) -> MailServer | None:
    """The server from the settings, its password from the keyring; None when no server
    has been set up."""
    kept = settings.get("mail.server")
    host = str(kept.get("host", "")).strip()
    if not host:
        return None
    user = str(kept.get("user", ""))
    return MailServer(host, int(kept.get("port", 587)), str(kept.get("security", "starttls")),
                      user, secrets.read(password_key(host, user)) if user else "",
                      str(kept.get("sender", "")))


def _security_names() -> dict[str, str]:
    return {"starttls": _("STARTTLS (port 587)"), "ssl": _("SSL/TLS (port 465)"),
            "none": _("None (port 25)")}


class MailSettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(_("Email server"))
        kept = settings.get("mail.server")
        self.host = QLineEdit(str(kept.get("host", "")))
        self.host.setPlaceholderText(_("e.g. smtp.exmail.qq.com"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(int(kept.get("port", 587)))
        self.security = QComboBox()
        for code, name in _security_names().items():
            self.security.addItem(name, code)
        self.security.setCurrentIndex(max(self.security.findData(kept.get("security",
                                                                           "starttls")), 0))
        self.user = QLineEdit(str(kept.get("user", "")))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("unchanged") if kept.get("user") else "")
        self.from_address = QLineEdit(str(kept.get("sender", "")))
        self.from_address.setPlaceholderText(_("the address customers see and answer to"))
        self.errors = {name: ErrorLabel() for name in ("host", "sender", "password")}
        form = QFormLayout()
        for label, field, error in ((_("Server:"), self.host, "host"),
                                    (_("Port:"), self.port, None),
                                    (_("Security:"), self.security, None),
                                    (_("User:"), self.user, None),
                                    (_("Password:"), self.password, "password"),
                                    (_("Sender address:"), self.from_address, "sender")):
            form.addRow(label, field)
            if error is not None:
                form.addRow("", self.errors[error])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def save(self) -> None:
        for label in self.errors.values():
            label.show_message("")
        host, user = self.host.text().strip(), self.user.text().strip()
        if not host:
            self.errors["host"].show_message(_("Enter the mail server's name."))
            self.host.setFocus()
            return
        try:
            sender = check_address(self.from_address.text(), "sender")
        except InvalidInput as problem:
            self.errors["sender"].show_error(problem)
            self.from_address.setFocus()
            return
        if self.password.text() and user:
            try:
                secrets.store(password_key(host, user), self.password.text())
            except FunnelDeskError as error:
                self.errors["password"].show_error(error)
                return
        self.settings.set("mail.server", {"host": host, "port": self.port.value(),
                                          "security": str(self.security.currentData()),
                                          "user": user, "sender": sender})
        self.settings.save()
        self.accept()


class EmailQuoteDialog(QDialog):
    """The message that takes a quote's PDF to the customer."""

    def __init__(self, workspace: Workspace, quote: QuoteView,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.quote = workspace, quote
        self.sent: bool = False
        self.setWindowTitle(_("Email quote {number}").format(number=quote.number))
        self.resize(640, 460)
        address = workspace.services.mail.address_of(quote.contact_id)
        draft = default_draft(quote.number, quote.header.language, address,
                              quote.company)
        self.to = QLineEdit(draft.to)
        self.subject = QLineEdit(draft.subject)
        self.body = QPlainTextEdit(draft.body)
        self.errors = {"to": ErrorLabel(), "subject": ErrorLabel()}
        self.message = ErrorLabel()
        form = QFormLayout()
        form.addRow(_("To:"), self.to)
        form.addRow("", self.errors["to"])
        form.addRow(_("Subject:"), self.subject)
        form.addRow("", self.errors["subject"])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        send = buttons.addButton(_("Send"), QDialogButtonBox.ButtonRole.AcceptRole)
        send.setDefault(True)
        buttons.accepted.connect(self.send)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def send(self) -> None:
        for label in self.errors.values():
            label.show_message("")
        draft = Draft(self.to.text(), self.subject.text(), self.body.toPlainText())
        runner, actor, mail = (self.workspace.runner, self.workspace.actor,
                               self.workspace.services.mail)
        version = runner.own_version(("quote", self.quote.id), self.quote.version)
        quote_id = self.quote.id
        self.setEnabled(False)  # the PDF is made off the GUI thread: no second click
        self.message.show_message(_("Making the PDF…"))
        run_in_background(lambda: mail.email_quote(quote_id, draft, expected_version=version,
                                                   by=actor),
                          self._queued, self._refused, owner=self)

    def _queued(self, result: QuoteResult) -> None:
        self.setEnabled(True)
        runner = self.workspace.runner
        runner.remember([(("quote", result.quote.id), result.quote.version)])
        runner.drop_redo()  # an email that went cannot be taken back
        runner.relay(result.changes, self)
        self.sent = True
        self.accept()

    def _refused(self, error: Exception) -> None:
        self.setEnabled(True)
        self.message.show_message("")
        if not isinstance(error, FunnelDeskError):
            raise error
        show_refusal(error, self.errors, {"to": self.to, "subject": self.subject},
                     self.message)


class Outbox(QObject):
    """Sends what waits in the outbox: right after a quote is emailed, and every few
    minutes while anything waits (a laptop back on the network)."""

    delivered = Signal(object)  # Delivery

    def __init__(self, services: Services, settings: Settings, parent: QObject) -> None:
        super().__init__(parent)
        self.services, self.settings = services, settings
        self._busy = False
        self.timer = QTimer(self)
        self.timer.setInterval(RETRY_MS)
        self.timer.timeout.connect(self.try_now)
        self.timer.start()

    def try_now(self) -> None:
        if self._busy or not self.settings.get("mail.server").get("host"):
            return
        self._busy = True
        mail, settings = self.services.mail, self.settings

        def work() -> Delivery:
            if not mail.waiting():
                return Delivery(0, 0)
            server = mail_server(settings)  # the keyring read here, off the GUI thread
            assert server is not None
            return mail.deliver(server)

        run_in_background(work, self._done, self._failed, owner=self)

    def _done(self, delivery: Delivery) -> None:
        self._busy = False
        if delivery.sent or delivery.error:
            self.delivered.emit(delivery)

    def _failed(self, error: Exception) -> None:
        self._busy = False
        if not isinstance(error, FunnelDeskError):
            raise error
        show_error(None, error)


def delivery_text(delivery: Delivery, configured: bool) -> str:
    """What the status bar says after a try."""
    if not configured:
        return _("The message waits in the outbox: set up the email server in Settings ▸ "
                 "Email server…")
    if delivery.error:
        return ngettext("The mail server could not be reached ({error}); {n} message waits "
                        "in the outbox and is tried again in a few minutes.",
                        "The mail server could not be reached ({error}); {n} messages wait "
                        "in the outbox and are tried again in a few minutes.",
                        delivery.waiting).format(error=delivery.error, n=delivery.waiting)
    return _("Email sent.")
