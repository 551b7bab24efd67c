"""Reads of the customers lists (companies, contacts): how many records a query matches
(SQL ``COUNT``) and one page of them in the query's order, the team's saved segments,
the tags with their counts, and one customer's overview.

Plain SQL through ``Database.query`` with qmark parameters, like the deals list
(pipeline/deal_list.py): every value a user chose is a parameter; the only text put into
the SQL comes from the fixed tables below and from the whitelists of profile fields. A
page is read in two steps: the ids of the page (filtered and sorted over the records'
table, joined only where the sort needs another table), then what those rows show.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from funneldesk.collation import sort_key
from funneldesk.errors import InvalidInput, NotAllowed, NotFound
from funneldesk.i18n import _
from funneldesk.money import from_storage
from funneldesk.services.common.base import Service
from funneldesk.services.common.records import Actor
from funneldesk.services.common.sql import Query, timestamp
from funneldesk.services.customers import channels, profile_words
from funneldesk.services.customers.list_records import (
    ANY_KEY_LEVEL,
    COMPANY,
    CONSENT_LABELS,
    CONTACT,
    ENTITIES,
    ROLE_LABELS,
    CompanyRow,
    ContactRow,
    CustomerColumn,
    CustomerDeal,
    CustomerOverview,
    CustomerQuery,
    CustomerRow,
    HistoryLine,
    SegmentInfo,
    TagCount,
    consent_label,
    profile_fields,
    query_from_dict,
    query_to_dict,
    role_label,
)
from funneldesk.services.customers.records import Named
from funneldesk.services.team import reads as team_reads
from funneldesk.services.team.lead_sources import SEEDED, LeadSourceInfo, shown
from funneldesk.services.team.records import UserInfo

_TABLE = {COMPANY: "companies", CONTACT: "contacts"}
_LINK = {COMPANY: ("company_tags", "company_id"), CONTACT: ("contact_tags", "contact_id")}
_CHUNK = 500  # ids per statement: SQLite caps the number of bound parameters
_HISTORY = 50  # audit entries an overview shows
_ESCAPE = "ESCAPE '\\'"

C = CustomerColumn


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _first_channel(entity: str, kind: str, column: str = "key") -> str:
    owner = channels.owner_column(entity)
    return (f"(SELECT ch.{column} FROM channels ch WHERE ch.{owner} = r.id "
            f"AND ch.kind = '{kind}' ORDER BY ch.position, ch.id LIMIT 1)")


def _first_tag(entity: str) -> str:
    table, column = _LINK[entity]
    return (f"(SELECT min(t.name) FROM {table} x JOIN tags t ON t.id = x.tag_id "
            f"WHERE x.{column} = r.id)")


_OPEN_DEALS = ("(SELECT count(*) FROM deals d JOIN stages s ON s.id = d.stage_id "
               "WHERE d.company_id = r.id AND d.deleted_at IS NULL "
               "AND d.archived_at IS NULL AND s.kind = 'OPEN')")


def _labels(column: str, labels: dict[str, str]) -> tuple[str, list[Any]]:
    """A CASE that turns stored codes into their labels in the user's language, for
    ordering by what the list shows."""
    cases = " ".join("WHEN ? THEN ?" for _code in labels)
    params: list[Any] = []
    for code, label in labels.items():
        params += [code, _(label)]
    return f"(CASE {column} {cases} ELSE {column} END)", params


# a term: (SQL, parameters, whether it only puts empty values last: such a term is
# ascending whichever way the column is sorted)
Term = tuple[str, list[Any], bool]


def _terms(entity: str, column: CustomerColumn) -> tuple[list[Term], tuple[str, ...]]:
    """The terms of the column's ascending order and the tables they need (see _JOINS)."""

    def maybe(expr: str) -> list[Term]:  # missing values last
        return [(f"{expr} IS NULL", [], True), (expr, [], False)]

    if column is C.COMPANY and entity == CONTACT:  # a company's contacts by their names
        return [("co.name IS NULL", [], True), ("co.sort_name", [], False),
                ("r.sort_name", [], False)], ("co",)
    if column is C.ROLE and entity == CONTACT:
        expr, params = _labels("r.role", ROLE_LABELS)
        return [("r.role = ''", [], True), (expr, params, False)], ()
    if column is C.CONSENT and entity == CONTACT:
        expr, params = _labels("r.consent", CONSENT_LABELS)
        return [(expr, params, False)], ()
    if column is C.OWNER:
        return [("r.owner_id IS NULL", [], True), ("u.display_name", [], False)], ("u",)
    if column is C.LEAD_SOURCE:
        expr, params = _labels("ls.code", dict(SEEDED))
        return [("r.lead_source_id IS NULL", [], True),
                (f"COALESCE({expr}, ls.label)", params, False)], ("ls",)
    if column is C.TAGS:
        return maybe(_first_tag(entity)), ()
    if column is C.PHONE:
        return maybe(_first_channel(entity, "phone")), ()
    if column is C.EMAIL:
        return maybe(_first_channel(entity, "email")), ()
    if column is C.OPEN_DEALS and entity == COMPANY:
        return [(_OPEN_DEALS, [], False)], ()
    if column is C.CREATED:
        return [("r.created_at", [], False)], ()
    if column is C.CITY and entity == COMPANY:  # as shown: the city, else the province
        place = "CASE r.city WHEN '' THEN r.province ELSE r.city END"
        return [(f"{place} = ''", [], True), (f"sort_key({place})", [], False),
                ("sort_key(r.province)", [], False)], ()
    if column is C.KEY_LEVEL and entity == COMPANY:  # A, B, C: no pinyin to look up
        return [("r.key_level = ''", [], True), ("r.key_level", [], False)], ()
    # texts in the order a Chinese reader expects (pinyin): see collation.add_sql_function
    own = {C.TITLE: "r.title"} if entity == CONTACT else {
        C.INDUSTRY: "r.industry", C.SEGMENT: "r.segment"}
    if column in own:
        return [(f"{own[column]} = ''", [], True),  # empty texts last
                (f"sort_key({own[column]})", [], False)], ()
    return [("r.sort_name", [], False)], ()


