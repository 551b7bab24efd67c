"""activities: planned and done calls, visits, meetings ...; calendar exports

Revision ID: 0011
Revises: 0010

- ``activities``: planned on a deal, a company or a contact (a due day, perhaps a time,
  an assignee, an agenda), then done (with an outcome) or cancelled.
- ``calendar_exports``: when each user last wrote their activities to an iCalendar file.
- The database gets an id of its own (team setting ``database_id``): exported calendar
  events are named by it, so that events from two databases never collide.
- A deal's "next step" (its text and date) becomes a planned activity of kind "other",
  owned by the deal's owner, on the deal's company and contact: nothing typed there is
  lost, and it now reminds. The deal keeps the two columns as what its card shows of its
  next planned activity.

This file is frozen: it imports no FunnelDesk code but the column types, since the live
code may change after it.
"""
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import funneldesk.models.base

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('CALL', 'VISIT', 'MEETING', 'EMAIL', 'WECHAT', 'DEMO', 'OTHER', name='activitykind', native_enum=False, length=10), nullable=False),
    sa.Column('state', sa.Enum('PLANNED', 'DONE', 'CANCELLED', name='activitystate', native_enum=False, length=10), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('due_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('reminded_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('snoozed_until', funneldesk.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('is_sample', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('deal_id IS NOT NULL OR company_id IS NOT NULL OR contact_id IS NOT NULL', name=op.f('ck_activities_hangs_on_something')),
    sa.CheckConstraint('minutes IS NULL OR minutes > 0', name=op.f('ck_activities_minutes_positive')),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_activities_assignee_id_users')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_activities_closed_by_id_users')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_activities_company_id_companies')),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_activities_contact_id_contacts')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_activities_created_by_id_users')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_activities_deal_id_deals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_assignee_due', ['assignee_id', 'state', 'due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index('ix_activities_deal_due', ['deal_id', 'state', 'due_on', 'due_at'], unique=False)

    op.create_table('calendar_exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_exports_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_exports'))
    )
    with op.batch_alter_table('calendar_exports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_exports_user_id'), ['user_id'], unique=False)

    op.execute(sa.text("INSERT INTO team_settings (key, value) VALUES ('database_id', :id)")
               .bindparams(id=uuid.uuid4().hex))
    # every next step typed on a deal, as the planned activity it stands for
    op.execute(
        "INSERT INTO activities (kind, state, title, agenda, outcome, due_on, assignee_id, "
        "deal_id, company_id, contact_id, sequence, created_at, created_by_id, updated_at, "
        "is_sample, version) "
        "SELECT 'OTHER', 'PLANNED', next_step, '', '', next_step_date, owner_id, id, "
        "company_id, contact_id, 0, updated_at, updated_by_id, updated_at, is_sample, 1 "
        "FROM deals WHERE next_step != '' OR next_step_date IS NOT NULL ORDER BY id")


def downgrade() -> None:
    op.execute("DELETE FROM team_settings WHERE key = 'database_id'")
    with op.batch_alter_table('calendar_exports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_exports_user_id'))
    op.drop_table('calendar_exports')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_deal_due')
        batch_op.drop_index(batch_op.f('ix_activities_contact_id'))
        batch_op.drop_index(batch_op.f('ix_activities_company_id'))
        batch_op.drop_index('ix_activities_assignee_due')
    op.drop_table('activities')
