"""exact money, won value, sample markers, who deleted a deal, move details

Revision ID: 0002
Revises: 0001

- deals.value becomes integer hundredths on SQLite (NUMERIC there is a binary float, so
  SQL sums were float arithmetic); Numeric(14, 2) stays Numeric(14, 2) elsewhere.
- deals.won_value keeps the final amount beside the estimate. Deals already won had their
  estimate overwritten by the final amount, so both start equal for them.
- is_sample on deals, companies, contacts and users: sample data can be removed at once.
- deals.deleted_by_id: the Trash shows who deleted a deal.
- stage_changes.details: before and after of the other fields a move changes.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import funneldesk.models.base

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        # ROUND first: 0.1 * 100 is 10.000000000000002 in binary floating point
        op.execute("UPDATE deals SET value = CAST(ROUND(value * 100) AS INTEGER)")
    # SQLite rebuilds the table (its only way to change a column); elsewhere a rebuild
    # would drop a primary key that other tables' foreign keys depend on, so plain ALTERs
    with op.batch_alter_table('deals', recreate='always' if sqlite else 'auto') as batch_op:
        batch_op.alter_column('value', existing_type=sa.Numeric(precision=14, scale=2),
                              type_=funneldesk.models.base.Money(), existing_nullable=False)
        batch_op.add_column(sa.Column('won_value', funneldesk.models.base.Money(), nullable=True))
        batch_op.add_column(sa.Column('deleted_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('is_sample', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_deals_deleted_by_id_users'), 'users', ['deleted_by_id'], ['id'])
        batch_op.create_check_constraint(batch_op.f('ck_deals_won_value_not_negative'),
                                         'won_value IS NULL OR won_value >= 0')
    op.execute("UPDATE deals SET won_value = value "
               "WHERE stage_id IN (SELECT id FROM stages WHERE kind = 'WON')")
    for table in ('companies', 'contacts', 'users'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('is_sample', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('stage_changes') as batch_op:
        batch_op.add_column(sa.Column('details', sa.Text(), server_default='{}', nullable=False))


def downgrade() -> None:
    raise NotImplementedError("FunnelDesk upgrades only; restore the copy saved before the upgrade")
