"""Lookups of a pipeline and a card inside a session."""

from __future__ import annotations

from sqlalchemy.orm import Session

from funneldesk.errors import NotFound
from funneldesk.services.common.sql import session_query
from funneldesk.services.pipeline import reads
from funneldesk.services.pipeline.records import Card, PipelineInfo


def load_pipeline(session: Session, pipeline_id: int) -> PipelineInfo:
    return reads.read_pipeline(session_query(session), pipeline_id)


def read_card(session: Session, deal_id: int) -> Card:
    card = reads.read_card(session_query(session), deal_id)
    if card is None:
        raise NotFound("deal", deal_id)
    return card
