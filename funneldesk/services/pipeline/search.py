"""Deals in the search-everything index: what makes a deal findable (its title, its
company's name and its contact's, so that 张伟 finds the deals of the contact 张伟), the
detail line a hit shows, and the writers every deal change calls in its own transaction
(create, edit, archive, Trash, restore, purge, sample data).

A deal in the Trash is out of the index; an archived one stays, marked archived. The
detail line (company · stage · owner) is read when a search shows it, so that moves and
renamed stages need no index write. A company's or contact's new name will need
their deals indexed again (``index_deals``) once they can be renamed (the Customers area).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, cast

from funneldesk.db.driver import driver_connection
from funneldesk.i18n import N_
from funneldesk.services.common import search_index
from funneldesk.services.common.search import SearchKind

KIND = "deal"
_BATCH = 20_000  # deals per batch of a rebuild: bounds its memory

DEAL_DETAIL_SQL = """
SELECT d.id, COALESCE(c.name, ''), s.name, u.display_name
FROM deals d
JOIN stages s ON s.id = d.stage_id
JOIN users u ON u.id = d.owner_id
LEFT JOIN companies c ON c.id = d.company_id
WHERE d.id IN ({ids})"""

DEAL_SEARCH = SearchKind(KIND, N_("Deal"), DEAL_DETAIL_SQL)

_DOC_SQL = """
SELECT d.id, d.title, COALESCE(c.name, ''), COALESCE(p.name, ''), d.archived_at IS NOT NULL
FROM deals d
LEFT JOIN companies c ON c.id = d.company_id
LEFT JOIN contacts p ON p.id = d.contact_id
WHERE d.deleted_at IS NULL"""


def _doc(row: Sequence[Any]) -> search_index.Doc:
    ident, title, company, contact, archived = row
    return search_index.Doc(KIND, int(ident), str(title),
                            (str(title), str(company), str(contact)), bool(archived))


def raw_connection(session: Any) -> search_index.Connection:
    """The DB-API connection under an open session, inside its transaction (the ORM's
    pending changes must be flushed first)."""
    return cast(search_index.Connection, driver_connection(session))


def index_deals(conn: search_index.Connection, deal_ids: Sequence[int]) -> None:
    """Writes the deals as they are now: in the index if they are out of the Trash,
    out of it otherwise."""
    search_index.write_current(conn, KIND, deal_ids, _DOC_SQL, "d.id", _doc)


def set_archived(conn: search_index.Connection, deal_id: int, archived: bool) -> None:
    search_index.set_archived(conn, KIND, [deal_id], archived)


def unindex_deals(conn: search_index.Connection, deal_ids: Sequence[int]) -> None:
    """Deals moved to the Trash: not found until restored."""
    search_index.remove(conn, KIND, deal_ids)


def forget_deals(conn: search_index.Connection, deal_ids: Sequence[int]) -> None:
    """Deals purged: out of the index and out of everyone's recently opened records."""
    search_index.forget(conn, KIND, deal_ids)


def index_new_deals(conn: search_index.Connection, first_id: int) -> None:
    """Adds every deal from ``first_id`` on, none of which the index holds yet (bulk
    inserts of sample data)."""
    _bulk(conn, f"{_DOC_SQL} AND d.id >= ? ORDER BY d.id", (first_id,))


def rebuild_deal_index(conn: search_index.Connection) -> None:
    """Indexes every deal anew (the benchmark's generated files; migration 0004 has its own
    frozen copy of this)."""
    search_index.clear(conn, KIND)
    _bulk(conn, f"{_DOC_SQL} ORDER BY d.id", ())


def _bulk(conn: search_index.Connection, sql: str, params: Sequence[Any]) -> None:
    next_id = search_index.next_doc_id(conn)
    for batch in _batches(conn.execute(sql, params)):
        next_id = search_index.bulk_insert(conn, [_doc(row) for row in batch], next_id)


def _batches(cursor: Any) -> Iterator[list[Any]]:
    while rows := cursor.fetchmany(_BATCH):
        yield rows
