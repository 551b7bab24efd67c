"""Every change to a contract: made from an accepted quote option, drafted, reviewed,
taken along the offline signing path (posted, signed, sealed, returned, archived, or
cancelled), paid milestone by milestone, delivered and visited after. Each is one call,
one transaction, audited; each returns the contract as saved and a change set."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from funneldesk import formatting, secrets
from funneldesk.db.stale import last_change
from funneldesk.enums import ContractState, QuoteState
from funneldesk.errors import FunnelDeskError, InvalidFields, InvalidInput, NotAllowed, NotFound
from funneldesk.i18n import _, language
from funneldesk.models import (
    AuditEntry,
    Company,
    Confidentiality,
    Contact,
    Contract,
    ContractFile,
    ContractItem,
    ContractMilestone,
    ContractPayment,
    ContractReview,
    ContractStep,
    Deal,
    DealMember,
    Quote,
    QuoteLine,
    QuoteOption,
    QuoteRevision,
)
from funneldesk.models.base import utcnow
from funneldesk.money import round_cents
from funneldesk.services.activities.team import may_work_on
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.records import Actor, ChangeSet
from funneldesk.services.common.sql import session_query
from funneldesk.services.contracts import reads, templates
from funneldesk.services.contracts.after_sales import (
    cancel_open_activities,
    owed_on,
    plan_collections,
    rename_activities,
    schedule_visits,
    settle_collection,
    win_on_signature,
)
from funneldesk.services.contracts.records import (
    MAX_FILE,
    Candidate,
    Commitments,
    ContractContent,
    ContractResult,
    ContractSummary,
    ContractView,
    MilestoneDraft,
    Receivable,
    RemovedPayment,
    StepDetails,
    reviewer_label,
    state_label,
)
from funneldesk.services.contracts.schedule import (
    schedule_amounts,
    schedule_note,
    starting_schedule,
)
from funneldesk.services.contracts.search import index_contracts
from funneldesk.services.contracts.settings import contract_settings
from funneldesk.services.pipeline.search import raw_connection
from funneldesk.services.quotes.pricing import LineTerms, price_line

LANGUAGES = ("zh_CN", "en")

# the signing path: from a state, the states a step may reach (cancelling aside)
NEXT: dict[ContractState, tuple[ContractState, ...]] = {
    ContractState.DRAFT: (ContractState.IN_REVIEW,),
    ContractState.IN_REVIEW: (ContractState.APPROVED, ContractState.DRAFT),
    ContractState.APPROVED: (ContractState.SENT, ContractState.DRAFT),
    ContractState.SENT: (ContractState.SIGNED,),
    ContractState.SIGNED: (ContractState.SEALED,),
    ContractState.SEALED: (ContractState.RETURNED,),
    ContractState.RETURNED: (ContractState.ARCHIVED,),
    ContractState.ARCHIVED: (),
    ContractState.CANCELLED: (),
}


@dataclass
class _Open:
    session: Session
    contract: Contract
    deal: Deal


class ContractService(Service):
    # --- reads ---------------------------------------------------------------------------

    def get(self, contract_id: int, *, viewer: Actor) -> ContractView:
        with self.db.reading() as session:
            contract, deal = _load(session, contract_id)
            _require_reader(session, contract, deal, viewer)
            return reads.contract_view(session, contract, viewer)

    def all(self, *, viewer: Actor) -> list[ContractSummary]:
        """Every contract ``viewer`` may read, the latest changed first."""
        with self.db.reading() as session:
            return reads.summaries(session, reads.visible_to(viewer))

    def for_deal(self, deal_id: int, *, viewer: Actor) -> list[ContractSummary]:
        with self.db.reading() as session:
            return reads.summaries(session, reads.visible_to(viewer), Contract.deal_id == deal_id)

    def made_from(self, quote_id: int, *, viewer: Actor) -> ContractSummary | None:
        """The contract (not cancelled) made from the quote, as ``viewer`` may read it;
        None when there is none, or it is not theirs to read."""
        with self.db.reading() as session:
            found = reads.summaries(session, Contract.quote_id == quote_id,
                                    Contract.state != ContractState.CANCELLED,
                                    reads.visible_to(viewer))
            return found[0] if found else None

    def candidates(self, *, viewer: Actor) -> list[Candidate]:
        """The accepted quotes ``viewer`` may work on that have no contract yet (or only
        cancelled ones): what a new contract is made from."""
        with self.db.reading() as session:
            taken = select(Contract.quote_id).where(Contract.state != ContractState.CANCELLED)
            rows = session.execute(
                select(Quote, Deal, QuoteOption.name, QuoteOption.total)
                .join(Deal, Deal.id == Quote.deal_id)
                .join(QuoteOption, QuoteOption.id == Quote.accepted_option_id)
                .where(Quote.state == QuoteState.ACCEPTED, Deal.deleted_at.is_(None),
                       Quote.id.not_in(taken))
                .order_by(Quote.decided_on.desc(), Quote.id.desc())).all()
            names = dict(session.execute(select(Company.id, Company.name)).all())
            return [Candidate(q.id, q.number, d.id, d.title, names.get(d.company_id or 0, ""),
                              option, total, q.currency)
                    for q, d, option, total in rows if may_work_on(session, d, viewer)]

    def receivables(self, *, viewer: Actor, today: dt.date | None = None) -> list[Receivable]:
        with self.db.reading() as session:
            return reads.receivables(session, viewer, today or dt.date.today())

    def file(self, file_id: int, *, viewer: Actor) -> tuple[str, bytes]:
        """A scanned copy's name and bytes."""
        with self.db.reading() as session:
            row = session.get(ContractFile, file_id)
            if row is None:
                raise NotFound("file", file_id)
            contract, deal = _load(session, row.contract_id)
            _require_reader(session, contract, deal, viewer)
            return row.filename, row.data

    # --- the PDF -------------------------------------------------------------------------

    def pdf(self, contract_id: int, *, viewer: Actor, today: dt.date | None = None) -> bytes:
        """The contract's PDF in memory, for the preview and the printer (never written to
        disk as it is). Slow: call it off the GUI thread."""
        return self._rendered(contract_id, viewer, today)[0]

    def pdf_to_save(self, contract_id: int, *, viewer: Actor,
                    password: str | None = None) -> bytes:
        """The PDF as it may be written to a file: encrypted with AES-256 when a password
        is given, and always when the contract is confidential (with the password kept in
        the keyring for it when none is given); plain otherwise. The level is read in the
        same transaction as what is printed."""
        from funneldesk.reports.encryption import encrypt

        data, summary = self._rendered(contract_id, viewer, None)
        if not password and summary.confidentiality is Confidentiality.CONFIDENTIAL:
            password = secrets.read(self._secret_key(summary.number))
            if not password:
                raise PasswordNeeded(summary.number)
        return encrypt(data, password) if password else data

    def _rendered(self, contract_id: int, viewer: Actor,
                  today: dt.date | None) -> tuple[bytes, ContractSummary]:
        from funneldesk.reports.contract_pdf import render
        from funneldesk.services.contracts.document import pdf_document

        with self.db.reading() as session:
            contract, deal = _load(session, contract_id)
            _require_reader(session, contract, deal, viewer)
            view = reads.contract_view(session, contract, viewer)
            document = pdf_document(session, view, today)
        return render(document), view.summary

    def kept_password(self, contract_id: int, *, viewer: Actor) -> str:
        """The PDF password kept in the keyring for the contract ("" when none)."""
        return secrets.read(self._secret_key(self._summary(contract_id, viewer).number))

    def keep_password(self, contract_id: int, password: str, *, viewer: Actor) -> None:
        """Keeps the contract's PDF password in the system keyring ("" forgets it)."""
        secrets.store(self._secret_key(self._summary(contract_id, viewer).number), password)

    def _secret_key(self, number: str) -> str:
        return secrets.contract_pdf_key(self.db.path, number)

    def _summary(self, contract_id: int, viewer: Actor) -> ContractSummary:
        with self.db.reading() as session:
            contract, deal = _load(session, contract_id)
            _require_reader(session, contract, deal, viewer)
            return reads.summaries(session, Contract.id == contract_id)[0]

    # --- drafting ------------------------------------------------------------------------

    def create(self, quote_id: int, *, by: Actor, on: dt.date | None = None) -> ContractResult:
        """A draft contract from the quote's accepted option: its lines and amounts, the
        customer, the terms from the team's template in the quote's language, and the
        payment schedule the quote's payment terms name."""
        today = on or dt.date.today()
        with self.db.session() as session:
            quote = get_or_raise(session, Quote, quote_id, "quote")
            deal = get_or_raise(session, Deal, quote.deal_id, "deal")
            _require_worker(session, deal, by)
            if quote.state is not QuoteState.ACCEPTED or quote.accepted_option_id is None:
                raise InvalidInput("quote", _(
                    "A contract is made from a quote the customer accepted: record the "
                    "option they chose first."))
            other = session.scalar(select(Contract.number).where(
                Contract.quote_id == quote.id, Contract.state != ContractState.CANCELLED))
            if other is not None:
                raise InvalidInput("quote", _(
                    "Contract {number} is made from this quote already: cancel it first to "
                    "make another.").format(number=other))
            contract, note = make_contract(session, quote, deal, by.id, today)
            audit.record(session, by, "create", "contract", contract.id,
                         number=contract.number, quote_id=quote.id)
            return replace(self._result(session, contract), schedule_note=note)

    def delete_draft(self, contract_id: int, *, expected_version: int,
                     by: Actor) -> ContractResult:
        """Deletes a draft that never went to review (what undoes making it); the result
        holds the contract as it was."""
        with self._open(contract_id, expected_version, by) as op:
            session, contract = op.session, op.contract
            if contract.state is not ContractState.DRAFT or session.scalar(
                    select(func.count()).select_from(ContractStep).where(
                        ContractStep.contract_id == contract_id)) != 1:
                raise InvalidInput("state", _(
                    "Only a draft that never went to review is deleted: cancel this one "
                    "instead, so that its history stays."))
            result = self._result(session, contract)
            for owned in (ContractMilestone, ContractItem, ContractStep, ContractFile):
                session.execute(delete(owned).where(owned.contract_id == contract_id))
            session.delete(contract)
            session.flush()
            index_contracts(raw_connection(session), [contract_id])
            audit.record(session, by, "delete", "contract", contract_id,
                         number=contract.number)
        # once deleted for good: its number may be given again, so its password goes too
        secrets.forget_contract_pdfs(self.db.path, [result.contract.summary.number])
        return result

    def save(self, contract_id: int, content: ContractContent, *, expected_version: int,
             by: Actor) -> ContractResult:
        """Saves a draft's content; its terms may name only placeholders FunnelDesk
        fills, and its payment schedule adds up to the contract's amount."""
        with self._open(contract_id, expected_version, by) as op:
            contract, session = op.contract, op.session
            if contract.state is not ContractState.DRAFT:
                raise InvalidInput("state", _(
                    "Only a draft is changed: take the contract back to draft first (its "
                    "review starts again)."))
            problems: list[InvalidInput] = []
            for name, text in (("terms", content.terms),
                               ("delivery_terms", content.delivery_terms),
                               ("warranty_terms", content.warranty_terms),
                               ("acceptance_terms", content.acceptance_terms)):
                try:
                    templates.check(text, name)
                except InvalidInput as error:
                    problems.append(error)
            if not templates.clauses(content.terms):
                problems.append(InvalidInput("terms", _("The contract needs its terms.")))
            if content.language not in LANGUAGES:
                problems.append(InvalidInput("language", _(
                    "A contract is printed in Chinese or in English.")))
            if len(content.title.strip()) > 300:
                problems.append(InvalidInput("title", _(
                    "The title is too long: at most 300 characters.")))
            try:
                amounts = schedule_amounts(content.milestones, contract.amount)
            except InvalidInput as error:
                problems.append(error)
            try:
                _check_commitments(content.commitments)
            except InvalidInput as error:
                problems.append(error)
            if problems:
                raise InvalidFields.of(problems)
            before = reads.contract_view(session, contract, by).content
            if content.confidentiality is not contract.confidentiality:
                _require_owner_or_manager(op.deal, by)
                rename_activities(session, contract, content.confidentiality)
            team = contract_settings(session_query(session)).templates
            contract.terms = content.terms.strip()
            if content.language != contract.language and content.language in team and \
                    contract.terms == team.get(contract.language, "").strip():
                # the other language's template, untouched: the terms follow the language
                contract.terms = team[content.language].strip()
            contract.title, contract.language = content.title.strip(), content.language
            contract.confidentiality = content.confidentiality
            contract.delivery_terms = content.delivery_terms.strip()
            contract.warranty_terms = content.warranty_terms.strip()
            contract.acceptance_terms = content.acceptance_terms.strip()
            _set_commitments(contract, content.commitments)
            if before.milestones != content.milestones:
                session.execute(delete(ContractMilestone).where(
                    ContractMilestone.contract_id == contract.id))
                _write_milestones(session, contract, amounts)
            audit.record(session, by, "update", "contract", contract.id, changed=sorted(
                name for name in ContractContent.__slots__
                if getattr(before, name) != getattr(content, name)))
            _touch(contract, by)
            return self._result(session, contract)

    def set_confidentiality(self, contract_id: int, level: Confidentiality, *,
                            expected_version: int, by: Actor) -> ContractResult:
        """Whether the contract is confidential, at any step: the deal's owner or a
        manager decides."""
        with self._open(contract_id, expected_version, by) as op:
            _require_owner_or_manager(op.deal, by)
            if op.contract.confidentiality is not level:
                rename_activities(op.session, op.contract, level)
                audit.record(op.session, by, "set-confidentiality", "contract", contract_id,
                             level=[op.contract.confidentiality.value, level.value])
                op.contract.confidentiality = level
                _touch(op.contract, by)
            return self._result(op.session, op.contract)

    def set_commitments(self, contract_id: int, commitments: Commitments, *,
                        expected_version: int, by: Actor) -> ContractResult:
        """The service promised after signing (support, response time, warranty, the
        service contact); they print in the contract, so they change only in a draft."""
        _check_commitments(commitments)
        with self._open(contract_id, expected_version, by) as op:
            if op.contract.state is not ContractState.DRAFT:
                raise InvalidInput("state", _(
                    "The commitments are part of the contract the customer signs: they "
                    "change only while it is a draft."))
            _set_commitments(op.contract, commitments)
            audit.record(op.session, by, "set-commitments", "contract", contract_id,
                         response_hours=commitments.response_hours,
                         warranty_months=commitments.warranty_months)
            _touch(op.contract, by)
            return self._result(op.session, op.contract)

    # --- review --------------------------------------------------------------------------

    def tick(self, contract_id: int, review_id: int, checked: bool, *, expected_version: int,
             by: Actor, note: str = "") -> ContractResult:
        """Ticks (or unticks) a review item as ``by``, with the time: only a manager, or
        a colleague on the deal's team in the item's role, may."""
        with self._open(contract_id, expected_version, by) as op:
            if op.contract.state is not ContractState.IN_REVIEW:
                raise InvalidInput("state", _("The contract is not in review."))
            item = op.session.get(ContractReview, review_id)
            if item is None or item.contract_id != contract_id:
                raise NotFound("review", review_id)
            roles = {r.value for r in op.session.scalars(select(DealMember.role).where(
                DealMember.deal_id == op.deal.id, DealMember.user_id == by.id))}
            if not reads.may_tick(by, item.who, roles):
                raise NotAllowed(_("Only a manager or the deal team's {role} may tick "
                                   "this item.").format(role=reviewer_label(item.who)))
            if checked == (item.ticked_at is not None):
                return self._result(op.session, op.contract)
            item.ticked_at, item.ticked_by_id = (utcnow(), by.id) if checked else (None, None)
            item.note = note.strip() if checked else ""
            audit.record(op.session, by, "tick" if checked else "untick", "contract",
                         contract_id, item=item.label, note=note.strip())
            _touch(op.contract, by)
            return self._result(op.session, op.contract)

    # --- the signing path ----------------------------------------------------------------

    def advance(self, contract_id: int, to: ContractState, details: StepDetails | None = None,
                *, expected_version: int, by: Actor) -> ContractResult:
        """Takes the contract one step along its path, recording the day, who, and what
        belongs to the step (courier and tracking number, a scanned copy). Signing by the
        customer meets the deal's "contract signed" criterion, and moves the deal to Won
        when that was all it waited for."""
        step = details or StepDetails()
        today = dt.date.today()
        day = step.on or today
        with self._open(contract_id, expected_version, by) as op:
            session, contract = op.session, op.contract
            if to not in NEXT[contract.state]:
                raise InvalidInput("state", _("A contract that is “{now}” cannot become "
                                              "“{to}”.").format(now=state_label(contract.state),
                                                               to=state_label(to)))
            if day > today:
                raise InvalidInput("on", _("The date cannot be in the future."))
            _check_step(session, contract, to, step)
            if to is ContractState.IN_REVIEW:
                _require_filled(session, contract, by)
                start_review(session, contract)
            elif to is ContractState.DRAFT:
                session.execute(delete(ContractReview).where(
                    ContractReview.contract_id == contract.id))
            if to is ContractState.SIGNED:
                contract.signed_on = day
            contract.state = to
            recorded = _step(session, contract, to, step, by)
            if step.file_data:
                _attach(session, contract, step.file_name, step.file_data, by, recorded.id)
            audit.record(session, by, "advance", "contract", contract_id,
                         state=to.value, on=day.isoformat(), courier=step.courier,
                         tracking=step.tracking)
            _touch(contract, by)
            changes = ChangeSet()
            won = False
            if to is ContractState.SIGNED:
                session.flush()
                before_stage = op.deal.stage_id
                won = win_on_signature(session, op.deal, contract, day, by)
                planned = plan_collections(session, contract, op.deal, by)
                changes = ChangeSet(frozenset({op.deal.id}),
                                    frozenset({before_stage, op.deal.stage_id}),
                                    activity_ids=frozenset(planned))
            return self._result(session, contract, changes, deal_won=won)

    def cancel(self, contract_id: int, reason: str, *, expected_version: int,
               by: Actor) -> ContractResult:
        with self._open(contract_id, expected_version, by) as op:
            if op.contract.state in (ContractState.ARCHIVED, ContractState.CANCELLED):
                raise InvalidInput("state", _("An archived or cancelled contract stays as "
                                              "it is."))
            if not reason.strip():
                raise InvalidInput("reason", _("Say why the contract is cancelled."))
            if op.contract.state in reads.OWING and not by.is_manager:
                raise NotAllowed(_("The customer has signed this contract: only a manager "
                                   "cancels it (and decides what becomes of the deal won "
                                   "and the money received)."))
            op.contract.state, op.contract.cancelled_reason = (ContractState.CANCELLED,
                                                               reason.strip())
            _step(op.session, op.contract, ContractState.CANCELLED,
                  StepDetails(note=reason.strip()), by)
            cancelled = cancel_open_activities(op.session, op.contract, by)
            audit.record(op.session, by, "cancel", "contract", contract_id,
                         reason=reason.strip())
            _touch(op.contract, by)
            return self._result(op.session, op.contract,
                                ChangeSet(activity_ids=frozenset(cancelled)))

    def attach(self, contract_id: int, filename: str, data: bytes, *, expected_version: int,
               by: Actor) -> ContractResult:
        """Keeps a scanned copy in the database (a backup of the database holds it)."""
        with self._open(contract_id, expected_version, by) as op:
            _attach(op.session, op.contract, filename, data, by, None)
            _touch(op.contract, by)
            return self._result(op.session, op.contract)

    # --- money ---------------------------------------------------------------------------

    def record_payment(self, milestone_id: int, amount: Decimal, received_on: dt.date, *,
                       method: str = "", reference: str = "", expected_version: int,
                       by: Actor) -> ContractResult:
        """Money received (回款) against a milestone; part payments add up, and no
        milestone is paid beyond its amount."""
        with self.db.session() as session:
            milestone = session.get(ContractMilestone, milestone_id)
            if milestone is None:
                raise NotFound("milestone", milestone_id)
        with self._open(milestone.contract_id, expected_version, by) as op:
            session, contract = op.session, op.contract
            if contract.state not in reads.OWING:
                raise InvalidInput("state", _(
                    "Money is recorded against a contract the customer has signed."))
            problems = []
            try:
                value = Decimal(amount)
                if not value.is_finite() or value <= 0 or value != round_cents(value):
                    raise ArithmeticError
                value = round_cents(value)
            except ArithmeticError:
                problems.append(InvalidInput("amount", _(
                    "Enter the amount received, more than zero, to the cent.")))
                value = Decimal(0)
            left = owed_on(session, milestone)
            if value > left:
                problems.append(InvalidInput("amount", _(
                    "That is more than the {left} still due on “{label}”: record the rest "
                    "against the next milestone.").format(left=f"{left:,.2f}",
                                                          label=milestone.label)))
            if received_on > dt.date.today():
                problems.append(InvalidInput("received_on", _(
                    "The date cannot be in the future.")))
            if len(reference.strip()) > 120 or len(method.strip()) > 60:
                problems.append(InvalidInput("reference", _("The method or the reference "
                                                            "is too long.")))
            if problems:
                raise InvalidFields.of(problems)
            row = ContractPayment(milestone_id=milestone_id, received_on=received_on,
                                  amount=value, method=method.strip(),
                                  reference=reference.strip(), recorded_by_id=by.id)
            session.add(row)
            session.flush()
            audit.record(session, by, "payment", "contract", contract.id,
                         milestone=milestone.label, amount=str(value),
                         received_on=received_on.isoformat(), reference=reference.strip())
            settled = settle_collection(session, milestone, by)
            _touch(contract, by)
            return replace(self._result(session, contract,
                                        ChangeSet(activity_ids=frozenset(settled))),
                           payment_id=row.id)

    def remove_payment(self, payment_id: int, *, expected_version: int,
                       by: Actor) -> ContractResult:
        """Takes back a payment recorded by mistake (what undoes recording it)."""
        with self.db.session() as session:
            payment = session.get(ContractPayment, payment_id)
            milestone = session.get(ContractMilestone, payment.milestone_id) if payment else None
            if payment is None or milestone is None:
                raise NotFound("payment", payment_id)
        with self._open(milestone.contract_id, expected_version, by) as op:
            _require_payment_keeper(op.contract, payment.recorded_by_id, by)
            was_paid = owed_on(op.session, milestone) == 0
            removed = RemovedPayment(payment.id, payment.milestone_id, payment.received_on,
                                     payment.amount, payment.method, payment.reference,
                                     payment.recorded_at, payment.recorded_by_id)
            op.session.execute(delete(ContractPayment).where(
                ContractPayment.id == payment_id))
            # the payment whole: what puts it back reads it from here, not from its caller
            audit.record(op.session, by, "remove-payment", "contract", op.contract.id,
                         payment_id=payment.id, milestone_id=payment.milestone_id,
                         amount=str(payment.amount), received_on=payment.received_on.isoformat(),
                         method=payment.method, reference=payment.reference,
                         recorded_at=payment.recorded_at.isoformat(),
                         recorded_by_id=payment.recorded_by_id)
            reopened = settle_collection(op.session, milestone, by, was_paid=was_paid)
            _touch(op.contract, by)
            return replace(self._result(op.session, op.contract,
                                        ChangeSet(activity_ids=frozenset(reopened))),
                           removed=removed)

    def restore_payment(self, removed: RemovedPayment, *, expected_version: int,
                        by: Actor) -> ContractResult:
        """Puts back a payment taken back, as it was (what undoes taking it back): as the
        take-back recorded it, whatever ``removed`` says beside its id."""
        with self.db.session() as session:
            milestone = session.get(ContractMilestone, removed.milestone_id)
            if milestone is None:
                raise NotFound("milestone", removed.milestone_id)
        with self._open(milestone.contract_id, expected_version, by) as op:
            session = op.session
            kept = _taken_back(session, op.contract.id, removed.id)
            if kept is None or kept.milestone_id != milestone.id:
                raise NotFound("payment", removed.id)
            _require_payment_keeper(op.contract, kept.recorded_by_id, by)
            if session.get(ContractPayment, kept.id) is not None:
                raise InvalidInput("payment", _("This payment is on the record already."))
            left = owed_on(session, milestone)
            if kept.amount > left:
                raise InvalidInput("amount", _(
                    "That is more than the {left} still due on “{label}”: record the rest "
                    "against the next milestone.").format(left=f"{left:,.2f}",
                                                          label=milestone.label))
            session.add(ContractPayment(
                id=kept.id, milestone_id=milestone.id, received_on=kept.received_on,
                amount=kept.amount, method=kept.method, reference=kept.reference,
                recorded_at=kept.recorded_at, recorded_by_id=kept.recorded_by_id))
            audit.record(session, by, "restore-payment", "contract", op.contract.id,
                         payment_id=kept.id, amount=str(kept.amount),
                         received_on=kept.received_on.isoformat())
            settled = settle_collection(session, milestone, by)
            _touch(op.contract, by)
            return replace(self._result(session, op.contract,
                                        ChangeSet(activity_ids=frozenset(settled))),
                           payment_id=kept.id)

    # --- after-sales ---------------------------------------------------------------------

    def set_delivered(self, contract_id: int, on: dt.date, *, expected_version: int,
                      by: Actor) -> ContractResult:
        """Records the delivery and plans the return visits (回访) as activities of the
        deal's owner on the days after it that the team set."""
        if on > dt.date.today():
            raise InvalidInput("delivered_on", _("The date cannot be in the future."))
        with self._open(contract_id, expected_version, by) as op:
            if op.contract.state not in reads.OWING:
                raise InvalidInput("state", _(
                    "Delivery is recorded on a contract the customer has signed."))
            signed_on = op.contract.signed_on
            if signed_on is not None and on < signed_on:
                raise InvalidInput("delivered_on", _(
                    "The delivery cannot be before the customer signed ({day}).").format(
                        day=formatting.date(signed_on)))
            before = op.contract.delivered_on
            op.contract.delivered_on = on
            activity_ids = schedule_visits(op.session, op.contract, op.deal, by)
            audit.record(op.session, by, "delivered", "contract", contract_id,
                         on=[before.isoformat() if before else None, on.isoformat()])
            _touch(op.contract, by)
            return self._result(op.session, op.contract,
                                ChangeSet(activity_ids=frozenset(activity_ids)))

    # --- shared --------------------------------------------------------------------------

    @contextmanager
    def _open(self, contract_id: int, expected_version: int, by: Actor) -> Iterator[_Open]:
        with self.db.session() as session:
            contract, deal = _load(session, contract_id)
            _require_reader(session, contract, deal, by)
            if contract.version != expected_version:
                raise last_change(session, Contract, contract_id)
            _require_worker(session, deal, by)
            yield _Open(session, contract, deal)

    def _result(self, session: Session, contract: Contract, changes: ChangeSet | None = None,
                deal_won: bool = False) -> ContractResult:
        session.flush()
        index_contracts(raw_connection(session), [contract.id])
        by_actor = reads.contract_view(session, contract, _system_reader())
        own = ChangeSet(frozenset({contract.deal_id}), contract_ids=frozenset({contract.id}))
        return ContractResult(by_actor, own if changes is None else changes | own, deal_won)


