"""An open FunnelDesk database: short ORM sessions for changes, plain SQL for fast reads.

Three ways in, so that nobody waits without need:
- ``session()`` for a change: the whole unit of work (its reads, checks and writes) is one
  transaction that holds the write lock from its first statement;
- ``reading()`` for ORM reads (a deal's details, lookups): one consistent snapshot that
  takes no lock, so it works while another program writes;
- ``query()`` for plain-SQL reads (the board).

SQLAlchemy is imported on the first session, not at start-up: the board's first paint
reads through ``query`` alone (importing SQLAlchemy's ORM costs about 0.4 s).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from funneldesk.collation import add_sql_function
from funneldesk.db.inspect_file import check_writable, current_revision, read_only_uri
from funneldesk.db.revisions import HEAD
from funneldesk.errors import DatabaseBusy, DatabaseDamaged, DatabaseUnavailable, ReadOnlyDatabase

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

Row = tuple[Any, ...]
BUSY_TIMEOUT_MS = 5000  # how long a change waits for another writer before DatabaseBusy


class Database:
    def __init__(self, path: Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._read_sessions: sessionmaker[Session] | None = None
        # one plain-SQL connection per thread, so that a long read in the background (every
        # card of a board) never makes the GUI thread wait for a connection
        self._local = threading.local()
        self._readers: weakref.WeakSet[_Reader] = weakref.WeakSet()
        self._lock = threading.Lock()  # the engine and the list of connections
        self._copying: list[threading.Thread] = []  # checkpoint_soon's threads

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                from sqlalchemy import event
                from sqlalchemy.orm import sessionmaker

                from funneldesk.db.engine import make_engine, reading_engine
                from funneldesk.db.stale import remember_versioned

                self._engine = make_engine(self.path, self.busy_timeout_ms)
                self._sessions = sessionmaker(self._engine, expire_on_commit=False)
                event.listen(self._sessions, "before_flush", remember_versioned)
                self._read_sessions = sessionmaker(reading_engine(self._engine),
                                                   expire_on_commit=False)
            return self._engine

    @contextmanager
    def session(self, *, references_checked: bool = False, large: bool = False
                ) -> Iterator[Session]:
        """One change: its first statement takes the write lock (BEGIN IMMEDIATE), so what
        it reads and checks stays true until it commits when the block ends; any error
        rolls it back. A version that no longer matches becomes StaleEdit.

        ``references_checked``: SQLite does not check foreign keys in this change; the
        caller checks what it writes (a bulk import, see services/common/bulk.py).
        ``large``: a change that writes much (a big import): its commit returns once the
        change is in the write-ahead log, which is copied into the database file after,
        on a thread of its own (``checkpoint_soon``). A killed process loses nothing of
        it; a power loss before the copy has ended can cost it, as it can any last change
        under ``synchronous=NORMAL``."""
        from sqlalchemy.orm.exc import StaleDataError

        from funneldesk.db.engine import REFERENCES_CHECKED, keep_log_at_commit

        self.engine  # noqa: B018 - creates the engine and session factories on first use
        assert self._sessions is not None
        with self._mapped_errors(self._sessions()) as session:
            if references_checked:  # before the transaction begins: it reads the option
                session.connection(execution_options={REFERENCES_CHECKED: True})
            try:
                yield session
                if large:
                    from funneldesk.db.driver import driver_connection

                    keep_log_at_commit(driver_connection(session),
                                       session.connection().connection.info)
                session.commit()
                if large:
                    self.checkpoint_soon()
            except StaleDataError as error:
                # SQLAlchemy's own version check (the UPDATE matched no row) at flush
                from funneldesk.db.stale import stale_edit, versioned

                records = versioned(session)
                session.rollback()
                with self.reading() as fresh:
                    raise stale_edit(fresh, records) from error

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A consistent read that takes no write lock (so it never waits for a writer);
        it is always rolled back: nothing done here is ever saved."""
        self.engine  # noqa: B018 - creates the engine and session factories on first use
        assert self._read_sessions is not None
        with self._mapped_errors(self._read_sessions()) as session:
            yield session

    @contextmanager
    def _mapped_errors(self, session: Session) -> Iterator[Session]:
        from sqlalchemy import exc

        try:
            yield session
        except (exc.DatabaseError, sqlite3.Error) as error:  # sqlite3's: the raw connection's
            session.rollback()
            mapped = _as_funneldesk(self.path, getattr(error, "orig", error))
            if mapped is None:
                raise
            raise mapped from error
        finally:
            session.rollback()
            session.close()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Runs a read-only SQL statement (qmark parameters) and returns plain tuples."""
        with self._mapping_errors():
            return self._reader().conn.execute(sql, tuple(params)).fetchall()

    @contextmanager
    def _mapping_errors(self) -> Iterator[None]:
        """SQLite's errors as FunnelDesk's: unavailable, read-only, busy or damaged."""
        try:
            yield
        except sqlite3.Error as error:
            mapped = _as_funneldesk(self.path, error)
            if mapped is None:
                raise
            raise mapped from error

    def _reader(self) -> _Reader:
        reader: _Reader | None = getattr(self._local, "reader", None)
        if reader is None:
            _close_retired()
            with self._mapping_errors():
                # autocommit: each read sees every committed change, and holds no lock after
                conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
                conn.execute(f"PRAGMA busy_timeout={self.busy_timeout_ms:d}")
                add_sql_function(conn)
            reader = self._local.reader = _Reader(conn)
            with self._lock:
                self._readers.add(reader)
        return reader

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Runs this thread's ``query`` calls inside it in one read transaction, so that
        they all see one state of the file (another instance may commit between two of
        them). A snapshot inside another is part of it."""
        reader = self._reader()
        reader.depth += 1
        failed = False
        try:
            if reader.depth == 1:
                self.query("BEGIN")
            yield
        except BaseException:
            failed = True
            raise
        finally:
            reader.depth -= 1
            if reader.depth == 0:
                # after an error, that first error is the one to tell
                with contextlib.suppress(sqlite3.Error) if failed else self._mapping_errors():
                    reader.end_read()

    def check_integrity(self) -> None:
        """Runs SQLite's quick_check on its own read-only connection (call it off the GUI
        thread: it reads every page). It reads through the WAL, so other instances may
        write meanwhile. Raises DatabaseDamaged with SQLite's first findings."""
        conn = sqlite3.connect(read_only_uri(self.path), uri=True, check_same_thread=False)
        try:
            conn.execute("PRAGMA busy_timeout=5000")
            findings = [str(r[0]) for r in conn.execute("PRAGMA quick_check(5)")]
        except sqlite3.OperationalError as error:
            raise _environment_error(self.path, error) from error
        except sqlite3.DatabaseError as error:
            findings = [str(error)]
        finally:
            conn.close()
        if findings != ["ok"]:
            raise DatabaseDamaged(str(self.path), detail="; ".join(findings))

    def checkpoint(self) -> None:
        """Copies the write-ahead log into the file and empties it, as far as readers
        allow (it is best effort: a read under way keeps the frames it needs). After an
        erasure, the log's older frames still hold copies of the rows deleted."""
        self.copies_done()  # one under way would make this one give up, busy
        reader = self._reader()  # outside any transaction, as a checkpoint must be
        if reader.depth == 0:
            with self._mapping_errors():
                reader.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    def checkpoint_soon(self) -> None:
        """Copies the write-ahead log into the database file on a thread of its own, as
        SQLite copies it at a commit that leaves it long (PASSIVE: it waits for no reader
        or writer, and copies what they allow). A failure costs nothing: a later commit's
        own copy does it."""
        with self._lock:
            self._copying = [t for t in self._copying if t.is_alive()]
            thread = threading.Thread(target=self._copy_log, name="wal-checkpoint",
                                      daemon=True)
            try:
                thread.start()
            except RuntimeError:  # no thread to spare: a later commit copies it
                return
            self._copying.append(thread)

    def _copy_log(self) -> None:
        try:
            # mode=rw: a file moved or deleted since is not made anew, empty
            uri = f"{self.path.resolve().as_uri()}?mode=rw"
            with contextlib.closing(sqlite3.connect(uri, uri=True, isolation_level=None)) \
                    as conn:
                conn.execute(f"PRAGMA busy_timeout={self.busy_timeout_ms:d}")
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error:
            pass

    def copies_done(self) -> None:
        """Waits for the copies ``checkpoint_soon`` started (each waits for nobody)."""
        while True:
            with self._lock:
                running = [t for t in self._copying if t.is_alive()]
            if not running:
                return
            for thread in running:
                thread.join()

    def close(self) -> None:
        self.copies_done()  # a copy's connection holds the file open
        with self._lock:
            for reader in list(self._readers):
                reader.conn.close()
            self._readers.clear()
            self._local = threading.local()
            _close_retired()
            if self._engine is not None:
                self._engine.dispose()


