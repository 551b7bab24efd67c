"""The public pool (公海): leads nobody has touched for the team's number of days return
to it, any rep may claim them, and every return, release and claim is kept.

A company's contacts follow the company in and out of the pool; a contact without a
company goes on its own. Key customers and companies (or contacts) with a won deal are
customers, not leads: they never return on their own.

The pool's clock is ``touched_at``: an edit of the record (CustomerService), a change or
move of one of its deals (``touch``, called by the pipeline area), and for a company an
edit of any of its contacts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Integer, bindparam, exists, insert, literal, select, update
from sqlalchemy.orm import Session, aliased

from funneldesk.errors import InvalidInput, NotAllowed
from funneldesk.i18n import _
from funneldesk.models import (
    AuditEntry,
    Company,
    Contact,
    Deal,
    PoolEvent,
    Stage,
    StageKind,
    User,
)
from funneldesk.models.base import UTCDateTime, utcnow
from funneldesk.services.common.base import Service
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.records import Actor, ChangeSet
from funneldesk.services.customers.records import (
    CLAIMED,
    POOL_ENTITIES,
    RELEASED,
    RETURNED,
    PooledRecord,
    PoolHistoryEntry,
    PoolMove,
)
from funneldesk.services.team.settings import pool_days

Record = type[Company] | type[Contact]
# the audit's action for each pool event (the event keeps the owner before)
_AUDITED = {RETURNED: "return-to-pool", RELEASED: "release", CLAIMED: "claim"}

# built once: a deal's move runs these inside the user's drop
_TOUCH_COMPANY = (update(Company).where(Company.id == bindparam("ident"))
                  .values(touched_at=bindparam("now", type_=UTCDateTime())))
_TOUCH_CONTACT = (update(Contact).where(Contact.id == bindparam("ident"))
                  .values(touched_at=bindparam("now", type_=UTCDateTime())))


def touch(session: Session, company_id: int | None, contact_id: int | None,
          now: dt.datetime) -> None:
    """Restarts the pool's clock of a deal's company and contact. Not an edit of them:
    their version stays, so that nobody's open form becomes stale because of a move."""
    connection = session.connection()
    if company_id is not None:
        connection.execute(_TOUCH_COMPANY, {"ident": company_id, "now": now})
    if contact_id is not None:
        connection.execute(_TOUCH_CONTACT, {"ident": contact_id, "now": now})


def _model(entity: str) -> Record:
    if entity not in POOL_ENTITIES:
        raise ValueError(f"the public pool holds companies and contacts, not {entity!r}")
    return Company if entity == "company" else Contact


def _won() -> Any:
    """Deals in a won stage (not in the Trash): their company and contact are customers."""
    return (select(Deal.company_id, Deal.contact_id).join(Stage, Stage.id == Deal.stage_id)
            .where(Stage.kind == StageKind.WON, Deal.deleted_at.is_(None)).subquery())


def _due_companies(cutoff: dt.datetime) -> tuple[ColumnElement[bool], ...]:
    """Companies with an owner that nobody touched since ``cutoff``, nor any of their
    contacts, that are neither key customers nor won."""
    fresh = aliased(Contact)  # an alias: these conditions also run inside contacts' queries
    won = _won()
    return (Company.owner_id.is_not(None), Company.deleted_at.is_(None),
            Company.key_level == "", Company.touched_at < cutoff,
            ~exists().where(fresh.company_id == Company.id, fresh.deleted_at.is_(None),
                            fresh.touched_at >= cutoff),
            Company.id.not_in(select(won.c.company_id).where(won.c.company_id.is_not(None))))


def _due_lone_contacts(cutoff: dt.datetime) -> tuple[ColumnElement[bool], ...]:
    won = _won()
    return (Contact.owner_id.is_not(None), Contact.deleted_at.is_(None),
            Contact.company_id.is_(None), Contact.touched_at < cutoff,
            Contact.id.not_in(select(won.c.contact_id).where(won.c.contact_id.is_not(None))))


