"""Merging two companies (or two contacts) that are one customer, and undoing it.

The kept record takes the value the user chose for each field and both records' phones,
emails and tags; every deal, contact and channel of the merged record moves to it (rows
move, so a phone keeps its verification); the merged record is soft-deleted and points at
the kept one. Nothing of either's history is rewritten. The ``merges`` row keeps what undo
needs: the kept record's fields before, and the ids of what moved.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from typing import Any, Literal, cast

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from funneldesk.db import Database
from funneldesk.db.stale import last_change
from funneldesk.errors import InvalidInput, NotAllowed, NotFound
from funneldesk.i18n import _
from funneldesk.models import (
    Activity,
    Channel,
    Company,
    CompanyTag,
    Contact,
    ContactTag,
    Deal,
    Merge,
)
from funneldesk.models.base import utcnow
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.records import Actor, ChangeSet
from funneldesk.services.customers import profile_words, search
from funneldesk.services.customers.channels import read_tags, tag_ids
from funneldesk.services.customers.companies import LIST_FIELDS, ReindexDeals, form_fields
from funneldesk.services.customers.matching import model_of
from funneldesk.services.customers.records import FieldChoice, MergePreview, Named

Choice = Literal["kept", "merged"]
Record = Company | Contact


class MergeService(Service):
    def __init__(self, db: Database, *, reindex_deals: ReindexDeals | None = None) -> None:
        super().__init__(db)
        self._reindex_deals = reindex_deals  # the pipeline area's; see CustomerService

    def preview(self, entity: str, kept_id: int, merged_id: int,
                by: Actor | None = None) -> MergePreview:
        """Both records' values of every field, and what the merge would move; with
        ``by``, whether that user may merge them (refused: why not), so that nobody
        fills in a merge the service would then refuse."""
        model = model_of(entity)
        with self.db.reading() as session:
            kept, merged = _pair(session, model, kept_id, merged_id)
            before, other = form_fields(session, kept), form_fields(session, merged)
            moving = _moving_channels(session, entity, kept.id, merged.id)
            added = _tags_added(session, entity, kept.id, merged.id)
            return MergePreview(
                entity, Named(kept.id, kept.name), Named(merged.id, merged.name),
                (kept.version, merged.version),
                tuple(FieldChoice(name, value, getattr(other, name))
                      for name, value in asdict(before).items() if name not in LIST_FIELDS),
                before.phones + tuple(c.value for c in moving if c.kind == "phone"),
                before.emails + tuple(c.value for c in moving if c.kind == "email"),
                tuple(sorted({*before.tags, *other.tags})),
                len(_deal_ids(session, entity, merged.id)),
                len(_contact_ids(session, merged.id)) if entity == "company" else 0,
                len(moving), len(added), _refusal(by, kept, merged))

    def merge(self, entity: str, kept_id: int, merged_id: int, choices: dict[str, Choice],
              expected_versions: tuple[int, int], by: Actor) -> int:
        """Merges ``merged_id`` into ``kept_id``; every field takes the kept record's
        value unless ``choices`` names it 'merged'. Returns the merge's id (for undo)."""
        model = model_of(entity)
        with self.db.session() as session:
            kept, merged = _pair(session, model, kept_id, merged_id)
            for record, expected in zip((kept, merged), expected_versions, strict=True):
                if record.version != expected:
                    raise last_change(session, model, record.id)
            _require_may_merge(by, kept, merged)
            before = form_fields(session, kept)
            other = form_fields(session, merged)
            chosen = sorted(name for name, choice in choices.items() if choice == "merged")
            for name, choice in choices.items():
                if name in LIST_FIELDS or not hasattr(before, name) or choice not in (
                        "kept", "merged"):
                    raise ValueError(f"cannot choose {choice!r} for {name!r}")
            now = utcnow()
            for name in chosen:
                setattr(kept, name, getattr(other, name))
            kept.touched_at = now
            moved_channels = _move_channels(session, entity, kept.id, merged.id)
            added_tags = _tags_added(session, entity, kept.id, merged.id)
            link = CompanyTag if entity == "company" else ContactTag
            for tag_id in added_tags:
                session.add(link(tag_id=tag_id, **{_owner(entity): kept.id}))
            deals = _deal_ids(session, entity, merged.id)
            _move_deals(session, entity, deals, kept.id, by)
            activities = _activity_ids(session, entity, merged.id)
            _move_activities(session, entity, activities, kept.id)
            contacts = _contact_ids(session, merged.id) if entity == "company" else []
            _move_contacts(session, contacts, kept.id)
            merged.deleted_at, merged.merged_into_id = now, kept.id
            session.flush()
            row = Merge(entity=entity, kept_id=kept.id, merged_id=merged.id, at=now,
                        by_id=by.id, details=json.dumps({
                            "before": {k: v for k, v in asdict(before).items()
                                       if k not in LIST_FIELDS},
                            "deals": deals, "contacts": contacts, "channels": moved_channels,
                            "tags": added_tags, "activities": activities,
                            "versions": [kept.version, merged.version]}))
            session.add(row)
            session.flush()
            self._reindex(session, entity, (kept.id, merged.id), contacts, deals)
            after = form_fields(session, kept)
            audit.record(session, by, "merge", entity, kept.id, merge_id=row.id,
                         kept_id=kept.id, merged_id=merged.id, merged_name=merged.name,
                         chosen=chosen,
                         changed={k: [v, getattr(after, k)] for k, v in asdict(before).items()
                                  if getattr(after, k) != v})
            return row.id

    def changes(self, merge_id: int) -> ChangeSet:
        """What a merge (or its undo) changed: both records, the contacts that moved
        with a company, and every deal of either (they show the kept one's name)."""
        with self.db.reading() as session:
            row = session.get(Merge, merge_id)
            if row is None:
                raise NotFound("merge", merge_id)
            column = Deal.company_id if row.entity == "company" else Deal.contact_id
            deals = session.scalars(select(Deal.id).where(
                column.in_((row.kept_id, row.merged_id))))
            records = frozenset({row.kept_id, row.merged_id})
            changed = ChangeSet.of_customers(row.entity, records, deals)
            if row.entity == "company":
                moved = json.loads(row.details)["contacts"]
                changed = changed | ChangeSet(contact_ids=frozenset(moved))
            return changed

    def undo(self, merge_id: int, by: Actor) -> None:
        """Parts the two records again, as they were before the merge. A deal or contact
        that left the kept record since (moved to another, or deleted) stays where it is
        now: that later change was someone's decision, which undoing the merge must not
        reverse."""
        with self.db.session() as session:
            row = session.get(Merge, merge_id)
            if row is None:
                raise NotFound("merge", merge_id)
            if row.undone_at is not None:
                raise InvalidInput("merge", _("This merge has already been undone."))
            model = model_of(row.entity)
            kept = get_or_raise(session, model, row.kept_id, row.entity)
            # deleted by the merge: get_or_raise would refuse it
            merged = cast(Record | None, session.get(model, row.merged_id))
            if merged is None:
                raise NotFound(row.entity, row.merged_id)
            details = json.loads(row.details)
            # a change to the kept record since the merge would be lost by restoring it
            if [kept.version, merged.version] != details["versions"]:
                raise last_change(session, model, kept.id)
            _require_may_merge(by, kept, merged)
            for name, value in details["before"].items():
                # a profile word kept before words were kept one way (migration 0015)
                setattr(kept, name,
                        profile_words.kept(name, value) if isinstance(value, str) else value)
            kept.touched_at = utcnow()
            owner = _owner(row.entity)
            for channel_id, position in details["channels"]:
                channel = session.get(Channel, channel_id)
                if channel is not None and getattr(channel, owner) == kept.id:
                    setattr(channel, owner, merged.id)
                    channel.position = position
            link = CompanyTag if row.entity == "company" else ContactTag
            session.execute(delete(link).where(getattr(link, owner) == kept.id,
                                               link.tag_id.in_(details["tags"])))
            deals = _still_here(session, Deal, details["deals"],
                                getattr(Deal, owner), kept.id, row.at)
            _move_deals(session, row.entity, deals, merged.id, by)
            activities = list(session.scalars(select(Activity.id).where(
                Activity.id.in_(details.get("activities", [])),  # merges before activities
                getattr(Activity, owner) == kept.id)))
            _move_activities(session, row.entity, activities, merged.id)
            contacts = _still_here(session, Contact, details["contacts"],
                                   Contact.company_id, kept.id, row.at)
            _move_contacts(session, contacts, merged.id)
            merged.deleted_at = merged.merged_into_id = None
            row.undone_at = utcnow()
            session.flush()
            self._reindex(session, row.entity, (kept.id, merged.id), contacts, deals)
            # on the record parted again too: its history says where it was meanwhile
            audit.record(session, by, "unmerge", row.entity, merged.id, merge_id=row.id,
                         kept_id=kept.id, merged_id=merged.id)
            audit.record(session, by, "unmerge", row.entity, kept.id, merge_id=row.id,
                         kept_id=kept.id, merged_id=merged.id,
                         deals_left=sorted(set(details["deals"]) - set(deals)),
                         contacts_left=sorted(set(details["contacts"]) - set(contacts)))


    def _reindex(self, session: Session, entity: str, records: tuple[int, int],
                 contacts: list[int], deals: list[int]) -> None:
        """The two records' search entries (the merged one is out of the index while it
        is merged), and those of the contacts and deals that moved: they hold their
        company's (or contact's) name."""
        raw = search.raw_connection(session)
        search.index_customers(raw, entity, list(records))
        if contacts:
            search.index_customers(raw, search.CONTACT_KIND, contacts)
        if deals and self._reindex_deals is not None:
            self._reindex_deals(raw, deals)


