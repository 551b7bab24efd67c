"""analytics: the KPIs' derived stage visits and deal progress, the doctor's rules

Revision ID: 0022
Revises: 0021

- ``stage_visits``: each stretch a deal spent in one stage, derived from its stage changes
  (an undone move and its undo leave none), with its local day numbers.
- ``deal_progress``: the furthest stage each deal reached, and its local creation day.
- ``doctor_rules``: the funnel doctor's suggestions, a condition on the bottleneck and its
  advice each, which managers edit (the defaults are written in the team's language on
  first use, as default data is).
- ``kpi_targets`` (a manager's target for a KPI, a period, a rep or the team),
  ``forecast_adjustments`` (a manager's own forecast for a month, beside the computed one),
  ``training_plans`` (training planned for a rep, and what came of it), and
  ``deals.forecast_category`` (pipeline, best case or commit: every deal starts in pipeline).
- ``ix_deals_stage_figures`` replaces ``ix_deals_stage_totals``: the same columns first (the
  board's column totals), then those the KPIs group deals by, so that neither reads the
  wide rows.

Both are derived data. They are created empty here: the first KPI read builds them from
the history in the team's time zone, and records that zone in the team setting
``visits_zone`` (a database without that setting has not been built yet).

This file is frozen: it imports no FunnelDesk code but the column types, since the live
code may change after it.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import funneldesk.models.base

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
    op.create_table('kpi_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kpi', sa.String(length=30), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('value', funneldesk.models.base.Scaled(places=4), nullable=False),
    sa.Column('updated_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.Column('is_sample', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("period IN ('month', 'quarter', 'year')",
                       name=op.f('ck_kpi_targets_period_kind')),
    sa.CheckConstraint('value >= 0', name=op.f('ck_kpi_targets_value_not_negative')),
    sa.ForeignKeyConstraint(['stage_id'], ['stages.id'],
                            name=op.f('fk_kpi_targets_stage_id_stages')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'],
                            name=op.f('fk_kpi_targets_updated_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_kpi_targets_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_targets'))
    )
    op.create_index('ix_kpi_targets_starts', 'kpi_targets', ['starts_on', 'kpi'], unique=False)
    op.create_table('forecast_adjustments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pipeline_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('amount', funneldesk.models.base.Money(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.Column('is_sample', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['pipeline_id'], ['pipelines.id'],
                            name=op.f('fk_forecast_adjustments_pipeline_id_pipelines')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'],
                            name=op.f('fk_forecast_adjustments_updated_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_forecast_adjustments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forecast_adjustments'))
    )
    op.create_table('training_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=True),
    sa.Column('kpi', sa.String(length=20), nullable=False),
    sa.Column('topic', sa.Text(), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('is_sample', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                            name=op.f('fk_training_plans_created_by_id_users')),
    sa.ForeignKeyConstraint(['stage_id'], ['stages.id'],
                            name=op.f('fk_training_plans_stage_id_stages')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_training_plans_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_plans'))
    )
    op.create_index(op.f('ix_training_plans_user_id'), 'training_plans', ['user_id'],
                    unique=False)
    # a column with a default: SQLite adds it without rebuilding the table
    op.add_column('deals', sa.Column('forecast_category', sa.String(length=12),
                                     server_default='pipeline', nullable=False))
    op.drop_index('ix_deals_stage_totals', table_name='deals')
    op.create_index('ix_deals_stage_figures', 'deals', _FIGURES, unique=False)


_TOTALS = ['stage_id', 'deleted_at', 'archived_at', 'owner_id', 'currency', 'value', 'won_value']
_FIGURES = [*_TOTALS, 'lead_source_id', 'product_id', 'closed_on', 'lost_reason_id',
            'company_id']


def downgrade() -> None:
    op.drop_index('ix_deals_stage_figures', table_name='deals')
    op.create_index('ix_deals_stage_totals', 'deals', _TOTALS, unique=False)
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_column('forecast_category')
    op.drop_index(op.f('ix_training_plans_user_id'), table_name='training_plans')
    op.drop_table('training_plans')
    op.drop_table('forecast_adjustments')
    op.drop_index('ix_kpi_targets_starts', table_name='kpi_targets')
    op.drop_table('kpi_targets')
    op.execute("DELETE FROM team_settings WHERE key IN ('visits_zone', 'doctor_rules_seeded')")
    op.drop_table('doctor_rules')
    op.drop_table('deal_progress')
    with op.batch_alter_table('stage_visits', schema=None) as batch_op:
        batch_op.drop_index('ix_stage_visits_stage_days')
        batch_op.drop_index('ix_stage_visits_deal')
    op.drop_table('stage_visits')