class _Reader:
    """A thread's plain-SQL connection. When the thread ends (Python then drops the
    thread's local data; a pool thread's, after each job) it is closed by the next reader
    made, so that threads the pool retires leave no file open."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.depth = 0  # snapshots open on this connection

    def end_read(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")  # it only read: nothing to keep

    def __del__(self) -> None:
        # not closed here: a pool thread's local data goes while Python clears the thread's
        # state, and closing a connection then (it has SQL functions, whose release takes
        # the GIL again) crashed the process. The next reader, or Database.close, closes it
        _RETIRED.append(self.conn)


# connections of threads that ended, to close (see _Reader.__del__); list.append and
# list.pop are atomic, so no lock
_RETIRED: list[sqlite3.Connection] = []


def _close_retired() -> None:
    while _RETIRED:
        try:
            conn = _RETIRED.pop()
        except IndexError:  # another thread took the last one
            return
        conn.close()


def _is_damage(error: BaseException | None) -> bool:
    """SQLite reports a damaged file as a plain DatabaseError ("database disk image is
    malformed", "file is not a database"); its subclasses are other faults."""
    return type(error) is sqlite3.DatabaseError


def _as_funneldesk(path: Path, error: BaseException | None) -> Exception | None:
    """A SQLite error as the FunnelDesk error the user is told (the file is unavailable,
    read-only, busy or damaged); None for the others, which are bugs."""
    if isinstance(error, sqlite3.OperationalError):
        return _environment_error(path, error)
    if _is_damage(error):
        return DatabaseDamaged(str(path), detail=str(error))
    return None


def _environment_error(path: Path, error: BaseException | None) -> Exception:
    text = str(error)
    if "readonly" in text or "read-only" in text:
        return ReadOnlyDatabase(str(path))
    if "locked" in text or "busy" in text:
        return DatabaseBusy(str(path))
    return DatabaseUnavailable(str(path), detail=text)


def open_database(location: str | Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Database:
    """Opens (creating or upgrading as needed) the database at a path or sqlite URL."""
    from funneldesk.db.paths import sqlite_path

    path = sqlite_path(str(location))
    revision = current_revision(path)
    if revision != HEAD or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        check_writable(path)
        from funneldesk.db.migrate import upgrade

        upgrade(path, revision)
        return Database(path, busy_timeout_ms=busy_timeout_ms)
    check_writable(path)
    return Database(path, busy_timeout_ms=busy_timeout_ms)
