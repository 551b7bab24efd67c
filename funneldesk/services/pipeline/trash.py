"""The Trash: a deleted deal leaves every view but keeps its row and history until the
Trash is emptied, by a manager or after the period the team keeps deleted deals.

Purging removes a deal for good: its row, its stage changes and its criterion checks, in
one transaction that checks, before it commits, that no other row still refers to it. The audit log is not
touched: it keeps who deleted and who purged which deal, and when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import bindparam, delete, select, text
from sqlalchemy.orm import Session

from funneldesk import secrets
from funneldesk.errors import InvalidInput, NotFound, PurgeBlocked, StageGone
from funneldesk.i18n import _
from funneldesk.models import (
    Activity,
    Contract,
    ContractFile,
    ContractItem,
    ContractMilestone,
    ContractPayment,
    ContractReview,
    ContractStep,
    CriterionCheck,
    Deal,
    DealMember,
    DealNote,
    DealReview,
    FollowUpPlan,
    OutboxMessage,
    Quote,
    QuoteLine,
    QuoteOption,
    QuoteRevision,
    ReturnVisit,
    Scorecard,
    Stage,
    StageChange,
    TeamSetting,
)
from funneldesk.models.base import utcnow
from funneldesk.services.common import audit, search_index, sql
from funneldesk.services.common.base import Service
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.permissions import require_deal_owner, require_manager
from funneldesk.services.common.records import Actor, ChangeSet
from funneldesk.services.pipeline import reads, visits
from funneldesk.services.pipeline.moves import check_version
from funneldesk.services.pipeline.records import OffBoardResult, TrashedDeal
from funneldesk.services.pipeline.search import (
    forget_deals,
    index_deals,
    raw_connection,
    unindex_deals,
)
from funneldesk.services.team import reads as team_reads

KEEP_DAYS_KEY = "trash_keep_days"
DEFAULT_KEEP_DAYS = 30
MAX_KEEP_DAYS = 3650
_CHUNK = 500  # ids per statement: SQLite caps the number of bound parameters

TRASH_SQL = """
SELECT d.id, d.title, COALESCE(c.name, ''), s.name, d.owner_id, COALESCE(u.display_name, ''),
       d.deleted_at, d.version
