"""companies and contacts in the search-everything index

Revision ID: 0008
Revises: 0007

Every company and contact that is neither deleted nor merged is written into the index
(search_docs, search_fts, search_terms; see migration 0004): a company is found by its
name, city, credit code, phones and emails, a contact by its name, its company's name,
WeChat ID, phones and emails. No table changes.

Frozen like 0004: what makes a customer findable, the normalisation and the terms are
copied here as they were (services/customers/search.py and
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

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 20_000  # records per batch: bounds the memory of a large file's migration

_REACH = ("COALESCE((SELECT group_concat(v, char(10)) FROM (SELECT ch.value AS v "
          "FROM channels ch WHERE ch.{owner} = {alias}.id ORDER BY ch.kind, ch.position, "
          "ch.id)), '')")

_DOCS = (
    ("company", f"""
SELECT c.id, c.name, c.city, c.credit_code, {_REACH.format(owner="company_id", alias="c")}
FROM companies c
WHERE c.deleted_at IS NULL AND c.merged_into_id IS NULL
ORDER BY c.id"""),
    ("contact", f"""
SELECT p.id, p.name, COALESCE(c.name, ''), p.wechat,
       {_REACH.format(owner="contact_id", alias="p")}
FROM contacts p
LEFT JOIN companies c ON c.id = p.company_id
WHERE p.deleted_at IS NULL AND p.merged_into_id IS NULL
ORDER BY p.id"""),
)

_CJK = "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf\u3400-\u4dbf\u4e00-\u9fff" \
       "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
_TOKEN = re.compile(rf"([{_CJK}]+)|([^\W_{_CJK}]+)")


def upgrade() -> None:
    raw = op.get_bind().connection.driver_connection  # sqlite3, inside this transaction
    assert isinstance(raw, sqlite3.Connection)
    for kind, _sql in _DOCS:  # a file written by a newer indexer meanwhile: anew
        raw.execute("DELETE FROM search_terms WHERE doc_id IN "
                    "(SELECT id FROM search_docs WHERE kind = ?)", (kind,))
        raw.execute("DELETE FROM search_fts WHERE rowid IN "
                    "(SELECT id FROM search_docs WHERE kind = ?)", (kind,))
        raw.execute("DELETE FROM search_docs WHERE kind = ?", (kind,))
    doc_id = int(raw.execute("SELECT COALESCE(max(id), 0) + 1 FROM search_docs").fetchone()[0])
    for kind, sql in _DOCS:
        for batch in _batches(raw.execute(sql)):
            doc_id = _insert(raw, kind, batch, doc_id)


def downgrade() -> None:
    raw = op.get_bind().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    for kind, _sql in _DOCS:
        raw.execute("DELETE FROM search_terms WHERE doc_id IN "
                    "(SELECT id FROM search_docs WHERE kind = ?)", (kind,))
        raw.execute("DELETE FROM search_fts WHERE rowid IN "
                    "(SELECT id FROM search_docs WHERE kind = ?)", (kind,))
        raw.execute("DELETE FROM search_docs WHERE kind = ?", (kind,))


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


def _insert(conn: sqlite3.Connection, kind: str, rows: Sequence[Sequence[Any]],
            doc_id: int) -> int:
    docs: list[tuple[Any, ...]] = []
    fts: list[tuple[int, str]] = []
    terms: list[tuple[str, int]] = []
    for ident, name, *rest in rows:
        texts = [str(name), *(str(v or "") for v in rest)]
        body = "\n".join(_normalise(t) for t in texts if t.strip())
        docs.append((doc_id, kind, int(ident), str(name), _normalise(str(name)), body, 0))
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
