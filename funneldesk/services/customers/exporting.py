"""Companies and contacts as rows for a file: the header row uses the import's field names
(so that an export imports back with no mapping) or their labels in the user's language."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from funneldesk.i18n import _
from funneldesk.services.common.sql import Query
from funneldesk.services.common.tabular.records import Field
from funneldesk.services.customers import profile_words
from funneldesk.services.customers.importers import COMPANY_FIELDS, CONTACT_FIELDS
from funneldesk.services.customers.list_records import consent_label, role_label
from funneldesk.services.team.lead_sources import SEEDED

# what each exported field reads, as SQL over companies c / contacts p
_COMMON = {
    "external_id": "{t}.external_id", "owner": "u.display_name",
    "source": "coalesce(s.code, s.label)", "campaign": "{t}.campaign", "notes": "{t}.notes",
    # an extension as people write it: the stored ";ext=" would split at the ";" when
    # the file is imported back
    "phone": "(SELECT group_concat(replace(value, ';ext=', ' ext. '), '; ') FROM (SELECT "
             "value FROM channels WHERE {owner} = {t}.id AND kind = 'phone' "
             "ORDER BY position))",
    "email": "(SELECT group_concat(value, '; ') FROM (SELECT value FROM channels "
             "WHERE {owner} = {t}.id AND kind = 'email' ORDER BY position))",
    "tags": "(SELECT group_concat(name, '; ') FROM (SELECT g.name FROM {link} l "
            "JOIN tags g ON g.id = l.tag_id WHERE l.{owner} = {t}.id ORDER BY g.name))",
}


def _select(entity: str, fields: tuple[Field, ...],
            only: str = "") -> tuple[list[str], str]:
    table, t = ("companies", "c") if entity == "company" else ("contacts", "p")
    owner = f"{entity}_id"
    link = f"{entity}_tags"
    names, columns = [], []
    for spec in fields:
        if spec.name in _COMMON:
            sql = _COMMON[spec.name].format(t=t, owner=owner, link=link)
        elif spec.name == "company":
            sql = "(SELECT name FROM companies WHERE id = p.company_id)"
        else:
            sql = f"{t}.{spec.name}"
        names.append(spec.name)
        columns.append(sql)
    query = (f"SELECT {', '.join(columns)} FROM {table} {t} "
             f"LEFT JOIN users u ON u.id = {t}.owner_id "
             f"LEFT JOIN lead_sources s ON s.id = {t}.lead_source_id "
             f"WHERE {t}.deleted_at IS NULL AND {t}.merged_into_id IS NULL "
             f"{'AND ' + t + '.id IN (' + only + ') ' if only else ''}ORDER BY {t}.id")
    return names, query


def customer_rows(query: Query, entity: str, labels: bool,
                  only: tuple[str, Sequence[Any]] = ("", ())) -> tuple[list[str], Iterator[
        tuple[Any, ...]]]:
    """The header and the rows of every company or contact (not deleted nor merged), or
    of those whose ids the SQL ``only`` selects (with its parameters)."""
    fields = COMPANY_FIELDS if entity == "company" else CONTACT_FIELDS
    names, sql = _select(entity, fields, only[0])
    headers = [_(f.label) for f in fields] if labels else names
    source, owner = names.index("source"), names.index("owner")
    # with labels, coded values and usual profile words in the user's language too (决策者,
    # 已同意, 女), which the import reads back
    coded: list[tuple[str, Callable[[str], str]]] = [("role", role_label),
                                                     ("consent", consent_label)]
    coded += [(n, functools.partial(profile_words.shown, n)) for n in profile_words.USUAL]
    worded = [(names.index(n), word) for n, word in coded if n in names] if labels else []

    def rows() -> Iterator[tuple[Any, ...]]:
        for row in query(sql, only[1]):
            values = list(row)
            if values[source] in SEEDED:  # a seeded source in the user's language
                values[source] = _(SEEDED[values[source]])
            if values[owner] is None:  # the word the import reads back as the pool
                values[owner] = _("Public pool")
            for i, word in worded:
                if values[i]:
                    values[i] = word(values[i])
            yield tuple(values)

    return headers, rows()


def contact_cards(query: Query, only: tuple[str, Sequence[Any]] = ("", ()),
                  order: Sequence[int] = ()
                  ) -> Iterator[tuple[str, str, str, list[str], list[str], str]]:
    """Each contact's name, company, title, phones, emails and notes, for vCards (of
    every contact, or of those whose ids the SQL ``only`` selects, with its parameters),
    in the order of the ids ``order`` (a list's order) when given, else as created."""
    among = f" AND p.id IN ({only[0]})" if only[0] else ""
    sql = ("SELECT p.name, coalesce(c.name, ''), p.title, p.notes, "
           "(SELECT group_concat(value, char(10)) FROM (SELECT value FROM channels "
           " WHERE contact_id = p.id AND kind = 'phone' ORDER BY position)), "
           "(SELECT group_concat(value, char(10)) FROM (SELECT value FROM channels "
           " WHERE contact_id = p.id AND kind = 'email' ORDER BY position)), p.id "
           "FROM contacts p LEFT JOIN companies c ON c.id = p.company_id "
           f"WHERE p.deleted_at IS NULL AND p.merged_into_id IS NULL{among} ORDER BY p.id")
    rows = query(sql, only[1])
    if order:
        place = {ident: n for n, ident in enumerate(order)}
        rows = sorted(rows, key=lambda r: place.get(int(r[6]), len(place)))
    for name, company, title, notes, phones, emails, _ident in rows:
        yield (name, company, title, (phones or "").split("\n") if phones else [],
               (emails or "").split("\n") if emails else [], notes)
