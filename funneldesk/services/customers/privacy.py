"""One person's data, as personal-information law (PIPL, GDPR) asks: everything
FunnelDesk holds about a contact, exported on request, and erased for good.

An erasure purges the contact and whatever names them; their deals stay, without a
contact. The audit keeps only who erased whom and when: the contact's own audit
entries carry their name and numbers, so they go too.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session, aliased

from funneldesk.db import Database
from funneldesk.db.driver import driver_connection
from funneldesk.errors import NotFound
from funneldesk.i18n import _
from funneldesk.models import (
    Activity,
    AuditEntry,
    Channel,
    Company,
    Contact,
    ContactTag,
    Deal,
    LeadSource,
    Merge,
    PoolEvent,
    Stage,
    User,
)
from funneldesk.models.base import utcnow
from funneldesk.services.common import audit, search_index
from funneldesk.services.common.base import Service
from funneldesk.services.common.permissions import require_manager
from funneldesk.services.common.records import Actor
from funneldesk.services.customers.channels import read_tags
from funneldesk.services.customers.companies import ReindexDeals
from funneldesk.services.customers.pool import PoolService
from funneldesk.services.team.lead_sources import shown

# bookkeeping of FunnelDesk's, not facts about the person
_NOT_EXPORTED = ("version", "is_sample", "sort_name")


def _plain(value: Any) -> Any:
    """A value as JSON holds it: ISO dates and times, money as a string."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _name(session: Session, user_id: int | None) -> str | None:
    user = session.get(User, user_id) if user_id is not None else None
    return user.display_name if user else None


class PrivacyService(Service):
    def __init__(self, db: Database, *, reindex_deals: ReindexDeals) -> None:
        super().__init__(db)
        self._reindex_deals = reindex_deals

    def export_person(self, contact_id: int) -> dict[str, Any]:
        """Everything kept about the contact (deleted or not), ready for ``json.dumps``."""
        with self.db.reading() as session:
            contact = session.get(Contact, contact_id)
            if contact is None:
                raise NotFound("contact", contact_id)
            person = {c.key: _plain(getattr(contact, c.key)) for c in Contact.__table__.columns
                      if c.key not in _NOT_EXPORTED}
            source = (session.get(LeadSource, contact.lead_source_id)
                      if contact.lead_source_id is not None else None)
            company = (session.get(Company, contact.company_id)
                       if contact.company_id is not None else None)
            exported = {
                "exported_at": _plain(utcnow()),
                "contact": person,
                "owner": _name(session, contact.owner_id),
                "lead_source": shown(source.code, source.label) if source else None,
                "company": company.name if company else None,
                "channels": _channels(session, contact_id),
                "tags": list(read_tags(session, "contact", contact_id)),
                "deals": _deals(session, contact_id),
                "activities": _activities(session, contact_id),
                "audit": _audit(session, contact_id),
            }
        exported["pool_history"] = [
            {k: _plain(v) for k, v in asdict(entry).items()}
            for entry in PoolService(self.db).history("contact", contact_id)]
        return exported

    def write_person(self, contact_id: int, path: Path) -> None:
        """The export as a UTF-8 JSON file, Chinese left readable."""
        text = json.dumps(self.export_person(contact_id), ensure_ascii=False, indent=2)
        path.write_text(text + "\n", encoding="utf-8")

    def erase(self, contact_id: int, *, by: Actor) -> None:
        """Purges the contact (with the duplicates merged into them: the same person)
        from every table, in one transaction; their deals stay without a contact."""
        require_manager(by, _("Only a manager can erase a person's data."))
        with self.db.session() as session:
            if session.get(Contact, contact_id) is None:
                raise NotFound("contact", contact_id)
            ids = _with_duplicates(session, contact_id)
            deal_ids = list(session.scalars(select(Deal.id).where(Deal.contact_id.in_(ids))))
            connection = session.connection()
            # what is deleted is overwritten with zeros, not left in the file's free space
            connection.exec_driver_sql("PRAGMA secure_delete=ON")
            connection.execute(update(Deal).where(Deal.contact_id.in_(ids)).values(
                contact_id=None, version=Deal.version + 1, updated_at=utcnow(),
                updated_by_id=by.id))
            # activities with the person alone go; those on a deal or a company stay there
            connection.execute(delete(Activity).where(
                Activity.contact_id.in_(ids), Activity.deal_id.is_(None),
                Activity.company_id.is_(None)))
            connection.execute(update(Activity).where(Activity.contact_id.in_(ids))
                               .values(contact_id=None))
            for statement in (
                    delete(Channel).where(Channel.contact_id.in_(ids)),
                    delete(ContactTag).where(ContactTag.contact_id.in_(ids)),
                    delete(PoolEvent).where(PoolEvent.entity == "contact",
                                            PoolEvent.record_id.in_(ids)),
                    delete(Merge).where(Merge.entity == "contact", or_(
                        Merge.kept_id.in_(ids), Merge.merged_id.in_(ids))),
                    delete(AuditEntry).where(AuditEntry.entity == "contact",
                                             AuditEntry.entity_id.in_(ids))):
                connection.execute(statement)
            raw = cast(search_index.Connection, driver_connection(session))
            search_index.forget(raw, "contact", ids)
            self._reindex_deals(raw, deal_ids)  # their entries held the contact's name
            # FTS5 keeps a deleted text's terms in its index until the segments merge
            raw.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
            connection.execute(delete(Contact).where(Contact.id.in_(ids)))
            for ident in ids:
                audit.record(session, by, "erase", "contact", ident)
            session.flush()
            connection.exec_driver_sql("PRAGMA secure_delete=OFF")
        self.db.checkpoint()  # the log's older frames hold copies of the rows deleted


