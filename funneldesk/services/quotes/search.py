"""Quotes in the search-everything index: found by their number and title; the detail
line (the deal, its customer, the state) is read when a search shows it, so that a
renamed deal or customer needs no index write. Every change to a quote's number or title
writes its entry in the same transaction (quotes.py, sample data); a quote purged with its
deal leaves the index with it (pipeline/trash.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from funneldesk.i18n import N_
from funneldesk.services.common import search_index
from funneldesk.services.common.search import SearchKind

KIND = "quote"

DETAIL_SQL = """
SELECT q.id, d.title, COALESCE(c.name, '')
FROM quotes q
JOIN deals d ON d.id = q.deal_id
LEFT JOIN companies c ON c.id = d.company_id
WHERE q.id IN ({ids})"""

QUOTE_SEARCH = SearchKind(KIND, N_("Quote"), DETAIL_SQL)

DOC_SQL = "SELECT q.id, q.number, q.title FROM quotes q WHERE 1 = 1"


def doc(row: Sequence[Any]) -> search_index.Doc:
    ident, number, title = int(row[0]), str(row[1]), str(row[2] or "")
    shown = f"{number} · {title}" if title else number
    return search_index.Doc(KIND, ident, shown[:300], (number, title))


def index_quotes(conn: search_index.Connection, quote_ids: Sequence[int]) -> None:
    """Writes the quotes as they are now: in the index if they exist, out of it if not."""
    search_index.write_current(conn, KIND, quote_ids, DOC_SQL, "q.id", doc)


def index_new_quotes(conn: search_index.Connection, first_id: int) -> None:
    """Adds every quote from ``first_id`` on (the bulk of sample data)."""
    rows = conn.execute(f"{DOC_SQL} AND q.id >= ? ORDER BY q.id", (first_id,)).fetchall()
    search_index.bulk_insert(conn, [doc(row) for row in rows], search_index.next_doc_id(conn))
