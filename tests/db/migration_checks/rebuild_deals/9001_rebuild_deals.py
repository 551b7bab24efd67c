"""A test-only migration: rebuilds `deals` (as any future column change on SQLite does)
and adds a column, on top of whatever the current head is."""

import sqlalchemy as sa
from alembic import op

from funneldesk.db.revisions import HEAD

revision = "9001"
down_revision = HEAD
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deals", recreate="always") as batch:
        batch.add_column(sa.Column("test_rating", sa.Integer(), nullable=True))
