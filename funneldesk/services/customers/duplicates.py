"""Duplicate search: the records a company or contact form may be repeating (before it is
saved), and every group of records that may be one customer (the Find duplicates view).

Both stay far from quadratic on 100,000 records: exact keys are looked up or grouped by
SQL; a company's name is scored only against names that share a blocking key, a contact's
only against its colleagues' (matching.py).
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace

from sqlalchemy import distinct, func, literal, select
from sqlalchemy.orm import Session, aliased

from funneldesk.i18n import _
from funneldesk.models import Channel, Company, Contact, User
from funneldesk.services.common.base import Service
from funneldesk.services.common.tabular.records import ImportReport
from funneldesk.services.customers import names
from funneldesk.services.customers.alike_apart import WAIT_S
from funneldesk.services.customers.companies import CustomerService, like_escaped
from funneldesk.services.customers.list_text import place_text
from funneldesk.services.customers.matching import (
    EXACT_ORDER,
    Key,
    Keys,
    Matcher,
    alive,
    chunks,
    keys_of,
    load_colleagues,
    load_names,
    model_of,
    own_keys,
)
from funneldesk.services.customers.name_pairs import (
    BLOCK_LIMIT,
    NAME_THRESHOLD,
    Link,
    colleague_pairs,
    grouped,
    made_alike,
    name_blocks,
    strongest,
)
from funneldesk.services.customers.records import (
    CompanyFields,
    ContactFields,
    DuplicateGroup,
    DuplicateMatch,
    Named,
)

# the most contacts of one company whose names a contact form is compared with
_COMPANY_CONTACTS = 5_000
# the most contacts an import made whose companies are looked up one by one, rather than
# every contact read
_FEW = 5_000


class DuplicateService(Service):
    def region(self) -> str:
        return CustomerService(self.db).region()

    # --- a form, before it is saved ------------------------------------------------------

    def matches_for_company(self, fields: CompanyFields, exclude_id: int | None = None,
                            min_score: float = NAME_THRESHOLD) -> list[DuplicateMatch]:
        """Saved companies that may be the one ``fields`` describe, strongest first
        (``exclude_id``: the company being edited)."""
        return self._matches("company", fields, exclude_id, min_score)

    def matches_for_contact(self, fields: ContactFields, exclude_id: int | None = None,
                            min_score: float = NAME_THRESHOLD) -> list[DuplicateMatch]:
        """Saved contacts that share a phone, email, WeChat ID or external ID with
        ``fields``, or have a similar name at the same company."""
        return self._matches("contact", fields, exclude_id, min_score)

    def _matches(self, entity: str, fields: CompanyFields | ContactFields,
                 exclude_id: int | None, min_score: float) -> list[DuplicateMatch]:
        region = self.region()
        keys = keys_of(fields, region)
        # the few candidates SQL finds go into a small Matcher, which scores them as Find
        # duplicates would
        matcher = Matcher(entity, region, min_score)
        with self.db.reading() as session:
            for record_id, name, key in _exact_candidates(session, entity, keys.exact):
                matcher.file_keys(record_id, name, (key,), "", ())
            for record_id, name, company_id in _name_candidates(session, entity, fields, keys):
                core = names.core(name)
                matcher.file_keys(record_id, name, (), core,
                                  name_blocks(core, entity == "contact", company_id),
                                  names.place(name) if entity == "company" else "")
            found = matcher.match(fields, exclude_id)
            details = _details(session, entity, [m.id for m in found])
        return [replace(m, detail=details.get(m.id, "")) for m in found]

    # --- the whole database --------------------------------------------------------------

    def find_all(self, entity: str, min_score: float = NAME_THRESHOLD) -> list[DuplicateGroup]:
        """Every group of live records that may be one customer, the strongest first.
        Slow on a big database (seconds): call it off the GUI thread."""
        with self.db.reading() as session:
            links: list[Link] = []
            for reason, ids in _exact_groups(session, entity):
                links += [(ids[0], other, reason, 100.0) for other in ids[1:]]
            alike, place = self._alike_links(session, entity, None, min_score)
            return _groups(session, entity, links + alike, place)

    def alike_imported(self, entity: str, first_id: int | None,
                       renamed: Sequence[int] = (),
                       min_score: float = NAME_THRESHOLD) -> list[DuplicateGroup]:
        """The groups of live records whose names are alike (as Find duplicates finds
        them) that hold a record an import made: of ``first_id`` or above (None: it
        created none), or ``renamed``; what may repeat a customer under another spelling.
        The import refused the exact repeats; these a person decides on."""
        with self.db.reading() as session:
            links, place = self._alike_links(session, entity, (first_id, renamed), min_score)
            return _groups(session, entity, links, place)

    def alike_of(self, report: ImportReport) -> dict[str, int]:
        """By kind of record, how many an import made have a name alike to another's:
        what a big import's worker counted beside it (``ImportReport.alike``; waited for,
        a few seconds at most), else a look now (``alike_after_import``). Call it off the
        GUI thread."""
        counted = None
        if report.alike is not None:
            # it is filled within WAIT_S of the import's end, whatever becomes of the worker
            with contextlib.suppress(TimeoutError):
                counted = report.alike.result(timeout=WAIT_S + 30)
        if counted is not None:
            return counted
        return self.alike_after_import(report.created_from, report.renamed)

    def alike_after_import(self, created_from: Mapping[str, int],
                           renamed: Mapping[str, Sequence[int]]) -> dict[str, int]:
        """By kind of record, how many an import made (see ``ImportReport.created_from``
        and ``renamed``) have a name alike to another's; kinds with none left out."""
        found: dict[str, int] = {}
        with self.db.reading() as session:
            for entity in ("company", "contact"):
                first, again = created_from.get(entity), renamed.get(entity, ())
                if first is None and not again:
                    continue
                links, place = self._alike_links(session, entity, (first, again),
                                                 NAME_THRESHOLD)
                count = made_alike(links, place, _made(first, again))
                if count:
                    found[entity] = count
        return found

    def _alike_links(self, session: Session, entity: str,
                     made: tuple[int | None, Sequence[int]] | None, min_score: float
                     ) -> tuple[list[Link], Callable[[int], str]]:
        """The pairs of live records whose names are alike, the strongest first, and the
        city each record's name gives; ``made``: only pairs with a record an import made
        (first id created, ids renamed; see ``alike_imported``)."""
        new = _made(*made) if made is not None else None
        if entity == "company":
            found = load_names(session, min_score)
            return strongest(found.name_pairs(new)), found.place
        few = None
        if made is not None:  # only their colleagues are compared with them
            first_id, renamed = made
            last = session.scalar(select(func.max(Contact.id))) or 0
            if first_id is None or last - first_id < _FEW:
                made_ids = range(first_id, last + 1) if first_id is not None else ()
                few = [*made_ids, *renamed]
        people = load_colleagues(session, new, few)
        return strongest(colleague_pairs(people, min_score, new)), lambda _ident: ""


