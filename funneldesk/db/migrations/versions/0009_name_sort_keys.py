"""companies and contacts sort by a key that reads Chinese names in pinyin

Revision ID: 0009
Revises: 0008

Each company and contact gets ``sort_name``, its name's key in the lists' order
(funneldesk/collation.py), and the lists sort by it instead of by the name's code points
(which put 上海 before 北京). The index on the name moves to the key: nothing looked a
name up by its index, and one index fewer keeps imports fast.

The keys are written with the live ``funneldesk.collation`` on purpose, unlike the frozen
copies in 0004 and 0008: keys sort together only when one version of the function wrote
them all, so a later change to it comes with a migration that rewrites them all anew.
"""
import sqlite3
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from funneldesk.collation import rewrite_keys

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = (("companies", 2100, False), ("contacts", 1400, True))


def upgrade() -> None:
    raw = op.get_bind().connection.driver_connection  # sqlite3, inside this transaction
    assert isinstance(raw, sqlite3.Connection)
    for table, length, person in _TABLES:
        # a default for the rows there are; each is keyed below
        op.add_column(table, sa.Column('sort_name', sa.String(length=length), nullable=False,
                                       server_default=''))
        rewrite_keys(raw, table, person=person)
        op.drop_index(f'ix_{table}_name', table_name=table)
        op.create_index(f'ix_{table}_sort_name', table, ['sort_name'], unique=False)


def downgrade() -> None:
    for table, _length, _person in _TABLES:
        op.drop_index(f'ix_{table}_sort_name', table_name=table)
        op.create_index(f'ix_{table}_name', table, ['name'], unique=False)
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('sort_name')
