"""What every service shares: the database and small lookups inside a session."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from funneldesk.db import Database
from funneldesk.errors import NotAllowed, NotFound
from funneldesk.i18n import _
from funneldesk.models import Base
from funneldesk.services.dto import Actor

M = TypeVar("M", bound=Base)


class Service:
    def __init__(self, db: Database) -> None:
        self.db = db


def get_or_raise(session: Session, model: type[M], ident: int, what: str) -> M:
    row = session.get(model, ident)
    if row is None or getattr(row, "deleted_at", None) is not None:
        raise NotFound(what, ident)
    return row


def require_manager(by: Actor, action: str) -> None:
    if not by.is_manager:
        raise NotAllowed(action)


def deal_word() -> str:
    return _("Deal")
