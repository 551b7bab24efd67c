"""Activities in the search-everything index: found by their title, agenda and outcome;
the detail line (what it is for, who does it) is read when a search shows it, so that a
renamed deal or customer needs no index write. Every change to an activity writes its
entry in the same transaction (activities.py, next_steps.py, sample data); migration 0013
indexed those there were before, with its own frozen copy of ``DOC_SQL`` and ``doc``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from funneldesk.i18n import N_
from funneldesk.services.common import search_index
from funneldesk.services.common.search import SearchKind

KIND = "activity"
_BATCH = 20_000  # activities per batch of a bulk insert: bounds its memory

DETAIL_SQL = """
SELECT a.id, COALESCE(d.title, p.name, c.name, ''), COALESCE(u.display_name, '')
FROM activities a
LEFT JOIN deals d ON d.id = a.deal_id
LEFT JOIN contacts p ON p.id = a.contact_id
LEFT JOIN companies c ON c.id = a.company_id
LEFT JOIN users u ON u.id = a.assignee_id
WHERE a.id IN ({ids})"""

ACTIVITY_SEARCH = SearchKind(KIND, N_("Activity"), DETAIL_SQL)

# an activity with nothing written (no title, agenda or outcome) has nothing to find
DOC_SQL = """
SELECT a.id, a.title, a.agenda, a.outcome
FROM activities a
WHERE (a.title != '' OR a.agenda != '' OR a.outcome != '')"""


def doc(row: Sequence[Any]) -> search_index.Doc:
    """An activity's entry: titled by its title, else its agenda's or outcome's first
    line (what a hit shows)."""
    ident, title, agenda, outcome = (row[0], *(str(v or "") for v in row[1:]))
    shown = title or next(line.strip() for line in (agenda + "\n" + outcome).splitlines()
                          if line.strip())
    return search_index.Doc(KIND, int(ident), shown[:300], (title, agenda, outcome))


def index_activities(conn: search_index.Connection, activity_ids: Sequence[int]) -> None:
    """Writes the activities as they are now: in the index if they exist and say
    something, out of it otherwise (withdrawn, or emptied)."""
    search_index.write_current(conn, KIND, activity_ids, DOC_SQL, "a.id", doc)


def forget_activities(conn: search_index.Connection, activity_ids: Sequence[int]) -> None:
    """Activities gone for good (withdrawn, purged with their deal): out of the index and
    out of every recently opened list."""
    search_index.forget(conn, KIND, activity_ids)


def index_new_activities(conn: search_index.Connection, first_id: int) -> None:
    """Adds every activity from ``first_id`` on, none of which the index holds yet (the
    bulk insert of sample data)."""
    next_id = search_index.next_doc_id(conn)
    cursor = conn.execute(f"{DOC_SQL} AND a.id >= ? ORDER BY a.id", (first_id,))
    while rows := cursor.fetchmany(_BATCH):
        next_id = search_index.bulk_insert(conn, [doc(row) for row in rows], next_id)


def rebuild_activity_index(conn: search_index.Connection) -> None:
    """Indexes every activity anew (what migration 0013's frozen copy must match)."""
    search_index.clear(conn, KIND)
    index_new_activities(conn, 0)