def _pair(session: Session, model: type[Company] | type[Contact], kept_id: int,
          merged_id: int) -> tuple[Record, Record]:
    if kept_id == merged_id:
        raise InvalidInput("merged_id", _("A record cannot be merged with itself."))
    entity = model.__name__.lower()
    return (get_or_raise(session, model, kept_id, entity),
            get_or_raise(session, model, merged_id, entity))


def _refusal(by: Actor | None, kept: Record, merged: Record) -> str:
    if by is None or by.is_manager or (kept.owner_id == by.id and merged.owner_id == by.id):
        return ""
    return _("Only a manager can merge or part records that are not both yours.")


def _require_may_merge(by: Actor, kept: Record, merged: Record) -> None:
    refused = _refusal(by, kept, merged)
    if refused:
        raise NotAllowed(refused)


def _owner(entity: str) -> str:
    return "company_id" if entity == "company" else "contact_id"


def _channel_key(channel: Channel) -> tuple[str, str]:
    # a value kept from before validation has no key: its text stands in for one
    return channel.kind, channel.key or channel.value.casefold()


def _moving_channels(session: Session, entity: str, kept_id: int,
                     merged_id: int) -> list[Channel]:
    """The merged record's phones and emails that the kept one lacks, in their order."""
    column = getattr(Channel, _owner(entity))
    held = {_channel_key(c) for c in session.scalars(select(Channel).where(column == kept_id))}
    return [c for c in session.scalars(select(Channel).where(column == merged_id)
                                       .order_by(Channel.position))
            if _channel_key(c) not in held]


