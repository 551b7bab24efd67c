"""follow-up plans and the activities entering a stage proposes

Revision ID: 0016
Revises: 0015

- ``follow_up_plans``: at most one per deal: a cadence (an activity kind every so many
  days), what to talk about, a goal, the people and the budget it needs.
- ``stage_plan_steps``: the activities entering a stage proposes (a kind, a title, due
  within so many days), kept by managers per stage. A file made before this has none: its
  stages may have been renamed or reordered, so no default is guessed for them.

This file is frozen: it imports no FunnelDesk code but the column types, since the live
code may change after it.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import funneldesk.models.base

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS = ('CALL', 'VISIT', 'MEETING', 'EMAIL', 'WECHAT', 'DEMO', 'OTHER')


def upgrade() -> None:
    op.create_table('stage_plan_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum(*_KINDS, name='activitykind', native_enum=False, length=10), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('within_days', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('within_days BETWEEN 0 AND 365', name=op.f('ck_stage_plan_steps_within_days_range')),
    sa.ForeignKeyConstraint(['stage_id'], ['stages.id'], name=op.f('fk_stage_plan_steps_stage_id_stages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_plan_steps'))
    )
    with op.batch_alter_table('stage_plan_steps', schema=None) as batch_op:
        batch_op.create_index('ix_stage_plan_steps_stage', ['stage_id', 'position'], unique=False)

    op.create_table('follow_up_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('every_kind', sa.Enum(*_KINDS, name='activitykind', native_enum=False, length=10), nullable=True),
    sa.Column('every_days', sa.Integer(), nullable=True),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('people', sa.Text(), nullable=False),
    sa.Column('budget', funneldesk.models.base.Money(precision=14, scale=2), nullable=True),
    sa.Column('updated_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('budget IS NULL OR budget >= 0', name=op.f('ck_follow_up_plans_budget_not_negative')),
    sa.CheckConstraint('every_days IS NULL OR every_days BETWEEN 1 AND 365', name=op.f('ck_follow_up_plans_every_days_range')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_follow_up_plans_deal_id_deals')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_follow_up_plans_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_plans')),
    sa.UniqueConstraint('deal_id', name=op.f('uq_follow_up_plans_deal_id'))
    )


def downgrade() -> None:
    op.drop_table('follow_up_plans')
    with op.batch_alter_table('stage_plan_steps', schema=None) as batch_op:
        batch_op.drop_index('ix_stage_plan_steps_stage')
    op.drop_table('stage_plan_steps')