_JOINS = {
    "co": "LEFT JOIN companies co ON co.id = r.company_id",
    "u": "LEFT JOIN users u ON u.id = r.owner_id",
    "ls": "LEFT JOIN lead_sources ls ON ls.id = r.lead_source_id",
}


def order_by(query: CustomerQuery) -> tuple[str, str, list[Any]]:
    """The joins and ORDER BY terms of the query's order (records alike in it by their
    names, A to Z; then by id, so that every order is total and a page boundary
    stable), and the terms' parameters."""
    terms, tables = _terms(query.entity, query.sort)
    parts, params = [], []
    for expr, values, empty_last in terms:
        descending = query.descending and not empty_last
        parts.append(f"{expr} {'DESC' if descending else 'ASC'}")
        params += values
    if not any(expr == "r.sort_name" for expr, _v, _e in terms):
        parts.append("r.sort_name ASC")
    parts.append(f"r.id {'DESC' if query.descending else 'ASC'}")
    return " ".join(_JOINS[t] for t in tables), ", ".join(parts), params


def _company_filter(query: CustomerQuery) -> list[tuple[str, str]]:
    """The company profile filters a query sets: a contact matches through its company."""
    return [(name, value) for name, value in (
        ("key_level", query.key_level), ("industry", query.industry),
        ("province", query.province), ("city", query.city), ("segment", query.segment))
        if value]