@dataclass
class PasswordNeeded(FunnelDeskError):
    """A confidential contract's PDF is written encrypted, and no password was given or
    kept for it."""

    number: str

    def message(self) -> str:
        return _("Contract {number} is confidential: its PDF is written only encrypted. "
                 "Give a password (--password-stdin), or keep one for it in the keyring "
                 "from the contract's window.").format(number=self.number)


def make_contract(session: Session, quote: Quote, deal: Deal, by_id: int,
                  today: dt.date, now: dt.datetime | None = None) -> tuple[Contract, str]:
    """A draft from the quote's accepted option: its lines and amounts, the customer,
    the terms from the team's template in the quote's language, and the payment schedule
    its payment terms name (``schedule.starting_schedule``; sample data makes its
    contracts with it too); with what the rep is told of that schedule."""
    assert quote.accepted_option_id is not None
    option = session.get(QuoteOption, quote.accepted_option_id)
    assert option is not None
    revision = session.get(QuoteRevision, option.revision_id)
    assert revision is not None  # an option is always of a revision
    company = session.get(Company, deal.company_id) if deal.company_id else None
    contact = session.get(Contact, quote.contact_id or deal.contact_id or 0)
    settings = contract_settings(session_query(session))
    lang = quote.language if quote.language in LANGUAGES else (
        "en" if language() == "en" else "zh_CN")
    lines = session.execute(
        select(QuoteLine).where(QuoteLine.option_id == option.id)
        .order_by(QuoteLine.position)).scalars().all()
    now = now or utcnow()
    contract = Contract(
        number=_next_number(session, now), deal_id=deal.id, quote_id=quote.id,
        option_id=option.id, title=deal.title, language=lang,
        currency=quote.currency, prices_include_tax=quote.prices_include_tax,
        subtotal=option.subtotal, tax=option.tax, amount=option.total,
        customer_name=company.name if company else "",
        customer_address=company.address if company else "",
        customer_contact=contact.name if contact else "",
        terms=settings.templates[lang],
        delivery_terms=revision.delivery_terms,
        created_at=now, created_by_id=by_id, updated_at=now, updated_by_id=by_id)
    session.add(contract)
    session.flush()
    for position, line in enumerate(lines):
        priced = price_line(LineTerms(line.quantity, line.unit_price, line.discount,
                                      line.tax_rate),
                            include_tax=quote.prices_include_tax)
        session.add(ContractItem(
            contract_id=contract.id, position=position,
            name=line.name_en if lang == "en" and line.name_en else line.name,
            description=line.description, unit=line.unit, quantity=line.quantity,
            unit_price=line.unit_price, discount=line.discount,
            tax_rate=line.tax_rate, amount=priced.amount))
    start = starting_schedule(revision.payment_terms, today, lang)
    _write_milestones(session, contract, schedule_amounts(start.milestones, contract.amount))
    session.add(ContractStep(contract_id=contract.id, state=ContractState.DRAFT, on=today,
                            at=now, by_id=by_id))
    session.flush()
    return contract, schedule_note(revision.payment_terms, start.read)


