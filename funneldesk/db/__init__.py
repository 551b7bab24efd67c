"""Engine, sessions, migrations and backups."""

from funneldesk.db.database import Database, open_database

__all__ = ["Database", "open_database"]