def where(query: CustomerQuery) -> tuple[str, list[Any]]:
    """The WHERE clause (over the records' table as ``r``) of the records ``query``
    matches, and its parameters."""
    entity = query.entity
    clauses = ["r.deleted_at IS NULL", "r.merged_into_id IS NULL"]
    params: list[Any] = []
    text = query.text.strip()
    if text:
        owner = channels.owner_column(entity)
        found = [f"r.name LIKE ? {_ESCAPE}"]
        params.append(_like(text))
        if entity == CONTACT:  # also by WeChat ID, and by the company's name (广达)
            found.append(f"r.wechat LIKE ? {_ESCAPE}")
            found.append("r.company_id IN (SELECT c.id FROM companies c WHERE c.name LIKE ? "
                         f"{_ESCAPE} AND c.deleted_at IS NULL)")
            params += [_like(text), _like(text)]
        found.append(f"EXISTS (SELECT 1 FROM channels ch WHERE ch.{owner} = r.id "
                     f"AND (ch.value LIKE ? {_ESCAPE} OR ch.key LIKE ? {_ESCAPE}))")
        params += [_like(text), _like(text.casefold())]
        digits = re.sub(r"\D", "", text)
        if len(digits) >= 3 and digits != text:  # a number typed with spaces or dashes
            found.append(f"EXISTS (SELECT 1 FROM channels ch WHERE ch.{owner} = r.id "
                         f"AND ch.kind = 'phone' AND ch.key LIKE ? {_ESCAPE})")
            params.append(_like(digits))
        clauses.append("(" + " OR ".join(found) + ")")
    if query.owner_id is not None:
        clauses.append("r.owner_id = ?")
        params.append(query.owner_id)
    if query.in_pool is not None:
        clauses.append(f"r.owner_id IS {'' if query.in_pool else 'NOT '}NULL")
    if query.lead_source_id is not None:
        clauses.append("r.lead_source_id = ?")
        params.append(query.lead_source_id)
    if query.tag:
        table, column = _LINK[entity]
        clauses.append(f"EXISTS (SELECT 1 FROM {table} x JOIN tags t ON t.id = x.tag_id "
                       f"WHERE x.{column} = r.id AND t.name = ?)")
        params.append(query.tag)
    company = _company_filter(query)
    tests = [f"{name} != ''" if (name, value) == ("key_level", ANY_KEY_LEVEL) else f"{name} = ?"
             for name, value in company]
    values = [value for name, value in company
              if (name, value) != ("key_level", ANY_KEY_LEVEL)]
    if entity == COMPANY:
        clauses += [f"r.{test}" for test in tests]
        params += values
    else:
        if company:
            clauses.append("r.company_id IN (SELECT id FROM companies WHERE "
                           + " AND ".join(tests) + ")")
            params += values
        if query.consent:
            clauses.append("r.consent = ?")
            params.append(query.consent)
        if query.company_id is not None:
            clauses.append("r.company_id = ?")
            params.append(query.company_id)
    allowed = profile_fields(entity)
    for name, value in query.profile:
        if name not in allowed:
            raise InvalidInput(name, _("A list cannot be filtered by “{field}”.").format(
                field=name))
        clauses.append(f"r.{name} = ?")
        # a usual profile word as kept, however the filter (or an older segment) writes it
        params.append(profile_words.kept(name, value))
    return " AND ".join(clauses), params


def _entity(query: CustomerQuery) -> str:
    if query.entity not in ENTITIES:
        raise InvalidInput("entity", _("Choose companies or contacts."))
    return _TABLE[query.entity]


def count(run: Query, query: CustomerQuery) -> int:
    table = _entity(query)
    clause, params = where(query)
    return int(run(f"SELECT count(*) FROM {table} r WHERE {clause}", params)[0][0])


def ids_sql(query: CustomerQuery) -> tuple[str, list[Any]]:
    """A SELECT of the ids of the records ``query`` matches, and its parameters."""
    table = _entity(query)
    clause, params = where(query)
    return f"SELECT r.id FROM {table} r WHERE {clause}", params


def page_ids(run: Query, query: CustomerQuery, offset: int, limit: int) -> list[int]:
    table = _entity(query)
    if limit <= 0:
        return []
    clause, params = where(query)
    joins, order, order_params = order_by(query)
    rows = run(f"SELECT r.id FROM {table} r {joins} WHERE {clause} ORDER BY {order} "
               f"LIMIT ? OFFSET ?", (*params, *order_params, limit, max(0, offset)))
    return [int(r[0]) for r in rows]