def _system_reader() -> Actor:
    """Reads a contract whole for its caller, who was checked before (the ticks' ``may
    tick`` of the result are a manager's; the window asks again with its user)."""
    from funneldesk.enums import Role

    return Actor(0, "", "", Role.MANAGER)


def _load(session: Session, contract_id: int) -> tuple[Contract, Deal]:
    contract = session.get(Contract, contract_id)
    if contract is None:
        raise NotFound("contract", contract_id)
    deal = get_or_raise(session, Deal, contract.deal_id, "deal")
    return contract, deal


def _require_reader(session: Session, contract: Contract, deal: Deal, by: Actor) -> None:
    if not reads.may_read(session, contract, deal, by):
        # said as not found: a confidential contract's existence is not given away
        raise NotFound("contract", contract.id)


def _require_owner_or_manager(deal: Deal, by: Actor) -> None:
    if by.id != deal.owner_id and not by.is_manager:
        raise NotAllowed(_("Only the deal's owner or a manager decides who may read its "
                           "contract."))


def _require_payment_keeper(contract: Contract, recorded_by_id: int, by: Actor) -> None:
    """Who takes a payment back (or puts it back): its recorder or a manager, while the
    contract is owed."""
    if recorded_by_id != by.id and not by.is_manager:
        raise NotAllowed(_("Only the one who recorded the payment, or a manager, "
                           "takes it back."))
    if contract.state not in reads.OWING:
        raise InvalidInput("state", _("The contract is cancelled: its payments stay "
                                      "as they were."))


