"""File dialogs that never open the database file.

SQLite's locks are POSIX advisory locks, and a process loses every lock it holds on a file
when it closes any descriptor of that file. Qt's file dialog, and the desktop's native
one, open the files of the folder they show to guess each one's type from its first bytes;
the database's folder is often the one shown. After that the window holds no lock, so a
``funneldesk`` command run meanwhile believes it alone uses the database and, when it
closes, deletes the -wal and -shm files the window goes on writing to: its later changes
fail, or vanish. These dialogs are therefore Qt's own, with a provider that tells a file's
type and icon from its name alone. They start in the folder last chosen (at first the home
folder).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileInfo, QMimeDatabase
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QWidget

from funneldesk.i18n import _

_last: dict[str, Path] = {}  # "folder": the folder last chosen, in this run


class _NamesOnly(QFileIconProvider):
    """Types and icons from names: the default reads each file's first bytes."""

    def __init__(self) -> None:
        super().__init__()
        self._mimes = QMimeDatabase()

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return _("Folder")  # Qt's Chinese catalog lacks its own word
        return self._mimes.mimeTypeForFile(info.fileName(),
                                           QMimeDatabase.MatchMode.MatchExtension).comment()

    def icon(self, what: Any) -> Any:
        if isinstance(what, QFileInfo):
            kind = (QFileIconProvider.IconType.Folder if what.isDir()
                    else QFileIconProvider.IconType.File)
            return super().icon(kind)
        return super().icon(what)


class SafeFileDialog(QFileDialog):
    """Qt's file dialog with a provider that reads names only (see the module)."""

    def __init__(self, parent: QWidget | None, title: str, start: str, filters: str,
                 mode: QFileDialog.AcceptMode) -> None:
        folder = _last.get("folder") or Path.home()
        name = ""
        if start:
            place = Path(start) if Path(start).is_absolute() else folder / start
            folder, name = (place, "") if place.is_dir() else (place.parent, place.name)
        super().__init__(parent, title, str(folder), filters)
        self.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        self._provider = _NamesOnly()  # the dialog does not own it
        self.setIconProvider(self._provider)
        self.setAcceptMode(mode)
        # Qt's Chinese catalog lacks these two labels (their mnemonics changed)
        self.setLabelText(QFileDialog.DialogLabel.LookIn, _("Look in:"))
        self.setLabelText(QFileDialog.DialogLabel.FileType, _("Files of type:"))
        self.setFileMode(QFileDialog.FileMode.AnyFile if mode == QFileDialog.AcceptMode.AcceptSave
                         else QFileDialog.FileMode.ExistingFile)
        if name:
            self.selectFile(name)


def _run(dialog: QFileDialog) -> tuple[str, str]:
    if not dialog.exec() or not dialog.selectedFiles():
        return "", ""
    chosen = dialog.selectedFiles()[0]
    _last["folder"] = Path(chosen).parent
    return chosen, dialog.selectedNameFilter()


def save_file_name(parent: QWidget | None, title: str, start: str,
                   filters: str) -> tuple[str, str]:
    """Like ``QFileDialog.getSaveFileName``: the path chosen ("" if cancelled) and the
    filter chosen."""
    return _run(SafeFileDialog(parent, title, start, filters,
                               QFileDialog.AcceptMode.AcceptSave))


def open_file_name(parent: QWidget | None, title: str, start: str,
                   filters: str) -> tuple[str, str]:
    """Like ``QFileDialog.getOpenFileName``."""
    return _run(SafeFileDialog(parent, title, start, filters,
                               QFileDialog.AcceptMode.AcceptOpen))
