"""A quote emailed to the customer's contact: first the send (the revision frozen as what
the customer has, refused below the floor without an approval), then, in one transaction,
the message with the PDF attached kept in the outbox and an email activity on the deal.
``deliver`` hands waiting messages to the mail server (SMTP); with no network they wait,
and go on a later try."""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr

from sqlalchemy import select

from funneldesk.db.stale import last_change
from funneldesk.enums import ActivityKind, ActivityState
from funneldesk.errors import InvalidFields, InvalidInput
from funneldesk.i18n import N_, _, translated
from funneldesk.models import Activity, Deal, OutboxMessage, Quote
from funneldesk.models.base import utcnow
from funneldesk.services.activities.search import index_activities
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.records import Actor, ChangeSet
from funneldesk.services.pipeline.search import raw_connection
from funneldesk.services.quotes.records import QuoteResult

TIMEOUT_S = 20.0


@dataclass(frozen=True, slots=True)
class MailServer:
    """Where mail goes: from the user's settings, the password from the keyring."""

    host: str
    port: int
    security: str  # starttls, ssl or none
    user: str
    password: str
    sender: str  # the From address


@dataclass(frozen=True, slots=True)
class Draft:
    to: str
    subject: str
    body: str


@dataclass(frozen=True, slots=True)
class Delivery:
    sent: int
    waiting: int
    error: str = ""  # the last failure, as the server or the network said it


def check_address(address: str, field: str) -> str:
    clean = address.strip()
    local, at, domain = clean.rpartition("@")
    if not at or not local or "." not in domain or " " in clean:
        raise InvalidInput(field, _("“{address}” is not an email address.").format(
            address=clean))
    return clean


def default_draft(number: str, language: str, to: str, company: str) -> Draft:
    """The message a rep starts from, in the quote's language."""
    subject = translated(N_("Quotation {number}"), language).format(number=number)
    body = translated(N_("Dear {customer},\n\nPlease find our quotation {number} attached. "
                         "We look forward to hearing from you.\n\nBest regards"),
                      language).format(customer=company or to, number=number)
    return Draft(to, subject, body)