def _require_worker(session: Session, deal: Deal, by: Actor) -> None:
    if not may_work_on(session, deal, by):
        raise NotAllowed(_("Only the deal's owner, a colleague on its team or a manager "
                           "can work on its contracts."))


def _write_milestones(session: Session, contract: Contract,
                      amounts: list[tuple[MilestoneDraft, Decimal]]) -> None:
    for position, (milestone, amount) in enumerate(amounts):
        session.add(ContractMilestone(contract_id=contract.id, position=position,
                                      label=milestone.label.strip(), due_on=milestone.due_on,
                                      percent=milestone.percent if milestone.amount is None
                                      else None, amount=amount))


def _check_commitments(c: Commitments) -> None:
    if c.response_hours is not None and not 0 < c.response_hours <= 24 * 30:
        raise InvalidInput("response_hours", _("Enter a response time from 1 to 720 hours."))
    if c.warranty_months is not None and not 0 <= c.warranty_months <= 120:
        raise InvalidInput("warranty_months", _("Enter a warranty from 0 to 120 months."))
    if len(c.service_contact.strip()) > 200:
        raise InvalidInput("service_contact", _("Too long: at most 200 characters."))


def _set_commitments(contract: Contract, c: Commitments) -> None:
    contract.support_scope, contract.response_hours = c.support_scope.strip(), c.response_hours
    contract.warranty_months = c.warranty_months
    contract.service_contact = c.service_contact.strip()


