"""What duplicate search matches on, and the index an import checks its rows against.

A record is matched exactly on its normalised keys (E.164 phone, email in lower case,
WeChat ID in lower case, credit code, external ID) and fuzzily on its name: a company on
its name's core anywhere, a contact only beside another contact of the same company (two
people called 张伟 at different companies are two people). Names are compared only within
the blocks of ``names.blocking_keys`` they share, and a block of more than ``BLOCK_LIMIT``
names is skipped: a key that common (科技, tech) says nothing about sameness, and scoring
it would make the search quadratic again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from itertools import combinations

from sqlalchemy import ColumnElement, SQLColumnExpression, func, select
from sqlalchemy.orm import Session

from funneldesk.errors import InvalidInput
from funneldesk.models import Channel, Company, Contact
from funneldesk.services.customers import names, validation
from funneldesk.services.customers.records import CompanyFields, ContactFields, DuplicateMatch

ENTITIES = ("company", "contact")
NAME_THRESHOLD = 88.0
BLOCK_LIMIT = 200
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


# people at one company whose Chinese names read alike (王小明, 王晓明: wang2xiao3ming2)
SOUND_SCORE = 90.0
_SOUND = "\x1fsound:"


def name_blocks(core: str, contact: bool, company_id: int | None) -> frozenset[str]:
    if not contact:
        return frozenset(names.core_keys(core))
    if company_id is None:
        return frozenset()
    blocks = {f"{company_id}\x1f{key}" for key in names.core_keys(core)}
    sound = _sound(core)
    if sound:
        blocks.add(f"{company_id}{_SOUND}{sound}")
    return frozenset(blocks)


def _sound(core: str) -> str:
    """A Chinese person's name as it reads: the surname as written (余 and 于 are two
    families) and the given name's pinyin, tones included; "" for a name with no Chinese
    in it, or of two characters (王伟 and 王玮 are as often two people as one written two
    ways)."""
    if not names.has_cjk(core) or len(core) < 3:
        return ""
    from funneldesk.collation import sort_key

    return core[0] + sort_key(core[1:])


class Matcher:
    """Every saved record's keys in memory, for an import: ``match`` answers one row
    without a query, and ``add`` files each row as it is saved, so that the rest of the
    file is checked against it too. Build it with ``index_for_import``."""

    def __init__(self, entity: str, region: str, min_score: float = NAME_THRESHOLD) -> None:
        check_entity(entity)
        self.entity, self.region, self.min_score = entity, region, min_score
        self._exact: dict[Key, list[int]] = defaultdict(list)
        self._blocks: dict[str, list[int]] = defaultdict(list)
        self._names: dict[int, tuple[str, str, str]] = {}  # id: (name, core, place)

    def add(self, fields: CompanyFields | ContactFields, record_id: int) -> None:
        keys = keys_of(fields, self.region)
        self.file(record_id, fields.name, keys.exact, keys.core, keys.blocks, keys.place)

    def file(self, record_id: int, name: str, exact: Iterable[Key], core: str,
             blocks: Iterable[str], place: str = "") -> None:
        self._names[record_id] = (name, core, place)
        for key in exact:
            self._exact[key].append(record_id)
        for block in blocks:
            self._blocks[block].append(record_id)

    def place(self, record_id: int) -> str:
        """The city a filed company's name gives ("" if none, or not filed)."""
        held = self._names.get(record_id)
        return held[2] if held is not None else ""

    def file_key(self, record_id: int, key: Key) -> None:
        self._exact[key].append(record_id)

    def match(self, fields: CompanyFields | ContactFields,
              exclude_id: int | None = None) -> list[DuplicateMatch]:
        keys = keys_of(fields, self.region)
        found: dict[int, tuple[str, float]] = {}
        for reason, value in sorted(keys.exact, key=lambda k: EXACT_ORDER.index(k[0])):
            for record_id in self._exact.get((reason, value), ()):
                found.setdefault(record_id, (reason, 100.0))
        candidates: set[int] = set()
        for block in keys.blocks:
            ids = self._blocks.get(block, ())
            if len(ids) <= BLOCK_LIMIT:
                candidates.update(ids)
        sound = _sound(keys.core) if self.entity == "contact" else ""
        for record_id in candidates - found.keys():
            _name, core, place = self._names[record_id]
            if names.other_places(keys.place, place):
                continue
            score = names.core_similarity(keys.core, core, self.min_score)
            if sound and score < SOUND_SCORE and _sound(core) == sound:
                score = SOUND_SCORE
            if score >= self.min_score:
                found[record_id] = ("name", score)
        if exclude_id is not None:
            found.pop(exclude_id, None)
        return sorted((DuplicateMatch(self.entity, i, self._names[i][0], reason, score)
                       for i, (reason, score) in found.items()),
                      key=lambda m: (-m.score, m.id))

    def name_pairs(self, new: Callable[[int], bool] | None = None
                   ) -> Iterator[tuple[int, int, float]]:
        """Every pair of names alike enough, each once: scored only within blocks, each
        block at once by rapidfuzz's own loop (a block of 200 is 20,000 pairs).
        ``new``: only pairs with a record it says is new (what an import made)."""
        from rapidfuzz import fuzz, process

        seen: set[tuple[int, int]] = set()
        for block, ids in sorted(self._blocks.items(), key=lambda b: _SOUND in b[0]):
            if not 1 < len(ids) <= BLOCK_LIMIT or (new is not None and not any(map(new, ids))):
                continue
            if _SOUND in block:  # last: a pair its spelling scored keeps that score
                for first, second in combinations(sorted(ids), 2):
                    if (first, second) not in seen and self.min_score <= SOUND_SCORE \
                            and (new is None or new(first) or new(second)):
                        seen.add((first, second))
                        yield first, second, SOUND_SCORE
                continue
            cores = [self._names[i][1] for i in ids]
            scores = process.cdist(cores, cores, scorer=fuzz.token_sort_ratio,
                                   score_cutoff=self.min_score)
            for row, column in zip(*scores.nonzero(), strict=True):
                if row < column and not names.other_places(self._names[ids[row]][2],
                                                           self._names[ids[column]][2]):
                    first, second = sorted((ids[row], ids[column]))
                    if (first, second) not in seen and (new is None or new(first)
                                                        or new(second)):
                        seen.add((first, second))
                        yield first, second, float(scores[row, column])


