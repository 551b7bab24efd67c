"""deal scorecards

Revision ID: 0017
Revises: 0016

- ``scorecards``: at most one per deal: its rep's ratings of purchase intent, budget fit,
  decision maker, timeline and position against competitors (0: not rated, 1 to 3), and
  the competitors named. The weights a manager gives the factors are a team setting
  (``scorecard_weights``); a file without it uses the defaults.

This file is frozen: it imports no FunnelDesk code but the column types, since the live
code may change after it.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import funneldesk.models.base

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FACTORS = ('intent', 'budget', 'decision', 'timeline', 'position')


def upgrade() -> None:
    op.create_table('scorecards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    *(sa.Column(factor, sa.Integer(), nullable=False) for factor in _FACTORS),
    sa.Column('competitors', sa.Text(), nullable=False),
    sa.Column('updated_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    *(sa.CheckConstraint(f'{factor} BETWEEN 0 AND 3', name=op.f(f'ck_scorecards_{factor}_range'))
      for factor in _FACTORS),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_scorecards_deal_id_deals')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_scorecards_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scorecards')),
    sa.UniqueConstraint('deal_id', name=op.f('uq_scorecards_deal_id'))
    )


def downgrade() -> None:
    op.drop_table('scorecards')