def start_review(session: Session, contract: Contract) -> None:
    """The team's checklist, copied in afresh (an earlier review's ticks are gone)."""
    session.execute(delete(ContractReview).where(
        ContractReview.contract_id == contract.id))
    for position, (label, who) in enumerate(
            contract_settings(session_query(session)).review_items):
        session.add(ContractReview(contract_id=contract.id, position=position, label=label,
                                   who=who))


# placeholders the contract's own terms fill, and the field each is written in
_OWN_TERMS = {"delivery": "delivery_terms", "warranty": "warranty_terms",
              "acceptance": "acceptance_terms"}


def _require_filled(session: Session, contract: Contract, by: Actor) -> None:
    """A contract goes to review only when every placeholder of its terms, and of its
    delivery, warranty and acceptance terms, has a value."""
    from funneldesk.services.contracts.document import placeholder_values

    session.flush()
    view = reads.contract_view(session, contract, by)
    values = placeholder_values(session, view, dt.date.today())  # its three terms too
    templates.check(contract.terms)
    missing = templates.empty(contract.terms, values)
    if missing:  # every one at once, said where the first can be written
        own = [n for n in missing if n in _OWN_TERMS]
        raise templates.without_value(missing, _OWN_TERMS[own[0]] if own else "terms")


def _check_step(session: Session, contract: Contract, to: ContractState,
                step: StepDetails) -> None:
    if to in (ContractState.APPROVED, ContractState.SENT):
        open_items = session.scalars(select(ContractReview.label).where(
            ContractReview.contract_id == contract.id,
            ContractReview.ticked_at.is_(None))).all()
        reviewed = session.scalar(select(func.count()).select_from(ContractReview).where(
            ContractReview.contract_id == contract.id))
        if open_items or not reviewed:
            raise NotAllowed(_("The review is not complete: {items}. Every item is ticked "
                               "before the contract goes out for signature.").format(
                items="; ".join(open_items) or _("no item")))
    # the paper cannot be posted before the approval it is dated by, nor signed before
    # it was posted: no step before any earlier one
    last = session.scalar(select(func.max(ContractStep.on)).where(
        ContractStep.contract_id == contract.id))
    if last is not None and (step.on or dt.date.today()) < last:
        raise InvalidInput("on", _("The date cannot be before the previous step ({day}).")
                           .format(day=formatting.date(last)))
    # the paper may go either way by hand: a courier only when one is named, and then
    # with the number to follow it by
    by_courier = step.courier.strip() or step.tracking.strip()
    if by_courier and (not step.courier.strip() or not step.tracking.strip()):
        raise InvalidFields.of([InvalidInput(name, message) for name, value, message in (
            ("courier", step.courier, _("Enter the courier company.")),
            ("tracking", step.tracking, _("Enter the tracking number.")))
            if not value.strip()])
    if len(step.courier.strip()) > 100 or len(step.tracking.strip()) > 100:
        raise InvalidInput("tracking", _("Too long: at most 100 characters."))


