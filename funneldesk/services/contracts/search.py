"""Contracts in the search-everything index: found by their number, title and customer.
The detail line (the deal) is read when a search shows it. A confidential contract is not
in the index at all: the search shows the same hits to everyone, and a colleague off its
deal may not learn as much as its number (its own people find it on the Contracts page
and the deal's Contracts tab)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from funneldesk.i18n import N_
from funneldesk.services.common import search_index
from funneldesk.services.common.search import SearchKind

KIND = "contract"

DETAIL_SQL = """
SELECT k.id, d.title, k.customer_name
FROM contracts k
JOIN deals d ON d.id = k.deal_id
WHERE k.id IN ({ids})"""

CONTRACT_SEARCH = SearchKind(KIND, N_("Sales contract"), DETAIL_SQL)  # "Contract" is a stage

DOC_SQL = ("SELECT k.id, k.number, k.title, k.customer_name FROM contracts k "
           "WHERE k.confidentiality <> 'CONFIDENTIAL'")


def doc(row: Sequence[Any]) -> search_index.Doc:
    ident, number = int(row[0]), str(row[1])
    title, customer = str(row[2] or ""), str(row[3] or "")
    shown = f"{number} · {title}" if title else number
    return search_index.Doc(KIND, ident, shown[:300], (number, title, customer))


def index_contracts(conn: search_index.Connection, contract_ids: Sequence[int]) -> None:
    """Writes the contracts as they are now: in the index if they exist, out of it if not."""
    search_index.write_current(conn, KIND, contract_ids, DOC_SQL, "k.id", doc)


def index_new_contracts(conn: search_index.Connection, first_id: int) -> None:
    """Adds every contract from ``first_id`` on (the bulk of sample data)."""
    rows = conn.execute(f"{DOC_SQL} AND k.id >= ? ORDER BY k.id", (first_id,)).fetchall()
    search_index.bulk_insert(conn, [doc(row) for row in rows], search_index.next_doc_id(conn))
