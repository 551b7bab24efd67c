"""Exports of companies, contacts and deals to CSV, XLSX or (contacts) vCard: what the
command `funneldesk export` and the lists' Export action write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from funneldesk.errors import InvalidInput
from funneldesk.i18n import N_, _
from funneldesk.money import from_storage
from funneldesk.services.common.base import Service
from funneldesk.services.common.sql import timestamp
from funneldesk.services.common.tabular.writing import vcard, write_table
from funneldesk.services.customers.customer_list import (
    CustomerListService,
    ids_sql,
    page_ids,
)
from funneldesk.services.customers.exporting import contact_cards, customer_rows
from funneldesk.services.customers.list_records import CustomerQuery, columns_of
from funneldesk.services.customers.list_text import exported_cell, header
from funneldesk.services.pipeline import list_text
from funneldesk.services.pipeline.deal_list import DealListService, where
from funneldesk.services.pipeline.list_records import DealQuery, ListColumn
from funneldesk.services.team.lead_sources import SEEDED

# the deal fields an import reads, and what each exports from
DEAL_FIELDS = (
    ("external_id", N_("External ID"), "d.external_id"),
    ("title", N_("Title"), "d.title"),
    ("company", N_("Company"), "c.name"),
    ("contact", N_("Contact"), "p.name"),
    ("owner", N_("Owner"), "u.display_name"),
    ("product", N_("Product"), "pr.name"),
    ("stage", N_("Stage"), "s.name"),
    ("value", N_("Value"), "d.value"),
    ("won_value", N_("Won value"), "d.won_value"),
    ("currency", N_("Currency"), "d.currency"),
    ("source", N_("Lead source"), "coalesce(ls.code, ls.label)"),
    ("campaign", N_("Campaign"), "d.campaign"),
    ("created_at", N_("Created"), "d.created_at"),
    ("closed_at", N_("Closed on"), "d.closed_on"),
    ("expected_close", N_("Expected close"), "d.expected_close"),
    ("lost_reason", N_("Lost reason"), "coalesce(lr.label, d.lost_reason_text)"),
    ("notes", N_("Notes"), "d.notes"),
)
KINDS = ("companies", "contacts", "deals")
_EVERY = 1 << 62  # a list's every row


class ExportService(Service):
    def export(self, kind: str, path: Path, *, labels: bool = False) -> int:
        """Writes every ``kind`` record (not deleted) to ``path``; the number written."""
        if kind not in KINDS:
            raise InvalidInput("kind", _("FunnelDesk exports companies, contacts or deals."))
        if path.suffix.lower() == ".vcf":
            if kind != "contacts":
                raise InvalidInput("file", _("Only contacts are written as vCards (.vcf)."))
            cards = [vcard(*card) for card in contact_cards(self.db.query)]
            path.write_text("".join(cards), encoding="utf-8")
            return len(cards)
        if kind == "deals":
            headers, rows = self._deals(labels)
        else:
            entity = {"companies": "company", "contacts": "contact"}[kind]
            headers, rows = customer_rows(self.db.query, entity, labels)
        return write_table(path, headers, rows)

    def export_list(self, query: CustomerQuery, path: Path, *,
                    field_names: bool = False) -> int:
        """Writes the companies or contacts ``query`` lists (a list's filters, a saved
        segment's) to ``path`` (.csv or .xlsx); the number written. By default what the
        list shows: its columns, headed and worded as on screen, in its order; with
        ``field_names``, every field the import reads, headed by the import's field
        names (a file that imports back with no mapping)."""
        if path.suffix.lower() == ".vcf" and query.entity == "contact":
            order = page_ids(self.db.query, query, 0, _EVERY)  # the list's order
            cards = [vcard(*card) for card in contact_cards(self.db.query, ids_sql(query),
                                                            order)]
            path.write_text("".join(cards), encoding="utf-8")
            return len(cards)
        if path.suffix.lower() not in (".csv", ".xlsx"):
            raise InvalidInput("file", _("A list is written as .csv or .xlsx (contacts also "
                                         "as vCards, .vcf)."))
        if field_names:
            headers, rows = customer_rows(self.db.query, query.entity, False,
                                          ids_sql(query))
            return write_table(path, headers, rows)
        columns = columns_of(query.entity)
        listed = CustomerListService(self.db).all_rows(query)
        return write_table(path, [header(c, query.entity) for c in columns],
                           ([exported_cell(row, c) for c in columns] for row in listed))

    def export_deal_list(self, query: DealQuery, path: Path, *, today: dt.date,
                         columns: tuple[ListColumn, ...] = list_text.COLUMNS,
                         field_names: bool = False) -> int:
        """Writes the deals ``query`` lists (a list's filters, a saved view's) to ``path``
        (.csv or .xlsx), in its order; the number written. By default what the list
        shows: its ``columns``, worded as on screen (``today``: for the days in stage);
        with ``field_names``, every field the import reads, headed by its field names, in
        the order the deals were created (as `funneldesk export` writes them)."""
        if path.suffix.lower() not in (".csv", ".xlsx"):
            raise InvalidInput("file", _("A list is written as .csv or .xlsx."))
        if field_names:
            clause, params = where(query)
            headers, rows = self._deals(False, (f"SELECT d.id FROM deals d WHERE {clause}",
                                                params))
            return write_table(path, headers, rows)
        listed = DealListService(self.db).all_rows(query)
        return write_table(path, [list_text.header(c) for c in columns],
                           (list_text.exported_cells(deal, today, columns) for deal in listed))

    def _deals(self, labels: bool, only: tuple[str, list[Any]] = ("", [])
               ) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
        headers = [_(label) if labels else name for name, label, _sql in DEAL_FIELDS]
        sql = (f"SELECT {', '.join(s for _n, _l, s in DEAL_FIELDS)} FROM deals d "
               "JOIN stages s ON s.id = d.stage_id JOIN users u ON u.id = d.owner_id "
               "LEFT JOIN companies c ON c.id = d.company_id "
               "LEFT JOIN contacts p ON p.id = d.contact_id "
               "LEFT JOIN products pr ON pr.id = d.product_id "
               "LEFT JOIN lead_sources ls ON ls.id = d.lead_source_id "
               "LEFT JOIN lost_reasons lr ON lr.id = d.lost_reason_id "
               "WHERE d.deleted_at IS NULL "
               f"{'AND d.id IN (' + only[0] + ') ' if only[0] else ''}ORDER BY d.id")
        names = [n for n, _l, _s in DEAL_FIELDS]
        value, won, source, created = (names.index(n) for n in (
            "value", "won_value", "source", "created_at"))

        def rows() -> Iterator[tuple[Any, ...]]:
            for row in self.db.query(sql, only[1]):
                values = list(row)
                for i in (value, won):
                    if values[i] is not None:
                        values[i] = from_storage(values[i])
                if values[source] in SEEDED:
                    values[source] = _(SEEDED[values[source]])
                # local time with its offset: the import reads it back as the same moment
                # (to the second: the import reads no fractions)
                values[created] = timestamp(values[created]).astimezone().isoformat(
                    sep=" ", timespec="seconds")
                yield tuple(values)

        return headers, rows()
