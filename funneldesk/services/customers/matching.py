"""What duplicate search matches on: a record's exact keys (E.164 phone, email in lower
case, WeChat ID in lower case, credit code, external ID) and its name, a company's
anywhere, a contact's only beside another contact of the same company (two people called
张伟 at different companies are two people); and the reads of the names to compare
(name_pairs.py compares them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass

from sqlalchemy import ColumnElement, SQLColumnExpression, func
from sqlalchemy.orm import Session

from funneldesk.db.driver import driver_connection
from funneldesk.errors import InvalidInput
from funneldesk.models import Company, Contact
from funneldesk.services.customers import names, validation
from funneldesk.services.customers.name_pairs import (
    ALIVE,
    BLOCK_LIMIT,
    LIVE_COMPANIES,
    LIVE_CONTACTS,
    NAME_THRESHOLD,
    SOUND_SCORE,
    NameIndex,
    Person,
    name_blocks,
    sound,
)
from funneldesk.services.customers.records import CompanyFields, ContactFields, DuplicateMatch

ENTITIES = ("company", "contact")
# exact reasons in the order a match is reported by, when a record shares several keys
EXACT_ORDER = ("credit_code", "external_id", "wechat", "phone", "email")

Key = tuple[str, str]  # (reason, normalised value)


def check_entity(entity: str) -> None:
    if entity not in ENTITIES:
        raise ValueError(f"entity is company or contact, not {entity!r}")


@dataclass(frozen=True, slots=True)
class Keys:
    """What one record (or form, or imported row) is matched on."""

    exact: tuple[Key, ...]
    core: str
    blocks: frozenset[str]
    place: str = ""  # a company's, from its name (names.place)


def keys_of(fields: CompanyFields | ContactFields, region: str) -> Keys:
    """The keys of a form or row as typed: each value normalised as saving would keep it;
    one that does not parse yet (a form half filled in) is left out, not refused."""
    exact: list[Key] = []
    for text in fields.phones:
        with suppress(InvalidInput):
            exact.append(("phone", validation.phone_key(validation.phone(text, region))))
    for text in fields.emails:
        with suppress(InvalidInput):
            exact.append(("email", validation.email(text).casefold()))
    if isinstance(fields, CompanyFields):
        if fields.credit_code.strip():
            with suppress(InvalidInput):
                exact.append(("credit_code", validation.credit_code(fields.credit_code)))
        company_id = None
    else:
        if fields.wechat.strip():
            exact.append(("wechat", fields.wechat.strip().lower()))
        company_id = fields.company_id
    if fields.external_id.strip():
        exact.append(("external_id", fields.external_id.strip()))
    core = names.core(fields.name)
    return Keys(tuple(exact), core, name_blocks(core, isinstance(fields, ContactFields),
                                            company_id),
                "" if isinstance(fields, ContactFields) else names.place(fields.name))


class Matcher(NameIndex):
    """Records' keys in memory: ``match`` scores a form against the records filed."""

    def __init__(self, entity: str, region: str, min_score: float = NAME_THRESHOLD) -> None:
        check_entity(entity)
        super().__init__(min_score)
        self.entity, self.region = entity, region
        self._exact: dict[Key, list[int]] = defaultdict(list)

    def file_keys(self, record_id: int, name: str, exact: Iterable[Key], core: str,
                  blocks: Iterable[str], place: str = "") -> None:
        self.file(record_id, name, core, blocks, place)
        for key in exact:
            self._exact[key].append(record_id)

    def match(self, fields: CompanyFields | ContactFields,
              exclude_id: int | None = None) -> list[DuplicateMatch]:
        keys = keys_of(fields, self.region)
        found: dict[int, tuple[str, float]] = {}
        for reason, value in sorted(keys.exact, key=lambda k: EXACT_ORDER.index(k[0])):
            for record_id in self._exact.get((reason, value), ()):
                found.setdefault(record_id, (reason, 100.0))
        candidates: set[int] = set()
        if self.entity == "contact" and len(self._names) <= BLOCK_LIMIT:
            candidates.update(self._names)  # colleagues, each compared (colleague_pairs)
        for block in keys.blocks:
            ids = self._blocks.get(block, ())
            if len(ids) <= BLOCK_LIMIT:
                candidates.update(ids)
        heard = sound(keys.core) if self.entity == "contact" else ""
        for record_id in candidates - found.keys():
            _name, core, place = self._names[record_id]
            if names.other_places(keys.place, place):
                continue
            score = names.core_similarity(keys.core, core, self.min_score)
            if heard and score < SOUND_SCORE and sound(core) == heard:
                score = SOUND_SCORE
            if score >= self.min_score:
                found[record_id] = ("name", score)
        if exclude_id is not None:
            found.pop(exclude_id, None)
        return sorted((DuplicateMatch(self.entity, i, self._names[i][0], reason, score)
                       for i, (reason, score) in found.items()),
                      key=lambda m: (-m.score, m.id))


