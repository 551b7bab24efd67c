"""activities in the search-everything index

Revision ID: 0013
Revises: 0012

Every activity with something written (a title, an agenda or an outcome) is written into
the index (search_docs, search_fts, search_terms; see migration 0004), found by those
three texts and titled by its title, else the first line of its agenda or outcome. No
table changes.

Frozen like 0004 and 0008: what makes an activity findable, the normalisation and the
terms are copied here as they were (services/activities/search.py and
services/common/search_index.py), so that later changes to those cannot change what this
writes into an old file. tests/db/test_migrations_on_data.py checks that the copy writes
what the live indexer writes.
"""
import re
import sqlite3
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KIND = "activity"
_BATCH = 20_000  # activities per batch: bounds the memory of a large file's migration
_DOCS = """
SELECT a.id, a.title, a.agenda, a.outcome
FROM activities a
WHERE (a.title != '' OR a.agenda != '' OR a.outcome != '')
ORDER BY a.id"""

_CJK = "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf\u3400-\u4dbf\u4e00-\u9fff" \
       "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
_TOKEN = re.compile(rf"([{_CJK}]+)|([^\W_{_CJK}]+)")


def upgrade() -> None:
    raw = op.get_bind().connection.driver_connection  # sqlite3, inside this transaction
    assert isinstance(raw, sqlite3.Connection)
    _clear(raw)  # a file written by a newer indexer meanwhile: anew
    doc_id = int(raw.execute("SELECT COALESCE(max(id), 0) + 1 FROM search_docs").fetchone()[0])
    cursor = raw.execute(_DOCS)
    for batch in _batches(cursor):
        doc_id = _insert(raw, batch, doc_id)


def downgrade() -> None:
    raw = op.get_bind().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    _clear(raw)


def _clear(raw: sqlite3.Connection) -> None:
    raw.execute("DELETE FROM search_terms WHERE doc_id IN "
                "(SELECT id FROM search_docs WHERE kind = ?)", (_KIND,))
    raw.execute("DELETE FROM search_fts WHERE rowid IN "
                "(SELECT id FROM search_docs WHERE kind = ?)", (_KIND,))
    raw.execute("DELETE FROM search_docs WHERE kind = ?", (_KIND,))


def _normalise(text: str) -> str:
    """NFKD, combining marks dropped, casefolded, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(folded.split())


def _terms(body: str) -> set[str]:
    """Every two-character run of CJK text and each run's last character; the first one
    and two letters of other words."""
    found: set[str] = set()
    for cjk, word in _TOKEN.findall(body):
        if cjk:
            found.update(cjk[i:i + 2] for i in range(len(cjk) - 1))
            found.add(cjk[-1])
        else:
            found.update((word[:1], word[:2]))
    return found


def _insert(conn: sqlite3.Connection, rows: Sequence[Sequence[Any]], doc_id: int) -> int:
    docs: list[tuple[Any, ...]] = []
    fts: list[tuple[int, str]] = []
    terms: list[tuple[str, int]] = []
    for ident, *texts in rows:
        title, agenda, outcome = (str(t or "") for t in texts)
        shown = (title or next(line.strip() for line in (agenda + "\n" + outcome).splitlines()
                               if line.strip()))[:300]
        body = "\n".join(_normalise(t) for t in (title, agenda, outcome) if t.strip())
        docs.append((doc_id, _KIND, int(ident), shown, _normalise(shown), body, 0))
        fts.append((doc_id, body))
        terms.extend((term, doc_id) for term in _terms(body))
        doc_id += 1
    conn.executemany("INSERT INTO search_docs (id, kind, record_id, title, norm_title, body, "
                     "archived) VALUES (?, ?, ?, ?, ?, ?, ?)", docs)
    conn.executemany("INSERT INTO search_fts (rowid, body) VALUES (?, ?)", fts)
    terms.sort()
    conn.executemany("INSERT INTO search_terms (term, doc_id) VALUES (?, ?)", terms)
    return doc_id


def _batches(cursor: sqlite3.Cursor) -> Iterator[list[Any]]:
    while rows := cursor.fetchmany(_BATCH):
        yield rows
