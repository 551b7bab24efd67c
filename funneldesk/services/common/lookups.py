"""Small lookups inside a session."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from funneldesk.errors import NotFound
from funneldesk.models import Base

M = TypeVar("M", bound=Base)


def get_or_raise(session: Session, model: type[M], ident: int, what: str) -> M:
    row = session.get(model, ident)
    if row is None or getattr(row, "deleted_at", None) is not None:
        raise NotFound(what, ident)
    return row
