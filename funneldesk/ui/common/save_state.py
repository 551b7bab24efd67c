"""Whether the last change reached the database, told to whoever shows it (the status bar).

Every place that saves or shows a refusal reports here (the workspace's one action path,
ui/common/user_action.py, for every user action), so that one state covers every page,
form and dialog.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from funneldesk.errors import DatabaseError, FunnelDeskError


class SaveEvents(QObject):
    saved = Signal()
    notSaved = Signal(object)  # the DatabaseError that kept the change out


_events: SaveEvents | None = None


def save_events() -> SaveEvents:
    global _events
    if _events is None:
        _events = SaveEvents()
    return _events


def note_saved() -> None:
    save_events().saved.emit()


def note_refused(error: FunnelDeskError) -> None:
    """A change the database could not take (busy, read-only, damaged, gone) was not saved;
    one that the rules refused was never meant to be, and changes nothing here."""
    if isinstance(error, DatabaseError):
        save_events().notSaved.emit(error)
