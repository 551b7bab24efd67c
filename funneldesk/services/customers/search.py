"""Companies and contacts in the search-everything index: what makes each findable, the
detail line a hit shows, and the writers every change to a customer calls in its own
transaction (create, edit, merge, erase, import, sample data).

A company is found by its name, city, credit code, phones and emails; a contact by its
name, its company's name, phones, emails and WeChat ID. Deleted and merged records are
out of the index. The detail line is read when a search shows it, so that a new owner
needs no index write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, cast

from funneldesk.db.driver import driver_connection
from funneldesk.i18n import N_
from funneldesk.services.common import search_index
from funneldesk.services.common.search import SearchKind

COMPANY_KIND, CONTACT_KIND = "company", "contact"
_BATCH = 20_000  # records per batch of a rebuild: bounds its memory

COMPANY_DETAIL_SQL = """
SELECT c.id, c.city, c.industry, COALESCE(u.display_name, '')
FROM companies c
LEFT JOIN users u ON u.id = c.owner_id
WHERE c.id IN ({ids})"""

CONTACT_DETAIL_SQL = """
SELECT p.id, COALESCE(c.name, ''), p.title, COALESCE(u.display_name, '')
FROM contacts p
LEFT JOIN companies c ON c.id = p.company_id
LEFT JOIN users u ON u.id = p.owner_id
WHERE p.id IN ({ids})"""

COMPANY_SEARCH = SearchKind(COMPANY_KIND, N_("Company"), COMPANY_DETAIL_SQL)
CONTACT_SEARCH = SearchKind(CONTACT_KIND, N_("Contact"), CONTACT_DETAIL_SQL)

# each record's phones and emails, one text (GROUP_CONCAT's order is not promised: the
# subquery orders them, which SQLite keeps)
_REACH = ("COALESCE((SELECT group_concat(v, char(10)) FROM (SELECT ch.value AS v "
          "FROM channels ch WHERE ch.{owner} = {alias}.id ORDER BY ch.kind, ch.position, "
          "ch.id)), '')")

COMPANY_DOC_SQL = f"""
SELECT c.id, c.name, c.city, c.credit_code, {_REACH.format(owner="company_id", alias="c")}
FROM companies c
WHERE c.deleted_at IS NULL AND c.merged_into_id IS NULL"""

CONTACT_DOC_SQL = f"""
SELECT p.id, p.name, COALESCE(c.name, ''), p.wechat,
       {_REACH.format(owner="contact_id", alias="p")}
FROM contacts p
LEFT JOIN companies c ON c.id = p.company_id
WHERE p.deleted_at IS NULL AND p.merged_into_id IS NULL"""

_SQL = {COMPANY_KIND: (COMPANY_DOC_SQL, "c"), CONTACT_KIND: (CONTACT_DOC_SQL, "p")}


def _doc(kind: str, row: Sequence[Any]) -> search_index.Doc:
    ident, name, *rest = row
    return search_index.Doc(kind, int(ident), str(name),
                            (str(name), *(str(v or "") for v in rest)))


def raw_connection(session: Any) -> search_index.Connection:
    """The DB-API connection under an open session, inside its transaction (the ORM's
    pending changes must be flushed first)."""
    return cast(search_index.Connection, driver_connection(session))


def index_customers(conn: search_index.Connection, kind: str,
                    record_ids: Sequence[int]) -> None:
    """Writes the companies (or contacts) as they are now: in the index if listed, out of
    it if deleted or merged."""
    sql, alias = _SQL[kind]
    search_index.write_current(conn, kind, record_ids, sql, f"{alias}.id",
                               lambda row: _doc(kind, row))


def index_company_contacts(conn: search_index.Connection, company_id: int) -> None:
    """A company's contacts again (they are found by its name)."""
    ids = [int(r[0]) for r in conn.execute("SELECT id FROM contacts WHERE company_id = ?",
                                           (company_id,)).fetchall()]
    index_customers(conn, CONTACT_KIND, ids)