def _with_duplicates(session: Session, contact_id: int) -> list[int]:
    ids, found = [contact_id], [contact_id]
    while found:
        found = [i for i in session.scalars(select(Contact.id).where(
            Contact.merged_into_id.in_(found))) if i not in ids]
        ids += found
    return ids


def _channels(session: Session, contact_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Channel.kind, Channel.value, Channel.verified_at, User.display_name)
        .outerjoin(User, User.id == Channel.verified_by_id)
        .where(Channel.contact_id == contact_id).order_by(Channel.position))
    return [{"kind": kind, "value": value, "verified_at": _plain(at), "verified_by": who}
            for kind, value, at, who in rows]


def _deals(session: Session, contact_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Deal, Stage.name).join(Stage, Stage.id == Deal.stage_id)
        .where(Deal.contact_id == contact_id).order_by(Deal.created_at, Deal.id))
    return [{"id": deal.id, "title": deal.title, "stage": stage,
             "value": _plain(deal.value), "won_value": _plain(deal.won_value),
             "currency": deal.currency, "expected_close": _plain(deal.expected_close),
             "closed_on": _plain(deal.closed_on), "created_at": _plain(deal.created_at),
             "in_trash": deal.deleted_at is not None}
            for deal, stage in rows]


def _activities(session: Session, contact_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(select(Activity).where(Activity.contact_id == contact_id)
                           .order_by(Activity.due_on, Activity.id))
    return [{"id": a.id, "kind": a.kind.value, "state": a.state.value, "title": a.title,
             "agenda": a.agenda, "outcome": a.outcome, "due_on": _plain(a.due_on),
             "due_at": _plain(a.due_at), "deal_id": a.deal_id,
             "created_at": _plain(a.created_at)} for a in rows]


def _audit(session: Session, contact_id: int) -> list[dict[str, Any]]:
    who = aliased(User)
    rows = session.execute(
        select(AuditEntry, who.display_name).outerjoin(who, who.id == AuditEntry.user_id)
        .where(AuditEntry.entity == "contact", AuditEntry.entity_id == contact_id)
        .order_by(AuditEntry.id))
    return [{"at": _plain(entry.at), "action": entry.action, "by": name,
             "details": json.loads(entry.details)} for entry, name in rows]
