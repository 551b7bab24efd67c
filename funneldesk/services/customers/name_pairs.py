"""Which records' names are alike, without scoring every pair: what Find duplicates, a
form's warning and an import's look share. It reads no database itself and imports no
model, so that an import's worker process (alike_apart.py), which imports it, starts in a
fraction of a second.

A company's name is compared only with the names it shares a block with
(``names.blocking_keys``), and a block of more than ``BLOCK_LIMIT`` names is skipped: a key
that common (科技, tech) says nothing about sameness, and scoring it would make the search
quadratic again. A contact is compared with each colleague when the company has at most
``BLOCK_LIMIT`` contacts (``colleague_pairs``, ``Colleagues``), and within blocks beyond.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import combinations

from funneldesk.services.customers import names

NAME_THRESHOLD = 88.0
BLOCK_LIMIT = 200
# people at one company whose Chinese names read alike (王小明, 王晓明: wang2xiao3ming2)
SOUND_SCORE = 90.0
_SOUND = "\x1fsound:"

Person = tuple[int, str, "int | None", str]  # id, name, company id, sort key of the name
# the records compared, as both the look after an import and its worker read them (a
# condition may follow: AND ...)
ALIVE = "deleted_at IS NULL AND merged_into_id IS NULL"  # not deleted, not merged away
LIVE_CONTACTS = f"SELECT id, name, company_id, sort_name FROM contacts WHERE {ALIVE}"
LIVE_COMPANIES = f"SELECT id, name FROM companies WHERE {ALIVE}"
Link = tuple[int, int, str, float]  # two ids, why ("name", "phone" ...), how alike


def name_blocks(core: str, contact: bool, company_id: int | None) -> frozenset[str]:
    if not contact:
        return frozenset(names.core_keys(core))
    if company_id is None:
        return frozenset()
    blocks = {f"{company_id}\x1f{key}" for key in names.core_keys(core)}
    heard = sound(core)
    if heard:
        blocks.add(f"{company_id}{_SOUND}{heard}")
    return frozenset(blocks)


def sound(core: str, key: str | None = None) -> str:
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


class NameIndex:
    """Records' names filed under their blocks: ``name_pairs`` finds those alike."""

    def __init__(self, min_score: float = NAME_THRESHOLD) -> None:
        self.min_score = min_score
        self._blocks: dict[str, list[int]] = defaultdict(list)
        self._names: dict[int, tuple[str, str, str]] = {}  # id: (name, core, place)

    def file(self, record_id: int, name: str, core: str, blocks: Iterable[str],
             place: str = "") -> None:
        self._names[record_id] = (name, core, place)
        for block in blocks:
            self._blocks[block].append(record_id)

    def file_company(self, record_id: int, name: str) -> None:
        core = names.core(name)
        self.file(record_id, name, core, name_blocks(core, False, None), names.place(name))

    def place(self, record_id: int) -> str:
        """The city a filed company's name gives ("" if none, or not filed)."""
        held = self._names.get(record_id)
        return held[2] if held is not None else ""

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
            cores = [_words(self._names[i][1]) for i in ids]  # as in _spelt_alike
            scores = process.cdist(cores, cores, scorer=fuzz.ratio,
                                   score_cutoff=self.min_score, dtype="float64")
            for row, column in zip(*scores.nonzero(), strict=True):
                if row < column and not names.other_places(self._names[ids[row]][2],
                                                           self._names[ids[column]][2]):
                    first, second = sorted((ids[row], ids[column]))
                    if (first, second) not in seen and (new is None or new(first)
                                                        or new(second)):
                        seen.add((first, second))
                        yield first, second, float(scores[row, column])


