"""the search-everything index, filled with every deal not in the Trash

Revision ID: 0004
Revises: 0003

- search_docs: one row per findable record (kind, record id, title, normalised title and
  text, archived);
- search_fts: an FTS5 table with the trigram tokenizer over the normalised text (queries
  of three or more characters);
- search_terms: CJK bigrams, each CJK run's last character and the first one and two
  letters of other words, keyed (term, doc id), for one- and two-character queries;
- search_recent: when each user last opened a record from the search.

services/common/search_index.py describes the index. The deals are indexed by a frozen
copy of the indexing of that time (what makes a deal findable, the normalisation, the
terms), not through the services: a later change to the indexer or to the deals must
neither change what this migration writes into an old file nor break it.
tests/db/test_migrations_on_data.py checks that the copy still writes what the live
indexer writes for the same deals; once the live indexer changes, the migration that
changes it rebuilds the index itself and this copy stays as it is.
"""
import re
import sqlite3
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import funneldesk.models.base

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'search_docs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('norm_title', sa.Text(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('archived', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_docs')),
        sa.UniqueConstraint('kind', 'record_id', name=op.f('uq_search_docs_kind_record_id')),
    )
    op.create_table(
        'search_terms',
        sa.Column('term', sa.String(length=8), nullable=False),
        sa.Column('doc_id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('term', 'doc_id', name=op.f('pk_search_terms')),
        sqlite_with_rowid=False,
    )
    op.create_table(
        'search_recent',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('opened_at', funneldesk.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_search_recent_user_id_users')),
        sa.PrimaryKeyConstraint('user_id', 'kind', 'record_id', name=op.f('pk_search_recent')),
    )
    op.create_index('ix_search_recent_user_opened', 'search_recent', ['user_id', 'opened_at'],
                    unique=False)
    op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(body, tokenize='trigram')")

    raw = op.get_bind().connection.driver_connection  # sqlite3, inside this transaction
    assert isinstance(raw, sqlite3.Connection)
    _index_deals(raw)
    # built once over the filled table rather than kept in order row by row
    op.create_index('ix_search_docs_norm_title', 'search_docs', ['norm_title'], unique=False)


def downgrade() -> None:
    op.execute("DROP TABLE search_fts")
    op.drop_index('ix_search_recent_user_opened', table_name='search_recent')
    op.drop_table('search_recent')
    op.drop_table('search_terms')
    op.drop_index('ix_search_docs_norm_title', table_name='search_docs')
    op.drop_table('search_docs')


# What follows is the frozen copy of services/pipeline/search.py (what makes a deal
# findable) and services/common/search_index.py (normalising, terms) as they were when
# this migration was last changed. It is written for speed (210,000 deals are indexed in
# about half the time the live indexer takes), so it does not read like the live code;
# the test compares what the two write.

_KIND = "deal"
_BATCH = 20_000  # deals per batch: bounds the memory of a large file's migration
_REMEMBERED = 50_000  # field texts remembered with their terms, a few dozen MB at most

_DOC_SQL = """
SELECT d.id, d.title, COALESCE(c.name, ''), COALESCE(p.name, ''), d.archived_at IS NOT NULL
FROM deals d
LEFT JOIN companies c ON c.id = d.company_id
LEFT JOIN contacts p ON p.id = d.contact_id
WHERE d.deleted_at IS NULL
ORDER BY d.id"""

_CJK = "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf\u3400-\u4dbf\u4e00-\u9fff" \
       "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
# a match is either a run of CJK characters (first group) or of other letters and digits
_TOKEN = re.compile(rf"([{_CJK}]+)|([^\W_{_CJK}]+)")


class _Fields:
    """Each field's normalised text (NFKD, combining marks dropped, casefolded, single
    spaces) and its terms, worked out once per distinct text: the same company names and
    titles come back again and again. A record's terms are the union of its fields' terms,
    since the line breaks that join the fields end every word."""

    def __init__(self) -> None:
        self.done: dict[str, tuple[str, frozenset[str]]] = {}
        self.combining: dict[int, None] | None = None

    def __call__(self, text: str) -> tuple[str, frozenset[str]]:
        found = self.done.get(text)
        if found is None:
            if len(self.done) >= _REMEMBERED:
                self.done.clear()
            normalised = " ".join(self._fold(text).split())
            found = self.done[text] = (normalised, _terms(normalised))
        return found

    def _fold(self, text: str) -> str:
        if text.isascii():  # no decomposition, no combining marks; casefold is lower
            return text.lower()
        if self.combining is None:
            self.combining = {code: None for code in range(0x110000)
                              if unicodedata.combining(chr(code))}
        return unicodedata.normalize("NFKD", text).translate(self.combining).casefold()


def _terms(normalised: str) -> frozenset[str]:
    """Every two-character run of CJK text and each run's last character; the first one
    and two letters of other words."""
    found: set[str] = set()
    for cjk, word in _TOKEN.findall(normalised):
        if cjk:
            found.update([cjk[i:i + 2] for i in range(len(cjk) - 1)])
            found.add(cjk[-1])
        else:
            found.add(word[:1])
            found.add(word[:2])
    return frozenset(found)


def _index_deals(conn: sqlite3.Connection) -> None:
    """Writes every deal outside the Trash into the new, empty index, doc ids numbered from
    1 in the order of the deal ids. The documents go in from Python, with each one's terms
    as a JSON list in a temporary table; SQL then fills the FTS table and the terms, these
    sorted in the table's key order, which is several times faster than inserting millions
    of (term, doc id) rows one by one."""
    fields = _Fields()
    conn.execute("CREATE TEMP TABLE migration_0004_terms (doc_id INTEGER PRIMARY KEY, "
                 "terms TEXT NOT NULL)")
    doc_id = 1
    for batch in _batches(conn.execute(_DOC_SQL)):
        docs: list[tuple[Any, ...]] = []
        terms: list[tuple[int, str]] = []
        for ident, title, company, contact, archived in batch:
            found = [fields(f) for f in (title, company, contact) if f.strip()]
            body = "\n".join(normalised for normalised, _words in found)
            docs.append((doc_id, _KIND, ident, title, fields(title)[0], body, int(archived)))
            terms.append((doc_id, _json_list(set().union(*(words for _n, words in found)))))
            doc_id += 1
        conn.executemany("INSERT INTO search_docs (id, kind, record_id, title, norm_title, "
                         "body, archived) VALUES (?, ?, ?, ?, ?, ?, ?)", docs)
        conn.executemany("INSERT INTO migration_0004_terms (doc_id, terms) VALUES (?, ?)", terms)
    conn.execute("INSERT INTO search_fts (rowid, body) SELECT id, body FROM search_docs "
                 "ORDER BY id")
    conn.execute("INSERT INTO search_terms (term, doc_id) SELECT j.value, t.doc_id "
                 "FROM migration_0004_terms t, json_each(t.terms) j ORDER BY 1, 2")
    conn.execute("DROP TABLE temp.migration_0004_terms")


def _json_list(terms: set[str]) -> str:
    # terms are letters, digits and CJK characters: nothing in them needs escaping
    return '["' + '","'.join(terms) + '"]' if terms else "[]"


def _batches(cursor: sqlite3.Cursor) -> Iterator[list[Any]]:
    while rows := cursor.fetchmany(_BATCH):
        yield rows
