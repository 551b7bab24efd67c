"""A test-only migration that breaks a foreign key (a stage that deals still use is
removed while a table is rebuilt): the upgrade must fail and leave the file as it was."""

import sqlalchemy as sa
from alembic import op

from funneldesk.db.revisions import HEAD

revision = "9002"
down_revision = HEAD
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deals", recreate="always") as batch:
        batch.add_column(sa.Column("test_rating", sa.Integer(), nullable=True))
    op.execute("DELETE FROM stages WHERE id = (SELECT min(stage_id) FROM deals)")
