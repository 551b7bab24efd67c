"""Alembic environment: FunnelDesk always hands in an open connection."""

from alembic import context

from funneldesk.db.migrate import modelled
from funneldesk.models import Base

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things in place
    compare_type=True,
    include_name=modelled,
)
with context.begin_transaction():
    context.run_migrations()