def colleague_pairs(people: Iterable[Person], min_score: float = NAME_THRESHOLD,
                    new: Callable[[int], bool] | None = None
                    ) -> Iterator[tuple[int, int, float]]:
    """The pairs of contacts (id, name, company id, sort key of the name: its
    ``sort_name``) of one company whose names are alike, each once, as
    ``NameIndex.name_pairs`` scores them. A company of at most BLOCK_LIMIT contacts is
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
        if len(named) < 2:  # the others' names have nothing to compare (blank, "Ltd")
            continue
        if len(named) > BLOCK_LIMIT:
            yield from _in_blocks(company_id, ((i, core) for i, core, _k in named),
                                  min_score, new)
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


def _in_blocks(company_id: int, named: Iterable[tuple[int, str]], min_score: float,
               new: Callable[[int], bool] | None) -> Iterator[tuple[int, int, float]]:
    """The pairs of a company's contacts ``named`` (id, core) too many to compare each with
    each: within the blocks their names share."""
    index = NameIndex(min_score)
    for ident, core in named:
        index.file(ident, core, core, name_blocks(core, True, company_id))
    yield from index.name_pairs(new)


def _heard_alike(named: list[tuple[int, str, str | None]]) -> Iterator[tuple[int, int]]:
    """The pairs of ``named`` (id, core, the core's sort key if known; ids in order) whose
    cores read alike (``sound``)."""
    by_sound: dict[str, list[int]] = defaultdict(list)
    for ident, core, key in named:
        heard = sound(core, key)
        if heard:
            by_sound[heard].append(ident)
    for ids in by_sound.values():
        yield from combinations(ids, 2)


def _only_same(first: int, second: int, min_score: float) -> bool:
    """Whether two cores of these lengths reach ``min_score`` only when their words are
    the same: rapidfuzz's ratio is 100 (1 - d / (a + b)) for lengths a and b at an
    insert-or-delete distance d, and two different cores are at least 1 apart (2 at equal
    lengths), so names of 4 characters or fewer (张伟, 欧阳明月) reach 88 only when the
    same."""
    return (1 - 1 / (first + second)) * 100 < min_score


def _spelt_alike(named: list[tuple[int, str]], min_score: float
                 ) -> Iterator[tuple[int, int, float]]:
    """The pairs of ``named`` (id, core; ids in order) whose cores score ``min_score`` or
    more (token_sort_ratio), each at once by rapidfuzz's own loop, unless the names are
    too short to score that much apart from being the same words (``_only_same``)."""
    from rapidfuzz import fuzz, process

    lengths = sorted(len(core) for _ident, core in named)
    if _only_same(lengths[-1], lengths[-2], min_score):
        same: dict[str, list[int]] = defaultdict(list)
        for ident, core in named:
            same[_words(core)].append(ident)
        for ids in same.values():
            for first, second in combinations(ids, 2):
                yield first, second, 100.0
        return
    ids = [ident for ident, _core in named]
    # token_sort_ratio is ratio on the words in order: put in order once each, not per pair
    spelt = [_words(core) for _ident, core in named]
    scores = process.cdist(spelt, spelt, scorer=fuzz.ratio, score_cutoff=min_score,
                           dtype="float64")  # the score one pair alone gets, to the last digit
    for row, column in zip(*scores.nonzero(), strict=True):
        if row < column:
            yield ids[row], ids[column], float(scores[row, column])


def _words(core: str) -> str:
    """A core as token_sort_ratio compares it: its words in order."""
    return " ".join(sorted(core.split()))


class _Team:
    """One company's contacts as ``Colleagues`` keeps them."""

    __slots__ = ("big", "by_length", "by_sound", "by_words", "cores", "ids", "more", "pairs")

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.cores: list[str] = []
        # ids and words in order (``_words``), by the words' length
        self.by_length: dict[int, tuple[list[int], list[str]]] = {}
        # the first id of each name's words and of each sound: most are the only one, and
        # a list for each cost a fifth of this look; ``more`` holds the others
        self.by_words: dict[str, int] = {}
        self.by_sound: dict[str, int] = {}
        self.more: dict[str, list[int]] = defaultdict(list)  # by words, or _SOUND + sound
        self.pairs: dict[tuple[int, int], float] = {}
        self.big = False

    def namesakes(self, words: str) -> list[int]:
        first = self.by_words.get(words)
        return [] if first is None else [first, *self.more.get(words, ())]

    def heard_alike(self, heard: str) -> list[int]:
        first = self.by_sound.get(heard)
        return [] if first is None else [first, *self.more.get(_SOUND + heard, ())]

    def take(self, ident: int, core: str, words: str, heard: str) -> None:
        self.ids.append(ident)
        self.cores.append(core)
        same_length = self.by_length.get(len(words))
        if same_length is None:
            self.by_length[len(words)] = ([ident], [words])
        else:
            same_length[0].append(ident)
            same_length[1].append(words)
        if self.by_words.setdefault(words, ident) != ident:
            self.more[words].append(ident)
        if heard and self.by_sound.setdefault(heard, ident) != ident:
            self.more[_SOUND + heard].append(ident)
        if len(self.ids) > BLOCK_LIMIT:
            self.big = True


@functools.cache
def _reachable(length: int, min_score: float) -> tuple[int, ...]:
    """The lengths of the words another name must have for its score against words of
    ``length`` to reach ``min_score`` when the two differ: rapidfuzz's
    ratio is 100 (1 - d / (a + b)) at an insert-or-delete distance d, which is at least
    |a - b|, and 2 at equal lengths. A Chinese name of 3 characters or fewer reaches 88
    only against the same name (by_words finds those), one of 4 against one of 5 too; a
    Latin one only against names of about its length. A hair below the bound counts: a
    length too many costs time, one missing a pair."""
    # 100 * 2a / (a + b) >= score (below 1, as at 1: no threshold so low is used)
    longest = int(length * (200 - max(min_score, 1.0)) / max(min_score, 1.0)) + 1
    lengths = []
    for other in range(1, longest + 1):
        apart = abs(other - length) or 2
        if (1 - apart / (length + other)) * 100 >= min_score - 1e-6:
            lengths.append(other)
    return tuple(lengths)


class Colleagues:
    """Contacts taken a batch at a time, first those there were (``add(..., new=False)``),
    then those an import makes: each new one is compared on arrival with the colleagues
    taken before it, so that when the import ends its names alike are known
    (``pairs``: what ``colleague_pairs`` of them all, ``new`` the new ones, gives)."""

    def __init__(self, min_score: float = NAME_THRESHOLD) -> None:
        self.min_score = min_score
        self._teams: dict[int, _Team] = defaultdict(_Team)
        self._cores: dict[str, str] = {}

    def add(self, people: Iterable[Person], *, new: bool) -> None:
        """Takes ``people`` (in the order of their ids, after every one taken before)."""
        from rapidfuzz import fuzz, process

        teams, cores, min_score = self._teams, self._cores, self.min_score
        heard_too = min_score <= SOUND_SCORE
        for ident, name, company_id, key in people:
            if company_id is None:
                continue
            core = cores.get(name)
            if core is None:
                core = cores[name] = names.core(name)
            if not core:
                continue
            team = teams[company_id]
            words = _words(core) if " " in core else core
            heard = sound(core, key if core == name and key else None) if len(core) >= 3 else ""
            if new and not team.big:
                pairs = team.pairs
                for other in team.namesakes(words):
                    pairs[other, ident] = 100.0
                # only the colleagues whose names have a length that can score that much
                # (a call for each name cost two thirds of this look)
                reachable = _reachable(len(words), min_score)
                held = [team.by_length[n] for n in reachable if n in team.by_length] \
                    if reachable else None
                if held:
                    ids = held[0][0] if len(held) == 1 else [i for h in held for i in h[0]]
                    spelt = held[0][1] if len(held) == 1 else [w for h in held for w in h[1]]
                    # token_sort_ratio is ratio on the words in order: with them kept in
                    # order, one name against its colleagues costs a tenth of a cdist
                    for _w, score, column in process.extract(
                            words, spelt, scorer=fuzz.ratio, score_cutoff=min_score,
                            limit=None):
                        pairs[ids[column], ident] = float(score)
                if heard and heard_too:
                    for other in team.heard_alike(heard):
                        pairs.setdefault((other, ident), SOUND_SCORE)
            team.take(ident, core, words, heard)

    def pairs(self, new: Callable[[int], bool]) -> Iterator[tuple[int, int, float]]:
        """The pairs alike with a new contact (``new`` says which are), each once."""
        for company_id, team in self._teams.items():
            if team.big:  # compared within blocks, as colleague_pairs compares it
                yield from _in_blocks(company_id, zip(team.ids, team.cores, strict=True),
                                      self.min_score, new)
            else:
                yield from ((a, b, score) for (a, b), score in team.pairs.items())


def strongest(pairs: Iterable[tuple[int, int, float]]) -> list[Link]:
    """Pairs of names alike as links, the strongest first."""
    return [(a, b, "name", score) for a, b, score in sorted(pairs, key=lambda pair: -pair[2])]


def grouped(links: Iterable[Link], place: Callable[[int], str]
            ) -> list[tuple[set[int], set[str], float]]:
    """The connected groups of ``links`` (union-find), taken in order: ids, reasons,
    strongest score. A link by name alone never joins two groups whose names give
    different cities (北京星辰 and 上海星辰 both alike to 星辰 are not one customer)."""
    parent: dict[int, int] = {}
    places: dict[int, set[str]] = {}  # root -> the cities its names give

    def root(x: int) -> int:
        if x not in parent:
            parent[x] = x
            places[x] = {place(x)} - {""}
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    kept = []
    for link in links:
        a, b, reason, _score = link
        ra, rb = root(a), root(b)
        if reason == "name" and places[ra] and places[rb] and places[ra] != places[rb]:
            continue
        if ra != rb:
            parent[ra] = rb
            places[rb] |= places.pop(ra)
        kept.append(link)
    groups: dict[int, tuple[set[int], set[str], list[float]]] = {}
    for a, b, reason, score in kept:
        ids, reasons, scores = groups.setdefault(root(a), (set(), set(), []))
        ids |= {a, b}
        reasons.add(reason)
        scores.append(score)
    return [(ids, reasons, max(scores)) for ids, reasons, scores in groups.values()]


def made_alike(links: Iterable[Link], place: Callable[[int], str],
               new: Callable[[int], bool]) -> int:
    """How many records ``new`` says an import made are in a group ``links`` (the
    strongest first) make."""
    return len({i for ids, _reasons, _score in grouped(links, place) for i in ids if new(i)})
