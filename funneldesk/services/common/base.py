"""What every service shares (kept free of SQLAlchemy: the board imports it at start-up)."""

from __future__ import annotations

from funneldesk.db import Database
from funneldesk.services.common.permissions import require_manager


class Service:
    def __init__(self, db: Database) -> None:
        self.db = db


__all__ = ["Service", "require_manager"]  # require_manager: the services' usual import
