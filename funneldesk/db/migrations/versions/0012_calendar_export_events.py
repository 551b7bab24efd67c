"""calendar exports remember the events they wrote

Revision ID: 0012
Revises: 0011

- ``calendar_exports.events``: what each export wrote, as JSON (activity id -> its
  SEQUENCE, summary, start, and whether it was written cancelled), so that the next file
  cancels every event the calendar holds that is no longer planned for the user (done,
  cancelled, given to someone else, undated, trashed or purged) and never writes an event
  with a lower SEQUENCE than one the calendar has seen. Earlier exports remembered nothing:
  they keep '{}', and the first file after this migration cancels nothing it did not write.

This file is frozen: it imports no FunnelDesk code.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('calendar_exports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('events', sa.Text(), nullable=False,
                                      server_default='{}'))


def downgrade() -> None:
    with op.batch_alter_table('calendar_exports', schema=None) as batch_op:
        batch_op.drop_column('events')
