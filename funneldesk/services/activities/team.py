"""A deal's team: colleagues from other departments (technical support, customer service,
finance, legal ...) who join a deal with a role on it, and the notes feed the team shares.

Everyone reads every deal (see services/common/permissions.py); being on a deal's team
lets a colleague who does not own it plan activities on it and post to its feed, and
finds the deal for them ("deals I am on"). Activities assigned to them show in their own
Today pane, as any activity does for its assignee.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session

from funneldesk.errors import InvalidInput, NotAllowed, NotFound, StaleEdit
from funneldesk.i18n import _
from funneldesk.models import AuditEntry, Deal, DealMember, DealNote, DealRole, User
from funneldesk.models.base import utcnow
from funneldesk.services.activities.team_records import (
    NOTE_LIMIT,
    NOTES_SHOWN,
    DealTeam,
    Member,
    MemberResult,
    Note,
    NoteResult,
)
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.permissions import may_change_deal, require_deal_owner
from funneldesk.services.common.records import Actor, ChangeSet


def is_member(session: Session, deal_id: int, user_id: int) -> bool:
    return session.scalar(select(DealMember.id).where(
        DealMember.deal_id == deal_id, DealMember.user_id == user_id)) is not None


def may_work_on(session: Session, deal: Deal, by: Actor) -> bool:
    """Whether ``by`` may plan activities on the deal and post to its feed: its owner, a
    manager or a colleague on its team."""
    return may_change_deal(by, deal.owner_id) or is_member(session, deal.id, by.id)


def member_deal_ids(user_id: int) -> Select[int]:
    """The deals ``user_id`` is on the team of (owning them aside)."""
    return select(DealMember.deal_id).where(DealMember.user_id == user_id)


def owned_or_on_team(user_id: int) -> ColumnElement[bool]:
    """The deals ``user_id`` owns or is on the team of (a condition on ``Deal``)."""
    return or_(Deal.owner_id == user_id, Deal.id.in_(member_deal_ids(user_id)))


class DealTeamService(Service):
    def team(self, deal_id: int, limit: int = NOTES_SHOWN) -> DealTeam:
        with self.db.reading() as session:
            deal = get_or_raise(session, Deal, deal_id, "deal")
            owner = session.get(User, deal.owner_id)
            members = session.execute(
                select(DealMember, User.display_name).join(User, User.id == DealMember.user_id)
                .where(DealMember.deal_id == deal_id)
                .order_by(DealMember.added_at, DealMember.id)).all()
            notes = session.execute(
                _notes_query().where(DealNote.deal_id == deal_id, DealNote.deleted_at.is_(None))
                .order_by(DealNote.created_at.desc(), DealNote.id.desc()).limit(limit + 1)
            ).all()
            return DealTeam(
                deal_id, deal.owner_id, owner.display_name if owner else "",
                tuple(Member(member.user_id, name, member.role, member.added_at)
                      for member, name in members),
                tuple(_note(row, name) for row, name in notes[:limit]), len(notes) > limit)

    def is_on(self, deal_id: int, user_id: int) -> bool:
        """Whether ``user_id`` is on the deal's team (owning it aside)."""
        with self.db.reading() as session:
            return is_member(session, deal_id, user_id)

    def set_member(self, deal_id: int, user_id: int, role: DealRole, *, by: Actor,
                   seen: DealRole | object | None = ..., added: tuple[dt.datetime, int] | None
                   = None) -> MemberResult:
        """Puts a colleague on the deal's team with ``role``, or gives one already on it
        that role. The deal's owner or a manager does it. ``seen``: the role the caller
        saw (None: not on the team), refused as stale when it is no longer so (an undo);
        ``added``: when and by whom a colleague put back was first added."""
        with self.db.session() as session:
            deal = _team_deal(session, deal_id, by)
            user = session.get(User, user_id)
            if user is None or not user.active:
                raise InvalidInput("user", _("Choose a colleague."))
            if user_id == deal.owner_id:
                raise InvalidInput("user", _("{name} owns this deal already.").format(
                    name=user.display_name))
            row = _member(session, deal_id, user_id)
            previous = None if row is None else row.role
            if seen is not ... and seen != previous:
                raise _stale(session, deal_id)
            if row is None:
                at, adder = added or (utcnow(), by.id)
                row = DealMember(deal_id=deal_id, user_id=user_id, role=role, added_at=at,
                                 added_by_id=adder)
                session.add(row)
            row.role = DealRole(role)
            session.flush()
            audit.record(session, by, "team", "deal", deal_id, user=user.display_name,
                         role=role.value, previous=previous.value if previous else None)
            return MemberResult(deal_id, user_id, user.display_name, previous, row.role,
                                ChangeSet.of_deal(deal_id), (row.added_at, row.added_by_id))

    def remove_member(self, deal_id: int, user_id: int, *, by: Actor,
                      seen: DealRole | object | None = ...) -> MemberResult:
        """Takes a colleague off the deal's team (their activities on it stay theirs).
        ``seen``: as for ``set_member``."""
        with self.db.session() as session:
            _team_deal(session, deal_id, by)
            row = _member(session, deal_id, user_id)
            if row is None:
                if seen is not ...:
                    raise _stale(session, deal_id)
                raise NotFound("deal member", user_id)
            if seen is not ... and seen != row.role:
                raise _stale(session, deal_id)
            user = session.get(User, user_id)
            name = user.display_name if user else ""
            previous, added = row.role, (row.added_at, row.added_by_id)
            session.delete(row)
            audit.record(session, by, "team", "deal", deal_id, user=name, role=None,
                         previous=previous.value)
            return MemberResult(deal_id, user_id, name, previous, None,
                                ChangeSet.of_deal(deal_id), added)

    def restore_member(self, result: MemberResult, *, by: Actor) -> MemberResult:
        """Undoes ``result``: the colleague's role as it was before it, as long as it is
        still what ``result`` left (else refused as changed by someone else since)."""
        if result.previous is None:
            return self.remove_member(result.deal_id, result.user_id, by=by, seen=result.role)
        return self.set_member(result.deal_id, result.user_id, result.previous, by=by,
                               seen=result.role, added=result.added)

    def post_note(self, deal_id: int, body: str, *, by: Actor) -> NoteResult:
        """Adds a note to the deal's feed: its owner, a manager or a colleague on its team
        writes it."""
        text = body.strip()
        if not text:
            raise InvalidInput("body", _("Write the note first."))
        if len(text) > NOTE_LIMIT:
            raise InvalidInput("body", _("Keep a note under 5,000 characters."))
        with self.db.session() as session:
            deal = get_or_raise(session, Deal, deal_id, "deal")
            if not may_work_on(session, deal, by):
                raise NotAllowed(_("Only the deal's owner, its team or a manager can post to "
                                   "its notes."))
            row = DealNote(deal_id=deal_id, author_id=by.id, body=text)
            session.add(row)
            session.flush()
            audit.record(session, by, "post", "deal_note", row.id, deal=deal_id)
            return NoteResult(_note(row, by.display_name), ChangeSet.of_deal(deal_id))

    def take_back_note(self, note_id: int, *, by: Actor) -> NoteResult:
        """Takes a note out of the feed; its author, the deal's owner or a manager does it. The row stays,
        so that ``bring_back_note`` restores it as it was."""
        return self._set_taken_back(note_id, True, by)

    def bring_back_note(self, note_id: int, *, by: Actor) -> NoteResult:
        return self._set_taken_back(note_id, False, by)

    def _set_taken_back(self, note_id: int, taken: bool, by: Actor) -> NoteResult:
        with self.db.session() as session:
            # not get_or_raise, which takes a note taken back for one gone
            row = session.get(DealNote, note_id)
            if row is None:
                raise NotFound("note", note_id)
            deal = session.get(Deal, row.deal_id)
            if not (by.is_manager or row.author_id == by.id
                    or (deal is not None and deal.owner_id == by.id)):
                raise NotAllowed(_("Only its author, the deal's owner or a manager can take "
                                   "a note back."))
            row.deleted_at = utcnow() if taken else None
            audit.record(session, by, "take back" if taken else "bring back", "deal_note",
                         note_id, deal=row.deal_id)
            author = session.get(User, row.author_id)
            return NoteResult(_note(row, author.display_name if author else ""),
                              ChangeSet.of_deal(row.deal_id))


