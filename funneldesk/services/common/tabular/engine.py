"""The import engine every area's importer runs on: reads the file, maps its columns onto
fields, parses each cell, and lets the area's importer resolve and write the rows in one
transaction, so that an all-or-nothing import that fails, a dry run, a cancelled import or
a crash leaves the database as it was.

The report is what the command prints and the wizard shows: counts, and one error per bad
cell with a stable reason code and its sentence in the user's language.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from operator import attrgetter
from pathlib import Path

from funneldesk.db import Database
from funneldesk.errors import FunnelDeskError, InvalidInput
from funneldesk.i18n import _
from funneldesk.services.common.records import Actor
from funneldesk.services.common.tabular.checking import checked_rows
from funneldesk.services.common.tabular.files import Table, read_table
from funneldesk.services.common.tabular.records import (
    REASONS,
    Context,
    Field,
    Importer,
    ImportOptions,
    ImportReport,
    Row,
    RowError,
    reason_label,
)

__all__ = ["REASONS", "Context", "Field", "ImportCancelled", "ImportOptions", "ImportReport",
           "Importer", "Row", "RowError", "reason_label", "run_import", "suggest_columns",
           "validate_only"]

class ImportCancelled(FunnelDeskError):
    def message(self) -> str:
        return _("The import was cancelled; nothing was written.")


class _Undo(Exception):
    """Leaves the transaction without committing (a dry run, or a refused import)."""


# records from which an import's commit leaves the copy of its log into the file to a
# thread (Database.session's large): about the 4 MB log SQLite copies at a commit
LARGE_IMPORT = 10_000
Progress = Callable[[int, int], None]
_EVERY = 1000  # rows between two looks at Cancel (and two progress reports)


def suggest_columns(importer: Importer, headers: Sequence[str]) -> dict[str, str]:
    """field -> header for the headers that name a field (its name, label or an alias,
    in English or Chinese, any case)."""
    from funneldesk.i18n import translated

    wanted: dict[str, str] = {}
    for spec in importer.fields:
        for name in (spec.name, spec.label, translated(spec.label, "zh_CN"), *spec.aliases):
            wanted.setdefault(name.casefold().replace("_", " "), spec.name)
    found: dict[str, str] = {}
    for header in headers:
        field_name = wanted.get(header.strip().casefold().replace("_", " "))
        if field_name is not None and field_name not in found:
            found[field_name] = header
    return found


def validate_only(importer: Importer, source: Path | Table, options: ImportOptions,
                  by: Actor) -> ImportReport:
    """Reads and checks every row as an import would, writing nothing and reading no
    database: the floor of a validating import (the benchmark sets one beside the other;
    the wizard's preview checks its first rows with ``preview_check``)."""
    table = source if isinstance(source, Table) else read_table(source)
    _check_options(importer, table, options)
    report = ImportReport(read=len(table.records))
    with _collector_paused():  # as in run_import
        for _row in checked_rows(importer, table, options, Context(report, options, by)):
            pass
    return report


def preview_check(importer: Importer, table: Table, options: ImportOptions, by: Actor, *,
                  first: int, orders: Mapping[str, str | None] | None = None) -> ImportReport:
    """``validate_only`` of the ``first`` records (``orders``: as ``checked_rows`` takes
    them), and, for an import that creates, a row
    that repeats an earlier row's key (a phone, an email, an external id ...) marked as the
    import will refuse it: what the wizard's preview shows before any database is read."""
    _check_options(importer, table, options)
    report = ImportReport(read=min(first, len(table.records)))
    ctx = Context(report, options, by)
    # the keys a created record may not share with another row of the file
    fields = ("phone", "email", *getattr(importer, "key_fields", importer.match_keys))
    seen: set[tuple[str, str]] = set()
    with _collector_paused():
        for row in checked_rows(importer, table, options, ctx, first=first, orders=orders):
            if options.mode != "create":
                continue
            for name in fields:
                value = row.values.get(name)
                keys = {(name, str(v).split(";")[0].casefold())  # a phone's extension aside
                        for v in (value if isinstance(value, list) else [value]) if v}
                if keys & seen:
                    ctx.fail(row, name, "duplicate")
                    break
                seen |= keys
    report.errors.sort(key=attrgetter("record", "column"))
    return report


def run_import(db: Database, importer: Importer, source: Path | Table, options: ImportOptions,
               by: Actor, *, progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None) -> ImportReport:
    table = source if isinstance(source, Table) else read_table(source)
    _check_options(importer, table, options)
    report = ImportReport(read=len(table.records), dry_run=options.dry_run)
    ctx = Context(report, options, by)
    if cancelled is not None and cancelled():
        raise ImportCancelled()
    good = checked_rows(importer, table, options, ctx)
    total = len(table.records)
    ctx.rewatch = lambda rows: _watched(iter(rows), ctx, total, progress, cancelled,
                                        second=True)
    committed = False
    try:
        with _collector_paused(), \
                db.session(references_checked=importer.references_checked,
                           large=len(table.records) >= LARGE_IMPORT) as session:
            importer.apply(session, _watched(good, ctx, total, progress, cancelled), ctx)
            # Cancel pressed while the last rows were written (or indexed) still undoes all
            if cancelled is not None and cancelled():
                raise ImportCancelled()
            refused = bool(report.errors) and not options.skip_bad_rows
            if refused or options.dry_run:
                raise _Undo()
            report.wrote = True
        committed = True
    except _Undo:
        if report.errors and not options.skip_bad_rows:
            report.created = report.updated = report.unchanged = 0
    finally:
        for ended in ctx.ended:  # they say what went wrong themselves: none fails the import
            ended(committed)
    report.errors.sort(key=attrgetter("record", "column"))
    return report


_pausing = threading.Lock()
_paused = 0  # imports under way (the first pauses the collector, the last resumes it)
_was_on = True


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while an import makes its many rows: each of its full
    passes walks every object alive, the rows included (a sixth of a 100,000-row import's
    time); the rows hold no cycles, so reference counting frees them. The collector is the
    whole process's: with two imports under way, it resumes when the last one ends."""
    global _paused, _was_on
    with _pausing:
        _paused += 1
        if _paused == 1:
            _was_on = gc.isenabled()
            gc.disable()
    try:
        yield
    finally:
        with _pausing:
            _paused -= 1
            if _paused == 0 and _was_on:
                gc.enable()


def _watched(rows: Iterator[Row], ctx: Context, total: int, progress: Progress | None,
             cancelled: Callable[[], bool] | None, *, second: bool = False) -> Iterator[Row]:
    """The rows, reporting progress (by the file's records: bad ones are not yielded;
    over both passes when the importer takes two) and checking for Cancel every so many."""
    for n, row in enumerate(rows):
        if n % _EVERY == 0:
            if cancelled is not None and cancelled():
                raise ImportCancelled()
            if progress is not None:
                done = row.record.number - 1 + (total if second else 0)
                progress(done, total * ctx.passes)
        yield row


def _check_options(importer: Importer, table: Table, options: ImportOptions) -> None:
    known = {f.name for f in importer.fields}
    for name, header in options.columns.items():
        if name not in known:
            raise InvalidInput("column", _("“{name}” is not a field of this import. The fields "
                                           "are: {fields}.").format(
                name=name, fields=", ".join(sorted(known))))
        if header not in table.headers:
            raise InvalidInput("column", _("The file has no column “{header}”.").format(
                header=header))
    for header in options.entered.values():
        if header not in table.headers:
            raise InvalidInput("column", _("The file has no column “{header}”.").format(
                header=header))
    for name in options.constants:
        if name not in known:
            raise InvalidInput("set", _("“{name}” is not a field of this import.").format(
                name=name))
    if options.date_format is not None and "%" not in options.date_format:
        raise InvalidInput("date_format", _("“{format}” is no date format: write it as in "
                                            "strftime, such as %d/%m/%Y.").format(
            format=options.date_format))
    unmapped = [spec for spec in importer.fields if spec.required and options.mode == "create"
                and spec.name not in options.columns and spec.name not in options.constants]
    if unmapped:
        raise InvalidInput("column", _(
            "No column of the file gives “{field}”, which every new record needs: match "
            "one to it (on the command line, --column {name}=HEADER). The file's columns "
            "are: {headers}.").format(field=_(unmapped[0].label), name=unmapped[0].name,
                                      headers=", ".join(table.headers)))
    if options.mode not in ("create", "update", "upsert"):
        raise InvalidInput("mode", _("The mode is create, update or upsert."))
    if options.mode != "create":
        if options.match not in importer.match_keys:
            raise InvalidInput("match", _("Updating needs a key to match records on: one of "
                                          "{keys}.").format(keys=", ".join(importer.match_keys)))
        if options.match not in options.columns and options.match not in options.constants:
            raise InvalidInput("match", _("The key “{key}” is not mapped to a column.").format(
                key=options.match))


