"""Many rows inserted at once straight through the database driver.

SQLAlchemy's executemany compiles and type-converts each row in Python: for an import of
100,000 contacts and their 200,000 phones and emails that cost more than SQLite's own work
(11 s of a 42 s profiled run). Here each column's conversion is looked up once and the
driver gets plain tuples.

``BulkWriter`` goes further for the biggest imports: each batch of rows becomes one JSON
text and one ``INSERT … SELECT … FROM json_each(?)``, which SQLite runs from start to end
without Python's global lock; run on a thread of its own, SQLite writes one batch on one
core while the importer reads and checks the next rows on the other.

In a change begun with ``references_checked`` (foreign keys off, see db/engine.py), the
writer checks the references of each batch it has inserted in one query: SQLite's own
check, row by row, made the inserts of an import three times slower.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import queue
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, NamedTuple, Protocol

import orjson
from sqlalchemy import Table
from sqlalchemy.orm import Session

from funneldesk.db.driver import driver_connection


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Inserts ``rows`` (every row with the same keys) into ``table`` in the session's
    transaction. A column the rows leave out takes its default, which must be a constant
    (a default computed per row, such as a time, must be given)."""
    if not rows:
        return
    connection = session.connection()
    names, columns = _driver_columns(session, table, rows)
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {_quoted(session, table.name)} ({_column_list(session, names)}) "
           f"VALUES ({', '.join([mark] * len(names))})")
    connection.exec_driver_sql(sql, list(zip(*columns, strict=True)))


def _driver_columns(session: Session, table: Table, rows: Sequence[dict[str, Any]]
                    ) -> tuple[list[str], list[Sequence[Any]]]:
    """The columns set, and each column's values as the driver takes them (the columns
    the rows leave out at their constant defaults)."""
    return _converted_columns(session, table, {name: [row[name] for row in rows]
                                               for name in rows[0]}, len(rows))


def _converted_columns(session: Session, table: Table, given: Mapping[str, Sequence[Any]],
                       count: int) -> tuple[list[str], list[Sequence[Any]]]:
    """Column by column, converting a value once for a run of rows that share it (an
    import's rows share their times)."""
    dialect = session.get_bind().dialect
    defaults = {c.name: c.default.arg for c in table.c  # type: ignore[attr-defined]
                if c.name not in given and c.default is not None and c.default.is_scalar}
    columns = [*given.values(), *([value] * count for value in defaults.values())]
    names = [*given, *defaults]
    for n, name in enumerate(names):
        # the dialect's own type, as the ORM converts: the generic one's processor would
        # leave a datetime to the driver, which drops a zero microsecond
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            columns[n] = _converted(columns[n], process)
    return names, columns


def _converted(values: Sequence[Any], process: Callable[[Any], Any]) -> list[Any]:
    converted: list[Any] = []
    last: Any = converted  # nothing a column holds
    out = None
    for value in values:
        if value is not last:
            last, out = value, process(value)
        converted.append(out)
    return converted


def _quoted(session: Session, name: str) -> str:
    return session.get_bind().dialect.identifier_preparer.quote(name)


def _column_list(session: Session, names: Sequence[str]) -> str:
    return ", ".join(_quoted(session, n) for n in names)


_STOP = None
# How long the writer may wait for Python's lock after each statement, while the
# importer's thread holds it: at the default 5 ms, the waits of a 100,000-row import's
# writer (several per batch) added up to more than its SQLite work fell behind by, and
# the importer waited for room in the queue (0.3 s of 3 s, timed per phase).
_SWITCH_S = 0.0005
_switching = threading.Lock()
_writers = 0  # how many run (the first sets the interval, the last puts it back)
_switch_before = 0.0
_CACHE_KIB = -64 * 1024  # negative: KiB, not pages
# json_each's ``->>`` arrived in SQLite 3.38; an older library gets executemany
_JSON_ARROWS = sqlite3.sqlite_version_info >= (3, 38)


