"""Phones and emails of a record, and tags: kept in their own tables, written here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from funneldesk.models import Channel, CompanyTag, ContactTag, Tag, User
from funneldesk.services.customers import validation
from funneldesk.services.customers.records import ChannelInfo


def key_of(kind: str, value: str) -> str:
    """What duplicates are matched on: the E.164 number, or the address in lower case."""
    return validation.phone_key(value) if kind == "phone" else value.casefold()


def owner_column(entity: str) -> str:
    return "company_id" if entity == "company" else "contact_id"


def write_channels(session: Session, entity: str, record_id: int,
                   phones: Sequence[str], emails: Sequence[str]) -> None:
    """Makes the record's channels these values, in this order; a value kept keeps its
    verification."""
    column = getattr(Channel, owner_column(entity))
    old = {(c.kind, c.key): c for c in session.scalars(select(Channel).where(column == record_id))}
    wanted = [("phone", v) for v in phones] + [("email", v) for v in emails]
    keep = set()
    for position, (kind, value) in enumerate(wanted):
        key = key_of(kind, value)
        channel = old.get((kind, key))
        if channel is None:
            channel = Channel(kind=kind, key=key, **{owner_column(entity): record_id})
            session.add(channel)
        channel.value, channel.position = value, position
        keep.add((kind, key))
    for pair, channel in old.items():
        if pair not in keep:
            session.delete(channel)


def read_channels(session: Session, entity: str, record_id: int,
                  region: str) -> tuple[ChannelInfo, ...]:
    column = getattr(Channel, owner_column(entity))
    rows = session.execute(
        select(Channel, User.display_name).outerjoin(User, User.id == Channel.verified_by_id)
        .where(column == record_id).order_by(Channel.kind.desc(), Channel.position))
    return tuple(ChannelInfo(c.id, c.kind, c.value, shown(c.kind, c.value, c.key, region),
                             c.verified_at, who, c.verified_by_id) for c, who in rows)


def restore_verification(session: Session, entity: str, record_id: int,
                         seen: Sequence[ChannelInfo]) -> None:
    """Gives a phone or email written back (by an undo) the verification it had when
    ``seen`` was read; a verification made since stays."""
    column = getattr(Channel, owner_column(entity))
    had = {(c.kind, key_of(c.kind, c.value)): c for c in seen if c.verified_at is not None}
    for channel in session.scalars(select(Channel).where(column == record_id)):
        before = had.get((channel.kind, channel.key))
        if before is not None and channel.verified_at is None:
            channel.verified_at, channel.verified_by_id = before.verified_at, before.verified_by_id


def shown(kind: str, value: str, key: str, region: str) -> str:
    if kind == "phone" and key:
        return validation.phone_shown(value, region)
    return value  # an email, or a number kept from before validation as it was typed


def _link(entity: str) -> tuple[type[CompanyTag] | type[ContactTag], Any]:
    if entity == "company":
        return CompanyTag, CompanyTag.company_id
    return ContactTag, ContactTag.contact_id


def write_tags(session: Session, entity: str, record_id: int, names: Sequence[str]) -> None:
    link, column = _link(entity)
    session.execute(delete(link).where(column == record_id))
    for tag_id in tag_ids(session, names):
        session.add(link(tag_id=tag_id, **{owner_column(entity): record_id}))


def tag_ids(session: Session, names: Sequence[str]) -> list[int]:
    """The ids of the tags with these names, any case, creating the missing ones."""
    if not names:
        return []
    known = {t.name.casefold(): t.id for t in session.scalars(select(Tag))}
    ids = []
    for name in names:
        if name.casefold() not in known:
            tag = Tag(name=name)
            session.add(tag)
            session.flush()
            known[name.casefold()] = tag.id
        ids.append(known[name.casefold()])
    return ids


def read_tags(session: Session, entity: str, record_id: int) -> tuple[str, ...]:
    link, column = _link(entity)
    return tuple(session.scalars(select(Tag.name).join(link, link.tag_id == Tag.id)
                                 .where(column == record_id).order_by(Tag.name)))
