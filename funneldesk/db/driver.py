"""The driver's own connection under an open session, inside its transaction: for the few
writes that run many small statements (the search index) and would pay the ORM's cost on
each. Besides the engine, the one place that reaches the driver."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def driver_connection(session: Session) -> Any:
    """The DB-API connection of ``session`` (flush the ORM's pending changes first)."""
    return session.connection().connection.driver_connection
