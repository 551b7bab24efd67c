"""the day a follow-up plan's cadence counts from

Revision ID: 0018
Revises: 0017

- ``follow_up_plans.cadence_since``: the day the cadence (its kind and days) was set;
  until an activity of that kind is done, the next one is due that many days after it.
  It was counted from the plan's last change, so that editing the goal moved it. A plan
  with a cadence gets the local day of its last change, what it counted from until now.

This file is frozen: it imports no FunnelDesk code.
"""
import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('follow_up_plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cadence_since', sa.Date(), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, updated_at FROM follow_up_plans "
                                "WHERE every_kind IS NOT NULL")).all()
    for ident, updated_at in rows:
        # stored as naive UTC text ("2026-11-30 08:15:00.000000"); this computer's day
        moment = dt.datetime.fromisoformat(str(updated_at)).replace(tzinfo=dt.UTC)
        bind.execute(sa.text("UPDATE follow_up_plans SET cadence_since = :day WHERE id = :id"),
                     {"day": moment.astimezone().date().isoformat(), "id": ident})


def downgrade() -> None:
    with op.batch_alter_table('follow_up_plans', schema=None) as batch_op:
        batch_op.drop_column('cadence_since')
