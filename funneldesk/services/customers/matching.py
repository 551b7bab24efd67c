"""What duplicate search matches on, and how it finds names alike without scoring every pair.

A record is matched exactly on its normalised keys (E.164 phone, email in lower case,
WeChat ID in lower case, credit code, external ID) and fuzzily on its name: a company on
its name's core anywhere, a contact only beside another contact of the same company (two
people called 张伟 at different companies are two people). Company names are compared
only within the blocks of ``names.blocking_keys`` they share, and a block of more than
``BLOCK_LIMIT`` names is skipped: a key that common (科技, tech) says nothing about
sameness, and scoring it would make the search quadratic again. A contact is compared with
each colleague when the company has at most ``BLOCK_LIMIT`` contacts (``colleague_pairs``),
and within blocks beyond.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from itertools import combinations

from sqlalchemy import ColumnElement, SQLColumnExpression, func, select
from sqlalchemy.orm import Session

from funneldesk.db.driver import driver_connection
from funneldesk.errors import InvalidInput
from funneldesk.models import Company, Contact
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


def _sound(core: str, key: str | None = None) -> str:
    """A Chinese person's name as it reads: the surname as written (余 and 于 are two
    families), then the whole name as a person's name reads in pinyin, tones included
    (``key``: ``sort_key(core, person=True)``, where it is known already, as a contact's
    ``sort_name`` is); "" for a name with no Chinese in it, or of two characters (王伟 and
    王玮 are as often two people as one written two ways)."""
    if len(core) < 3 or not names.has_cjk(core):
        return ""
    if key is None:
        from funneldesk.collation import sort_key

        key = sort_key(core, person=True)
    return core[0] + key


class Matcher:
    """Records' keys in memory: ``match`` scores a form against the records filed,
    ``name_pairs`` finds the pairs of them whose names are alike."""

    def __init__(self, entity: str, region: str, min_score: float = NAME_THRESHOLD) -> None:
        check_entity(entity)
        self.entity, self.region, self.min_score = entity, region, min_score
        self._exact: dict[Key, list[int]] = defaultdict(list)
        self._blocks: dict[str, list[int]] = defaultdict(list)
        self._names: dict[int, tuple[str, str, str]] = {}  # id: (name, core, place)

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


def colleague_pairs(people: Iterable[tuple[int, str, int | None, str]],
                    min_score: float = NAME_THRESHOLD, new: Callable[[int], bool] | None = None
                    ) -> Iterator[tuple[int, int, float]]:
    """The pairs of contacts (id, name, company id, sort key of the name: its
    ``sort_name``) of one company whose names are alike, each once, as
    ``Matcher.name_pairs`` scores them. A company of at most BLOCK_LIMIT contacts is
    scored whole, each name against every colleague's in one call of rapidfuzz's own loop:
    no blocking keys to make, and no pair missed for want of one (Li Na and Na Li share no
    word of three letters). A bigger company is scored within its blocks. ``new``: only
    pairs with a record it says is new (what an import made)."""
    staff: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for ident, name, company_id, key in people:
        if company_id is not None:
            staff[company_id].append((ident, name, key))
    cores: dict[str, str] = {}  # name: core (namesakes are common: 张伟, 王芳)
    for company_id, colleagues in staff.items():
        if len(colleagues) < 2 or (new is not None and not any(new(c[0]) for c in colleagues)):
            continue
        named: list[tuple[int, str, str | None]] = []
        for ident, name, key in sorted(colleagues):
            core = cores.get(name) or cores.setdefault(name, names.core(name))
            if core:
                named.append((ident, core, key if core == name and key else None))
        if len(named) > BLOCK_LIMIT:
            matcher = Matcher("contact", "", min_score)
            for ident, core, _key in named:
                matcher.file(ident, core, (), core, name_blocks(core, True, company_id))
            yield from matcher.name_pairs(new)
            continue
        seen: set[tuple[int, int]] = set()
        for first, second, score in _spelt_alike([(i, core) for i, core, _k in named],
                                                 min_score):
            if new is None or new(first) or new(second):
                seen.add((first, second))
                yield first, second, score
        if min_score > SOUND_SCORE:
            continue
        for first, second in _heard_alike(named):
            if (first, second) not in seen and (new is None or new(first) or new(second)):
                yield first, second, SOUND_SCORE


def _heard_alike(named: list[tuple[int, str, str | None]]) -> Iterator[tuple[int, int]]:
    """The pairs of ``named`` (id, core, the core's sort key if known; ids in order) whose
    cores read alike (``_sound``)."""
    by_sound: dict[str, list[int]] = defaultdict(list)
    for ident, core, key in named:
        sound = _sound(core, key)
        if sound:
            by_sound[sound].append(ident)
    for ids in by_sound.values():
        yield from combinations(ids, 2)


def _spelt_alike(named: list[tuple[int, str]], min_score: float
                 ) -> Iterator[tuple[int, int, float]]:
    """The pairs of ``named`` (id, core; ids in order) whose cores score ``min_score`` or
    more (token_sort_ratio), each at once by rapidfuzz's own loop, unless the names are
    too short to score that much apart from being the same words: rapidfuzz's ratio is
    100 (1 - d / (a + b)) for lengths a and b at an insert-or-delete distance d, and two
    different cores are at least 1 apart (2 at equal lengths), so names of 4 characters or
    fewer (张伟, 欧阳明月) reach 88 only when the same."""
    from rapidfuzz import fuzz, process

    lengths = sorted(len(core) for _ident, core in named)
    if (1 - 1 / (lengths[-1] + lengths[-2])) * 100 < min_score:
        same: dict[str, list[int]] = defaultdict(list)
        for ident, core in named:
            same[" ".join(sorted(core.split()))].append(ident)
        for ids in same.values():
            for first, second in combinations(ids, 2):
                yield first, second, 100.0
        return
    ids = [ident for ident, _core in named]
    spelt = [core for _ident, core in named]
    scores = process.cdist(spelt, spelt, scorer=fuzz.token_sort_ratio, score_cutoff=min_score)
    for row, column in zip(*scores.nonzero(), strict=True):
        if row < column:
            yield ids[row], ids[column], float(scores[row, column])


def load_colleagues(session: Session) -> list[tuple[int, str, int | None, str]]:
    """(id, name, company id, sort_name) of every live contact: what ``colleague_pairs``
    compares. Read through the driver, in one pass: over 100,000 contacts the ORM's rows,
    or a query per company, would cost more than the comparing."""
    return driver_connection(session).execute(  # type: ignore[no-any-return]
        "SELECT id, name, company_id, sort_name FROM contacts "
        "WHERE deleted_at IS NULL AND merged_into_id IS NULL").fetchall()


def load_names(session: Session, region: str, min_score: float = NAME_THRESHOLD) -> Matcher:
    """A Matcher with the names of every live company only (what the fuzzy search needs;
    contacts are compared with their colleagues, ``colleague_pairs``)."""
    matcher = Matcher("company", region, min_score)
    for ident, name in session.execute(select(Company.id, Company.name).where(*alive(Company))):
        core = names.core(name)
        matcher.file(ident, name, (), core, name_blocks(core, False, None), names.place(name))
    return matcher


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
