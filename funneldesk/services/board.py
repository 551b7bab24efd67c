"""Reads the board: the stages of a pipeline and a card per visible deal."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session, aliased

from funneldesk.models import Company, Deal, Stage, StageKind, User
from funneldesk.services import team
from funneldesk.services.base import Service
from funneldesk.services.dto import Board, Card, UserInfo
from funneldesk.services.structure import list_pipelines, load_pipeline

_owner = aliased(User)

# only the columns a card shows: full ORM objects cost several times more at 10,000 deals
CARD_COLUMNS = (
    Deal.id, Deal.stage_id, Deal.position, Deal.title,
    func.coalesce(Company.name, "").label("company"),
    Deal.value, Deal.currency, Deal.owner_id, _owner.display_name.label("owner"),
    Deal.stage_entered_at, Deal.next_step, Deal.next_step_date, Deal.expected_close,
    Deal.version,
)


def card_query() -> Select[*tuple[Any, ...]]:
    return (
        select(*CARD_COLUMNS)
        .join(_owner, _owner.id == Deal.owner_id)
        .outerjoin(Company, Company.id == Deal.company_id)
        .where(Deal.deleted_at.is_(None), Deal.archived_at.is_(None))
    )


def card_from(row: Row[*tuple[Any, ...]]) -> Card:
    return Card(*row)


def read_card(session: Session, deal_id: int) -> Card:
    row = session.execute(card_query().where(Deal.id == deal_id)).one()
    return card_from(row)


class BoardService(Service):
    def pipelines(self) -> list[tuple[int, str]]:
        with self.db.session() as session:
            return list_pipelines(session)

    def load(self, pipeline_id: int, *, include_closed: bool = False) -> Board:
        with self.db.session() as session:
            pipeline = load_pipeline(session, pipeline_id)
            query = card_query().where(Deal.pipeline_id == pipeline_id)
            if not include_closed:
                query = query.join(Stage, Stage.id == Deal.stage_id).where(
                    Stage.kind == StageKind.OPEN)
            # Core execution: the ORM's row processing costs more than the query at 10,000 cards
            rows = session.connection().execute(query.order_by(Deal.position)).all()
            cards = tuple(Card(*row) for row in rows)
            owners = tuple(
                UserInfo(r.id, r.display_name) for r in session.execute(
                    select(User.id, User.display_name).where(User.active)
                    .order_by(User.display_name))
            )
            return Board(pipeline, cards, team.base_currency(session), team.rates(session), owners)

    def deal_count(self) -> int:
        with self.db.session() as session:
            return session.scalar(select(func.count()).select_from(Deal)
                                  .where(Deal.deleted_at.is_(None))) or 0

    def card(self, deal_id: int) -> Card | None:
        """The card of a deal still on the board (None once archived or deleted)."""
        with self.db.session() as session:
            row = session.execute(card_query().where(Deal.id == deal_id)).one_or_none()
            return card_from(row) if row else None