def _member(session: Session, deal_id: int, user_id: int) -> DealMember | None:
    return session.scalars(select(DealMember).where(
        DealMember.deal_id == deal_id, DealMember.user_id == user_id)).first()


def _stale(session: Session, deal_id: int) -> StaleEdit:
    """The team was changed since: by whom and when, as the audit has it."""
    entry = session.execute(
        select(AuditEntry.at, User.display_name).outerjoin(User, User.id == AuditEntry.user_id)
        .where(AuditEntry.action == "team", AuditEntry.entity == "deal",
               AuditEntry.entity_id == deal_id)
        .order_by(AuditEntry.id.desc()).limit(1)).first()
    return StaleEdit(entry[1], entry[0]) if entry is not None else StaleEdit(None, None)


def _team_deal(session: Session, deal_id: int, by: Actor) -> Deal:
    deal = get_or_raise(session, Deal, deal_id, "deal")
    require_deal_owner(by, deal.owner_id, _("Only the deal's owner or a manager can change "
                                            "who is on its team."))
    return deal


def _notes_query() -> Select[DealNote, str]:
    return select(DealNote, User.display_name).join(User, User.id == DealNote.author_id)


def _note(row: DealNote, author: str) -> Note:
    return Note(row.id, row.deal_id, row.author_id, author, row.body, row.created_at)