class MailService(Service):
    def email_quote(self, quote_id: int, draft: Draft, *, expected_version: int,
                    by: Actor) -> QuoteResult:
        """Sends the quote's newest revision unless it is sent already (frozen, as
        ``QuoteService.send``; one below its floor goes only with an approval), then puts
        the message with the sent revision's PDF in the outbox and logs an email activity
        on the deal."""
        from funneldesk.reports import fonts
        from funneldesk.services.quotes.quotes import QuoteService, require_worker

        with self.db.reading() as session:  # who may, on the version they saw
            quote = get_or_raise(session, Quote, quote_id, "quote")
            if quote.version != expected_version:
                raise last_change(session, Quote, quote_id)
            require_worker(session, get_or_raise(session, Deal, quote.deal_id, "deal"), by)
        fonts.font_path()  # no PDF without its font: say so before anything is sent
        problems = []
        try:
            to = check_address(draft.to, "to")
        except InvalidInput as problem:
            problems.append(problem)
        if not draft.subject.strip():
            problems.append(InvalidInput("subject", _("Give the message a subject.")))
        if problems:
            raise InvalidFields.of(problems)
        quotes = QuoteService(self.db)
        current = quotes.get(quote_id)
        sent = current if current.revision.sent else quotes.send(
            quote_id, expected_version=expected_version, by=by).quote
        pdf = quotes.pdf(quote_id)
        with self.db.session() as session:
            deal = session.get(Deal, sent.deal_id)
            assert deal is not None
            message = OutboxMessage(quote_id=quote_id, revision=sent.revision.number,
                                    to_address=to, subject=draft.subject.strip(),
                                    body=draft.body, attachment=pdf,
                                    filename=f"{sent.number}.pdf", created_by_id=by.id)
            session.add(message)
            now = utcnow()
            activity = Activity(
                kind=ActivityKind.EMAIL, state=ActivityState.DONE,
                title=_("Quote {number} emailed").format(number=sent.number),
                outcome=_("Revision {revision} sent to {to}: {subject}").format(
                    revision=sent.revision.number, to=to, subject=draft.subject.strip()),
                due_on=now.date(), assignee_id=by.id, deal_id=deal.id,
                company_id=deal.company_id, contact_id=sent.contact_id, closed_at=now,
                closed_by_id=by.id, created_by_id=by.id, updated_at=now)
            session.add(activity)
            session.flush()
            index_activities(raw_connection(session), [activity.id])
            audit.record(session, by, "email", "quote", quote_id, to=to,
                         revision=sent.revision.number, outbox=message.id)
        result = quotes.get(quote_id)
        return QuoteResult(result, ChangeSet(deal_ids=frozenset({deal.id}),
                                             activity_ids=frozenset({activity.id}),
                                             quote_ids=frozenset({quote_id})))

    def address_of(self, contact_id: int | None) -> str:
        """The contact's first email address ("" when none)."""
        if contact_id is None:
            return ""
        rows = self.db.query("SELECT value FROM channels WHERE contact_id = ? AND kind = "
                             "'email' ORDER BY position, id LIMIT 1", (contact_id,))
        return str(rows[0][0]) if rows else ""

    def waiting(self) -> int:
        return int(self.db.query("SELECT count(*) FROM outbox WHERE sent_at IS NULL")[0][0])

    def deliver(self, server: MailServer) -> Delivery:
        """Hands every waiting message to the server, oldest first; stops at the first
        failure to reach it (the rest wait for the next try). Slow: off the GUI thread."""
        with self.db.reading() as session:
            waiting = session.scalars(select(OutboxMessage.id).where(
                OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id)).all()
        sent, error = 0, ""
        for message_id in waiting:
            with self.db.reading() as session:
                row = session.get(OutboxMessage, message_id)
                assert row is not None
                mail = _message(row, server.sender)
            try:
                _hand_over(server, mail)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
                    smtplib.SMTPDataError) as refused:
                # this message is refused (an address that does not exist ...): it waits
                # with the reason, and the ones after it still go
                error = str(refused) or refused.__class__.__name__
                self._failed(message_id, error)
                continue
            except (OSError, smtplib.SMTPException) as failure:
                # the server cannot be reached or refuses everyone: the rest wait too
                error = str(failure) or failure.__class__.__name__
                self._failed(message_id, error)
                break
            self._sent(message_id)
            sent += 1
        return Delivery(sent, self.waiting(), error)

    def _sent(self, message_id: int) -> None:
        with self.db.session() as session:
            row = session.get(OutboxMessage, message_id)
            if row is not None:
                row.sent_at, row.attempts, row.last_error = utcnow(), row.attempts + 1, ""

    def _failed(self, message_id: int, error: str) -> None:
        with self.db.session() as session:
            row = session.get(OutboxMessage, message_id)
            if row is not None:
                row.attempts, row.last_error = row.attempts + 1, error[:500]


def _message(row: OutboxMessage, sender: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = formataddr(("", sender)) if sender else ""
    mail["To"] = row.to_address
    mail["Subject"] = row.subject
    mail["Date"] = row.created_at.astimezone(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    # the same id on every try: a server that took a message whose answer was lost sees
    # the retry as the same message
    domain = sender.rpartition("@")[2] or "funneldesk.invalid"
    mail["Message-ID"] = f"<outbox-{row.id}-{int(row.created_at.timestamp())}@{domain}>"
    mail.set_content(row.body)
    if row.attachment:
        mail.add_attachment(row.attachment, maintype="application", subtype="pdf",
                            filename=row.filename)
    return mail


def _hand_over(server: MailServer, mail: EmailMessage) -> None:
    if server.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT_S,
                                                context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_S)
    with client:
        if server.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if server.user:
            client.login(server.user, server.password)
        client.send_message(mail)