def index_names_of_renamed(conn: search_index.Connection, kind: str,
                           record_ids: Sequence[int],
                           reindex_deals: Callable[[search_index.Connection, Sequence[int]],
                                                   None] | None) -> list[int]:
    """The entries that hold the names of renamed companies (or contacts): a company's
    contacts, and the records' deals (indexed by ``reindex_deals``, the pipeline area's);
    the deals' ids."""
    ids = list(record_ids)
    if not ids:
        return []
    if kind == COMPANY_KIND:
        for ident in ids:
            index_company_contacts(conn, ident)
    column = "company_id" if kind == COMPANY_KIND else "contact_id"
    deals = [int(r[0]) for r in conn.execute(
        f"SELECT id FROM deals WHERE {column} IN ({', '.join('?' * len(ids))}) ORDER BY id",
        ids).fetchall()]
    if reindex_deals is not None and deals:
        reindex_deals(conn, deals)
    return deals


def forget_customers(conn: search_index.Connection, kind: str,
                     record_ids: Sequence[int]) -> None:
    """Records gone for good (erased, sample data removed): out of the index and out of
    everyone's recently opened records."""
    search_index.forget(conn, kind, record_ids)


def index_new_customers(conn: search_index.Connection, kind: str, first_id: int) -> None:
    """Adds every company (or contact) from ``first_id`` on, none of which the index holds
    yet (bulk inserts: imports, sample data)."""
    sql, alias = _SQL[kind]
    _bulk(conn, kind, f"{sql} AND {alias}.id >= ? ORDER BY {alias}.id", (first_id,))


_UNINDEXED = ("NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.kind = ? "
              "AND d.record_id = {alias}.id)")


def any_missing_customers(conn: search_index.Connection) -> bool:
    """Whether a live company or contact is missing from the index (a read: start-up asks
    this before it takes the write lock)."""
    return any(conn.execute(f"SELECT 1 FROM ({sql} AND {_UNINDEXED.format(alias=alias)} "
                            f"LIMIT 1)", (kind,)).fetchone()
               for kind, (sql, alias) in _SQL.items())


def index_missing_customers(conn: search_index.Connection, kind: str, after: int,
                            limit: int) -> tuple[int, int] | None:
    """Adds up to ``limit`` companies (or contacts) with ids above ``after`` that the
    index lacks: what a bulk import has just written (it leaves them to this), or what a
    crash between the two left out. Returns the last id it added and how many, or None
    when none is missing."""
    sql, alias = _SQL[kind]
    rows = conn.execute(f"{sql} AND {_UNINDEXED.format(alias=alias)} AND {alias}.id > ? "
                        f"ORDER BY {alias}.id LIMIT ?", (kind, after, limit)).fetchall()
    if not rows:
        return None
    search_index.bulk_insert(conn, [_doc(kind, row) for row in rows],
                             search_index.next_doc_id(conn))
    return int(rows[-1][0]), len(rows)


def rebuild_customer_index(conn: search_index.Connection) -> None:
    """Indexes every company and contact anew (migration 0008 has its own frozen copy
    of this)."""
    for kind in (COMPANY_KIND, CONTACT_KIND):
        search_index.clear(conn, kind)
    for kind in (COMPANY_KIND, CONTACT_KIND):
        sql, alias = _SQL[kind]
        _bulk(conn, kind, f"{sql} ORDER BY {alias}.id", ())


def _bulk(conn: search_index.Connection, kind: str, sql: str, params: Sequence[Any]) -> None:
    next_id = search_index.next_doc_id(conn)
    for batch in _batches(conn.execute(sql, params)):
        next_id = search_index.bulk_insert(conn, [_doc(kind, row) for row in batch], next_id)


def _batches(cursor: Any) -> Iterator[list[Any]]:
    while rows := cursor.fetchmany(_BATCH):
        yield rows