def _move_channels(session: Session, entity: str, kept_id: int,
                   merged_id: int) -> list[list[int]]:
    """Moves them after the kept record's own; returns [id, position before] of each.
    Those the kept record has too stay on the merged one, for undo."""
    column = getattr(Channel, _owner(entity))
    last = session.scalar(select(func.max(Channel.position)).where(column == kept_id))
    moved = []
    for offset, channel in enumerate(_moving_channels(session, entity, kept_id, merged_id)):
        moved.append([channel.id, channel.position])
        setattr(channel, _owner(entity), kept_id)
        channel.position = (last if last is not None else -1) + 1 + offset
    return moved


def _tags_added(session: Session, entity: str, kept_id: int, merged_id: int) -> list[int]:
    kept = {t.casefold() for t in read_tags(session, entity, kept_id)}
    missing = [t for t in read_tags(session, entity, merged_id) if t.casefold() not in kept]
    return tag_ids(session, missing)


def _deal_ids(session: Session, entity: str, record_id: int) -> list[int]:
    column = getattr(Deal, _owner(entity))
    return list(session.scalars(select(Deal.id).where(column == record_id).order_by(Deal.id)))


def _activity_ids(session: Session, entity: str, record_id: int) -> list[int]:
    column = getattr(Activity, _owner(entity))
    return list(session.scalars(select(Activity.id).where(column == record_id)
                                .order_by(Activity.id)))


def _move_activities(session: Session, entity: str, activity_ids: list[int],
                     to_id: int) -> None:
    """The activities go with their customer (a merge is no edit of them: a form of
    one open meanwhile still saves)."""
    if activity_ids:
        session.execute(update(Activity).where(Activity.id.in_(activity_ids))
                        .values({_owner(entity): to_id})
                        .execution_options(synchronize_session=False))


def _contact_ids(session: Session, company_id: int) -> list[int]:
    return list(session.scalars(select(Contact.id).where(Contact.company_id == company_id)
                                .order_by(Contact.id)))


def _move_deals(session: Session, entity: str, deal_ids: list[int], to_id: int,
                by: Actor) -> None:
    # each deal's version moves on, so that a deal form opened before cannot put the old
    # customer back; deals in the Trash move too, to come back with the right customer
    if deal_ids:
        session.execute(update(Deal).where(Deal.id.in_(deal_ids)).values(
            {_owner(entity): to_id, "version": Deal.version + 1, "updated_at": utcnow(),
             "updated_by_id": by.id}))


def _move_contacts(session: Session, contact_ids: list[int], to_id: int) -> None:
    if contact_ids:
        session.execute(update(Contact).where(Contact.id.in_(contact_ids)).values(
            company_id=to_id, version=Contact.version + 1))


def _still_here(session: Session, model: type[Deal] | type[Contact], ids: list[int],
                column: Any, kept_id: int, merged_at: dt.datetime) -> list[int]:
    """Those of ``ids`` still on the kept record and not deleted since the merge (one in
    the Trash before it goes back to the Trash of its own customer)."""
    if not ids:
        return []
    return list(session.scalars(select(model.id).where(
        model.id.in_(ids), column == kept_id,
        or_(model.deleted_at.is_(None), model.deleted_at <= merged_at)).order_by(model.id)))
