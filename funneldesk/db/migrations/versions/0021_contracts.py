"""contracts and after-sales

Revision ID: 0021
Revises: 0020

- ``contracts``: made from a quote's accepted option, with copies of its lines
  (``contract_items``), a payment schedule (``contract_milestones``, each with the
  owner's activity to collect it once signed) and the money
  received against it (``contract_payments``), a review checklist (``contract_reviews``),
  the steps of the offline signing path (``contract_steps``), scanned copies kept in the
  database (``contract_files``), and the return visits after delivery (``return_visits``,
  each one an activity).
- ``stage_criteria.rule``: a criterion met by the data rather than ticked (a manager
  makes "Contract signed" the one a contract signed by the customer meets).

This file is frozen: it imports no FunnelDesk code but the column types, since the live
code may change after it.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import funneldesk.models.base

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('contracts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('prices_include_tax', sa.Boolean(), nullable=False),
    sa.Column('subtotal', funneldesk.models.base.Money(precision=14, scale=2), nullable=False),
    sa.Column('tax', funneldesk.models.base.Money(precision=14, scale=2), nullable=False),
    sa.Column('amount', funneldesk.models.base.Money(precision=14, scale=2), nullable=False),
    sa.Column('customer_name', sa.String(length=300), nullable=False),
    sa.Column('customer_address', sa.Text(), nullable=False),
    sa.Column('customer_contact', sa.String(length=300), nullable=False),
    sa.Column('confidentiality', sa.Enum('NORMAL', 'CONFIDENTIAL', name='confidentiality', native_enum=False, length=20), nullable=False),
    sa.Column('state', sa.Enum('DRAFT', 'IN_REVIEW', 'APPROVED', 'SENT', 'SIGNED', 'SEALED', 'RETURNED', 'ARCHIVED', 'CANCELLED', name='contractstate', native_enum=False, length=20), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.Column('delivery_terms', sa.Text(), nullable=False),
    sa.Column('warranty_terms', sa.Text(), nullable=False),
    sa.Column('acceptance_terms', sa.Text(), nullable=False),
    sa.Column('support_scope', sa.Text(), nullable=False),
    sa.Column('response_hours', sa.Integer(), nullable=True),
    sa.Column('warranty_months', sa.Integer(), nullable=True),
    sa.Column('service_contact', sa.String(length=200), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('delivered_on', sa.Date(), nullable=True),
    sa.Column('cancelled_reason', sa.Text(), nullable=False),
    sa.Column('created_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('response_hours IS NULL OR response_hours > 0', name=op.f('ck_contracts_response_hours_positive')),
    sa.CheckConstraint('warranty_months IS NULL OR warranty_months >= 0', name=op.f('ck_contracts_warranty_months_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_contracts_created_by_id_users')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_contracts_deal_id_deals')),
    sa.ForeignKeyConstraint(['option_id'], ['quote_options.id'], name=op.f('fk_contracts_option_id_quote_options')),
    sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], name=op.f('fk_contracts_quote_id_quotes')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_contracts_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contracts')),
    sa.UniqueConstraint('number', name=op.f('uq_contracts_number')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index('ix_contracts_deal', ['deal_id'], unique=False)
        batch_op.create_index('ix_contracts_state', ['state', 'updated_at'], unique=False)

    op.create_table('contract_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('quantity', funneldesk.models.base.Scaled(places=3), nullable=False),
    sa.Column('unit_price', funneldesk.models.base.Money(precision=14, scale=2), nullable=False),
    sa.Column('discount', funneldesk.models.base.Scaled(places=2), nullable=False),
    sa.Column('tax_rate', funneldesk.models.base.Scaled(places=2), nullable=False),
    sa.Column('amount', funneldesk.models.base.Money(precision=14, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_items_contract_id_contracts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_items')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('contract_items', schema=None) as batch_op:
        batch_op.create_index('ix_contract_items_contract', ['contract_id', 'position'], unique=False)

    op.create_table('contract_milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('percent', funneldesk.models.base.Scaled(places=2), nullable=True),
    sa.Column('amount', funneldesk.models.base.Money(precision=14, scale=2), nullable=False),
    sa.Column('reminder_activity_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('amount > 0', name=op.f('ck_contract_milestones_amount_positive')),
    sa.ForeignKeyConstraint(['reminder_activity_id'], ['activities.id'], name=op.f('fk_contract_milestones_reminder_activity_id_activities')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_milestones_contract_id_contracts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_milestones')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('contract_milestones', schema=None) as batch_op:
        batch_op.create_index('ix_contract_milestones_contract', ['contract_id', 'position'], unique=False)
        batch_op.create_index('ix_contract_milestones_due', ['due_on'], unique=False)

    op.create_table('contract_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('who', sa.String(length=30), nullable=False),
    sa.Column('ticked_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ticked_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_reviews_contract_id_contracts')),
    sa.ForeignKeyConstraint(['ticked_by_id'], ['users.id'], name=op.f('fk_contract_reviews_ticked_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_reviews')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('contract_reviews', schema=None) as batch_op:
        batch_op.create_index('ix_contract_reviews_contract', ['contract_id', 'position'], unique=False)

    op.create_table('contract_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('DRAFT', 'IN_REVIEW', 'APPROVED', 'SENT', 'SIGNED', 'SEALED', 'RETURNED', 'ARCHIVED', 'CANCELLED', name='contractstate', native_enum=False, length=20), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('courier', sa.String(length=100), nullable=False),
    sa.Column('tracking', sa.String(length=100), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_contract_steps_by_id_users')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_steps_contract_id_contracts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_steps')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('contract_steps', schema=None) as batch_op:
        batch_op.create_index('ix_contract_steps_contract', ['contract_id', 'id'], unique=False)

    op.create_table('return_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('after_days', sa.Integer(), nullable=False),
    sa.Column('questionnaire', sa.Text(), nullable=False),
    sa.Column('satisfaction', sa.Integer(), nullable=True),
    sa.Column('problems', sa.Text(), nullable=False),
    sa.Column('follow_up_needed', sa.Boolean(), nullable=False),
    sa.Column('recorded_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5', name=op.f('ck_return_visits_satisfaction_range')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_return_visits_activity_id_activities')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_return_visits_contract_id_contracts')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_return_visits_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_visits')),
    sa.UniqueConstraint('activity_id', name=op.f('uq_return_visits_activity_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('return_visits', schema=None) as batch_op:
        batch_op.create_index('ix_return_visits_contract', ['contract_id'], unique=False)

    op.create_table('contract_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=260), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('added_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_contract_files_added_by_id_users')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_files_contract_id_contracts')),
    sa.ForeignKeyConstraint(['step_id'], ['contract_steps.id'], name=op.f('fk_contract_files_step_id_contract_steps')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_files')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('contract_files', schema=None) as batch_op:
        batch_op.create_index('ix_contract_files_contract', ['contract_id'], unique=False)

    op.create_table('contract_payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('amount', funneldesk.models.base.Money(precision=14, scale=2), nullable=False),
    sa.Column('method', sa.String(length=60), nullable=False),
    sa.Column('reference', sa.String(length=120), nullable=False),
    sa.Column('recorded_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_contract_payments_amount_positive')),
    sa.ForeignKeyConstraint(['milestone_id'], ['contract_milestones.id'], name=op.f('fk_contract_payments_milestone_id_contract_milestones')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_contract_payments_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_payments')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('contract_payments', schema=None) as batch_op:
        batch_op.create_index('ix_contract_payments_milestone', ['milestone_id'], unique=False)

    # a plain ALTER: SQLite adds a column with a constant default without a rebuild
    op.add_column('stage_criteria', sa.Column('rule', sa.String(length=30), server_default='', nullable=False))


def downgrade() -> None:
    # the contracts the app indexed for search-everything (and opened lately) go with them:
    # the version before reads no kind it does not know
    for statement in (
            "DELETE FROM search_terms WHERE doc_id IN "
            "(SELECT id FROM search_docs WHERE kind = 'contract')",
            "DELETE FROM search_fts WHERE rowid IN "
            "(SELECT id FROM search_docs WHERE kind = 'contract')",
            "DELETE FROM search_docs WHERE kind = 'contract'",
            "DELETE FROM search_recent WHERE kind = 'contract'"):
        op.execute(statement)
    with op.batch_alter_table('stage_criteria', schema=None) as batch_op:
        batch_op.drop_column('rule')
    for table, indexes in (('contract_payments', ('ix_contract_payments_milestone',)),
                           ('contract_files', ('ix_contract_files_contract',)),
                           ('return_visits', ('ix_return_visits_contract',)),
                           ('contract_steps', ('ix_contract_steps_contract',)),
                           ('contract_reviews', ('ix_contract_reviews_contract',)),
                           ('contract_milestones', ('ix_contract_milestones_due',
                                                    'ix_contract_milestones_contract')),
                           ('contract_items', ('ix_contract_items_contract',)),
                           ('contracts', ('ix_contracts_state', 'ix_contracts_deal'))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for index in indexes:
                batch_op.drop_index(index)
        op.drop_table(table)
