"""Reads the board: the stages of a pipeline and a card per visible deal.

Only plain SQL through ``Database.query``: no SQLAlchemy import on this path, so the
window can paint its board before the ORM is loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from funneldesk.services.common.base import Service
from funneldesk.services.pipeline import reads
from funneldesk.services.pipeline.records import (
    ArchivedDeal,
    Board,
    Card,
    ColumnStart,
    PipelineInfo,
    StageInfo,
)
from funneldesk.services.team import reads as team_reads

SORTS = tuple(reads.CARD_ORDER)  # the orders a column can be sorted in


def sort_key(sort: str) -> Callable[[Card], Any]:
    """A column's order ``sort`` (one of SORTS) as a key of its cards: the order in which
    ``start`` reads the first cards (reads.CARD_ORDER)."""
    far = dt.date.max
    keys: dict[str, Callable[[Card], Any]] = {
        "position": lambda c: (c.position, c.id),
        "value": lambda c: (-c.amount, c.id),
        "close": lambda c: (c.expected_close or far, c.id),
        "days": lambda c: (c.stage_entered_at, c.id),
    }
    return keys[sort]


FIRST_CARDS = 50  # per column: a few screens, read in a few milliseconds


class BoardService(Service):
    def pipelines(self) -> list[tuple[int, str]]:
        return reads.read_pipelines(self.db.query)

    def load(self, pipeline_id: int, *, include_closed: bool = False) -> Board:
        query = self.db.query
        with self.db.snapshot():
            money = team_reads.currency_rates(query)
            return Board(reads.read_pipeline(query, pipeline_id),
                         reads.read_cards(query, pipeline_id, include_closed),
                         money.base_currency, money.rates, team_reads.read_owners(query))

    def start(self, pipeline_id: int, *, include_closed: bool = False, owner_id: int = 0,
              sorts: Mapping[int, str] | None = None, first: int | None = None) -> Board:
        """The board as it is first painted: per column, its first ``first`` cards (default
        FIRST_CARDS) in its sort order (``sorts``: stage id -> a key of ``SORTS``, board
        order if not given) and what all its cards add up to (``Board.starts``), read in a
        few milliseconds where ``load`` reads every card. A column of no more than
        ``first`` cards comes whole. ``owner_id`` filters the first cards and totals (0,
        or an owner who is not an active user: everyone)."""
        with self.db.snapshot():
            return self._start(pipeline_id, include_closed, owner_id, sorts or {},
                               FIRST_CARDS if first is None else first)

    def _start(self, pipeline_id: int, include_closed: bool, owner_id: int,
               sorts: Mapping[int, str], first: int) -> Board:
        query = self.db.query
        pipeline = reads.read_pipeline(query, pipeline_id)
        money = team_reads.currency_rates(query)
        owners = team_reads.read_owners(query)
        if all(owner.id != owner_id for owner in owners):
            owner_id = 0
        stages = [s for s in pipeline.stages if include_closed or s.is_open]
        sums = reads.column_sums(query, stages, money, owner_id)
        cards: list[Card] = []
        starts: dict[int, ColumnStart] = {}
        for stage in stages:
            if sums[stage.id].cards <= first:  # whole: every card, for any owner filter
                cards += reads.read_first_cards(query, stage.id, sorts.get(stage.id, ""), 0,
                                                first)
                continue
            read = reads.read_first_cards(query, stage.id, sorts.get(stage.id, ""), owner_id,
                                          first + 1)
            cards += read[:first]
            starts[stage.id] = replace(sums[stage.id],
                                       next_card=read[first] if len(read) > first else None)
        return Board(pipeline, tuple(cards), money.base_currency, money.rates, owners, starts)

    def column_sums(self, stages: Sequence[StageInfo], *, owner_id: int = 0) -> dict[int, ColumnStart]:
        """Per stage: its count of cards, and the count and total of those of ``owner_id``
        (0: everyone), as ``start`` gives them (without first cards)."""
        query = self.db.query
        with self.db.snapshot():
            return reads.column_sums(query, stages, team_reads.currency_rates(query), owner_id)

    def pipeline(self, pipeline_id: int) -> PipelineInfo:
        return reads.read_pipeline(self.db.query, pipeline_id)

    def base_currency(self) -> str:
        return team_reads.base_currency(self.db.query)

    def card(self, deal_id: int) -> Card | None:
        """The card of a deal still on the board (None once archived or deleted)."""
        return reads.read_card(self.db.query, deal_id)

    def archived(self, pipeline_id: int) -> list[ArchivedDeal]:
        """Archived deals of a pipeline, most recently archived first."""
        return reads.read_archived(self.db.query, pipeline_id)

    def has_deals(self) -> bool:
        """Whether any deal is left; stops at the first one (runs before the first paint,
        where counting a history of 200,000 deals would read them all)."""
        return bool(self.db.query(
            "SELECT EXISTS (SELECT 1 FROM deals WHERE deleted_at IS NULL)")[0][0])

    def deal_count(self) -> int:
        return int(self.db.query("SELECT count(*) FROM deals WHERE deleted_at IS NULL")[0][0])
