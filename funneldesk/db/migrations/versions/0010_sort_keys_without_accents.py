"""sort keys without accents or punctuation

Revision ID: 0010
Revises: 0009

The names' sort keys (0009) now drop accents and punctuation, so that Émile sorts with
the e's and 《读者》 with the d's, not after z. Every key is written anew with the live
``funneldesk.collation`` (0009 says why). No table changes.
"""
import sqlite3
from collections.abc import Sequence

from alembic import op

from funneldesk.collation import rewrite_keys

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    raw = op.get_bind().connection.driver_connection  # sqlite3, inside this transaction
    assert isinstance(raw, sqlite3.Connection)
    rewrite_keys(raw, "companies", person=False)
    rewrite_keys(raw, "contacts", person=True)


def downgrade() -> None:
    """The keys stay: the order they give is the better one for any version."""
