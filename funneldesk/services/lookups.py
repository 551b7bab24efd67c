"""Small lookups inside a session."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from funneldesk.errors import NotFound
from funneldesk.models import Base
from funneldesk.services import reads
from funneldesk.services.dto import Card, PipelineInfo

M = TypeVar("M", bound=Base)


def get_or_raise(session: Session, model: type[M], ident: int, what: str) -> M:
    row = session.get(model, ident)
    if row is None or getattr(row, "deleted_at", None) is not None:
        raise NotFound(what, ident)
    return row


def load_pipeline(session: Session, pipeline_id: int) -> PipelineInfo:
    return reads.read_pipeline(reads.session_query(session), pipeline_id)


def read_card(session: Session, deal_id: int) -> Card:
    card = reads.read_card(reads.session_query(session), deal_id)
    if card is None:
        raise NotFound("deal", deal_id)
    return card