class BulkWriter:
    """Inserts rows on a thread of its own, in the session's transaction and in the order
    given. While it runs, nothing else may use the session: call ``drain`` before any
    other statement. Leaving the ``with`` block waits for the last insert (or, when the
    block raised, for the one under way, dropping the rest) and raises what an insert
    raised. Once an insert has failed, every later call raises its error again and no
    later batch runs.

    SQLite only."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._connection = driver_connection(session)
        self._work: queue.Queue[_Insert | None] = queue.Queue(maxsize=4)
        self._check_references = False
        self._error: BaseException | None = None
        self._stopping = False
        self._cache_size = 0
        self._thread = threading.Thread(target=self._run, name="bulk-writer", daemon=True)

    def __enter__(self) -> BulkWriter:
        self._cache_size = _enlarge_cache(self._connection)
        self._check_references = not self._connection.execute("PRAGMA foreign_keys").fetchone()[0]
        _switch_often(True)
        try:
            self._thread.start()
        except BaseException:
            _switch_often(False)
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._stopping = error is not None
        try:
            self._work.put(_STOP)
            self._thread.join()
        finally:
            _switch_often(False)
        self._connection.execute(f"PRAGMA cache_size={self._cache_size:d}")
        if error is None:
            self._raise()
        elif self._error is not None and self._error is not error:
            error.add_note(f"an insert of the bulk writer had failed: {self._error!r}")

    def insert(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        """Queues the rows (every row with the same keys; see ``insert_rows``); waits
        while four batches are already waiting, so that memory stays bounded. A value
        every row shares is bound once instead of being written into each row's JSON, and
        a column equal to another is written once."""
        if rows:
            self.insert_columns(table, {name: [row[name] for row in rows] for name in rows[0]})

    def insert_columns(self, table: Table, given: Mapping[str, Sequence[Any]]) -> None:
        """``insert`` for rows given column by column (every list as long)."""
        self._raise()
        count = len(next(iter(given.values()), []))
        if any(len(values) != count for values in given.values()):
            raise ValueError(f"columns of unequal length for {table.name}")
        if not count:
            return
        names, columns = _converted_columns(self.session, table, given, count)
        into = f"INSERT INTO {_quoted(self.session, table.name)} ({_column_list(self.session, names)})"
        check = (_references_check(self.session, table, names, columns)
                 if self._check_references else None)
        text = _json_batch(into, columns) if _JSON_ARROWS else None
        if text is None:  # row by row: SQLite's JSON functions cut a text at a NUL
            marks = ", ".join(["?"] * len(names))
            self._work.put(_Insert(True, f"{into} VALUES ({marks})",
                                   list(zip(*columns, strict=True)), check))
        else:
            self._work.put(_Insert(False, *text, check))

    def drain(self) -> None:
        """Waits until every queued insert has run."""
        self._work.join()
        self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while True:
            item = self._work.get()
            try:
                if item is _STOP:
                    return
                if self._error is None and not self._stopping:
                    self._write(item)
            except BaseException as error:  # handed to the importer's thread
                self._error = error
            finally:
                self._work.task_done()

    def _write(self, item: _Insert) -> None:
        connection = self._connection
        if item.check is not None:
            last = connection.execute(item.check.last).fetchone()[0] or 0
            changes = connection.total_changes
        if item.many:
            connection.executemany(item.sql, item.parameters)
        else:
            connection.execute(item.sql, item.parameters)
        if item.check is not None:
            inserted = connection.total_changes - changes
            after, bad = connection.execute(item.check.after,
                                            (*item.check.values, last)).fetchone()
            # rows given ids below the table's last are not all after it: the whole table
            if after != inserted:
                bad = connection.execute(
                    f"PRAGMA foreign_key_check({item.check.table})").fetchone()
            if bad:
                raise sqlite3.IntegrityError(
                    f"FOREIGN KEY constraint failed (a new row of {item.check.table})")


class _Executes(Protocol):
    def execute(self, sql: str, /) -> Any: ...


def _enlarge_cache(connection: _Executes) -> int:
    """Gives the connection a 64 MiB page cache; the size it had. With SQLite's 2 MiB,
    the indexes that many new rows land in at random (names, phone and email keys, search
    terms) spill to the WAL before commit, which made the writing of 100,000 contacts a
    third slower (and their indexing for search a fifth)."""
    before = int(connection.execute("PRAGMA cache_size").fetchone()[0])
    connection.execute(f"PRAGMA cache_size={_CACHE_KIB:d}")
    return before


@contextlib.contextmanager
def large_cache(connection: _Executes) -> Iterator[None]:
    """A 64 MiB page cache while many rows are written on ``connection`` (see
    ``_enlarge_cache``), the size it had put back after."""
    before = _enlarge_cache(connection)
    try:
        yield
    finally:
        connection.execute(f"PRAGMA cache_size={before:d}")


def _switch_often(starting: bool) -> None:
    global _writers, _switch_before
    with _switching:
        if starting:
            _writers += 1
            if _writers == 1:
                _switch_before = sys.getswitchinterval()
                sys.setswitchinterval(min(_SWITCH_S, _switch_before))
        else:
            _writers -= 1
            if _writers == 0:
                sys.setswitchinterval(_switch_before)


class _Insert(NamedTuple):
    many: bool  # parameters: one tuple per row (else those of one statement)
    sql: str
    parameters: Any
    check: _Check | None


class _Check(NamedTuple):
    """SQL that checks the references of the rows an insert adds to ``table``."""

    table: str  # quoted
    last: str  # the table's last rowid
    # how many rows come after a rowid, and whether one of them has a reference that
    # names no row (one statement: each costs the writer a wait for Python's lock)
    after: str
    values: tuple[Any, ...]  # what ``after`` binds before that rowid


def _references_check(session: Session, table: Table, names: Sequence[str],
                      columns: Sequence[Sequence[Any]]) -> _Check | None:
    """The check of the references an insert into ``table`` sets (the columns
    ``names``, their values ``columns``): new rows are found by their rowids, after the
    table's last before the insert (and where some are not, the whole table is checked).

    A reference every row shares (the importing user, as creator and owner) is looked up
    once, and so is a run of new ids every row names in turn (the records a batch's
    phones belong to): a fifth of the writer's work was these lookups, row by row."""
    if not table.dialect_options["sqlite"].get("with_rowid", True):
        raise ValueError(f"{table.name} has no rowid to find new rows by")
    quoted = _quoted(session, table.name)
    each: list[str] = []  # looked up for each new row
    once: list[str] = []  # looked up for them all
    values: list[Any] = []
    for key in sorted(table.foreign_keys, key=lambda k: k.parent.name):
        if key.parent.name not in names:
            continue
        column = columns[names.index(key.parent.name)]
        parent = _quoted(session, key.column.table.name)
        target = _quoted(session, key.column.name)
        if isinstance(column, range) and column.step == 1 and key.column.primary_key:
            # the ids are distinct integers: all there when as many are in the range
            once.append(f"(SELECT count(*) FROM {parent} WHERE {target} BETWEEN ? AND ?) "
                        f"!= ?")
            values += [column.start, column.stop - 1, len(column)]
        elif column and column.count(column[0]) == len(column):
            if column[0] is not None:
                once.append(f"NOT EXISTS (SELECT 1 FROM {parent} WHERE {target} = ?)")
                values.append(column[0])
        else:
            own = _quoted(session, key.parent.name)
            each.append(f"(t.{own} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {parent} AS p "
                        f"WHERE p.{target} = t.{own}))")
    if not each and not once:
        return None
    bad = " OR ".join([*once, f"coalesce(max({' OR '.join(each)}), 0)" if each else "0"])
    return _Check(quoted, f"SELECT max(rowid) FROM {quoted}",
                  f"SELECT count(*), {bad} FROM {quoted} AS t WHERE t.rowid > ?",
                  tuple(values))


