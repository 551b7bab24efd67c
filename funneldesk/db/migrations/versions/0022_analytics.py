"""analytics: the KPIs' derived stage visits and deal progress, the doctor's rules

Revision ID: 0022
Revises: 0021

- ``stage_visits``: each stretch a deal spent in one stage, derived from its stage changes
  (an undone move and its undo leave none), with its local day numbers.
- ``deal_progress``: the furthest stage each deal reached, and its local creation day.
- ``doctor_rules``: the funnel doctor's suggestions, a condition on the bottleneck and its
  advice each, which managers edit (the defaults are written in the team's language on
  first use, as default data is).
- ``ix_deals_stage_figures`` replaces ``ix_deals_stage_totals``: the same columns first (the
  board's column totals), then those the KPIs group deals by, so that neither reads the
  wide rows.

Both are derived data. They are created empty here: the first KPI read builds them from
the history in the team's time zone, and records that zone in the team setting
``visits_zone`` (a database without that setting has not been built yet).

This file is frozen: it imports no FunnelDesk code, since the live code may change after it.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('stage_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('entered_s', sa.Integer(), nullable=False),
    sa.Column('left_s', sa.Integer(), nullable=True),
    sa.Column('entered_day', sa.Integer(), nullable=False),
    sa.Column('left_day', sa.Integer(), nullable=True),
    sa.Column('days', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'],
                            name=op.f('fk_stage_visits_deal_id_deals')),
    sa.ForeignKeyConstraint(['stage_id'], ['stages.id'],
                            name=op.f('fk_stage_visits_stage_id_stages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_visits'))
    )
    with op.batch_alter_table('stage_visits', schema=None) as batch_op:
        batch_op.create_index('ix_stage_visits_deal', ['deal_id', 'stage_id', 'days', 'left_day'],
                              unique=False)
        batch_op.create_index('ix_stage_visits_stage_days', ['stage_id', 'days', 'left_day'],
                              unique=False)
    op.create_table('deal_progress',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('furthest_stage_id', sa.Integer(), nullable=True),
    sa.Column('created_day', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'],
                            name=op.f('fk_deal_progress_deal_id_deals')),
    sa.ForeignKeyConstraint(['furthest_stage_id'], ['stages.id'],
                            name=op.f('fk_deal_progress_furthest_stage_id_stages')),
    sa.PrimaryKeyConstraint('deal_id', name=op.f('pk_deal_progress'))
    )


    op.create_table('doctor_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('lost_reason_id', sa.Integer(), nullable=True),
    sa.Column('min_share', sa.Integer(), nullable=False),
    sa.Column('advice', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('min_share BETWEEN 0 AND 100',
                       name=op.f('ck_doctor_rules_min_share_percent')),
    sa.ForeignKeyConstraint(['lost_reason_id'], ['lost_reasons.id'],
                            name=op.f('fk_doctor_rules_lost_reason_id_lost_reasons')),
    sa.ForeignKeyConstraint(['stage_id'], ['stages.id'],
                            name=op.f('fk_doctor_rules_stage_id_stages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_doctor_rules'))
    )
    op.drop_index('ix_deals_stage_totals', table_name='deals')
    op.create_index('ix_deals_stage_figures', 'deals', _FIGURES, unique=False)


_TOTALS = ['stage_id', 'deleted_at', 'archived_at', 'owner_id', 'currency', 'value', 'won_value']
_FIGURES = [*_TOTALS, 'lead_source_id', 'product_id', 'closed_on', 'lost_reason_id',
            'company_id']


def downgrade() -> None:
    op.drop_index('ix_deals_stage_figures', table_name='deals')
    op.create_index('ix_deals_stage_totals', 'deals', _TOTALS, unique=False)
    op.execute("DELETE FROM team_settings WHERE key IN ('visits_zone', 'doctor_rules_seeded')")
    op.drop_table('doctor_rules')
    op.drop_table('deal_progress')
    with op.batch_alter_table('stage_visits', schema=None) as batch_op:
        batch_op.drop_index('ix_stage_visits_stage_days')
        batch_op.drop_index('ix_stage_visits_deal')
    op.drop_table('stage_visits')