def _pass(session: Session, model: Record, where: Sequence[ColumnElement[bool]], action: str,
          now: dt.datetime, by: Actor | None) -> int:
    """Writes one ``action`` event for each record matching ``where`` and gives them to
    ``by`` (claimed) or to the pool; returns how many. Two statements, whatever the
    number of records."""
    entity = "company" if model is Company else "contact"
    at, by_id = literal(now, UTCDateTime()), literal(by.id if by else None, Integer())
    session.execute(insert(PoolEvent).from_select(
        ["entity", "record_id", "action", "owner_before_id", "at", "by_id"],
        select(literal(entity), model.id, literal(action), model.owner_id, at, by_id)
        .where(*where)))
    # in the audit too: an edit refused as stale then says when the record changed
    session.execute(insert(AuditEntry).from_select(
        ["entity", "entity_id", "action", "details", "at", "user_id"],
        select(literal(entity), model.id, literal(_AUDITED[action]), literal("{}"), at, by_id)
        .where(*where)))
    claimed = action == CLAIMED
    values: dict[str, Any] = {
        # a version step: a form opened before must not hand the record back to its owner
        "version": model.version + 1,
        "owner_id": by.id if claimed and by else None,
        "pooled_at": None if claimed else now,
    }
    if claimed:
        values["touched_at"] = now
    done = session.connection().execute(update(model).where(*where).values(**values))
    return int(done.rowcount)


def _contacts_of(company_id: int, *, pooled: bool) -> tuple[ColumnElement[bool], ...]:
    owner = Contact.owner_id.is_(None) if pooled else Contact.owner_id.is_not(None)
    return (Contact.company_id == company_id, Contact.deleted_at.is_(None), owner)


class PoolService(Service):
    def sweep(self, now: dt.datetime | None = None) -> int:
        """Returns to the pool every lead untouched for the team's number of days, with
        its contacts; how many records returned (0 when the team has no pool)."""
        days = pool_days(self.db.query)
        if days == 0:
            return 0
        now = now or utcnow()
        cutoff = now - dt.timedelta(days=days)
        with self.db.session() as session:
            due = select(Company.id).where(*_due_companies(cutoff))
            # the contacts first: afterwards the companies no longer have an owner
            returned = _pass(session, Contact, (
                Contact.owner_id.is_not(None), Contact.deleted_at.is_(None),
                Contact.company_id.in_(due)), RETURNED, now, None)
            returned += _pass(session, Contact, _due_lone_contacts(cutoff), RETURNED, now, None)
            returned += _pass(session, Company, _due_companies(cutoff), RETURNED, now, None)
            return returned

    def claim(self, entity: str, record_id: int, *, by: Actor) -> PoolMove:
        """``by`` takes a record from the pool (a company with its pooled contacts); what
        changed: the record and those contacts."""
        model = _model(entity)
        with self.db.session() as session:
            record = get_or_raise(session, model, record_id, entity)
            if record.owner_id is not None:
                raise _not_in_pool(session, entity, record, by)
            return _move(session, entity, record_id, CLAIMED, by,
                         (model.id == record_id, model.owner_id.is_(None)))

    def release(self, entity: str, record_id: int, *, by: Actor) -> PoolMove:
        """The owner (or a manager) puts a record back in the pool, a company with its
        contacts; what changed: the record and those contacts."""
        model = _model(entity)
        with self.db.session() as session:
            record = get_or_raise(session, model, record_id, entity)
            if record.owner_id is None:
                raise InvalidInput("owner", _("“{name}” is already in the public pool.")
                                   .format(name=record.name))
            if not by.is_manager and record.owner_id != by.id:
                raise NotAllowed(_("Only the owner of “{name}” or a manager can put it back "
                                   "in the public pool.").format(name=record.name))
            return _move(session, entity, record_id, RELEASED, by, (model.id == record_id,))

    def history(self, entity: str, record_id: int) -> list[PoolHistoryEntry]:
        """Who returned, released or claimed the record and when, newest first."""
        _model(entity)
        actor, before = aliased(User), aliased(User)
        with self.db.reading() as session:
            rows = session.execute(
                select(PoolEvent.action, PoolEvent.at, actor.display_name,
                       before.display_name)
                .outerjoin(actor, actor.id == PoolEvent.by_id)
                .outerjoin(before, before.id == PoolEvent.owner_before_id)
                .where(PoolEvent.entity == entity, PoolEvent.record_id == record_id)
                .order_by(PoolEvent.id.desc()))
            return [PoolHistoryEntry(action, at, who, owner) for action, at, who, owner in rows]

    def pooled(self, entity: str, *, limit: int = 200, offset: int = 0) -> list[PooledRecord]:
        """The records in the pool, the most recently pooled first, with whoever had
        them last."""
        model = _model(entity)
        previous = (select(User.display_name)
                    .join(PoolEvent, PoolEvent.owner_before_id == User.id)
                    .where(PoolEvent.entity == entity, PoolEvent.record_id == model.id,
                           PoolEvent.action.in_((RETURNED, RELEASED)))
                    .order_by(PoolEvent.id.desc()).limit(1).scalar_subquery())
        with self.db.reading() as session:
            rows = session.execute(
                select(model.id, model.name, model.pooled_at, previous)
                .where(model.owner_id.is_(None), model.deleted_at.is_(None))
                .order_by(model.pooled_at.desc().nulls_last(), model.id.desc())
                .limit(limit).offset(offset))
            return [PooledRecord(ident, name, at, who) for ident, name, at, who in rows]


