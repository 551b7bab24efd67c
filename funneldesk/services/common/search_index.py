"""The search-everything index: how text is normalised and cut into terms, and how an
area writes its records into the index (in the transaction of the change that made them).

Three tables hold it (models/search.py, migration 0004):
- ``search_docs``: one row per findable record (kind, record id, title as shown, the
  normalised title, the normalised text searched, archived or not);
- ``search_fts``: an FTS5 table with the trigram tokenizer over the same normalised text,
  for query words of three characters or more (any substring);
- ``search_terms``: (term, doc id) pairs for shorter words, which trigrams cannot find:
  every two-character run of Chinese (and other CJK) text plus each run's last character,
  so that one character finds its records by a range over the terms that start with it;
  and the first one and two letters of every other word (``ac`` finds "Acme").

Normalising (NFKD, combining marks dropped, casefolded, spaces collapsed) is done here
for both the text and the query: SQLite 3.40's trigram tokenizer folds ASCII case only
and cannot remove accents. A record's terms are derived from its stored text, so they are
deleted by recomputing them (no second index on doc id); a change to ``terms`` therefore
needs a migration that rebuilds the index, with its own frozen copy of the new logic (a
migration never imports the services; 0004 keeps the copy it fills the index with).

The writers take a DB-API connection (the raw connection of a session, of a migration or
of the benchmark's generator): sqlite3's ``execute``/``executemany``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

# Han (with the radicals, CJK punctuation excluded), kana, Hangul, compatibility ideographs
# and the supplementary ideographs
CJK = "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf\u3400-\u4dbf\u4e00-\u9fff" \
      "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
_TOKEN = re.compile(rf"(?P<cjk>[{CJK}]+)|(?P<word>[^\W_{CJK}]+)")
TRIGRAM = 3  # words this long or longer are found through the FTS5 trigram table
_CHUNK = 500  # parameters per statement


class Connection(Protocol):
    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Any: ...

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Any: ...


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    cjk: bool


@dataclass(frozen=True, slots=True)
class Doc:
    """A record as the index holds it: ``fields`` are the texts it is found by (its title
    first); each is normalised separately, so that no match spans two fields."""

    kind: str
    record_id: int
    title: str
    fields: tuple[str, ...]
    archived: bool = False

    @property
    def body(self) -> str:
        return "\n".join(normalise(f) for f in self.fields if f.strip())


@functools.cache
def _combining_marks() -> dict[int, None]:
    """Every character with a combining class, to delete with str.translate (none lies
    beyond U+1FFFF)."""
    return {code: None for code in range(0x20000) if unicodedata.combining(chr(code))}


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()  # what NFKD, dropping marks and casefolding make of ASCII
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.translate(_combining_marks()).casefold()


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return _fold(char)


def normalise(text: str) -> str:
    """Compatibility-decomposed, without accents, casefolded, single spaces: ``Ｃafé  Ltd``
    becomes ``cafe ltd``."""
    return " ".join(_fold(text).split())


def tokens(normalised: str) -> list[Token]:
    """The words of normalised text: runs of CJK characters, and runs of other letters and
    digits; punctuation and spaces separate them."""
    return [Token(m.group(), m.lastgroup == "cjk") for m in _TOKEN.finditer(normalised)]


def terms(body: str) -> set[str]:
    """The short-query terms of a record's normalised text (see the module's docstring)."""
    found: set[str] = set()
    for match in _TOKEN.finditer(body):
        text = match.group()
        if match.lastgroup == "cjk":
            found.update([text[i:i + 2] for i in range(len(text) - 1)])
            found.add(text[-1])
        else:
            found.add(text[:1])
            found.add(text[:2])
    return found


def term_range(char: str) -> tuple[str, str]:
    """The terms that start with one character: ``>= low AND < high``."""
    return char, chr(ord(char) + 1)


def matches(body: str, query: Sequence[Token]) -> bool:
    """Whether normalised text matches every query word the way the index does: a word of
    three or more characters, or of CJK text, anywhere; a shorter other word at the start of
    a word."""
    words: list[str] | None = None
    for token in query:
        if token.cjk or len(token.text) >= TRIGRAM:
            if token.text not in body:
                return False
            continue
        if words is None:
            words = [t.text for t in tokens(body) if not t.cjk]
        if not any(w.startswith(token.text) for w in words):
            return False
    return True


def spans(text: str, query: Sequence[Token]) -> tuple[tuple[int, int], ...]:
    """Where the query's words occur in ``text`` as shown: (start, length) pairs in its own
    characters, sorted and merged, for emphasis."""
    owner: Sequence[int]
    if text.isascii():  # folding keeps every character in its place
        haystack, owner = text.lower(), range(len(text))
    else:
        pieces = [_fold_char(char) for char in text]
        haystack = "".join(pieces)
        owner = [index for index, piece in enumerate(pieces) for _n in piece]
    marked = [False] * len(text)
    for token in query:
        start = haystack.find(token.text)
        while start >= 0:
            for position in range(start, start + len(token.text)):
                marked[owner[position]] = True
            start = haystack.find(token.text, start + len(token.text))
    runs: list[tuple[int, int]] = []
    for index, on in enumerate(marked):
        if not on:
            continue
        if runs and runs[-1][0] + runs[-1][1] == index:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((index, 1))
    return tuple(runs)


def write_current(conn: Connection, kind: str, record_ids: Sequence[int], sql: str,
                  id_column: str, doc: Callable[[Sequence[Any]], Doc]) -> None:
    """Writes the records of ``kind`` as they are now: those ``sql`` (a query with a
    WHERE clause) still finds, through ``doc``, in the index; the others out of it."""
    ids = list(record_ids)
    docs: list[Doc] = []
    for chunk in _chunks(ids):
        rows = conn.execute(f"{sql} AND {id_column} IN ({_marks(chunk)})", chunk).fetchall()
        docs += [doc(row) for row in rows]
    found = {d.record_id for d in docs}
    remove(conn, kind, [i for i in ids if i not in found])
    put(conn, docs)


def put(conn: Connection, docs: Sequence[Doc]) -> None:
    """Adds the records to the index, replacing what it held for them."""
    if not docs:
        return
    for kind in {d.kind for d in docs}:
        remove(conn, kind, [d.record_id for d in docs if d.kind == kind])
    for doc in docs:
        body = doc.body
        cursor = conn.execute(
            "INSERT INTO search_docs (kind, record_id, title, norm_title, body, archived) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (doc.kind, doc.record_id, doc.title, normalise(doc.title), body, int(doc.archived)))
        doc_id = cursor.lastrowid
        conn.execute("INSERT INTO search_fts (rowid, body) VALUES (?, ?)", (doc_id, body))
        conn.executemany("INSERT INTO search_terms (term, doc_id) VALUES (?, ?)",
                         [(term, doc_id) for term in terms(body)])


def set_archived(conn: Connection, kind: str, record_ids: Sequence[int], archived: bool) -> None:
    for chunk in _chunks(record_ids):
        conn.execute(f"UPDATE search_docs SET archived = ? WHERE kind = ? "
                     f"AND record_id IN ({_marks(chunk)})", (int(archived), kind, *chunk))


def remove(conn: Connection, kind: str, record_ids: Sequence[int]) -> None:
    """Takes the records out of the index; everyone's recently opened lists keep them (a
    deal in the Trash may come back; ``forget`` is for records gone for good)."""
    for chunk in _chunks(record_ids):
        rows = conn.execute(f"SELECT id, body FROM search_docs WHERE kind = ? "
                            f"AND record_id IN ({_marks(chunk)})", (kind, *chunk)).fetchall()
        if not rows:
            continue
        conn.executemany("DELETE FROM search_terms WHERE term = ? AND doc_id = ?",
                         [(term, doc_id) for doc_id, body in rows for term in terms(body)])
        ids = [doc_id for doc_id, _body in rows]
        conn.execute(f"DELETE FROM search_fts WHERE rowid IN ({_marks(ids)})", ids)
        conn.execute(f"DELETE FROM search_docs WHERE id IN ({_marks(ids)})", ids)


def forget(conn: Connection, kind: str, record_ids: Sequence[int]) -> None:
    """Records gone for good: out of the index and out of every recently opened list."""
    remove(conn, kind, record_ids)
    for chunk in _chunks(record_ids):
        conn.execute(f"DELETE FROM search_recent WHERE kind = ? "
                     f"AND record_id IN ({_marks(chunk)})", (kind, *chunk))


def clear(conn: Connection, kind: str) -> None:
    """Empties the index of one kind (before a rebuild)."""
    conn.execute("DELETE FROM search_terms WHERE doc_id IN "
                 "(SELECT id FROM search_docs WHERE kind = ?)", (kind,))
    conn.execute("DELETE FROM search_fts WHERE rowid IN "
                 "(SELECT id FROM search_docs WHERE kind = ?)", (kind,))
    conn.execute("DELETE FROM search_docs WHERE kind = ?", (kind,))


def bulk_insert(conn: Connection, docs: Iterable[Doc], first_id: int) -> int:
    """Adds records that the index does not hold yet, many at a time (a rebuild, sample
    data); their doc ids are numbered from ``first_id``. Returns the next free id."""
    doc_rows: list[tuple[Any, ...]] = []
    fts_rows: list[tuple[int, str]] = []
    term_rows: list[tuple[str, int]] = []
    doc_id = first_id
    for doc in docs:
        body = doc.body
        doc_rows.append((doc_id, doc.kind, doc.record_id, doc.title, normalise(doc.title), body,
                         int(doc.archived)))
        fts_rows.append((doc_id, body))
        term_rows.extend((term, doc_id) for term in terms(body))
        doc_id += 1
    conn.executemany("INSERT INTO search_docs (id, kind, record_id, title, norm_title, body, "
                     "archived) VALUES (?, ?, ?, ?, ?, ?, ?)", doc_rows)
    conn.executemany("INSERT INTO search_fts (rowid, body) VALUES (?, ?)", fts_rows)
    term_rows.sort()  # in the table's order: each insert lands beside the one before
    conn.executemany("INSERT INTO search_terms (term, doc_id) VALUES (?, ?)", term_rows)
    return doc_id


def next_doc_id(conn: Connection) -> int:
    return int(conn.execute("SELECT COALESCE(max(id), 0) + 1 FROM search_docs").fetchone()[0])


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


def _chunks(values: Sequence[int]) -> list[list[int]]:
    ids = list(values)
    return [ids[i:i + _CHUNK] for i in range(0, len(ids), _CHUNK)]