_COMPANY_SQL = """
SELECT r.id, r.version, r.name, r.city, r.province, r.industry, r.segment, r.owner_id,
       u.display_name, r.key_level, ls.code, ls.label, r.created_at
FROM companies r
LEFT JOIN users u ON u.id = r.owner_id
LEFT JOIN lead_sources ls ON ls.id = r.lead_source_id
WHERE r.id IN ({marks})"""

_CONTACT_SQL = """
SELECT r.id, r.version, r.name, r.company_id, COALESCE(co.name, ''), r.title, r.role,
       r.owner_id, u.display_name, ls.code, ls.label, r.consent, r.created_at
FROM contacts r
LEFT JOIN companies co ON co.id = r.company_id
LEFT JOIN users u ON u.id = r.owner_id
LEFT JOIN lead_sources ls ON ls.id = r.lead_source_id
WHERE r.id IN ({marks})"""


def _source(code: str | None, label: str | None) -> str:
    return shown(code, label) if label is not None else ""


def _tags(run: Query, entity: str, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    table, column = _LINK[entity]
    found: dict[int, list[str]] = {}
    for ident, name in run(f"SELECT x.{column}, t.name FROM {table} x "
                           f"JOIN tags t ON t.id = x.tag_id WHERE x.{column} IN "
                           f"({_marks(len(ids))})", list(ids)):
        found.setdefault(int(ident), []).append(str(name))
    return {k: tuple(sorted(v, key=sort_key)) for k, v in found.items()}


def _channels(run: Query, entity: str, ids: Sequence[int],
              region: str) -> dict[tuple[int, str], tuple[str, bool]]:
    """Each record's first phone (as written nationally) and first email, with whether
    someone verified it."""
    owner = channels.owner_column(entity)
    first: dict[tuple[int, str], tuple[str, bool]] = {}
    for ident, kind, value, key, verified in run(
            f"SELECT {owner}, kind, value, key, verified_at IS NOT NULL FROM channels "
            f"WHERE {owner} IN ({_marks(len(ids))}) ORDER BY position, id", list(ids)):
        first.setdefault((int(ident), str(kind)),
                         (channels.shown(kind, value, key, region), bool(verified)))
    return first


def _open_deals(run: Query, ids: Sequence[int]) -> dict[int, int]:
    return {int(r[0]): int(r[1]) for r in run(
        "SELECT d.company_id, count(*) FROM deals d JOIN stages s ON s.id = d.stage_id "
        f"WHERE d.company_id IN ({_marks(len(ids))}) AND d.deleted_at IS NULL "
        "AND d.archived_at IS NULL AND s.kind = 'OPEN' GROUP BY d.company_id", list(ids))}


def rows_of(run: Query, entity: str, ids: Sequence[int], region: str) -> list[CustomerRow]:
    """The rows of ``ids``, in that order (ids no longer there are left out)."""
    found: dict[int, CustomerRow] = {}
    for i in range(0, len(ids), _CHUNK):
        chunk = list(ids[i:i + _CHUNK])
        tags = _tags(run, entity, chunk)
        reach = _channels(run, entity, chunk, region)
        sql = (_COMPANY_SQL if entity == COMPANY else _CONTACT_SQL).format(
            marks=_marks(len(chunk)))
        rows = run(sql, chunk)
        if entity == COMPANY:
            deals = _open_deals(run, chunk)
            for r in rows:
                ident = int(r[0])
                found[ident] = CompanyRow(
                    ident, int(r[1]), r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9],
                    _source(r[10], r[11]), tags.get(ident, ()), deals.get(ident, 0),
                    *reach.get((ident, "phone"), ("", False)), timestamp(r[12]))
        else:
            for r in rows:
                ident = int(r[0])
                email, verified = reach.get((ident, "email"), ("", False))
                found[ident] = ContactRow(
                    ident, int(r[1]), r[2], r[3], r[4], r[5], r[6], role_label(r[6]),
                    *reach.get((ident, "phone"), ("", False)), email, verified, r[7], r[8],
                    _source(r[9], r[10]), r[11], consent_label(r[11]), tags.get(ident, ()),
                    timestamp(r[12]))
    return [found[i] for i in ids if i in found]


