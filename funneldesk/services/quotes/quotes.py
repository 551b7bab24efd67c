"""Every change to a quote: drafting, revisions, the price floor's approval, sending, and
the customer's answer. Each is one call, one transaction, audited; each returns the quote
as saved and a change set."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from funneldesk.db.stale import last_change
from funneldesk.enums import ApprovalState, ContractState, QuoteState, Role
from funneldesk.errors import InvalidFields, InvalidInput, NotAllowed
from funneldesk.i18n import _, language
from funneldesk.models import (
    Contact,
    Contract,
    Deal,
    Quote,
    QuoteOption,
    QuoteRevision,
    User,
)
from funneldesk.models.base import utcnow
from funneldesk.services.activities.team import may_work_on
from funneldesk.services.common import audit, search_index
from funneldesk.services.common.base import Service
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.records import Actor, ChangeSet
from funneldesk.services.common.sql import session_query
from funneldesk.services.pipeline.search import raw_connection
from funneldesk.services.quotes import reads
from funneldesk.services.quotes.catalogue import priced_in
from funneldesk.services.quotes.content import (
    check_content,
    clear_revision,
    revision_lines,
    stale_lines,
    write_content,
)
from funneldesk.services.quotes.records import (
    CatalogueItem,
    Comparison,
    QuoteContent,
    QuoteHeader,
    QuoteOptionView,
    QuoteResult,
    QuoteSummary,
    QuoteView,
)
from funneldesk.services.quotes.search import KIND, index_quotes
from funneldesk.services.quotes.settings import quote_rules

LANGUAGES = ("zh_CN", "en")


@dataclass
class _Open:
    """A quote being changed, inside the change's transaction."""

    session: Session
    quote: Quote
    deal: Deal


