"""an index that covers the board's column totals

Revision ID: 0003
Revises: 0002

The board's first read sums every card of each column (count, value, won value, by owner
and currency) without reading the cards themselves. With this index SQLite answers those
sums from the index alone; without it, it visits every deal's row, scattered over a file
that also holds years of closed deals.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ['stage_id', 'deleted_at', 'archived_at', 'owner_id', 'currency', 'value', 'won_value']


def upgrade() -> None:
    op.create_index('ix_deals_stage_totals', 'deals', COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index('ix_deals_stage_totals', table_name='deals')
