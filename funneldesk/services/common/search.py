"""The search-everything box's reads (Ctrl+K): records of every area from one index, and
each user's recently opened records.

Each area registers a ``SearchKind`` (its records' kind, their label, and the SQL of their
detail lines) and keeps its records in the index itself (``search_index``), in the
transaction of every change; ``Services.search`` gathers the kinds. Reads run through
``Database.query`` (plain SQL), so that the box never waits for SQLAlchemy's import.

Ranking: matches of the whole title, then titles that start with the query, then records
whose words contain the query's (``search_index.matches``); among equals, the records the
user opened most recently first, then those not archived, then those whose title holds the
query earliest, then the newest. Every read is
limited: a common bigram (有限) matches nearly every deal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from funneldesk.db import Database
from funneldesk.i18n import _
from funneldesk.services.common.base import Service
from funneldesk.services.common.records import Actor, SearchHit
from funneldesk.services.common.search_index import (
    TRIGRAM,
    Token,
    matches,
    normalise,
    spans,
    term_range,
    tokens,
)

EXACT, PREFIX, SUBSTRING = "exact", "prefix", "substring"
TIERS = (EXACT, PREFIX, SUBSTRING)
RECENT_READ = 100  # recently opened records read per search (newest first)
RECENT_KEPT = 200  # kept per user
COUNT_CAP = 5000  # index entries counted per word of a short query, to pick the rarest
_END = "\U0010ffff"  # sorts after every character: the end of a prefix range
_COLUMNS = "d.id, d.kind, d.record_id, d.title, d.norm_title, d.body, d.archived"


@dataclass(frozen=True, slots=True)
class SearchKind:
    """An area's records in the search: ``label`` is a message marked with ``N_``
    (translated when shown); ``detail_sql`` reads the detail line's parts, ``(record_id,
    part, part, ...)``, of the records whose ids replace ``{ids}`` (qmark parameters)."""

    kind: str
    label: str
    detail_sql: str


@dataclass(frozen=True, slots=True)
class _Doc:
    id: int
    kind: str
    record_id: int
    title: str
    norm_title: str
    body: str
    archived: bool


def _doc(row: Sequence[Any]) -> _Doc:
    ident, kind, record_id, title, norm_title, body, archived = row
    return _Doc(int(ident), str(kind), int(record_id), str(title), str(norm_title), str(body),
                bool(archived))


def _phrase(token: Token) -> str:
    return '"' + token.text.replace('"', '""') + '"'


def _one_character(word: Token) -> bool:
    """A single CJK character: found through every term that starts with it."""
    return word.cjk and len(word.text) == 1


def tier_of(norm_title: str, body: str, query: str, words: Sequence[Token]) -> str | None:
    if norm_title == query:
        return EXACT
    if norm_title.startswith(query):
        return PREFIX
    return SUBSTRING if matches(body, words) else None


_NOT_IN_TITLE = 1 << 30  # found by its detail only (a person by their company)


def _title_place(norm_title: str, words: Sequence[Token]) -> int:
    """Where in the title the query's first word stands (after every title that holds
    it, if it does not)."""
    place = norm_title.find(words[0].text)
    return place if place >= 0 else _NOT_IN_TITLE


class SearchService(Service):
    def __init__(self, db: Database, kinds: Sequence[SearchKind]) -> None:
        super().__init__(db)
        self.kinds = {k.kind: k for k in kinds}

    def search(self, text: str, *, by: Actor, limit: int = 50) -> list[SearchHit]:
        """The records that match ``text`` best, at most ``limit``."""
        query = normalise(text)
        words = tokens(query)
        if not words:
            return []
        ranked: dict[str, list[_Doc]] = {tier: [] for tier in TIERS}
        recent_ids: set[int] = set()
        for doc in self._recent_docs(by.id):
            tier = tier_of(doc.norm_title, doc.body, query, words)
            if tier is not None:
                ranked[tier].append(doc)
                recent_ids.add(doc.id)
        seen = set(recent_ids)
        for number, tier in enumerate(TIERS):
            # every earlier tier is complete, and this tier's recent records go first
            if sum(len(ranked[t]) for t in TIERS[:number + 1]) >= limit:
                break
            found = [d for d in self._read_tier(tier, query, words, limit + len(seen))
                     if d.id not in seen]
            # not archived first, then those whose title holds the query earliest (瑞丰's
            # companies before the deals whose titles name them, and before people found
            # by their company); stable: otherwise as read (newest first)
            found.sort(key=lambda d: (d.archived, _title_place(d.norm_title, words)))
            seen.update(d.id for d in found)
            ranked[tier] += found
        chosen = [(doc, tier) for tier in TIERS for doc in ranked[tier]][:limit]
        return self._hits(chosen, words, recent_ids)

    def recent(self, *, by: Actor, limit: int = 20) -> list[SearchHit]:
        """The records ``by`` opened from the search most recently (still findable)."""
        docs = self._recent_docs(by.id)[:limit]
        return self._hits([(doc, "recent") for doc in docs], [], {d.id for d in docs})

    def note_opened(self, kind: str, record_id: int, *, by: Actor) -> None:
        """Remembers that ``by`` opened the record now: it comes first among equal matches
        and in the empty query's list. Each user keeps the latest RECENT_KEPT."""
        from sqlalchemy import delete, select

        from funneldesk.models import SearchRecent
        from funneldesk.models.base import utcnow

        with self.db.session() as session:
            row = session.get(SearchRecent, (by.id, kind, record_id))
            if row is None:
                session.add(SearchRecent(user_id=by.id, kind=kind, record_id=record_id,
                                         opened_at=utcnow()))
            else:
                row.opened_at = utcnow()
            session.flush()
            cutoff = session.scalar(
                select(SearchRecent.opened_at).where(SearchRecent.user_id == by.id)
                .order_by(SearchRecent.opened_at.desc()).offset(RECENT_KEPT).limit(1))
            if cutoff is not None:
                session.execute(delete(SearchRecent).where(SearchRecent.user_id == by.id,
                                                           SearchRecent.opened_at <= cutoff))

    def _recent_docs(self, user_id: int) -> list[_Doc]:
        return [_doc(row) for row in self.db.query(
            f"SELECT {_COLUMNS} FROM search_recent r JOIN search_docs d "
            "ON d.kind = r.kind AND d.record_id = r.record_id "
            "WHERE r.user_id = ? ORDER BY r.opened_at DESC LIMIT ?", (user_id, RECENT_READ))]

    def _read_tier(self, tier: str, query: str, words: Sequence[Token],
                   limit: int) -> list[_Doc]:
        if tier == EXACT:
            sql = (f"SELECT {_COLUMNS} FROM search_docs d WHERE d.norm_title = ? "
                   "ORDER BY d.id DESC LIMIT ?")
            return [_doc(r) for r in self.db.query(sql, (query, limit))]
        if tier == PREFIX:
            sql = (f"SELECT {_COLUMNS} FROM search_docs d WHERE d.norm_title > ? "
                   "AND d.norm_title < ? ORDER BY d.norm_title, d.id LIMIT ?")
            return [_doc(r) for r in self.db.query(sql, (query, query + _END, limit))]
        return self._substrings(words, limit)

    def _substrings(self, words: Sequence[Token], limit: int) -> list[_Doc]:
        """Records whose text has every word: the long words through the trigram table,
        else the rarest short word through the terms; the other words filter."""
        long = [w for w in words if len(w.text) >= TRIGRAM]
        short = [w for w in words if len(w.text) < TRIGRAM]
        if long:
            where, params = self._filters(short)
            sql = (f"SELECT {_COLUMNS} FROM search_fts f JOIN search_docs d ON d.id = f.rowid "
                   f"WHERE search_fts MATCH ?{where} ORDER BY f.rowid DESC LIMIT ?")
            match = " AND ".join(_phrase(w) for w in long)
            return [_doc(r) for r in self.db.query(sql, (match, *params, limit))]
        # the longest word, the first among equals: the driver when the counts tie, and
        # the one whose result is kept where the driver changes it (below)
        longest = max(range(len(short)), key=lambda i: (len(short[i].text), -i))
        if len(short) == 1:
            return self._driven_by(short, longest, limit)
        # a common word drives a read that filters out nearly all it reads (有限 q: the
        # newest deals with 有限 are read until enough have a word starting with q)
        counts = self._term_counts(short)
        rarest = min(range(len(short)), key=lambda i: (counts[i], i != longest, i))
        docs = self._driven_by(short, rarest, limit)
        if rarest == longest or len(docs) < limit or not (
                _one_character(short[longest]) or _one_character(short[rarest])):
            return docs
        # a single character's read is cut at the limit in term order, not the newest
        # first, so a cut result depends on the word that drove it: keep the old one's
        return self._driven_by(short, longest, limit)

    def _driven_by(self, short: Sequence[Token], driver: int, limit: int) -> list[_Doc]:
        """The records found through the terms of ``short[driver]`` that have the other
        words too: the newest first, except that a single CJK character (a range of
        terms) returns the first ``limit`` found in term order, then sorted newest first."""
        word = short[driver]
        where, params = self._filters([w for i, w in enumerate(short) if i != driver])
        if _one_character(word):
            sql = (f"SELECT DISTINCT {_COLUMNS} FROM search_terms t "
                   "JOIN search_docs d ON d.id = t.doc_id "
                   f"WHERE t.term >= ? AND t.term < ?{where} LIMIT ?")
            docs = [_doc(r) for r in self.db.query(
                sql, (*term_range(word.text), *params, limit))]
            return sorted(docs, key=lambda d: -d.id)
        sql = (f"SELECT {_COLUMNS} FROM search_terms t JOIN search_docs d ON d.id = t.doc_id "
               f"WHERE t.term = ?{where} ORDER BY t.doc_id DESC LIMIT ?")
        return [_doc(r) for r in self.db.query(sql, (word.text, *params, limit))]

    def _term_counts(self, short: Sequence[Token]) -> list[int]:
        """How many index entries each word's terms have, counted up to COUNT_CAP (the
        counts only rank the words; past the cap every word is common)."""
        parts, params = [], []
        for word in short:
            if _one_character(word):
                parts.append("(SELECT count(*) FROM (SELECT 1 FROM search_terms "
                             "WHERE term >= ? AND term < ? LIMIT ?))")
                params += [*term_range(word.text), COUNT_CAP]
            else:
                parts.append("(SELECT count(*) FROM (SELECT 1 FROM search_terms "
                             "WHERE term = ? LIMIT ?))")
                params += [word.text, COUNT_CAP]
        return [int(n) for n in self.db.query(f"SELECT {', '.join(parts)}", params)[0]]

    @staticmethod
    def _filters(words: Sequence[Token]) -> tuple[str, list[str]]:
        """SQL that keeps the records having each of ``words`` (short ones): CJK anywhere
        in the text, another word at the start of a word (its term)."""
        where, params = "", []
        for word in words:
            if word.cjk:
                where += " AND instr(d.body, ?) > 0"
            else:
                where += (" AND EXISTS (SELECT 1 FROM search_terms x "
                          "WHERE x.term = ? AND x.doc_id = d.id)")
            params.append(word.text)
        return where, params

    def _hits(self, chosen: Sequence[tuple[_Doc, str]], words: Sequence[Token],
              recent_ids: set[int]) -> list[SearchHit]:
        details = self._details(chosen)
        hits = []
        for doc, match in chosen:
            detail = details.get((doc.kind, doc.record_id))
            kind = self.kinds.get(doc.kind)
            if detail is None and kind is not None:
                # gone since it was indexed (an activity purged with its deal): every
                # kind's detail query has a row for each record there is
                continue
            hits.append(SearchHit(
                doc.kind, doc.record_id, _(kind.label) if kind else doc.kind, doc.title,
                detail or "", doc.archived, match, doc.id in recent_ids,
                spans(doc.title, words), spans(detail or "", words)))
        return hits

    def _details(self, chosen: Sequence[tuple[_Doc, str]]) -> dict[tuple[str, int], str]:
        details: dict[tuple[str, int], str] = {}
        for kind in {doc.kind for doc, _match in chosen}:
            if kind not in self.kinds:
                continue
            ids = [doc.record_id for doc, _match in chosen if doc.kind == kind]
            sql = self.kinds[kind].detail_sql.format(ids=", ".join("?" * len(ids)))
            for record_id, *parts in self.db.query(sql, ids):
                details[(kind, int(record_id))] = " · ".join(str(p) for p in parts if p)
        return details