FROM deals d
JOIN stages s ON s.id = d.stage_id
LEFT JOIN companies c ON c.id = d.company_id
LEFT JOIN users u ON u.id = d.deleted_by_id
WHERE d.deleted_at IS NOT NULL
ORDER BY d.deleted_at DESC, d.id DESC"""


def purge_deals(session: Session, deal_ids: Sequence[int]) -> list[str]:
    """Deletes the deals with their stage changes, criterion checks, activities,
    follow-up plans, scorecards, teams, notes, reviews, quotes and contracts, inside the
    caller's transaction; raises PurgeBlocked (and the caller's transaction rolls back)
    when any other row would be left pointing at a purged deal. Returns the numbers of
    the contracts purged, whose kept PDF passwords the caller forgets once committed (a
    number may be given again: ``secrets.forget_contract_pdfs``)."""
    if not deal_ids:
        return []
    chunks = [list(deal_ids[i:i + _CHUNK]) for i in range(0, len(deal_ids), _CHUNK)]
    quote_ids = [i for chunk in chunks for i in session.scalars(
        select(Quote.id).where(Quote.deal_id.in_(chunk)))]
    purged = [(int(i), str(n)) for chunk in chunks for i, n in session.execute(
        select(Contract.id, Contract.number).where(Contract.deal_id.in_(chunk)))]
    contract_ids = [i for i, _n in purged]
    for chunk in chunks:
        # a deal's contracts and all that hangs on them (the Contracts area's tables);
        # first, since a return visit points at an activity and a contract at a quote
        contracts = select(Contract.id).where(Contract.deal_id.in_(chunk))
        milestones = select(ContractMilestone.id).where(
            ContractMilestone.contract_id.in_(contracts))
        session.execute(delete(ContractPayment).where(
            ContractPayment.milestone_id.in_(milestones)))
        for owned in (ContractMilestone, ContractFile, ContractStep, ContractReview,
                      ContractItem, ReturnVisit):
            session.execute(delete(owned).where(owned.contract_id.in_(contracts)))
        session.execute(delete(Contract).where(Contract.deal_id.in_(chunk)))
        session.execute(delete(CriterionCheck).where(CriterionCheck.deal_id.in_(chunk)))
        # a deal's activities and plan go with it (the Activities area's tables, read and
        # written through the shared models)
        session.execute(delete(Activity).where(Activity.deal_id.in_(chunk)))
        session.execute(delete(FollowUpPlan).where(FollowUpPlan.deal_id.in_(chunk)))
        session.execute(delete(Scorecard).where(Scorecard.deal_id.in_(chunk)))
        # reviews first: a review refers to the note it posted
        for table in (DealReview, DealNote, DealMember):
            session.execute(delete(table).where(table.deal_id.in_(chunk)))
        # a deal's quotes, every revision of them (the Quotes area's tables)
        quotes = select(Quote.id).where(Quote.deal_id.in_(chunk))
        revisions = select(QuoteRevision.id).where(QuoteRevision.quote_id.in_(quotes))
        options = select(QuoteOption.id).where(QuoteOption.revision_id.in_(revisions))
        session.execute(delete(OutboxMessage).where(OutboxMessage.quote_id.in_(quotes)))
        session.execute(delete(QuoteLine).where(QuoteLine.option_id.in_(options)))
        session.execute(delete(QuoteOption).where(QuoteOption.revision_id.in_(revisions)))
        session.execute(delete(QuoteRevision).where(QuoteRevision.quote_id.in_(quotes)))
        session.execute(delete(Quote).where(Quote.deal_id.in_(chunk)))
    sqlite = session.get_bind().dialect.name == "sqlite"
    if sqlite:
        # checked below, inside this transaction, with the table names for the message
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
    for chunk in chunks:
        visits.forget(raw_connection(session), chunk)
        session.execute(delete(StageChange).where(StageChange.deal_id.in_(chunk)))
        session.execute(delete(Deal).where(Deal.id.in_(chunk))
                        .execution_options(synchronize_session=False))
    if sqlite:
        blocking = _still_referring(session, chunks)
        if blocking:
            raise PurgeBlocked(blocking)
    forget_deals(raw_connection(session), deal_ids)
    # the Quotes area's kind in the index (services/quotes/search.py; not imported here,
    # since the pipeline area comes before it)
    search_index.forget(raw_connection(session), "quote", quote_ids)
    search_index.forget(raw_connection(session), "contract", contract_ids)
    return [n for _i, n in purged]


# every column of the file that refers to a deal, read from the file itself: a table that a
# later version (or another area) adds is checked too
_REFERRERS_SQL = """
SELECT m.name, f."from" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
WHERE m.type = 'table' AND f."table" = 'deals' ORDER BY m.name"""


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _still_referring(session: Session, chunks: Sequence[Sequence[int]]) -> list[str]:
    """The tables with rows that still point at one of the purged deals; only the rows
    that could (the whole-file foreign key check reads every table, seconds on a long
    history, and would also report unrelated damage)."""
    tables: set[str] = set()
    for table, column in session.execute(text(_REFERRERS_SQL)).all():
        probe = text(f"SELECT 1 FROM {_quoted(table)} WHERE {_quoted(column)} IN :ids LIMIT 1"
                     ).bindparams(bindparam("ids", expanding=True))
        for chunk in chunks:
            if session.execute(probe, {"ids": list(chunk)}).first() is not None:
                tables.add(str(table))
                break
    return sorted(tables)


def _audit_purge(session: Session, by: Actor | None, rows: Iterable[tuple[int, str]],
                 **details: object) -> None:
    for ident, title in rows:
        audit.record(session, by, "purge", "deal", ident, title=title, **details)


class TrashService(Service):
    def delete(self, *, deal_id: int, expected_version: int, by: Actor) -> OffBoardResult:
        """Moves the deal to the Trash: it leaves every view, its row and history stay."""
        with self.db.session() as session:
            deal = get_or_raise(session, Deal, deal_id, "deal")
            check_version(session, deal, expected_version)
            require_deal_owner(by, deal.owner_id,
                               _("Only the deal's owner or a manager can delete this deal."))
            deal.deleted_at, deal.deleted_by_id = utcnow(), by.id
            deal.updated_at, deal.updated_by_id = deal.deleted_at, by.id
            session.flush()
            unindex_deals(raw_connection(session), [deal_id])
            audit.record(session, by, "delete", "deal", deal_id, title=deal.title)
            return OffBoardResult(deal_id, deal.version, None, ChangeSet.of_deal(deal_id, deal.stage_id))

    def restore(self, *, deal_id: int, expected_version: int, by: Actor) -> OffBoardResult:
        """Takes the deal out of the Trash, back into its stage where it was."""
        with self.db.session() as session:
            deal = session.get(Deal, deal_id)
            if deal is None:  # purged: it never comes back
                raise NotFound("deal", deal_id)
            check_version(session, deal, expected_version)
            require_deal_owner(by, deal.owner_id,
                               _("Only the deal's owner or a manager can restore this deal."))
            stage = session.get(Stage, deal.stage_id)
            if stage is None or stage.deleted_at is not None:
                raise StageGone(deal.title, stage.name if stage else "?")
            if deal.deleted_at is not None:
                deal.deleted_at, deal.deleted_by_id = None, None
                deal.updated_at, deal.updated_by_id = utcnow(), by.id
                session.flush()
                index_deals(raw_connection(session), [deal_id])
                audit.record(session, by, "restore", "deal", deal_id, title=deal.title)
            card = reads.read_card(sql.session_query(session), deal_id)
            return OffBoardResult(deal_id, deal.version, card, ChangeSet.of_deal(deal_id, deal.stage_id))

    def deals(self) -> list[TrashedDeal]:
        """Every deal in the Trash, the most recently deleted first."""
        return [TrashedDeal(int(i), t, c, s, int(o), who, sql.timestamp(at), int(v))
                for i, t, c, s, o, who, at, v in self.db.query(TRASH_SQL)]

    def empty(self, *, deal_ids: Sequence[int], by: Actor) -> int:
        """Purges those of ``deal_ids`` that are still in the Trash (a manager's call);
        returns how many were purged."""
        require_manager(by, _("Only a manager can empty the Trash."))
        with self.db.session() as session:
            rows = self._in_trash(session, deal_ids)
            numbers = purge_deals(session, [ident for ident, _title in rows])
            _audit_purge(session, by, rows)
        secrets.forget_contract_pdfs(self.db.path, numbers)
        return len(rows)

    def purge_expired(self, *, now: dt.datetime | None = None) -> int:
        """Purges the deals deleted longer ago than the team keeps them (run at start-up,
        off the GUI thread); the audit names no user: FunnelDesk applied the team's rule."""
        days = self.keep_days()
        if not days:
            return 0
        cutoff = (now or utcnow()) - dt.timedelta(days=days)
        with self.db.reading() as session:  # usually nothing: then no write lock at all
            if session.scalar(select(Deal.id).where(Deal.deleted_at < cutoff).limit(1)) is None:
                return 0
        with self.db.session() as session:
            rows = [(r.id, r.title) for r in session.execute(
                select(Deal.id, Deal.title).where(Deal.deleted_at < cutoff))]
            numbers = purge_deals(session, [ident for ident, _title in rows])
            _audit_purge(session, None, rows, kept_days=days)
        secrets.forget_contract_pdfs(self.db.path, numbers)
        return len(rows)

    def keep_days(self) -> int:
        """How many days the Trash keeps a deleted deal; 0 keeps it until emptied."""
        value = team_reads.setting(self.db.query, KEEP_DAYS_KEY)
        return DEFAULT_KEEP_DAYS if value is None else int(value)

    def set_keep_days(self, *, days: int, by: Actor) -> None:
        require_manager(by, _("Only a manager can change how long the Trash keeps deals."))
        if not 0 <= days <= MAX_KEEP_DAYS:
            raise InvalidInput("keep_days", _("Choose between 0 and {max} days.").format(
                max=MAX_KEEP_DAYS))
        with self.db.session() as session:
            row = session.get(TeamSetting, KEEP_DAYS_KEY)
            before = int(row.value) if row else DEFAULT_KEEP_DAYS
            if row is None:
                session.add(TeamSetting(key=KEEP_DAYS_KEY, value=str(days)))
            else:
                row.value = str(days)
            audit.record(session, by, "update", "setting", None, key=KEEP_DAYS_KEY,
                         value=[before, days])

    @staticmethod
    def _in_trash(session: Session, deal_ids: Sequence[int]) -> list[tuple[int, str]]:
        rows: list[tuple[int, str]] = []
        ids = list(deal_ids)
        for i in range(0, len(ids), _CHUNK):
            rows += [(r.id, r.title) for r in session.execute(
                select(Deal.id, Deal.title).where(Deal.id.in_(ids[i:i + _CHUNK]),
                                                  Deal.deleted_at.is_not(None)))]
        return rows