def index_for_import(session: Session, entity: str, region: str,
                     min_score: float = NAME_THRESHOLD) -> Matcher:
    """A Matcher holding every live record of ``entity`` (not deleted, not merged away):
    their names and every exact key."""
    matcher = load_names(session, entity, region, min_score)
    for record_id, key in _saved_keys(session, entity):
        matcher.file_key(record_id, key)
    return matcher


def load_names(session: Session, entity: str, region: str,
               min_score: float = NAME_THRESHOLD,
               companies: Sequence[int] | None = None) -> Matcher:
    """A Matcher with the names of every live record only (what the fuzzy search needs);
    ``companies``: only the contacts of these companies (a contact's name is compared only
    with its colleagues')."""
    matcher = Matcher(entity, region, min_score)
    if entity == "company":
        for ident, name in session.execute(select(Company.id, Company.name)
                                           .where(*alive(Company))):
            core = names.core(name)
            matcher.file(ident, name, (), core, name_blocks(core, False, None),
                         names.place(name))
        return matcher
    query = select(Contact.id, Contact.name, Contact.company_id).where(*alive(Contact))
    reads = ([query] if companies is None else
             [query.where(Contact.company_id.in_(chunk)) for chunk in chunks(companies)])
    for read in reads:
        for ident, name, company_id in session.execute(read):
            core = names.core(name)
            matcher.file(ident, name, (), core, name_blocks(core, True, company_id))
    return matcher


_CHUNK = 500  # ids in one IN (...)


def chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    """``ids`` in runs short enough for one IN (...)."""
    return [ids[n:n + _CHUNK] for n in range(0, len(ids), _CHUNK)]


def _saved_keys(session: Session, entity: str) -> Iterator[tuple[int, Key]]:
    model = model_of(entity)
    owner = Channel.company_id if entity == "company" else Channel.contact_id
    for kind, key, record_id in session.execute(
            select(Channel.kind, Channel.key, owner).join(model, model.id == owner)
            .where(*alive(model), Channel.key != "")):
        if record_id is not None:  # always, through the join
            yield record_id, (kind, key)
    for reason, column in own_keys(entity):
        for value, record_id in session.execute(
                select(column, model.id).where(*alive(model), column != "")):
            yield record_id, (reason, value)


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