def _changed(entity: str, record_id: int, contact_ids: list[int]) -> ChangeSet:
    if entity == "company":
        return ChangeSet(company_ids=frozenset({record_id}), contact_ids=frozenset(contact_ids))
    return ChangeSet(contact_ids=frozenset({record_id}))


def _not_in_pool(session: Session, entity: str, record: Company | Contact,
                 by: Actor) -> InvalidInput:
    """Why ``by`` cannot claim a record that has an owner: whoever was first."""
    if record.owner_id == by.id:
        return InvalidInput("owner", _("“{name}” is already yours.").format(name=record.name))
    owner = session.get(User, record.owner_id)
    who = owner.display_name if owner else "?"
    claim = session.execute(
        select(PoolEvent.at).where(PoolEvent.entity == entity, PoolEvent.record_id == record.id,
                                   PoolEvent.action == CLAIMED,
                                   PoolEvent.by_id == record.owner_id)
        .order_by(PoolEvent.id.desc()).limit(1)).scalar()
    if claim is None:
        return InvalidInput("owner", _("“{name}” is not in the public pool: it belongs to "
                                       "{who}.").format(name=record.name, who=who))
    from funneldesk.formatting import datetime as fmt_datetime  # babel: only when needed

    return InvalidInput("owner", _("{who} claimed “{name}” first, at {when}; it is no longer "
                                   "in the public pool.").format(
        who=who, name=record.name, when=fmt_datetime(claim)))


def _move(session: Session, entity: str, record_id: int, action: str, by: Actor,
          which: tuple[Any, ...]) -> PoolMove:
    """Claims or releases the record picked by ``which``, a company with the contacts
    that follow it; what changed."""
    model, now = _model(entity), utcnow()
    contacts: list[int] = []
    if model is Company:
        following = _contacts_of(record_id, pooled=action == CLAIMED)
        contacts = list(session.scalars(select(Contact.id).where(*following)))
        _pass(session, Contact, following, action, now, by)
    _pass(session, model, which, action, now, by)
    versions = [(entity, record_id, session.scalar(select(model.version).where(
        model.id == record_id)) or 0)]
    if contacts:
        versions += [("contact", ident, version) for ident, version in session.execute(
            select(Contact.id, Contact.version).where(Contact.id.in_(contacts)))]
    return PoolMove(_changed(entity, record_id, contacts), tuple(versions))