def _exact_candidates(session: Session, entity: str,
                      keys: Iterable[Key]) -> Iterator[tuple[int, str, Key]]:
    model = model_of(entity)
    owner = Channel.company_id if entity == "company" else Channel.contact_id
    wanted: dict[str, list[str]] = defaultdict(list)
    for reason, value in keys:
        wanted[reason].append(value)
    channel_keys = wanted["phone"] + wanted["email"]
    if channel_keys:
        for kind, key, ident, name in session.execute(
                select(Channel.kind, Channel.key, model.id, model.name)
                .join(model, model.id == owner)
                .where(*alive(model), Channel.key.in_(channel_keys))):
            yield ident, name, (kind, key)
    for reason, column in own_keys(entity):
        if wanted[reason]:
            for value, ident, name in session.execute(
                    select(column, model.id, model.name)
                    .where(*alive(model), column.in_(wanted[reason]))):
                yield ident, name, (reason, value)


def _name_candidates(session: Session, entity: str, fields: CompanyFields | ContactFields,
                     keys: Keys) -> Iterator[tuple[int, str, int | None]]:
    if isinstance(fields, ContactFields):
        if fields.company_id is not None:
            yield from session.execute(
                select(Contact.id, Contact.name, Contact.company_id)
                .where(*alive(Contact), Contact.company_id == fields.company_id)
                .limit(_COMPANY_CONTACTS))
        return
    # the whole core first: it finds the same name with another legal form or city even
    # where each of its blocking keys is too common to look at
    for key in sorted({keys.core, *keys.blocks}, key=lambda k: k != keys.core):
        if not key:
            continue
        rows = session.execute(
            select(Company.id, Company.name)
            .where(*alive(Company), Company.name.ilike(f"%{like_escaped(key)}%", escape="\\"))
            .limit(BLOCK_LIMIT + 1)).all()
        if len(rows) <= BLOCK_LIMIT or key == keys.core:
            yield from ((ident, name, None) for ident, name in rows)