def _json_batch(into: str, columns: list[Sequence[Any]]) -> tuple[str, tuple[Any, ...]] | None:
    """One ``INSERT … SELECT … FROM json_each(?)`` and its parameters for the rows, or
    None when a text in the JSON holds a NUL (a bound value keeps it whole). A column
    given as a ``range`` (new ids) is counted by SQLite from its start: json_each's key is
    the row's position in the batch."""
    picks: list[str] = []
    shared: list[Any] = []
    varying: list[Sequence[Any]] = []
    for column in columns:
        if isinstance(column, range) and column.step == 1:  # ids: numbered by SQLite
            picks.append("? + key")
            shared.append(column.start)
        elif (column[-1] is column[0] or column[-1] == column[0]) \
                and column.count(column[0]) == len(column):  # a varying one fails at once
            picks.append("?")
            shared.append(_json_value(column[0]) if isinstance(column[0], dt.date)
                          else column[0])
        else:  # a column equal to one already written (a key that is its value) reads it
            same = next((n for n, other in enumerate(varying) if other == column),
                        len(varying))
            picks.append(f"value->>{same}")
            if same == len(varying):
                varying.append(column)
    if len(varying) == 1:  # a flat array: a third of the time of one of 1-element arrays
        picks = [pick.replace("value->>0", "value") for pick in picks]
        lines: Sequence[Any] = varying[0]
    else:
        lines = list(zip(*varying, strict=True)) if varying else [()] * len(columns[0])
    text = _dumped(lines)
    if "\\u0000" in text:
        return None
    return f"{into} SELECT {', '.join(picks)} FROM json_each(?)", (*shared, text)


def _dumped(lines: Sequence[Any]) -> str:
    """``lines`` as JSON text, by orjson: an eighth of the json module's time (a tenth of
    what an import does besides checking its rows was json.dumps). It raises on a lone
    surrogate or an integer beyond 64 bits, and would write a float NaN as null: no
    column written in bulk holds such values (texts, integers, dates)."""
    return orjson.dumps(lines, default=_json_value,
                        option=orjson.OPT_PASSTHROUGH_DATETIME).decode()


def _json_value(value: object) -> Any:
    """A value the JSON module cannot write, as SQLAlchemy's SQLite dialect stores it."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} has no JSON form for a bulk insert")
