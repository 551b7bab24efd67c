"""One stage's cards as a list model: filtered, sorted, draggable."""

from __future__ import annotations

import bisect
import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from funneldesk.i18n import N_, _
from funneldesk.services.dto import Card, StageInfo

MIME_TYPE = "application/x-funneldesk-deal"
CardRole = Qt.ItemDataRole.UserRole + 1
DaysRole = Qt.ItemDataRole.UserRole + 2
RottedRole = Qt.ItemDataRole.UserRole + 3
OpenStageRole = Qt.ItemDataRole.UserRole + 4

Index = QModelIndex | QPersistentModelIndex

# sort keys offered per column, with their labels (translated where shown)
SORT_KEYS: dict[str, str] = {
    "position": N_("Board order"),
    "value": N_("Value"),
    "close": N_("Expected close"),
    "days": N_("Days in stage"),
}


def _sort_key(key: str) -> Callable[[Card], Any]:
    far = dt.date.max
    return {
        "position": lambda c: (c.position, c.id),
        "value": lambda c: (-c.value, c.id),
        "close": lambda c: (c.expected_close or far, c.id),
        "days": lambda c: (c.stage_entered_at, c.id),
    }[key]


def encode_mime(card: Card) -> QMimeData:
    mime = QMimeData()
    payload = {"deal_id": card.id, "version": card.version, "stage_id": card.stage_id}
    mime.setData(MIME_TYPE, json.dumps(payload).encode())
    return mime


def decode_mime(mime: QMimeData) -> dict[str, int] | None:
    if not mime.hasFormat(MIME_TYPE):
        return None
    try:
        data = json.loads(bytes(mime.data(MIME_TYPE).data()).decode())
        return {k: int(data[k]) for k in ("deal_id", "version", "stage_id")}
    except (ValueError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class CardFilter:
    """Owner and text filter shared by every column (``needle`` is casefolded)."""

    owner_id: int = 0
    needle: str = ""

    @classmethod
    def of(cls, owner_id: int, text: str) -> CardFilter:
        return cls(owner_id, text.strip().casefold())

    def accepts(self, card: Card) -> bool:
        if self.owner_id and card.owner_id != self.owner_id:
            return False
        if not self.needle:
            return True
        return self.needle in _searchable(card.title, card.company, card.next_step)


# Each keystroke in the search box tests every card of the board: fold each card's text
# once, not on every test.
@lru_cache(maxsize=1 << 16)
def _searchable(title: str, company: str, next_step: str) -> str:
    return f"{title}\n{company}\n{next_step}".casefold()


class CardListModel(QAbstractListModel):
    """A stage's cards, filtered and sorted.

    Views see only the first ``shown`` rows and fetch more as they scroll (canFetchMore):
    Qt lays out every row a view knows of after each change, so a column of 3,000 cards
    would cost milliseconds per move. Counts and totals always cover every matching card.
    """

    PAGE = 150
    totalsChanged = Signal()  # count or totals changed, whether or not a shown row did

    def __init__(self, stage: StageInfo, cards: Iterable[Card] = (), *,
                 card_filter: CardFilter | None = None, sort: str = "position",
                 to_base: Callable[[Decimal, str], Decimal] = lambda amount, _c: amount,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.today = dt.date.today()
        self._to_base = to_base
        self._all: dict[int, Card] = {c.id: c for c in cards}
        self._filter = card_filter or CardFilter()
        self._sort = sort if sort in SORT_KEYS else "position"
        self._key = _sort_key(self._sort)
        self._visible: list[Card] = []
        self._shown = 0
        self._total = Decimal(0)
        self._recompute()

    # --- Qt model interface -------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._shown

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._shown < len(self._visible)

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        more = min(self.PAGE, len(self._visible) - self._shown)
        if more > 0:
            self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
            self._shown += more
            self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._shown:
            return None
        card = self._visible[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return card.title
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{card.title}\n{card.company}\n{card.next_step}".strip()
            if self.is_rotted(card):
                tip += "\n" + _("Rotting: no progress for more than {n} days.").format(
                    n=self.stage.rot_days)
            return tip
        if role == CardRole:
            return card
        if role == DaysRole:
            return card.days_in_stage(self.today)
        if role == RottedRole:
            return self.is_rotted(card)
        if role == OpenStageRole:
            return self.stage.is_open
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled)

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        return encode_mime(self._visible[indexes[0].row()])

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    # --- FunnelDesk ---------------------------------------------------------------
    def is_rotted(self, card: Card) -> bool:
        rot = self.stage.rot_days
        return bool(self.stage.is_open and rot and card.days_in_stage(self.today) > rot)

    def card_at(self, row: int) -> Card:
        """The card at ``row`` of all matching cards (shown or not yet fetched)."""
        return self._visible[row]

    def card_count(self) -> int:
        return len(self._visible)

    def row_of(self, deal_id: int) -> int:
        """The row of a matching card, -1 if it is not in this column or filtered out."""
        card = self._all.get(deal_id)
        if card is None:
            return -1
        row = bisect.bisect_left(self._visible, self._key(card), key=self._key)
        return row if row < len(self._visible) and self._visible[row].id == deal_id else -1

    def show_row(self, row: int) -> None:
        """Makes sure the view knows of ``row`` (fetching pages up to it)."""
        while row >= self._shown and self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def visible_cards(self) -> list[Card]:
        return list(self._visible)

    def sort_key(self) -> str:
        return self._sort

    def set_sort(self, key: str) -> None:
        key = key if key in SORT_KEYS else "position"
        if key != self._sort:
            self._sort, self._key = key, _sort_key(key)
            self._reset()

    def set_filter(self, card_filter: CardFilter) -> None:
        if card_filter != self._filter:
            self._filter = card_filter
            self._reset()

    def put(self, card: Card) -> None:
        """Adds or replaces one card as a row removal and insertion, so views keep state."""
        self._take_row(card.id)
        self._all[card.id] = card
        if not self._filter.accepts(card):
            return
        row = bisect.bisect(self._visible, self._key(card), key=self._key)
        self._total += self._to_base(card.value, card.currency)
        if row < self._shown or self._shown == len(self._visible):
            self.beginInsertRows(QModelIndex(), row, row)
            self._visible.insert(row, card)
            self._shown += 1
            self.endInsertRows()
        else:
            self._visible.insert(row, card)
        self.totalsChanged.emit()

    def discard(self, deal_id: int) -> None:
        self._take_row(deal_id)
        self._all.pop(deal_id, None)

    def _take_row(self, deal_id: int) -> None:
        row = self.row_of(deal_id)
        if row < 0:
            return
        if row < self._shown:
            self.beginRemoveRows(QModelIndex(), row, row)
            card = self._visible.pop(row)
            self._shown -= 1
            self.endRemoveRows()
        else:
            card = self._visible.pop(row)
        self._total -= self._to_base(card.value, card.currency)
        self.totalsChanged.emit()

    def totals(self) -> tuple[int, Decimal, Decimal]:
        """Count, total and weighted total of the matching cards, in the base currency."""
        total = self._total
        return len(self._visible), total, total * self.stage.probability / 100

    def _recompute(self) -> None:
        accepted = [c for c in self._all.values() if self._filter.accepts(c)]
        accepted.sort(key=self._key)
        self._visible = accepted
        self._shown = min(self.PAGE, len(accepted))
        self._total = sum((self._to_base(c.value, c.currency) for c in accepted), Decimal(0))

    def _reset(self) -> None:
        self.beginResetModel()
        self._recompute()
        self.endResetModel()
        self.totalsChanged.emit()