def load_colleagues(session: Session, made: Callable[[int], bool] | None = None,
                    few: Sequence[int] | None = None) -> list[Person]:
    """(id, name, company id, sort_name) of the live contacts ``colleague_pairs``
    compares: every one, or with ``made`` (what an import made) those of the companies of
    a contact it made, found among ``few`` ids when the caller knows them to be all (a
    small import: three reads of a few rows, where reading 100,000 contacts took a third
    of a second). Read through the driver: over 100,000 contacts the ORM's rows would cost
    more than the comparing."""
    raw = driver_connection(session)
    if made is None or few is None:
        people: list[Person] = raw.execute(f"{LIVE_CONTACTS} ORDER BY id").fetchall()
        if made is None:
            return people
        touched = {person[2] for person in people if made(person[0])}
        return [person for person in people if person[2] in touched]
    companies: set[int] = set()
    for chunk in chunks(few):
        companies.update(company for (company,) in raw.execute(
            f"SELECT company_id FROM contacts WHERE {ALIVE} AND company_id IS NOT NULL "
            f"AND id IN ({_marks(chunk)})", tuple(chunk)))
    found: list[Person] = []
    for chunk in chunks(sorted(companies)):
        found += raw.execute(f"{LIVE_CONTACTS} AND company_id IN ({_marks(chunk)})",
                             tuple(chunk))
    return sorted(found)


def _marks(values: Sequence[object]) -> str:
    """The placeholders of an IN (...) of ``values``."""
    return ", ".join("?" * len(values))


def load_names(session: Session, min_score: float = NAME_THRESHOLD) -> NameIndex:
    """The names of every live company (what the fuzzy search needs; contacts are compared
    with their colleagues, ``colleague_pairs``)."""
    index = NameIndex(min_score)
    for ident, name in driver_connection(session).execute(f"{LIVE_COMPANIES} ORDER BY id"):
        index.file_company(ident, name)
    return index


_CHUNK = 500  # ids in one IN (...)


def chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    """``ids`` in runs short enough for one IN (...)."""
    return [ids[n:n + _CHUNK] for n in range(0, len(ids), _CHUNK)]


def own_keys(entity: str) -> list[tuple[str, SQLColumnExpression[str]]]:
    """The exact keys kept on the record's own row, as SQL expressions of the key."""
    if entity == "company":
        return [("credit_code", Company.credit_code), ("external_id", Company.external_id)]
    return [("wechat", func.lower(Contact.wechat)), ("external_id", Contact.external_id)]


def model_of(entity: str) -> type[Company] | type[Contact]:
    check_entity(entity)
    return Company if entity == "company" else Contact


def alive(model: type[Company] | type[Contact]) -> tuple[ColumnElement[bool], ...]:
    """The conditions of a record that is shown: not deleted, not merged into another."""
    return model.deleted_at.is_(None), model.merged_into_id.is_(None)