def _step(session: Session, contract: Contract, state: ContractState, step: StepDetails,
          by: Actor) -> ContractStep:
    row = ContractStep(contract_id=contract.id, state=state, on=step.on or dt.date.today(),
                       by_id=by.id, courier=step.courier.strip(),
                       tracking=step.tracking.strip(), note=step.note.strip())
    session.add(row)
    session.flush()
    return row


def _attach(session: Session, contract: Contract, filename: str, data: bytes, by: Actor,
            step_id: int | None) -> None:
    name = filename.strip().replace("\\", "/").rsplit("/", 1)[-1]
    if not name:
        raise InvalidInput("file", _("Choose the scanned file."))
    if not data.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8")):
        raise InvalidInput("file", _("A scanned copy is a PDF, PNG or JPEG file."))
    if len(data) > MAX_FILE:
        raise InvalidInput("file", _("The file is too large: at most 20 MB."))
    session.add(ContractFile(contract_id=contract.id, step_id=step_id, filename=name[:260],
                             data=data, added_by_id=by.id))
    audit.record(session, by, "attach", "contract", contract.id, filename=name,
                 size=len(data))


def _taken_back(session: Session, contract_id: int, payment_id: int) -> RemovedPayment | None:
    """The payment as its latest take-back recorded it in the audit log."""
    for (details,) in session.execute(
            select(AuditEntry.details).where(
                AuditEntry.action == "remove-payment", AuditEntry.entity == "contract",
                AuditEntry.entity_id == contract_id).order_by(AuditEntry.id.desc())):
        kept = json.loads(details)
        if kept.get("payment_id") == payment_id:
            return RemovedPayment(
                payment_id, int(kept["milestone_id"]),
                dt.date.fromisoformat(kept["received_on"]), Decimal(kept["amount"]),
                kept["method"], kept["reference"],
                dt.datetime.fromisoformat(kept["recorded_at"]), int(kept["recorded_by_id"]))
    return None


def _touch(contract: Contract, by: Actor) -> None:
    contract.updated_at, contract.updated_by_id = utcnow(), by.id


def _next_number(session: Session, now: dt.datetime) -> str:
    """C<local year>-<serial>, one above the year's highest (compared as numbers)."""
    prefix = f"C{now.astimezone().year}-"
    serials = [int(n[len(prefix):]) for n in session.scalars(
        select(Contract.number).where(Contract.number.like(prefix + "%")))
        if n[len(prefix):].isdigit()]
    return f"{prefix}{max(serials, default=0) + 1:04d}"

