"""An open FunnelDesk database: one engine, one short session per user action."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, exc
from sqlalchemy.orm import Session, sessionmaker

from funneldesk.db.engine import make_engine, sqlite_path
from funneldesk.db.inspect_file import check_writable, current_revision
from funneldesk.db.revisions import HEAD
from funneldesk.errors import DatabaseUnavailable, ReadOnlyDatabase


class Database:
    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits when the block ends, rolls back on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except exc.OperationalError as error:
            session.rollback()
            raise _environment_error(self.path, error) from error
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()


def _environment_error(path: Path, error: exc.OperationalError) -> Exception:
    text = str(error.orig)
    if "readonly" in text or "read-only" in text:
        return ReadOnlyDatabase(str(path))
    if isinstance(error.orig, sqlite3.OperationalError):
        return DatabaseUnavailable(str(path), detail=text)
    return error


def open_database(location: str | Path) -> Database:
    """Opens (creating or upgrading as needed) the database at a path or sqlite URL."""
    path = sqlite_path(str(location))
    revision = current_revision(path)
    if revision != HEAD or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        check_writable(path)
        engine = make_engine(path)
        from funneldesk.db.migrate import upgrade

        upgrade(engine, path, revision)
    else:
        check_writable(path)
        engine = make_engine(path)
    return Database(path, engine)
