"""One stage's cards as a list model: filtered, sorted, draggable."""

from __future__ import annotations

import bisect
import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
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

from funneldesk.i18n import N_, _, ngettext
from funneldesk.services.activities.assessment_records import DealRating
from funneldesk.services.common.conversion import Line, RunningTotal
from funneldesk.services.dto import Card, ColumnStart, CurrencyRates, StageInfo, Total
from funneldesk.services.pipeline.board import sort_key

MIME_TYPE = "application/x-funneldesk-deal"
CardRole = Qt.ItemDataRole.UserRole + 1
DaysRole = Qt.ItemDataRole.UserRole + 2
RottedRole = Qt.ItemDataRole.UserRole + 3
OpenStageRole = Qt.ItemDataRole.UserRole + 4
StepStateRole = Qt.ItemDataRole.UserRole + 5  # "overdue", "today", "planned" or "none"
# all the delegate paints, in one call: (card, days in stage, rotted, step state, open
# stage)
FaceRole = Qt.ItemDataRole.UserRole + 6

Index = QModelIndex | QPersistentModelIndex

# sort keys offered per column, with their labels (translated where shown)
SORT_KEYS: dict[str, str] = {
    "position": N_("Board order"),
    "value": N_("Value"),
    "close": N_("Expected close"),
    "days": N_("Days in stage"),
    "score": N_("Value score"),
    "win": N_("Win probability"),
}
# orders by a deal's assessment, known once the board's ratings are read (after its
# cards): the service cannot read the first cards in them
RATED_SORTS = ("score", "win")


def rating_text(rating: DealRating | None, *, long: bool = False) -> str:
    """A deal's value score and win probability: "★67 · 54%" on its card, in words
    in its tooltip; "" before the board's ratings are read."""
    if rating is None:
        return ""
    if long:
        chance = (_("Win probability {percent}%, learned from the team's won and lost deals")
                  if rating.learned else
                  _("Win probability {percent}% (the stage's: too little history)")).format(
            percent=rating.percent)
        if rating.score is None:
            return chance
        return _("Value score {score} of 100 · {chance}").format(score=rating.score,
                                                                 chance=chance)
    if rating.score is None:
        return _("{percent}%").format(percent=rating.percent)
    # a star for the score: the card's line has room for a few characters only
    return _("★{score} · {percent}%").format(score=rating.score, percent=rating.percent)


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
        return self.accepts_folded(card, _searchable(card.title, card.company, card.next_step))

    def accepts_folded(self, card: Card, folded: str) -> bool:
        """``accepts``, given the card's ``searchable`` text."""
        if self.owner_id and card.owner_id != self.owner_id:
            return False
        return not self.needle or self.needle in folded