_OUTCOME_SQL = ("CASE WHEN d.archived_at IS NOT NULL THEN 'archived' WHEN s.kind = 'WON' "
                "THEN 'won' WHEN s.kind = 'LOST' THEN 'lost' ELSE 'open' END")


class CustomerListService(Service):
    """What the customers lists read (only reads, and the team's saved segments: every
    change to a customer goes through CustomerService)."""

    def _region(self) -> str:
        from funneldesk.services.team.settings import DEFAULT_PHONE_REGION, PHONE_REGION

        return team_reads.setting(self.db.query, PHONE_REGION) or DEFAULT_PHONE_REGION

    def choices(self) -> tuple[tuple[UserInfo, ...], tuple[LeadSourceInfo, ...]]:
        """What the list's filters offer: the owners and the lead sources."""
        with self.db.snapshot():
            owners = team_reads.read_owners(self.db.query)
            sources = tuple(LeadSourceInfo(int(r[0]), r[1], shown(r[1], str(r[2])), bool(r[3]))
                            for r in self.db.query("SELECT id, code, label, active FROM "
                                                   "lead_sources ORDER BY position, id"))
            return owners, sources

    def field_values(self, entity: str, limit: int = 200) -> dict[str, tuple[str, ...]]:
        """For each profile field a list can be filtered by, the values the live records
        hold, the most common first: what the list's field filters offer."""
        table = _entity(CustomerQuery(entity=entity))
        found: dict[str, tuple[str, ...]] = {}
        with self.db.snapshot():
            for name in sorted(profile_fields(entity)):  # a whitelist: safe in the SQL
                found[name] = tuple(str(r[0]) for r in self.db.query(
                    f"SELECT {name} FROM {table} WHERE deleted_at IS NULL AND "
                    f"merged_into_id IS NULL AND {name} IS NOT NULL AND {name} != '' "
                    f"GROUP BY {name} ORDER BY count(*) DESC, {name} LIMIT ?", (limit,)))
        return found

    def count(self, query: CustomerQuery) -> int:
        """How many companies or contacts ``query`` matches."""
        return count(self.db.query, query)

    def page(self, query: CustomerQuery, offset: int, limit: int) -> tuple[CustomerRow, ...]:
        """Rows ``offset`` to ``offset + limit`` of the list, in the query's order."""
        region = self._region()
        with self.db.snapshot():
            ids = page_ids(self.db.query, query, offset, limit)
            return tuple(rows_of(self.db.query, query.entity, ids, region))

    def count_and_page(self, query: CustomerQuery, offset: int,
                       limit: int) -> tuple[int, tuple[CustomerRow, ...]]:
        """The count and one page in one consistent read."""
        region = self._region()
        with self.db.snapshot():
            total = count(self.db.query, query)
            ids = page_ids(self.db.query, query, offset, limit)
            return total, tuple(rows_of(self.db.query, query.entity, ids, region))

    def all_rows(self, query: CustomerQuery) -> Iterator[CustomerRow]:
        """Every row of the list, in its order, read a page at a time."""
        region = self._region()
        offset = 0
        while True:
            with self.db.snapshot():
                ids = page_ids(self.db.query, query, offset, _CHUNK)
                rows = rows_of(self.db.query, query.entity, ids, region)
            yield from rows
            if len(ids) < _CHUNK:
                return
            offset += _CHUNK

    def position(self, query: CustomerQuery, record_id: int) -> int | None:
        """The row of ``record_id`` in the list ``query`` shows, or None if it is not
        listed (what opening a record found elsewhere selects)."""
        table = _entity(query)
        clause, params = where(query)
        joins, order, order_params = order_by(query)
        rows = self.db.query(
            f"SELECT n - 1 FROM (SELECT r.id, row_number() OVER (ORDER BY {order}) AS n "
            f"FROM {table} r {joins} WHERE {clause}) WHERE id = ?",
            (*order_params, *params, record_id))
        return int(rows[0][0]) if rows else None

    # --- tags and segments -------------------------------------------------------------

    def tag_counts(self, entity: str) -> tuple[TagCount, ...]:
        """Every tag on a listed company (or contact) and on how many, most used first."""
        table = _entity(CustomerQuery(entity=entity))
        link, column = _LINK[entity]
        return tuple(TagCount(str(name), int(n)) for name, n in self.db.query(
            f"SELECT t.name, count(*) FROM {link} x JOIN tags t ON t.id = x.tag_id "
            f"JOIN {table} r ON r.id = x.{column} WHERE r.deleted_at IS NULL "
            "AND r.merged_into_id IS NULL GROUP BY t.id, t.name "
            "ORDER BY count(*) DESC, t.name", ()))

    def segments(self, entity: str) -> tuple[SegmentInfo, ...]:
        """The team's saved segments of companies (or contacts), by name in pinyin order
        (a short list: sorted here)."""
        return tuple(sorted((self._segment(row) for row in self.db.query(
            "SELECT s.id, s.entity, s.name, s.query, s.created_by_id, u.display_name "
            "FROM segments s JOIN users u ON u.id = s.created_by_id "
            "WHERE s.entity = ? ORDER BY s.id", (entity,))), key=lambda s: sort_key(s.name)))

    @staticmethod
    def _segment(row: Sequence[Any]) -> SegmentInfo:
        ident, entity, name, query, by_id, by_name = row
        try:
            data = json.loads(query)
        except ValueError:
            data = {}
        read = query_from_dict(data if isinstance(data, dict) else {})
        if read.entity != entity:  # a segment is over the records it was saved for
            read = CustomerQuery(entity=entity)
        return SegmentInfo(int(ident), str(entity), str(name), read, int(by_id), str(by_name))

    def save_segment(self, name: str, query: CustomerQuery, by: Actor) -> SegmentInfo:
        """Keeps ``query`` as the segment ``name`` of its records' kind; a segment of that
        name is replaced (only by whoever saved it, or a manager)."""
        from sqlalchemy import select

        from funneldesk.models import Segment
        from funneldesk.services.common import audit

        _entity(query)
        name = name.strip()
        if not name:
            raise InvalidInput("name", _("Enter the segment's name."))
        data = json.dumps(query_to_dict(query), ensure_ascii=False, sort_keys=True)
        with self.db.session() as session:
            segment = session.scalar(select(Segment).where(Segment.entity == query.entity,
                                                           Segment.name == name))
            if segment is None:
                segment = Segment(entity=query.entity, name=name, query=data,
                                  created_by_id=by.id)
                session.add(segment)
                action = "create"
            else:
                _may_change(segment.created_by_id, by)
                segment.query = data
                action = "update"
            session.flush()
            audit.record(session, by, action, "segment", segment.id, name=name,
                         records=query.entity)
            ident = segment.id
        return next(s for s in self.segments(query.entity) if s.id == ident)

    def delete_segment(self, segment_id: int, by: Actor) -> None:
        """Removes a saved segment (only whoever saved it, or a manager)."""
        from funneldesk.models import Segment
        from funneldesk.services.common import audit

        with self.db.session() as session:
            segment = session.get(Segment, segment_id)
            if segment is None:
                raise NotFound("segment", segment_id)
            _may_change(segment.created_by_id, by)
            audit.record(session, by, "delete", "segment", segment.id, name=segment.name,
                         records=segment.entity)
            session.delete(segment)

    # --- one customer ------------------------------------------------------------------

    def overview(self, entity: str, record_id: int) -> CustomerOverview:
        """A company or contact with its people, deals and history: what opening it
        shows."""
        from funneldesk.services.customers.companies import CustomerService

        customers = CustomerService(self.db)
        detail = (customers.company_detail(record_id) if entity == COMPANY
                  else customers.contact_detail(record_id))
        run = self.db.query
        with self.db.snapshot():
            source = run("SELECT code, label FROM lead_sources WHERE id = ?",
                         (detail.fields.lead_source_id,))
            people: tuple[Named, ...] = ()
            if entity == COMPANY:
                people = tuple(Named(int(r[0]), str(r[1]), record_id) for r in run(
                    "SELECT id, name FROM contacts WHERE company_id = ? AND deleted_at IS NULL "
                    "AND merged_into_id IS NULL ORDER BY sort_name, id", (record_id,)))
            link = "d.company_id" if entity == COMPANY else "d.contact_id"
            deals = tuple(CustomerDeal(int(r[0]), str(r[1]), str(r[2]), str(r[3]),
                                       from_storage(r[4]), str(r[5])) for r in run(
                f"SELECT d.id, d.title, s.name, {_OUTCOME_SQL}, COALESCE(d.won_value, d.value), "
                f"d.currency FROM deals d JOIN stages s ON s.id = d.stage_id "
                f"WHERE {link} = ? AND d.deleted_at IS NULL ORDER BY d.created_at DESC, d.id DESC",
                (record_id,)))
            # its own history and that of the records merged into it (a merge keeps both;
            # undone, each has its own again)
            ids = [int(r[0]) for r in run(
                "WITH RECURSIVE kept(id) AS (SELECT ? UNION SELECT m.merged_id FROM merges m "
                "JOIN kept k ON m.kept_id = k.id WHERE m.entity = ? AND m.undone_at IS NULL) "
                "SELECT id FROM kept", (record_id, entity))]
            region = self._region()
            history = tuple(_history(r, region) for r in run(
                "SELECT a.at, u.display_name, a.action, a.details FROM audit_log a "
                "LEFT JOIN users u ON u.id = a.user_id WHERE a.entity = ? "
                f"AND a.entity_id IN ({', '.join('?' * len(ids))}) "
                "ORDER BY a.at DESC, a.id DESC LIMIT ?", (entity, *ids, _HISTORY)))
            made = _made_line(run, entity, record_id)
            if made is not None:  # in date order, among the newest entries only
                history = tuple(sorted((*history, made), key=lambda h: h.at,
                                       reverse=True)[:_HISTORY])
        return CustomerOverview(entity, record_id, detail,
                                _source(source[0][0], source[0][1]) if source else "",
                                people, deals, history)