class QuoteService(Service):
    # --- reads ---------------------------------------------------------------------------

    def get(self, quote_id: int, revision: int | None = None,
            today: dt.date | None = None) -> QuoteView:
        with self.db.reading() as session:
            return reads.quote_view(session, quote_id, revision, today)

    def all(self, today: dt.date | None = None) -> list[QuoteSummary]:
        """Every quote of a deal that is not in the Trash, the latest changed first."""
        with self.db.reading() as session:
            quotes = session.scalars(
                select(Quote).join(Deal, Deal.id == Quote.deal_id)
                .where(Deal.deleted_at.is_(None))
                .order_by(Quote.updated_at.desc(), Quote.id.desc())).all()
            return reads.summaries(session, quotes, today)

    def for_deal(self, deal_id: int) -> list[QuoteSummary]:
        with self.db.reading() as session:
            quotes = session.scalars(select(Quote).where(Quote.deal_id == deal_id)
                                     .order_by(Quote.id.desc())).all()
            return reads.summaries(session, quotes)

    def compare(self, quote_id: int, older: int, newer: int) -> Comparison:
        """What changed from revision ``older`` to ``newer``."""
        from funneldesk.services.quotes.compare import compare

        with self.db.reading() as session:
            return compare(reads.quote_view(session, quote_id, older),
                           reads.quote_view(session, quote_id, newer))

    def pdf(self, quote_id: int, revision: int | None = None) -> bytes:
        """The revision's PDF (the newest by default), in the quote's language; one below
        its floor without approval carries the draft mark on every page. Slow: call it
        off the GUI thread."""
        from funneldesk.reports.quote_pdf import render
        from funneldesk.services.quotes.document import pdf_document

        with self.db.reading() as session:
            document = pdf_document(session, reads.quote_view(session, quote_id, revision))
        return render(document)

    def catalogue(self, currency: str) -> dict[int, CatalogueItem]:
        """The products a line can name, priced in ``currency``."""
        with self.db.reading() as session:
            return priced_in(session, currency)

    # --- drafting ------------------------------------------------------------------------

    def create(self, deal_id: int, content: QuoteContent, *, by: Actor,
               header: QuoteHeader | None = None) -> QuoteResult:
        """A new quote on the deal, its revision 1 open for changes."""
        with self.db.session() as session:
            deal = get_or_raise(session, Deal, deal_id, "deal")
            require_worker(session, deal, by)
            head = header or QuoteHeader(
                language="en" if language() == "en" else "zh_CN",
                prices_include_tax=quote_rules(session_query(session)).prices_include_tax,
                contact_id=deal.contact_id)
            _check_header(session, head)
            products = priced_in(session, deal.currency)
            content = check_content(content, products)
            now = utcnow()
            quote = Quote(number=_next_number(session, now), deal_id=deal.id,
                          contact_id=head.contact_id, title=head.title.strip(),
                          language=head.language, currency=deal.currency,
                          prices_include_tax=head.prices_include_tax, state=QuoteState.DRAFT,
                          created_at=now, created_by_id=by.id, updated_at=now,
                          updated_by_id=by.id)
            session.add(quote)
            session.flush()
            revision = QuoteRevision(quote_id=quote.id, number=1, created_at=now,
                                     created_by_id=by.id)
            session.add(revision)
            session.flush()
            write_content(session, revision, content, products, quote.prices_include_tax,
                          by.id)
            audit.record(session, by, "create", "quote", quote.id, number=quote.number,
                         deal_id=deal.id)
            return self._result(session, quote)

    def save(self, quote_id: int, content: QuoteContent, *, expected_version: int,
             by: Actor, header: QuoteHeader | None = None) -> QuoteResult:
        """Saves the newest revision's content; after a send, the first change opens the
        next revision (the sent one stays as the customer saw it)."""
        with self._open(quote_id, expected_version, by) as op:
            quote, session = op.quote, op.session
            _require_editable(quote)
            # a draft's prices read with tax or without: every amount and floor moves, so
            # the revision is written anew and an approval given before no longer holds
            rebased = header is not None and header.prices_include_tax != quote.prices_include_tax
            if header is not None:
                self._set_header(session, quote, header, by)
            products = priced_in(session, quote.currency)
            revision = reads.newest(session, quote.id)
            lines = revision_lines(session, revision.id)
            content = check_content(content, products,
                                    frozenset(line.product_id for line in lines))
            rules = quote_rules(session_query(session))
            current = reads.revision_view(session, quote, revision, rules.min_margin).content()
            opened = False
            # a catalogue changed since (a floor, a tax rate): the lines take it, and an
            # approval given against the old floors no longer holds
            stale = revision.sent_at is None and stale_lines(lines, products)
            if current != content or rebased or stale:
                if revision.sent_at is not None:
                    revision = QuoteRevision(quote_id=quote.id, number=revision.number + 1,
                                             created_by_id=by.id)
                    session.add(revision)
                    session.flush()
                    opened = True
                    audit.record(session, by, "open-revision", "quote", quote.id,
                                 revision=revision.number)
                elif revision.approval in (ApprovalState.APPROVED, ApprovalState.DECLINED):
                    audit.record(session, by, "approval-void", "quote", quote.id,
                                 revision=revision.number, approval=revision.approval.value)
                    revision.approval = ApprovalState.NONE
                write_content(session, revision, content, products, quote.prices_include_tax,
                              by.id)
                audit.record(session, by, "update", "quote", quote.id, revision=revision.number)
            _touch(quote, by)
            return self._result(session, quote, opened=opened)

    def discard_revision(self, quote_id: int, *, expected_version: int,
                         by: Actor) -> QuoteResult:
        """Drops the newest revision while it is unsent and an earlier one was sent (what
        undoes the change that opened it)."""
        with self._open(quote_id, expected_version, by) as op:
            revision = reads.newest(op.session, quote_id)
            if revision.sent_at is not None or revision.number == 1:
                raise InvalidInput("revision", _(
                    "Only a revision that is being drafted after a sent one can be dropped."))
            if by.id not in (revision.created_by_id, revision.saved_by_id) and not by.is_manager:
                raise NotAllowed(_("Only the one who drafted this revision, or a manager, can "
                                   "drop it."))
            _drop(op.session, revision)
            audit.record(op.session, by, "discard-revision", "quote", quote_id,
                         revision=revision.number)
            _touch(op.quote, by)
            return self._result(op.session, op.quote)

    def delete_draft(self, quote_id: int, *, expected_version: int, by: Actor) -> QuoteResult:
        """Deletes a quote that was never sent (what undoes making it); the result holds
        the quote as it was."""
        with self._open(quote_id, expected_version, by) as op:
            session, quote = op.session, op.quote
            revisions = reads.revisions_of(session, quote_id)
            if by.id != quote.created_by_id and not by.is_manager:
                raise NotAllowed(_("Only the one who made this draft, or a manager, can "
                                   "delete it."))
            if quote.state is not QuoteState.DRAFT or any(r.sent_at for r in revisions):
                raise InvalidInput("state", _("A quote the customer has seen is kept: only "
                                              "a draft that was never sent can be deleted."))
            result = self._result(session, quote)
            for revision in revisions:
                _drop(session, revision)
            session.flush()
            session.delete(quote)
            session.flush()
            search_index.forget(raw_connection(session), KIND, [quote_id])
            audit.record(session, by, "delete", "quote", quote_id, number=quote.number)
            return result

    # --- the price floor -----------------------------------------------------------------

    def ask_approval(self, quote_id: int, note: str, *, expected_version: int,
                     by: Actor) -> QuoteResult:
        """Asks a manager to approve the newest revision below its floor or margin."""
        with self._open(quote_id, expected_version, by) as op:
            revision = self._needing(op)
            if revision.approval is ApprovalState.APPROVED:
                raise InvalidInput("approval", _("This revision is approved already."))
            revision.approval = ApprovalState.REQUESTED
            revision.approval_asked_at, revision.approval_asked_by_id = utcnow(), by.id
            revision.approval_request = note.strip()
            audit.record(op.session, by, "ask-approval", "quote", quote_id,
                         revision=revision.number, note=note.strip())
            _touch(op.quote, by)
            return self._result(op.session, op.quote)

    def approve(self, quote_id: int, reason: str, *, expected_version: int,
                by: Actor) -> QuoteResult:
        """A manager lets the newest revision go below its floor or margin, and says why.
        Nobody approves their own quote while the team has another manager."""
        return self._decide_approval(quote_id, reason, ApprovalState.APPROVED,
                                     expected_version, by)

    def decline(self, quote_id: int, reason: str, *, expected_version: int,
                by: Actor) -> QuoteResult:
        return self._decide_approval(quote_id, reason, ApprovalState.DECLINED,
                                     expected_version, by)

    def withdraw_approval(self, quote_id: int, *, expected_version: int,
                          by: Actor) -> QuoteResult:
        """Takes a decision back (what undoes an approval or a refusal)."""
        with self._open(quote_id, expected_version, by) as op:
            revision = reads.newest(op.session, quote_id)
            if revision.sent_at is not None:
                raise InvalidInput("approval", _("There is no decision to take back: the "
                                                 "revision has been sent since."))
            if revision.approval not in (ApprovalState.APPROVED, ApprovalState.DECLINED):
                raise InvalidInput("approval", _("No manager has decided on this revision: "
                                                 "there is nothing to take back."))
            if revision.approval_by_id != by.id and not by.is_manager:
                raise NotAllowed(_("Only a manager can take an approval back."))
            before = revision.approval
            revision.approval = (ApprovalState.REQUESTED if revision.approval_asked_at
                                 else ApprovalState.NONE)
            revision.approval_at = revision.approval_by_id = None
            revision.approval_reason, revision.self_approved = "", False
            audit.record(op.session, by, "withdraw-approval", "quote", quote_id,
                         revision=revision.number, approval=[before.value,
                                                             revision.approval.value])
            _touch(op.quote, by)
            return self._result(op.session, op.quote)

    def _decide_approval(self, quote_id: int, reason: str, decision: ApprovalState,
                         expected_version: int, by: Actor) -> QuoteResult:
        if not by.is_manager:
            raise NotAllowed(_("Only a manager can approve a quote below its floor price "
                               "or minimum margin."))
        if not reason.strip():
            raise InvalidInput("reason", _("Say why: the approval keeps the reason with it."))
        with self._open(quote_id, expected_version, by) as op:
            session, quote = op.session, op.quote
            revision = self._needing(op)
            # one who wrote the quote, owns the deal or last priced the revision
            own = by.id in (quote.created_by_id, op.deal.owner_id, revision.saved_by_id)
            alone = not _other_managers(session, by.id)
            if own and not alone and decision is ApprovalState.APPROVED:
                raise NotAllowed(_("You cannot approve your own quote while the team has "
                                   "another manager: ask one of them."))
            revision.approval = decision
            revision.approval_at, revision.approval_by_id = utcnow(), by.id
            revision.approval_reason = reason.strip()
            revision.self_approved = own and decision is ApprovalState.APPROVED
            audit.record(session, by, decision.value, "quote", quote_id,
                         revision=revision.number, reason=reason.strip(),
                         self_approved=revision.self_approved)
            _touch(quote, by)
            return self._result(session, quote)

    def _needing(self, op: _Open) -> QuoteRevision:
        """The newest revision, unsent and below a floor or the minimum margin."""
        _require_editable(op.quote)
        revision = reads.newest(op.session, op.quote.id)
        if revision.sent_at is not None:
            raise InvalidInput("approval", _("This revision has been sent: change the quote "
                                             "first, which opens the next revision."))
        view = reads.revision_view(op.session, op.quote, revision,
                                   quote_rules(session_query(op.session)).min_margin)
        if not view.needs_approval:
            raise InvalidInput("approval", _("No line is below its floor price and no option "
                                             "below the minimum margin: nothing to approve."))
        return revision

    # --- the customer --------------------------------------------------------------------

    def send(self, quote_id: int, *, expected_version: int, by: Actor,
             today: dt.date | None = None) -> QuoteResult:
        """Freezes the newest revision as what the customer has. A revision below its
        floor or the minimum margin goes only with a manager's approval."""
        with self._open(quote_id, expected_version, by) as op:
            session, quote = op.session, op.quote
            _require_editable(quote)
            revision = reads.newest(session, quote_id)
            if revision.sent_at is not None:
                raise InvalidInput("send", _("Revision {number} has been sent already.")
                                   .format(number=revision.number))
            rules = quote_rules(session_query(session))
            if stale_lines(revision_lines(session, revision.id),
                           priced_in(session, quote.currency)):
                raise InvalidInput("send", _(
                    "The catalogue changed since this revision was saved (a floor price, a "
                    "cost or a tax rate): open the quote and save it again to see the new "
                    "figures before it is sent."))
            view = reads.revision_view(session, quote, revision, rules.min_margin)
            _require_complete(view.options, view.terms.valid_until, today)
            if not view.cleared:
                raise NotAllowed(_("This quote is below a floor price or the minimum margin: "
                                   "a manager must approve it before it is sent."))
            revision.sent_at, revision.sent_by_id = utcnow(), by.id
            revision.min_margin = rules.min_margin
            quote.state = QuoteState.SENT
            audit.record(session, by, "send", "quote", quote_id, revision=revision.number)
            _touch(quote, by)
            return self._result(session, quote)

    def accept(self, quote_id: int, option_id: int, *, expected_version: int, by: Actor,
               on: dt.date | None = None) -> QuoteResult:
        """The customer chose ``option_id`` of the revision they have: the quote is
        accepted and the deal's value becomes that option's total."""
        day = on or dt.date.today()
        with self._open(quote_id, expected_version, by) as op:
            session, quote, deal = op.session, op.quote, op.deal
            revision = self._answerable(op, day)
            option = session.get(QuoteOption, option_id)
            if option is None or option.revision_id != revision.id:
                raise InvalidInput("option", _("Choose one of the options of revision "
                                               "{number}, the one the customer has.")
                                   .format(number=revision.number))
            view = reads.revision_view(session, quote, revision,
                                       quote_rules(session_query(session)).min_margin)
            if not view.cleared:  # sent before the rule held, or by an older version
                raise NotAllowed(_("This quote is below a floor price or the minimum margin: "
                                   "a manager must approve it before it is accepted."))
            other = session.scalar(select(Quote.number).where(
                Quote.deal_id == deal.id, Quote.id != quote.id,
                Quote.state == QuoteState.ACCEPTED).limit(1))
            if other is not None:  # the deal's value follows one accepted quote, not two
                raise InvalidInput("option", _(
                    "Quote {number} of this deal is accepted already: reopen it first, so "
                    "that the deal's value follows the one the customer signs.").format(
                    number=other))
            if deal.currency != quote.currency:
                raise InvalidInput("option", _(
                    "The deal is in {deal} and the quote in {quote}: change the deal's "
                    "currency first.").format(deal=deal.currency, quote=quote.currency))
            quote.state, quote.accepted_option_id = QuoteState.ACCEPTED, option.id
            quote.decided_on, quote.decided_by_id = day, by.id
            quote.deal_value_before = deal.value
            audit.record(session, by, "accept", "quote", quote_id, revision=revision.number,
                         option=option.name, deal_value=[deal.value, option.total])
            deal.value = option.total
            deal.updated_at, deal.updated_by_id = utcnow(), by.id
            _touch(quote, by)
            session.flush()
            return replace(self._result(session, quote, ChangeSet.of_deal(deal.id, deal.stage_id)),
                           deal_version=deal.version)

    def reject(self, quote_id: int, reason: str, *, expected_version: int, by: Actor,
               on: dt.date | None = None) -> QuoteResult:
        day = on or dt.date.today()
        with self._open(quote_id, expected_version, by) as op:
            if op.quote.state is not QuoteState.SENT:
                raise InvalidInput("state", _("Only a sent quote can be rejected."))
            op.quote.state, op.quote.rejected_reason = QuoteState.REJECTED, reason.strip()
            op.quote.decided_on, op.quote.decided_by_id = day, by.id
            audit.record(op.session, by, "reject", "quote", quote_id, reason=reason.strip())
            _touch(op.quote, by)
            return self._result(op.session, op.quote)

    def reopen(self, quote_id: int, *, expected_version: int, by: Actor) -> QuoteResult:
        """An accepted or rejected quote is open again (what undoes the answer); the deal
        gets back the value it had when the quote was accepted, unless it changed since."""
        with self._open(quote_id, expected_version, by) as op:
            session, quote, deal = op.session, op.quote, op.deal
            if quote.state not in (QuoteState.ACCEPTED, QuoteState.REJECTED):
                raise InvalidInput("state", _("The quote has no answer to take back."))
            if _has_live_contract(session, quote_id):
                raise InvalidInput("state", _(
                    "A contract was made from this quote: cancel the contract before "
                    "taking back the customer's answer."))
            changes, deal_version = None, None
            if quote.state is QuoteState.ACCEPTED and quote.deal_value_before is not None:
                option = session.get(QuoteOption, quote.accepted_option_id or 0)
                if option is not None and deal.value == option.total:
                    deal.value = quote.deal_value_before
                    deal.updated_at, deal.updated_by_id = utcnow(), by.id
                    changes = ChangeSet.of_deal(deal.id, deal.stage_id)
                    session.flush()
                    deal_version = deal.version
            audit.record(session, by, "reopen", "quote", quote_id, state=quote.state.value)
            quote.state, quote.accepted_option_id = QuoteState.SENT, None
            quote.decided_on = quote.decided_by_id = quote.deal_value_before = None
            quote.rejected_reason = ""
            _touch(quote, by)
            return replace(self._result(session, quote, changes), deal_version=deal_version)

    def _answerable(self, op: _Open, day: dt.date) -> QuoteRevision:
        """The sent revision the customer answers; refuses a quote that is not waiting
        for an answer, has a newer revision being drafted, or has expired."""
        if op.quote.state is not QuoteState.SENT:
            raise InvalidInput("state", _("Only a sent quote can be accepted."))
        revisions = reads.revisions_of(op.session, op.quote.id)
        if revisions[-1].sent_at is None:
            raise InvalidInput("state", _(
                "Revision {number} is being drafted: send it, or drop it, before the "
                "customer's answer is recorded.").format(number=revisions[-1].number))
        revision = revisions[-1]
        if revision.valid_until is not None and revision.valid_until < day:
            raise InvalidInput("state", _(
                "The quote expired on {date}: extend its validity in a new revision and "
                "send it again.").format(date=revision.valid_until.isoformat()))
        return revision

    # --- shared --------------------------------------------------------------------------

    @contextmanager
    def _open(self, quote_id: int, expected_version: int, by: Actor) -> Iterator[_Open]:
        with self.db.session() as session:
            quote = get_or_raise(session, Quote, quote_id, "quote")
            if quote.version != expected_version:
                raise last_change(session, Quote, quote_id)
            deal = get_or_raise(session, Deal, quote.deal_id, "deal")
            require_worker(session, deal, by)
            yield _Open(session, quote, deal)

    def _set_header(self, session: Session, quote: Quote, header: QuoteHeader,
                    by: Actor) -> None:
        _check_header(session, header)
        if header.prices_include_tax != quote.prices_include_tax and any(
                r.sent_at is not None for r in reads.revisions_of(session, quote.id)):
            raise InvalidInput("prices_include_tax", _(
                "The customer has prices with tax included or not: after a send, that "
                "stays as it was."))
        changed = {name: [getattr(quote, name), value] for name, value in (
            ("title", header.title.strip()), ("language", header.language),
            ("prices_include_tax", header.prices_include_tax),
            ("contact_id", header.contact_id)) if getattr(quote, name) != value}
        for name, (_before, after) in changed.items():
            setattr(quote, name, after)
        if changed:
            audit.record(session, by, "update", "quote", quote.id, changed=changed)

    def _result(self, session: Session, quote: Quote, changes: ChangeSet | None = None,
                opened: bool = False) -> QuoteResult:
        session.flush()
        index_quotes(raw_connection(session), [quote.id])
        view = reads.quote_view(session, quote.id)
        own = ChangeSet(quote_ids=frozenset({quote.id}))
        return QuoteResult(view, own if changes is None else changes | own, opened)