# Each keystroke in the search box tests every card of the board: fold each card's text
# once, not on every test.
def searchable(card: Card) -> str:
    """The text a search looks in, casefolded."""
    return _searchable(card.title, card.company, card.next_step)


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
                 rates: CurrencyRates | None = None, today: dt.date | None = None,
                 start: ColumnStart | None = None,
                 ratings: Mapping[int, DealRating] | None = None, parent: Any = None) -> None:
        """Without ``rates`` no deal can be converted: totals then count every card as
        missing a rate, never at a guessed one.

        With ``start``, ``cards`` are only the column's first cards (in the order ``sort``,
        of ``start.owner_id``, which becomes the filter): the model shows them with the
        counts and totals of ``start`` until ``complete`` hands it every card. Meanwhile a
        new filter or sort waits for ``complete``, and a card placed below the first
        cards is only counted."""
        super().__init__(parent)
        self._start = start
        self._next: Card | None = None  # while partial: the first card not held, if known
        self.stage = stage
        self.today = today or dt.date.today()
        self._rates = rates
        self._all: dict[int, Card] = {c.id: c for c in cards}
        # what each search and each total needs of a card, worked out once per card: a
        # keystroke in the search box filters and totals every card of the board again
        self._converter = RunningTotal(rates, stage.probability)
        self._lines: dict[int, Line] = {}
        self._folded: dict[int, str] = {}  # filled by the first search
        for card in self._all.values():
            self._lines[card.id] = self._converter.line(card.amount, card.currency)
        self._order: list[Card] | None = None  # every card in sort order, while unchanged
        self._filter = card_filter or CardFilter()
        # shared by the board's columns, filled once the ratings are read
        self.ratings: Mapping[int, DealRating] = ratings if ratings is not None else {}
        wanted = sort if sort in SORT_KEYS else "position"
        # first cards were read in board order when their order is a rated one
        self._sort = "position" if start is not None and wanted in RATED_SORTS else wanted
        self._key = self._key_of(self._sort)
        # what the user chose; the rows follow it at once, or once every card is here
        self._wanted_sort, self._wanted_filter = wanted, self._filter
        self._visible: list[Card] = []
        self._shown = 0
        self._total = RunningTotal(rates, stage.probability)
        if start is None:
            self._recompute()
        else:
            self._first_cards(start)

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
        if role == FaceRole:
            days = card.days_in_stage(self.today)
            return (card, days, self._rotted(days), card.step_state(self.today),
                    self.stage.is_open, self.ratings.get(card.id))
        if role == Qt.ItemDataRole.DisplayRole:
            return card.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(card)
        if role == CardRole:
            return card
        if role == DaysRole:
            return card.days_in_stage(self.today)
        if role == RottedRole:
            return self.is_rotted(card)
        if role == OpenStageRole:
            return self.stage.is_open
        if role == StepStateRole:
            return card.step_state(self.today)
        return None

    def _tooltip(self, card: Card) -> str:
        """The card's texts in full: the card itself shortens those that do not fit."""
        lines = [card.title, card.company, card.next_step, rating_text(
            self.ratings.get(card.id), long=True) if self.stage.is_open else ""]
        rot = self.stage.rot_days or 0
        if self.is_rotted(card):
            lines.append(ngettext("Rotting: no progress for more than {n} day.",
                                  "Rotting: no progress for more than {n} days.",
                                  rot).format(n=rot))
        return "\n".join(line for line in lines if line)

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
        return self._rotted(card.days_in_stage(self.today))

    def _rotted(self, days: int) -> bool:
        rot = self.stage.rot_days
        return bool(self.stage.is_open and rot and days > rot)

    def set_today(self, today: dt.date) -> None:
        """Counts days from ``today`` on: the day count, rot mark and next step's state of
        every card may change (the order may not: it depends on dates, never on today)."""
        if today == self.today:
            return
        self.today = today
        if self._shown:
            self.dataChanged.emit(self.index(0), self.index(self._shown - 1),
                                  [DaysRole, RottedRole, StepStateRole, FaceRole,
                                   Qt.ItemDataRole.ToolTipRole])

    def card_at(self, row: int) -> Card:
        """The card at ``row`` of all matching cards (shown or not yet fetched)."""
        return self._visible[row]

    def card_count(self) -> int:
        """The matching cards the model holds: all of them once whole."""
        return len(self._visible)

    def matching_count(self) -> int:
        """Cards in this column that the filter shows (held or not)."""
        return len(self._visible) if self._start is None else self._matching

    def total_count(self) -> int:
        """Cards in this column, whether the filter shows them or not."""
        return len(self._all) if self._start is None else self._cards

    def is_whole(self) -> bool:
        """Whether the model holds every card of its column (see ``complete``)."""
        return self._start is None

    def accepts(self, card: Card) -> bool:
        """Whether the filter the user chose shows ``card``."""
        return self._wanted_filter.accepts(card)

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
        """The order the user chose (the rows follow it once the model is whole)."""
        return self._wanted_sort

    def set_sort(self, key: str) -> None:
        # while only the first cards are here, they keep the order they were read in
        self._wanted_sort = key if key in SORT_KEYS else "position"
        if self._start is None and self._wanted_sort != self._sort:
            self._sort, self._key = self._wanted_sort, self._key_of(self._wanted_sort)
            self._order = None
            self._reset()

    def _key_of(self, sort: str) -> Callable[[Card], Any]:
        """The key of an order: the service's, or a rated one (unrated cards last)."""
        if sort not in RATED_SORTS:
            return sort_key(sort)
        ratings = self.ratings

        def rated(card: Card) -> tuple[int, int]:
            rating = ratings.get(card.id)
            value = None if rating is None else (
                rating.score if sort == "score" else rating.percent)
            return (-(value if value is not None else -1), card.id)

        return rated

    def ratings_changed(self) -> None:
        """The board's ratings were read again: a column in a rated order sorts its
        cards again, every column paints them."""
        if self._start is None and self._sort in RATED_SORTS:
            order = sorted(self._all.values(), key=self._key)
            if [c.id for c in order] != [c.id for c in self._order or ()]:
                self._order = None
                self._reset()  # only when the order changed: a reset drops the selection
                return
        if self._shown:
            self.dataChanged.emit(self.index(0), self.index(self._shown - 1),
                                  [FaceRole, Qt.ItemDataRole.ToolTipRole])

    def set_filter(self, card_filter: CardFilter) -> None:
        # while only the first cards are here, they keep the filter they were read for
        self._wanted_filter = card_filter
        if self._start is None and card_filter != self._filter:
            self._filter = card_filter
            self._reset()

    def complete(self, cards: Iterable[Card]) -> None:
        """Takes every card of the column (the model held only its first ones). The rows
        shown stay where they are when they still come first, so a view keeps its scroll
        position and selection; a filter or sort chosen meanwhile applies now."""
        if self._start is None:
            return
        shown = [card.id for card in self._visible[:self._shown]]
        self._start = None
        self._all = {c.id: c for c in cards}
        self._lines = {c.id: self._converter.line(c.amount, c.currency) for c in self._all.values()}
        self._folded.clear()
        self._order = None
        same_view = (self._wanted_sort, self._wanted_filter) == (self._sort, self._filter)
        self._sort, self._key, self._filter = (self._wanted_sort, self._key_of(self._wanted_sort),
                                               self._wanted_filter)
        held = self._visible, self._shown
        self._recompute(len(shown))
        if not same_view or [c.id for c in self._visible[:len(shown)]] != shown:
            # a new filter or sort, or cards added or moved by someone else meanwhile
            fresh, self._visible, self._shown = self._visible, *held
            self.beginResetModel()
            self._visible, self._shown = fresh, min(self.PAGE, len(fresh))
            self.endResetModel()
        else:  # the same cards in the same rows; some may have been edited elsewhere
            for row, (old, new) in enumerate(zip(held[0], self._visible, strict=False)):
                if old != new:
                    self.dataChanged.emit(self.index(row), self.index(row))
        self.totalsChanged.emit()

    def put(self, card: Card) -> None:
        """Adds or replaces one card as a row removal and insertion, so views keep state."""
        self._take_row(card.id)
        if self._start is not None:
            self._put_counted(card)
            return
        self._all[card.id] = card
        self._order = None
        self._lines[card.id] = self._converter.line(card.amount, card.currency)
        self._folded.pop(card.id, None)
        if not self._filter.accepts(card):
            return
        row = bisect.bisect(self._visible, self._key(card), key=self._key)
        self._total.add_line(self._lines[card.id], card.currency)
        if row < self._shown or self._shown == len(self._visible):
            self.beginInsertRows(QModelIndex(), row, row)
            self._visible.insert(row, card)
            self._shown += 1
            self.endInsertRows()
        else:
            self._visible.insert(row, card)
        self.totalsChanged.emit()

    def reposition(self, positions: Mapping[int, float]) -> None:
        """Takes the column's new positions (the service renumbered it); rows move only
        if that changes their order (it does not when the service spreads out the cards
        above a drop, so only their neighbours are compared)."""
        if self._start is not None and self._next is not None and self._next.id in positions:
            self._next = replace(self._next, position=positions[self._next.id])
        held = [(self.row_of(ident), ident, at) for ident, at in positions.items()
                if ident in self._all]  # rows found by the old positions, before any change
        if not held:
            return
        for row, ident, at in held:
            card = self._all[ident] = replace(self._all[ident], position=at)
            if row >= 0:
                self._visible[row] = card
        self._order = None
        key, rows = self._key, self._visible
        if all((row <= 0 or key(rows[row - 1]) <= key(rows[row]))
               and (row >= len(rows) - 1 or key(rows[row]) <= key(rows[row + 1]))
               for row, _ident, _at in held if row >= 0):
            return
        if self._start is None:
            self._reset()
        else:  # the first cards, in their new order (a sort, not a new filter)
            self.beginResetModel()
            self._visible.sort(key=key)
            self.endResetModel()

    def discard(self, deal_id: int) -> None:
        self._take_row(deal_id)
        if self._all.pop(deal_id, None) is not None:
            self._order = None
            del self._lines[deal_id]
            self._folded.pop(deal_id, None)

    def _take_row(self, deal_id: int) -> None:
        if self._start is not None and self._next is not None and self._next.id == deal_id:
            self._next = None  # which card comes next is no longer known
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
        self._total.add_line(self._lines[card.id], card.currency, -1)
        if self._start is not None:  # held: one of the first cards, so it matched
            del self._all[card.id], self._lines[card.id]
            self._cards -= 1
            self._matching -= 1
        self.totalsChanged.emit()

    def totals(self) -> tuple[int, Total]:
        """Count and total (weighted included) of the matching cards, in the base currency."""
        return self.matching_count(), self._total.result()

    # --- the first cards only (``start``) --------------------------------------------
    def _first_cards(self, start: ColumnStart) -> None:
        self._filter = self._wanted_filter = CardFilter(start.owner_id)
        self._next = start.next_card
        self.restart(start)
        self._visible = sorted(self._all.values(), key=self._key)
        self._shown = len(self._visible)

    def restart(self, start: ColumnStart) -> None:
        """Takes counts and totals read again (a change may have touched a card this
        model does not hold, which it could not count); nothing once whole."""
        if self._start is None:
            return
        self._cards, self._matching = start.cards, start.matching
        self._total.restart(start.total)
        self.totalsChanged.emit()

    def start_owner(self) -> int:
        """The owner whose first cards the model holds (0: everyone)."""
        return self._filter.owner_id

    def id_below_shown(self) -> int | None:
        """The card just below the last one held: None at the column's end. While only the
        first cards are held, the first card not held (what a card put below them lands
        above), or if that is not known, the last one held."""
        if self._start is None or self._holds_every_match():
            return None
        if self._next is not None:
            return self._next.id
        return self._visible[-1].id if self._visible else None

    def _holds_every_match(self) -> bool:
        """Whether the first cards are every card the filter shows (as when a rep's own
        cards all fit): below them is the column's end, as in a whole column."""
        return len(self._visible) >= self._matching

    def row_order(self) -> str:
        """The order the rows follow now: while only the first cards are held, the one
        they were read in, whatever order was chosen since (``sort_key``)."""
        return self._sort

    def _put_counted(self, card: Card) -> None:
        """``put`` while only the first cards are held: a card that sorts among them, or
        just below them (above the next card), is shown; one further down is counted,
        and shown by ``complete``."""
        self._cards += 1
        if not self._filter.accepts(card):
            self.totalsChanged.emit()
            return
        shown_below = self._holds_every_match() or (
            self._next is not None and self._key(card) < self._key(self._next))
        line = self._converter.line(card.amount, card.currency)
        self._matching += 1
        self._total.add_line(line, card.currency)
        row = bisect.bisect(self._visible, self._key(card), key=self._key)
        if row < len(self._visible) or shown_below:
            self._all[card.id], self._lines[card.id] = card, line
            self.beginInsertRows(QModelIndex(), row, row)
            self._visible.insert(row, card)
            self._shown += 1
            self.endInsertRows()
        self.totalsChanged.emit()

    def _in_order(self) -> list[Card]:
        if self._order is None:
            self._order = sorted(self._all.values(), key=self._key)
        return self._order

    def _recompute(self, shown: int = PAGE) -> None:
        """Filters, sorts and totals every card again; the view is to know of the first
        ``shown`` rows."""
        order = self._in_order()
        if self._filter == CardFilter():
            accepted = list(order)
        else:
            folded = self._folded
            if len(folded) < len(self._all):
                for card in order:
                    if card.id not in folded:
                        folded[card.id] = searchable(card)
            accepts = self._filter.accepts_folded
            accepted = [c for c in order if accepts(c, folded[c.id])]
        self._visible = accepted
        self._shown = min(shown, len(accepted))
        self._total = RunningTotal(self._rates, self.stage.probability)
        add, lines = self._total.add_line, self._lines
        for card in accepted:
            add(lines[card.id], card.currency)

    def _reset(self) -> None:
        self.beginResetModel()
        self._recompute()
        self.endResetModel()
        self.totalsChanged.emit()