def _exact_groups(session: Session, entity: str) -> Iterator[tuple[str, list[int]]]:
    """(reason, ids) for every exact key that two or more live records share."""
    model = model_of(entity)
    owner = Channel.company_id if entity == "company" else Channel.contact_id
    shared = (select(Channel.key).join(model, model.id == owner)
              .where(*alive(model), Channel.key != "")
              .group_by(Channel.kind, Channel.key).having(func.count(distinct(owner)) > 1))
    held: dict[Key, list[int]] = defaultdict(list)
    for kind, key, ident in session.execute(
            select(Channel.kind, Channel.key, model.id).join(model, model.id == owner)
            .where(*alive(model), Channel.key.in_(shared))):
        held[(kind, key)].append(ident)
    for reason, column in own_keys(entity):
        twice = (select(column).where(*alive(model), column != "")
                 .group_by(column).having(func.count() > 1))
        for value, ident in session.execute(
                select(column, model.id).where(*alive(model), column.in_(twice))):
            held[(reason, value)].append(ident)
    for (reason, _value), ids in held.items():
        unique = sorted(set(ids))
        if len(unique) > 1:
            yield reason, unique


def _made(first_id: int | None, renamed: Sequence[int]) -> Callable[[int], bool]:
    """Whether a record is one an import made: created (``first_id`` and above; None: it
    created none) or ``renamed``."""
    again = frozenset(renamed)
    start = first_id if first_id is not None else 1 << 62
    return lambda ident: ident >= start or ident in again


def _groups(session: Session, entity: str, links: list[Link],
            place: Callable[[int], str]) -> list[DuplicateGroup]:
    """The groups ``links`` make, their members named, the strongest first (``place``:
    the city a record's name gives, see ``grouped``)."""
    groups = grouped(links, place)
    members = _members(session, model_of(entity), {i for group in groups for i in group[0]})
    order = (*EXACT_ORDER, "name")
    made = [DuplicateGroup(entity, tuple(members[i] for i in sorted(ids)),
                           tuple(sorted(reasons, key=order.index)), score)
            for ids, reasons, score in groups]
    return sorted(made, key=lambda g: (-g.score, g.members[0].id))


def _members(session: Session, model: type[Company] | type[Contact],
             ids: set[int]) -> dict[int, Named]:
    """The records named, a contact with its company's name: a person judges by it."""
    found: dict[int, Named] = {}
    for chunk in chunks(sorted(ids)):
        if model is Contact:
            rows = session.execute(
                select(Contact.id, Contact.name, Contact.company_id, Company.name)
                .outerjoin(Company, Company.id == Contact.company_id)
                .where(Contact.id.in_(chunk)))
            found.update((i, Named(i, name, company, firm or ""))
                         for i, name, company, firm in rows)
        else:
            found.update((i, Named(i, name)) for i, name in session.execute(
                select(Company.id, Company.name).where(Company.id.in_(chunk))))
    return found


def _details(session: Session, entity: str, ids: Sequence[int]) -> dict[int, str]:
    """For each record, what tells it apart from a namesake: a company's city (and
    province) or a contact's company, then its owner."""
    if not ids:
        return {}
    model = model_of(entity)
    if entity == "company":
        where = (func.coalesce(Company.city, ""), func.coalesce(Company.province, ""))
        rows = session.execute(
            select(Company.id, *where, User.display_name)
            .outerjoin(User, User.id == Company.owner_id).where(Company.id.in_(ids)))
    else:
        other = aliased(Company)
        rows = session.execute(
            select(Contact.id, func.coalesce(other.name, ""), literal(""), User.display_name)
            .outerjoin(other, other.id == Contact.company_id)
            .outerjoin(User, User.id == Contact.owner_id).where(model.id.in_(ids)))
    details = {}
    for ident, first, second, owner in rows:
        place = place_text(first, second)  # a contact's company: no province
        whose = owner or _("public pool")
        details[int(ident)] = (_("{place} · {owner}").format(place=place, owner=whose)
                               if place else whose)
    return details
