"""A person's data on request: everything FunnelDesk holds about a contact saved as a
JSON file, or erased for good (managers only, after a confirmation that names them)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.ui.common import file_dialogs
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.save_state import note_saved


def _file_name(name: str) -> str:
    safe = "".join(ch for ch in name if ch.isalnum() or ch in " -_.").strip()
    return _("{name} personal data.json").format(name=safe or "contact")


def export_person(parent: QWidget, services: Services, contact_id: int, name: str,
                  folder: Path | None = None) -> Path | None:
    """Asks where to save the file and writes it; the path, or None if cancelled."""
    start = str((folder or Path.home()) / _file_name(name))
    chosen, _filter = file_dialogs.save_file_name(
        parent, _("Export the personal data of {name}").format(name=name), start,
        _("JSON files (*.json)"))
    if not chosen:
        return None
    path = Path(chosen)
    try:
        services.privacy.write_person(contact_id, path)
    except FunnelDeskError as error:
        show_error(parent, error)
        return None
    except OSError as error:
        QMessageBox.warning(parent, _("FunnelDesk"), _(
            "The file {path} could not be written: {reason}").format(
            path=path, reason=error.strerror or error))
        return None
    QMessageBox.information(parent, _("Personal data exported"), _(
        "Everything FunnelDesk holds about {name} is in {path}.").format(name=name, path=path))
    return path


def confirm_erase(parent: QWidget, name: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Warning, _("Erase {name}").format(name=name), _(
        "Erase everything FunnelDesk holds about {name}?").format(name=name), parent=parent)
    box.setInformativeText(_(
        "Their record, phones, emails, tags, pool history and audit entries are deleted "
        "for good; their deals stay, without a contact. This cannot be undone, not even "
        "with Undo."))
    erase = box.addButton(_("Erase for good"), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is erase


def erase_person(parent: QWidget, services: Services, actor: Actor, contact_id: int,
                 name: str) -> bool:
    """Asks, then erases; True when the person is gone."""
    if not confirm_erase(parent, name):
        return False
    try:
        services.privacy.erase(contact_id, by=actor)
    except FunnelDeskError as error:
        show_error(parent, error)
        return False
    note_saved()
    return True
