"""Groups of records that may be one customer, as a tree: each group (how many records,
why, how alike), and under it its records."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from funneldesk import formatting
from funneldesk.i18n import _, ngettext
from funneldesk.services.customers.records import DuplicateGroup

IdRole = Qt.ItemDataRole.UserRole + 1  # a record row's id (None on a group row)
NAME, WHY, SCORE = range(3)


def _cell(text: str, ident: int | None = None) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    item.setData(ident, IdRole)
    return item


class DuplicateGroupsModel(QStandardItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(0, 3, parent)
        self.groups: list[DuplicateGroup] = []
        self._headers()

    def _headers(self) -> None:
        self.setHorizontalHeaderLabels([_("Records"), _("Why"), _("Alike")])

    def set_groups(self, groups: Sequence[DuplicateGroup]) -> None:
        self.removeRows(0, self.rowCount())  # not clear(): the view keeps its column sizes
        self.groups = list(groups)
        for group in self.groups:
            n = len(group.members)
            reasons = _cell(" ".join(group.reason_labels()))
            reasons.setToolTip("\n".join(group.reason_labels()))  # the column may cut them
            head = [_cell(ngettext("{n} record", "{n} records", n).format(n=n)), reasons,
                    _cell(_("{score}%").format(score=formatting.number(round(group.score))))]
            for member in group.members:
                shown = (_("“{name}” (#{id}) at {company}").format(
                    name=member.name, id=member.id, company=member.company)
                    if member.company else
                    _("“{name}” (#{id})").format(name=member.name, id=member.id))
                head[0].appendRow([_cell(shown, member.id), _cell(""), _cell("")])
            self.appendRow(head)

    def group_of(self, index: QModelIndex) -> DuplicateGroup | None:
        if not index.isValid():
            return None
        top = index.parent() if index.parent().isValid() else index
        return self.groups[top.row()]

    def record_id(self, index: QModelIndex) -> int | None:
        if not index.isValid() or not index.parent().isValid():
            return None
        value = self.index(index.row(), NAME, index.parent()).data(IdRole)
        return int(value) if value is not None else None
