"""What the Customers page's own actions do (actions.py declares them): a new company or
contact, the form of the selected row, Find duplicates, the merge of two selected rows,
claiming from and releasing to the public pool, and the export of what the list shows.

Every save goes out as a change set (the forms through opening.py, the rest through the
window's action runner), so the list, the detail and the other pages refresh from it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from funneldesk.i18n import _, ngettext
from funneldesk.services.customers.records import ContactFields
from funneldesk.services.dto import COMPANY, CustomerQuery, CustomerRow
from funneldesk.ui.common import list_export
from funneldesk.ui.common.page import Workspace
from funneldesk.ui.customers import opening


def _moved(move: Any) -> list[tuple[Hashable, int]]:
    """The versions a claim or a release left (PoolMove.versions), as this window's own:
    an edit made before it can still be undone."""
    return [((entity, ident), version) for entity, ident, version in move.versions]


def may_release(workspace: Workspace, row: CustomerRow) -> bool:
    """Whether the user may put ``row`` back in the pool: its owner, or a manager."""
    return row.owner_id is not None and (workspace.actor.is_manager
                                         or row.owner_id == workspace.actor.id)


class CustomerCommands:
    """The page's actions over its ``workspace``; ``show`` opens a record on the page
    (selects its row and shows its details)."""

    def __init__(self, workspace: Workspace, show: Callable[[str, int], None]) -> None:
        self.workspace = workspace
        self._open = show

    def new(self, entity: str, company_id: int | None = None) -> None:
        """The form of a new company or contact (a contact of ``company_id`` when given:
        the company selected); once saved, it is shown."""
        ws = self.workspace
        if entity == COMPANY:
            saved = opening.open_company(ws, ws.services, ws.actor, None)
        else:
            saved = opening.open_contact(
                ws, ws.services, ws.actor, None,
                start=ContactFields(name="", company_id=company_id) if company_id else None)
        if saved is not None:
            ws.show_message(_("“{name}” saved.").format(name=saved.name))
            self._open(entity, saved.id)

    def edit(self, entity: str, record_id: int) -> None:
        """The record's form; a save refreshes the list and the detail (the change set)."""
        ws = self.workspace
        opener = opening.open_company if entity == COMPANY else opening.open_contact
        saved = opener(ws, ws.services, ws.actor, record_id)
        if saved is not None:
            ws.show_message(_("“{name}” saved.").format(name=saved.name))
            if saved.id != record_id:  # "Open that one" led to another record
                self._open(entity, saved.id)

    def find_duplicates(self, entity: str) -> None:
        ws = self.workspace
        opening.find_duplicates(ws, ws.services, ws.actor, entity)

    def merge(self, entity: str, first: CustomerRow, second: CustomerRow) -> None:
        ws = self.workspace
        if opening.merge_records(ws, ws.services, ws.actor, entity, first.id, second.id):
            ws.show_message(_("“{merged}” and “{kept}” are one record now.").format(
                merged=second.name, kept=first.name))

    def claim(self, entity: str, row: CustomerRow) -> None:
        ws = self.workspace
        done = ws.runner.run(
            _("Claim “{name}”").format(name=row.name),
            lambda: ws.services.pool.claim(entity, row.id, by=ws.actor), versions=_moved)
        if done is not None:
            ws.show_message(_("“{name}” is yours now.").format(name=row.name))

    def release(self, entity: str, row: CustomerRow) -> None:
        ws = self.workspace
        done = ws.runner.run(
            _("Release “{name}” to the public pool").format(name=row.name),
            lambda: ws.services.pool.release(entity, row.id, by=ws.actor), versions=_moved)
        if done is not None:
            ws.show_message(_("“{name}” is in the public pool now.").format(name=row.name))

    # --- export ----------------------------------------------------------------------

    def export(self, query: CustomerQuery, segment: str | None = None) -> None:
        """Asks where to write the list and how (as shown, for an import, or vCards);
        the file is named after the ``segment`` shown, if one is."""
        name = segment or (_("companies") if query.entity == COMPANY else _("contacts"))
        target = list_export.ask_target(self.workspace, name, cards=query.entity != COMPANY)
        if target is not None:
            self.export_to(query, target.path, field_names=target.field_names)

    def export_to(self, query: CustomerQuery, path: Path, *, field_names: bool) -> None:
        """Writes the list off the GUI thread; says how many rows went where."""
        ws = self.workspace

        def written(n: int) -> str:
            if query.entity == COMPANY:
                return ngettext("{n} company written to {file}.",
                                "{n} companies written to {file}.", n)
            return ngettext("{n} contact written to {file}.",
                            "{n} contacts written to {file}.", n)

        list_export.write(
            ws, path,
            lambda: ws.services.exports.export_list(query, path, field_names=field_names),
            written)
