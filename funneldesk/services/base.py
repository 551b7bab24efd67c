"""What every service shares (kept free of SQLAlchemy: the board imports it at start-up)."""

from __future__ import annotations

from funneldesk.db import Database
from funneldesk.errors import NotAllowed
from funneldesk.services.dto import Actor


class Service:
    def __init__(self, db: Database) -> None:
        self.db = db


def require_manager(by: Actor, action: str) -> None:
    if not by.is_manager:
        raise NotAllowed(action)
