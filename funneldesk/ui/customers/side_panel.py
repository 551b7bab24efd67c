"""The Customers page's side panel: the team's saved segments and the tags with how many
records carry each, in one list; choosing an entry filters the list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from funneldesk import formatting
from funneldesk.i18n import _, ngettext
from funneldesk.services.dto import SegmentInfo, TagCount

Index = QModelIndex | QPersistentModelIndex
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's Entry

HEADING, SEGMENT, TAG, NOTHING = "heading", "segment", "tag", "nothing"


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str  # HEADING, SEGMENT, TAG or NOTHING (an empty group says so)
    text: str
    segment: SegmentInfo | None = None
    tag: str = ""


class SidePanelModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self._entries: list[Entry] = []

    def set_contents(self, segments: tuple[SegmentInfo, ...], tags: tuple[TagCount, ...]) -> None:
        self.beginResetModel()
        entries = [Entry(HEADING, _("Saved segments"))]
        entries += [Entry(SEGMENT, s.name, segment=s) for s in segments] or [
            Entry(NOTHING, _("None saved yet"))]
        entries.append(Entry(HEADING, _("Tags")))
        entries += [Entry(TAG, ngettext("{tag} ({n})", "{tag} ({n})", t.count).format(
            tag=t.name, n=formatting.number(t.count)), tag=t.name) for t in tags] or [
            Entry(NOTHING, _("No tags"))]
        self._entries = entries
        self.endResetModel()

    def entry(self, row: int) -> Entry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def row_of(self, kind: str, key: str | int) -> int:
        """The row of a segment (by id) or tag (by name); -1 if none."""
        for row, entry in enumerate(self._entries):
            if entry.kind == kind and (
                    (entry.segment is not None and entry.segment.id == key) or entry.tag == key):
                return row
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._entries)

    def flags(self, index: Index) -> Qt.ItemFlag:
        entry = self.entry(index.row()) if index.isValid() else None
        if entry is None or entry.kind == NOTHING:  # shown greyed: there is nothing here
            return Qt.ItemFlag.NoItemFlags
        if entry.kind == HEADING:  # shown as text, never chosen
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry(index.row()) if index.isValid() else None
        if entry is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.text
        if role == ENTRY_ROLE:
            return entry
        if role == Qt.ItemDataRole.FontRole and entry.kind == HEADING:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and entry.segment is not None:
            return _("Saved by {name}").format(name=entry.segment.created_by)
        return None