def _check_header(session: Session, header: QuoteHeader) -> None:
    if header.language not in LANGUAGES:
        raise InvalidInput("language", _("A quote is printed in Chinese or in English."))
    if len(header.title.strip()) > 300:
        raise InvalidInput("title", _("The title is too long: at most 300 characters."))
    if header.contact_id is not None:
        get_or_raise(session, Contact, header.contact_id, "contact")


def require_worker(session: Session, deal: Deal, by: Actor) -> None:
    if not may_work_on(session, deal, by):
        raise NotAllowed(_("Only the deal's owner, a colleague on its team or a manager "
                           "can work on its quotes."))


def _require_editable(quote: Quote) -> None:
    if quote.state in (QuoteState.ACCEPTED, QuoteState.REJECTED):
        raise InvalidInput("state", _("The customer has answered this quote: reopen it "
                                      "before changing it."))


def _require_complete(options: tuple[QuoteOptionView, ...], valid_until: dt.date | None,
                      today: dt.date | None) -> None:
    problems = []
    if any(not option.lines for option in options):
        problems.append(InvalidInput("options", _("Every option needs at least one line "
                                                  "before the quote is sent.")))
    if valid_until is None:
        problems.append(InvalidInput("valid_until", _("Say until when the quote is valid.")))
    elif valid_until < (today or dt.date.today()):
        problems.append(InvalidInput("valid_until", _(
            "The validity date has passed: set a new one before sending.")))
    if problems:
        raise InvalidFields.of(problems)


def _touch(quote: Quote, by: Actor) -> None:
    quote.updated_at, quote.updated_by_id = utcnow(), by.id


def _drop(session: Session, revision: QuoteRevision) -> None:
    clear_revision(session, revision.id)
    session.delete(revision)


def _other_managers(session: Session, user_id: int) -> int:
    return session.scalar(select(func.count()).select_from(User).where(
        User.role == Role.MANAGER, User.active, User.id != user_id)) or 0


def _next_number(session: Session, now: dt.datetime) -> str:
    """Q<year>-<serial>, the year the local one (a quote made on 1 January in Beijing is
    of the new year), the serial one above the year's highest (compared as numbers)."""
    prefix = f"Q{now.astimezone().year}-"
    serials = [int(n[len(prefix):]) for n in session.scalars(
        select(Quote.number).where(Quote.number.like(prefix + "%"))) if n[len(prefix):].isdigit()]
    return f"{prefix}{max(serials, default=0) + 1:04d}"


def _has_live_contract(session: Session, quote_id: int) -> bool:
    """Whether a contract that is not cancelled rests on the quote's accepted option."""
    return session.scalar(select(Contract.id).where(
        Contract.quote_id == quote_id, Contract.state != ContractState.CANCELLED).limit(1)
    ) is not None
