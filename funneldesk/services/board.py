"""Reads the board: the stages of a pipeline and a card per visible deal.

Only plain SQL through ``Database.query``: no SQLAlchemy import on this path, so the
window can paint its board before the ORM is loaded.
"""

from __future__ import annotations

from funneldesk.services import reads
from funneldesk.services.base import Service
from funneldesk.services.dto import ArchivedDeal, Board, Card


class BoardService(Service):
    def pipelines(self) -> list[tuple[int, str]]:
        return reads.read_pipelines(self.db.query)

    def load(self, pipeline_id: int, *, include_closed: bool = False) -> Board:
        query = self.db.query
        return Board(reads.read_pipeline(query, pipeline_id),
                     reads.read_cards(query, pipeline_id, include_closed),
                     reads.base_currency(query), reads.rates(query), reads.read_owners(query))

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
