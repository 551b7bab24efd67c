"""A quote emailed to the customer through a real SMTP server on localhost (aiosmtpd): the
message and its PDF arrive intact; with no server to reach, the message waits in the
outbox and goes once the server is there; the send is logged on the deal; a quote below
its floor without an approval does not go."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from funneldesk.enums import ActivityKind, QuoteState
from funneldesk.errors import InvalidFields, NotAllowed
from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.services.quotes.mail import Draft, MailServer, default_draft
from tests.helpers import make_deal
from tests.services.quote_helpers import catalogue, content


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def inbox(port: int) -> Iterator[tuple[Inbox, Controller]]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    yield handler, controller
    if getattr(controller, "_thread", None) is not None:
        controller.stop()


def server(port: int) -> MailServer:
    return MailServer("127.0.0.1", port, "none", "", "", "sales@example.com")


def test_an_emailed_quote_arrives_with_its_pdf_intact_and_is_logged_on_the_deal(
        services: Services, manager: Actor, rep: Actor, port: int,
        inbox: tuple[Inbox, Controller]) -> None:
    handler, controller = inbox
    controller.start()
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    quote = services.quotes.create(deal.id, content(products), by=rep).quote
    draft = default_draft(quote.number, "en", "buyer@customer.example", "Acme")
    assert draft.subject == f"Quotation {quote.number}"
    result = services.mail.email_quote(quote.id, draft, expected_version=quote.version, by=rep)
    assert result.quote.state is QuoteState.SENT  # emailing sends the revision
    assert services.mail.waiting() == 1
    delivered = services.mail.deliver(server(port))
    assert (delivered.sent, delivered.waiting) == (1, 0)
    [message] = handler.messages
    assert handler.recipients == [["buyer@customer.example"]]
    assert message["Subject"] == f"Quotation {quote.number}"
    assert "Dear Acme" in message.get_body(("plain",)).get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == f"{quote.number}.pdf"
    # byte for byte what was queued, and a PDF of the quote
    queued = services.db.query("SELECT attachment FROM outbox")[0][0]
    assert attachment.get_content() == queued
    assert queued.startswith(b"%PDF")
    assert quote.number.encode() in queued
    activities = services.db.query(
        "SELECT kind, state, title FROM activities WHERE deal_id = ?", (deal.id,))
    assert ("EMAIL", "DONE", f"Quote {quote.number} emailed") in [tuple(a) for a in activities]


def test_with_no_server_the_message_waits_and_goes_later(
        services: Services, manager: Actor, rep: Actor, port: int,
        inbox: tuple[Inbox, Controller]) -> None:
    handler, controller = inbox
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    quote = services.quotes.create(deal.id, content(products), by=rep).quote
    services.mail.email_quote(quote.id, Draft("buyer@customer.example", "Quote", "Hello"),
                              expected_version=quote.version, by=rep)
    offline = services.mail.deliver(server(port))  # nothing listens there yet
    assert (offline.sent, offline.waiting) == (0, 1)
    assert offline.error
    controller.start()
    online = services.mail.deliver(server(port))
    assert (online.sent, online.waiting) == (1, 0)
    assert len(handler.messages) == 1
    assert services.mail.deliver(server(port)).sent == 0  # never twice


def test_a_bad_address_or_an_unapproved_quote_below_floor_does_not_go(
        services: Services, manager: Actor, rep: Actor) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    quote = services.quotes.create(deal.id, content(products, "500.00"), by=rep).quote
    with pytest.raises(InvalidFields) as refused:
        services.mail.email_quote(quote.id, Draft("not an address", "", ""),
                                  expected_version=quote.version, by=rep)
    assert {p.field for p in refused.value.problems} == {"to", "subject"}
    with pytest.raises(NotAllowed):
        services.mail.email_quote(quote.id, Draft("buyer@customer.example", "Quote", ""),
                                  expected_version=quote.version, by=rep)
    assert services.mail.waiting() == 0
    assert services.quotes.get(quote.id).state is QuoteState.DRAFT
    assert services.db.query("SELECT count(*) FROM activities WHERE kind = ?",
                             (ActivityKind.EMAIL.name,))[0][0] == 0
