"""deal teams, notes feeds and reviews

Revision ID: 0019
Revises: 0018

- ``deal_members``: colleagues on a deal's team, one row per deal and user, with their
  role on that deal;
- ``deal_notes``: each deal's shared notes feed (a note taken back keeps its row);
- ``deal_reviews``: the quick updates made from the review view.

Notes and reviews are named by id in the audit: their ids are never given again
(AUTOINCREMENT, as migration 0014 made the others).

This file is frozen: it imports no FunnelDesk code but the column types, since the live
code may change after it.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import funneldesk.models.base

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ROLES = ('PRESALES', 'TECH_SUPPORT', 'CUSTOMER_SERVICE', 'FINANCE', 'LEGAL', 'OTHER')


def upgrade() -> None:
    op.create_table('deal_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum(*_ROLES, name='dealrole', native_enum=False, length=20), nullable=False),
    sa.Column('added_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_deal_members_added_by_id_users')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_deal_members_deal_id_deals')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_deal_members_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_members')),
    sa.UniqueConstraint('deal_id', 'user_id', name=op.f('uq_deal_members_deal_id_user_id'))
    )
    op.create_index('ix_deal_members_user', 'deal_members', ['user_id', 'deal_id'], unique=False)
    op.create_table('deal_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_deal_notes_author_id_users')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_deal_notes_deal_id_deals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_notes')),
    sqlite_autoincrement=True
    )
    op.create_index('ix_deal_notes_deal_at', 'deal_notes', ['deal_id', 'created_at'], unique=False)
    op.create_table('deal_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reasons', sa.String(length=100), nullable=False),
    sa.Column('expected_before', sa.Date(), nullable=True),
    sa.Column('expected_after', sa.Date(), nullable=True),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('note_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_deal_reviews_by_id_users')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_deal_reviews_deal_id_deals')),
    sa.ForeignKeyConstraint(['note_id'], ['deal_notes.id'], name=op.f('fk_deal_reviews_note_id_deal_notes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_reviews')),
    sqlite_autoincrement=True
    )
    op.create_index('ix_deal_reviews_deal_at', 'deal_reviews', ['deal_id', 'at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_deal_reviews_deal_at', table_name='deal_reviews')
    op.drop_table('deal_reviews')
    op.drop_index('ix_deal_notes_deal_at', table_name='deal_notes')
    op.drop_table('deal_notes')
    op.drop_index('ix_deal_members_user', table_name='deal_members')
    op.drop_table('deal_members')
