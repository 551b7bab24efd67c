"""quotes and the product catalogue

Revision ID: 0020
Revises: 0019

- ``products`` grows into the catalogue: English name, unit, description, currency, list
  price, floor price, cost and tax rate (percent), and a version (optimistic locking).
  Products already on the list get the team's base currency, a list price of 0 and the
  13% VAT on goods, which a manager corrects in the catalogue.
- ``quotes``, ``quote_revisions``, ``quote_options``, ``quote_lines``: a deal's quotes,
  revision by revision, with their options and lines; the price floor's approval is
  recorded on the revision.
- ``outbox``: emails (a quote's PDF to the customer) waiting for the mail server, and
  those sent.

This file is frozen: it imports no FunnelDesk code but the column types, since the live
code may change after it.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import funneldesk.models.base

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    # SQLite rebuilds the table to add the check constraints; elsewhere plain ALTERs
    with op.batch_alter_table('products', recreate='always' if sqlite else 'auto') as batch_op:
        batch_op.add_column(sa.Column('name_en', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('unit', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('description', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('currency', sa.String(length=3), server_default='CNY', nullable=False))
        batch_op.add_column(sa.Column('list_price', funneldesk.models.base.Money(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('floor_price', funneldesk.models.base.Money(), nullable=True))
        batch_op.add_column(sa.Column('cost', funneldesk.models.base.Money(), nullable=True))
        # 13.00 percent: integer hundredths on SQLite, a decimal elsewhere
        batch_op.add_column(sa.Column('tax_rate', funneldesk.models.base.Scaled(places=2),
                                      server_default='1300' if sqlite else '13', nullable=False))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_products_list_price_not_negative'), 'list_price >= 0')
        batch_op.create_check_constraint(batch_op.f('ck_products_floor_price_not_negative'),
                                         'floor_price IS NULL OR floor_price >= 0')
        batch_op.create_check_constraint(batch_op.f('ck_products_cost_not_negative'), 'cost IS NULL OR cost >= 0')
        batch_op.create_check_constraint(batch_op.f('ck_products_tax_rate_not_negative'), 'tax_rate >= 0')
    op.execute("UPDATE products SET currency = COALESCE("
               "(SELECT value FROM team_settings WHERE key = 'base_currency'), 'CNY')")
    op.create_table('quotes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('prices_include_tax', sa.Boolean(), nullable=False),
    sa.Column('state', sa.Enum('DRAFT', 'SENT', 'ACCEPTED', 'REJECTED', name='quotestate', native_enum=False, length=10), nullable=False),
    sa.Column('accepted_option_id', sa.Integer(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('rejected_reason', sa.Text(), nullable=False),
    sa.Column('deal_value_before', funneldesk.models.base.Money(precision=14, scale=2), nullable=True),
    sa.Column('created_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_quotes_contact_id_contacts')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_quotes_created_by_id_users')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_quotes_deal_id_deals')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_quotes_decided_by_id_users')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_quotes_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quotes')),
    sa.UniqueConstraint('number', name=op.f('uq_quotes_number')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.create_index('ix_quotes_deal', ['deal_id'], unique=False)
        batch_op.create_index('ix_quotes_state', ['state', 'updated_at'], unique=False)

    op.create_table('quote_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('payment_terms', sa.Text(), nullable=False),
    sa.Column('delivery_terms', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('saved_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('min_margin', funneldesk.models.base.Scaled(places=2), nullable=True),
    sa.Column('approval', sa.Enum('NONE', 'REQUESTED', 'APPROVED', 'DECLINED', name='approvalstate', native_enum=False, length=10), nullable=False),
    sa.Column('approval_asked_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('approval_asked_by_id', sa.Integer(), nullable=True),
    sa.Column('approval_request', sa.Text(), nullable=False),
    sa.Column('approval_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('approval_by_id', sa.Integer(), nullable=True),
    sa.Column('approval_reason', sa.Text(), nullable=False),
    sa.Column('self_approved', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['approval_asked_by_id'], ['users.id'], name=op.f('fk_quote_revisions_approval_asked_by_id_users')),
    sa.ForeignKeyConstraint(['approval_by_id'], ['users.id'], name=op.f('fk_quote_revisions_approval_by_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_quote_revisions_created_by_id_users')),
    sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], name=op.f('fk_quote_revisions_quote_id_quotes')),
    sa.ForeignKeyConstraint(['saved_by_id'], ['users.id'], name=op.f('fk_quote_revisions_saved_by_id_users')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_quote_revisions_sent_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quote_revisions')),
    sa.UniqueConstraint('quote_id', 'number', name=op.f('uq_quote_revisions_quote_id_number')),
    sqlite_autoincrement=True
    )
    op.create_table('quote_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('subtotal', funneldesk.models.base.Money(precision=14, scale=2), nullable=False),
    sa.Column('tax', funneldesk.models.base.Money(precision=14, scale=2), nullable=False),
    sa.Column('total', funneldesk.models.base.Money(precision=14, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['revision_id'], ['quote_revisions.id'], name=op.f('fk_quote_options_revision_id_quote_revisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quote_options')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('quote_options', schema=None) as batch_op:
        batch_op.create_index('ix_quote_options_revision', ['revision_id', 'position'], unique=False)

    op.create_table('quote_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('quantity', funneldesk.models.base.Scaled(places=3), nullable=False),
    sa.Column('unit_price', funneldesk.models.base.Money(precision=14, scale=2), nullable=False),
    sa.Column('discount', funneldesk.models.base.Scaled(places=2), nullable=False),
    sa.Column('tax_rate', funneldesk.models.base.Scaled(places=2), nullable=False),
    sa.Column('list_price', funneldesk.models.base.Money(precision=14, scale=2), nullable=False),
    sa.Column('floor_price', funneldesk.models.base.Money(precision=14, scale=2), nullable=True),
    sa.Column('cost', funneldesk.models.base.Money(precision=14, scale=2), nullable=True),
    sa.CheckConstraint('discount >= 0', name=op.f('ck_quote_lines_discount_not_negative')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_quote_lines_quantity_positive')),
    sa.CheckConstraint('unit_price >= 0', name=op.f('ck_quote_lines_unit_price_not_negative')),
    sa.ForeignKeyConstraint(['option_id'], ['quote_options.id'], name=op.f('fk_quote_lines_option_id_quote_options')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_quote_lines_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quote_lines')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('quote_lines', schema=None) as batch_op:
        batch_op.create_index('ix_quote_lines_option', ['option_id', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_quote_lines_product_id'), ['product_id'], unique=False)
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=True),
    sa.Column('to_address', sa.String(length=320), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('attachment', sa.LargeBinary(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('created_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', funneldesk.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_outbox_created_by_id_users')),
    sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], name=op.f('fk_outbox_quote_id_quotes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_waiting', ['sent_at', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_waiting')

    op.drop_table('outbox')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('version')
        batch_op.drop_column('tax_rate')
        batch_op.drop_column('cost')
        batch_op.drop_column('floor_price')
        batch_op.drop_column('list_price')
        batch_op.drop_column('currency')
        batch_op.drop_column('description')
        batch_op.drop_column('unit')
        batch_op.drop_column('name_en')

    with op.batch_alter_table('quote_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quote_lines_product_id'))
        batch_op.drop_index('ix_quote_lines_option')

    op.drop_table('quote_lines')
    with op.batch_alter_table('quote_options', schema=None) as batch_op:
        batch_op.drop_index('ix_quote_options_revision')

    op.drop_table('quote_options')
    op.drop_table('quote_revisions')
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.drop_index('ix_quotes_state')
        batch_op.drop_index('ix_quotes_deal')

    op.drop_table('quotes')
