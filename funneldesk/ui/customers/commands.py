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

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _, ngettext
from funneldesk.services.dto import COMPANY, CustomerQuery, CustomerRow
from funneldesk.ui.common import file_dialogs
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.page import Workspace
from funneldesk.ui.customers import opening

# the export's choices in the save dialog: (filter, writes the import's field names)
_CSV, _XLSX, _VCF = "*.csv", "*.xlsx", "*.vcf"


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

    def new(self, entity: str) -> None:
        """The form of a new company or contact; once saved, it is shown."""
        ws = self.workspace
        opener = opening.open_company if entity == COMPANY else opening.open_contact
        saved = opener(ws, ws.services, ws.actor, None)
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

    def export(self, query: CustomerQuery) -> None:
        """Asks where to write the list and how (as shown, or for an import)."""
        # the patterns in ASCII brackets outside the translation: Qt finds them there
        # (a Chinese （…） hid them, and a CSV was saved as "公司.csv）")
        labels = (_("Excel workbook, as the list shows it"), _("CSV, as the list shows it"),
                  _("Excel workbook for an import: field names as headers"),
                  _("CSV for an import: field names as headers"))
        shown = (f"{labels[0]} ({_XLSX})", f"{labels[1]} ({_CSV})")
        for_import = (f"{labels[2]} ({_XLSX})", f"{labels[3]} ({_CSV})")
        vcards = _("vCards, for phones and mail programs")
        cards = (f"{vcards} ({_VCF})",) if query.entity != COMPANY else ()
        name = _("companies") if query.entity == COMPANY else _("contacts")
        path, chosen = file_dialogs.save_file_name(
            self.workspace.window, _("Export the list"), f"{name}.xlsx",
            ";;".join((*shown, *for_import, *cards)))
        if not path:
            return
        target = Path(path)
        writable = (".csv", ".xlsx", ".vcf") if cards else (".csv", ".xlsx")
        if target.suffix.lower() not in writable:  # the name typed says, else the kind chosen
            target = target.with_suffix(
                ".csv" if _CSV in chosen else ".vcf" if _VCF in chosen else ".xlsx")
        self.export_to(query, target, field_names=chosen in for_import)

    def export_to(self, query: CustomerQuery, path: Path, *, field_names: bool) -> None:
        """Writes the list off the GUI thread; says how many rows went where."""
        ws = self.workspace

        def done(n: int) -> None:
            if query.entity == COMPANY:
                text = ngettext("{n} company written to {file}.",
                                "{n} companies written to {file}.", n)
            else:
                text = ngettext("{n} contact written to {file}.",
                                "{n} contacts written to {file}.", n)
            ws.show_message(text.format(n=n, file=path.name))

        def failed(error: Exception) -> None:
            if isinstance(error, OSError):  # a full disk, a folder one may not write in
                ws.show_message(_("{file} could not be written: {reason}").format(
                    file=path.name, reason=error.strerror or error))
                return
            if not isinstance(error, FunnelDeskError):
                raise error
            show_error(ws.window, error)

        run_in_background(
            lambda: ws.services.exports.export_list(query, path, field_names=field_names),
            done, failed)
