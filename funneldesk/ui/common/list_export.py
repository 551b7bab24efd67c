"""The Export action of a list: where to write it and how (as the list shows it, or with
the import's field names as headers, so that it imports back with no mapping), then the
writing off the GUI thread, with a line in the status bar when it is done."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.ui.common import file_dialogs
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.page import Workspace

_CSV, _XLSX, _VCF = "*.csv", "*.xlsx", "*.vcf"


@dataclass(frozen=True)
class Target:
    path: Path
    field_names: bool  # headed by the import's field names, not as the list shows it


def ask_target(workspace: Workspace, name: str, *, cards: bool = False) -> Target | None:
    """Asks where to write a list called ``name`` and as what; ``cards``: vCards are one
    of the choices. None when the user cancels."""
    # the patterns in ASCII brackets outside the translation: Qt finds them there
    # (a Chinese （…） hid them, and a CSV was saved as "公司.csv）")
    labels = (_("Excel workbook, as the list shows it"), _("CSV, as the list shows it"),
              _("Excel workbook for an import: field names as headers"),
              _("CSV for an import: field names as headers"))
    shown = (f"{labels[0]} ({_XLSX})", f"{labels[1]} ({_CSV})")
    for_import = (f"{labels[2]} ({_XLSX})", f"{labels[3]} ({_CSV})")
    vcard_label = _("vCards, for phones and mail programs")
    vcards = (f"{vcard_label} ({_VCF})",) if cards else ()
    safe = re.sub(r'[\\/:*?"<>|]', "-", name).strip() or _("list")  # a segment's name
    path, chosen = file_dialogs.save_file_name(
        workspace.window, _("Export the list"), f"{safe}.xlsx",
        ";;".join((*shown, *for_import, *vcards)))
    if not path:
        return None
    target = Path(path)
    writable = (".csv", ".xlsx", ".vcf") if cards else (".csv", ".xlsx")
    if target.suffix.lower() not in writable:  # the name typed says, else the kind chosen
        target = target.with_suffix(
            ".csv" if _CSV in chosen else ".vcf" if _VCF in chosen else ".xlsx")
    return Target(target, chosen in for_import)


def write(workspace: Workspace, path: Path, work: Callable[[], int],
          written: Callable[[int], str]) -> None:
    """Runs ``work`` (which writes ``path`` and returns the number of rows) off the GUI
    thread; then shows ``written(n)`` (a text with a ``{file}`` field) or what failed."""

    def done(n: int) -> None:
        workspace.show_message(written(n).format(n=formatting.number(n), file=path.name))

    def failed(error: Exception) -> None:
        if isinstance(error, OSError):  # a full disk, a folder one may not write in
            workspace.show_message(_("{file} could not be written: {reason}").format(
                file=path.name, reason=error.strerror or error))
            return
        if not isinstance(error, FunnelDeskError):
            raise error
        show_error(workspace.window, error)

    # a list of 100,000 takes a while: say it is on its way (the window stays usable)
    workspace.show_message(_("Writing {file}…").format(file=path.name))
    run_in_background(work, done, failed)
