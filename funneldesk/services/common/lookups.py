"""Small lookups inside a session."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from funneldesk.errors import MergedAway, NotFound
from funneldesk.models import Base

M = TypeVar("M", bound=Base)


def get_or_raise(session: Session, model: type[M], ident: int, what: str) -> M:
    row = session.get(model, ident)
    merged_into = getattr(row, "merged_into_id", None)
    if merged_into is not None:  # a company or contact merged into another
        into = session.get(model, merged_into)
        raise MergedAway(what, ident, str(getattr(row, "name", "")),
                         str(getattr(into, "name", "")))
    if row is None or getattr(row, "deleted_at", None) is not None:
        raise NotFound(what, ident)
    return row