def _made_line(run: Query, entity: str, record_id: int) -> HistoryLine | None:
    """When and by whom a record an import made was made, from the record itself: an
    import audits the file, not each record. None for a record with its own "create"
    entry, and for sample data (stamped with a made-up time)."""
    if run("SELECT 1 FROM audit_log WHERE entity = ? AND entity_id = ? AND action = 'create' "
           "LIMIT 1", (entity, record_id)):
        return None
    table = _entity(CustomerQuery(entity))
    made = run(f"SELECT r.created_at, u.display_name FROM {table} r LEFT JOIN users u "
               f"ON u.id = r.created_by_id WHERE r.id = ? AND NOT r.is_sample", (record_id,))
    return HistoryLine(timestamp(made[0][0]), made[0][1], "create", ()) if made else None


def _history(row: Sequence[Any], region: str) -> HistoryLine:
    """An audit entry as the history lists it (a phone verified written as the record
    shows it: 138 1234 5678, not +8613812345678)."""
    at, by, action, details = row
    try:
        data = json.loads(details or "{}")
    except ValueError:
        data = {}
    changed = data.get("changed") if isinstance(data, dict) else None
    # the phone or email verified, the record merged in
    value = (data.get("value") or data.get("merged_name")) if isinstance(data, dict) else None
    if isinstance(value, str) and value.startswith("+") and value[1:].isdigit():
        value = channels.shown("phone", value, value, region)
    return HistoryLine(timestamp(at), by, str(action),
                       tuple(sorted(changed)) if isinstance(changed, dict) else (),
                       value if isinstance(value, str) else "")


def _may_change(created_by_id: int, by: Actor) -> None:
    if by.id != created_by_id and not by.is_manager:
        raise NotAllowed(_("Only whoever saved a segment, or a manager, can change or "
                           "delete it."))


__all__ = ["CustomerListService", "count", "order_by", "page_ids", "rows_of", "where"]
