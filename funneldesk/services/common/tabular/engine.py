"""The import engine every area's importer runs on: reads the file, maps its columns onto
fields, parses each cell, and lets the area's importer resolve and write the rows in one
transaction, so that an all-or-nothing import that fails, a dry run, a cancelled import or
a crash leaves the database as it was.

The report is what the command prints and the wizard shows: counts, and one error per bad
cell with a stable reason code and its sentence in the user's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session

from funneldesk.db import Database
from funneldesk.errors import FunnelDeskError, InvalidInput
from funneldesk.i18n import N_, _, ngettext
from funneldesk.services.common.records import Actor
from funneldesk.services.common.tabular import cells
from funneldesk.services.common.tabular.files import Record, Table, read_table

REASONS = {
    "required": N_("This field is required."),
    "too_long": N_("The text is too long for this field."),
    "not_a_number": N_("Not an amount: write it in digits, such as 1,234.50."),
    "too_many_decimals": N_("More than two decimals: FunnelDesk does not round amounts."),
    "negative": N_("An amount cannot be negative."),
    "too_large": N_("The amount is too large."),
    "bad_date": N_("Not a date FunnelDesk can read."),
    "ambiguous_date": N_("Day and month could be either way round: give the file's date "
                         "format (for example --date-format %d/%m/%Y)."),
    "bad_phone": N_("Not a valid phone number."),
    "bad_email": N_("Not a valid email address."),
    "bad_credit_code": N_("Not a valid Unified Social Credit Code."),
    "bad_wechat": N_("Not a WeChat ID."),
    "unknown_value": N_("Not one of the values this field takes."),
    "unknown_stage": N_("No stage of the pipeline has this name; map it with --stage."),
    "unknown_currency": N_("Not a currency code such as CNY or USD."),
    "not_found": N_("No record matches this key, so there is nothing to update."),
    "ambiguous_match": N_("Several records match this key."),
    "duplicate": N_("A record with this value exists already (or appears earlier in the "
                    "file)."),
    "bad_value": N_("This value cannot be used here."),
}


def reason_label(reason: str) -> str:
    return _(REASONS.get(reason, REASONS["bad_value"]))


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    label: str  # marked with N_, shown translated
    kind: str = "text"  # text, money, date, moment, phones, emails, list, choice
    required: bool = False
    aliases: tuple[str, ...] = ()  # headers it is suggested for, any case
    limit: int = 0  # the longest text it takes
    choices: Mapping[str, str] | None = None  # names (folded) -> stored code


@dataclass(frozen=True)
class ImportOptions:
    columns: Mapping[str, str] = field(default_factory=dict)  # field -> header
    entered: Mapping[str, str] = field(default_factory=dict)  # stage name -> header
    stages: Mapping[str, str] = field(default_factory=dict)  # file's value -> stage name
    constants: Mapping[str, str] = field(default_factory=dict)  # field -> every row's value
    pipeline: str | None = None
    mode: str = "create"  # create, update or upsert
    match: str | None = None
    date_format: str | None = None
    skip_bad_rows: bool = False
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class RowError:
    record: int
    line: int
    column: str
    value: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"record": self.record, "line": self.line, "column": self.column,
                "value": self.value, "reason": self.reason,
                "reason_label": reason_label(self.reason)}


@dataclass
class ImportReport:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[RowError] = field(default_factory=list)
    wrote: bool = False  # whether anything was written (not a dry run, not refused)

    def to_json(self) -> dict[str, Any]:
        return {"counts": {"read": self.read, "created": self.created, "updated": self.updated,
                           "unchanged": self.unchanged, "failed": self.failed},
                "errors": [e.to_json() for e in self.errors]}

    def summary(self) -> str:
        return ", ".join([
            ngettext("{n} row read", "{n} rows read", self.read).format(n=self.read),
            ngettext("{n} created", "{n} created", self.created).format(n=self.created),
            ngettext("{n} updated", "{n} updated", self.updated).format(n=self.updated),
            ngettext("{n} unchanged", "{n} unchanged", self.unchanged).format(n=self.unchanged),
            ngettext("{n} failed", "{n} failed", self.failed).format(n=self.failed)])


@dataclass
class Row:
    record: Record
    values: dict[str, Any]  # field -> parsed value; absent: blank (unknown)
    texts: dict[str, tuple[str, str]]  # field -> (header, cell text), for the report
    entered: dict[str, dt.datetime] = field(default_factory=dict)  # stage name -> when


class Context:
    """What an importer reports each row's fate to."""

    def __init__(self, report: ImportReport, options: ImportOptions, by: Actor) -> None:
        self.report, self.options, self.by = report, options, by
        self.now = dt.datetime.now(dt.UTC)
        self._failed: set[int] = set()

    def fail(self, row: Row, name: str, reason: str) -> None:
        header, text = row.texts.get(name, (name, ""))
        self.report.errors.append(RowError(row.record.number, row.record.line, header, text,
                                           reason))
        if row.record.number not in self._failed:
            self._failed.add(row.record.number)
            self.report.failed += 1

    def failed(self, row: Row) -> bool:
        return row.record.number in self._failed

    def done(self, outcome: str) -> None:
        setattr(self.report, outcome, getattr(self.report, outcome) + 1)


class Importer(Protocol):
    entity: str
    fields: tuple[Field, ...]
    match_keys: tuple[str, ...]

    def parse(self, row: Row, ctx: Context) -> None:
        """Checks that need the area's rules (a phone in the team's region ...)."""

    def apply(self, session: Session, rows: Sequence[Row], ctx: Context) -> None:
        """Resolves and writes the rows that parsed, reporting each one's fate."""


class ImportCancelled(FunnelDeskError):
    def message(self) -> str:
        return _("The import was cancelled; nothing was written.")


class _Undo(Exception):
    """Leaves the transaction without committing (a dry run, or a refused import)."""


Progress = Callable[[int, int], None]


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
    database: the floor of a validating import (the benchmark sets one beside the other)."""
    table = source if isinstance(source, Table) else read_table(source)
    _check_options(importer, table, options)
    report = ImportReport(read=len(table.records))
    ctx = Context(report, options, by)
    for row in _parsed(importer, table, options, ctx):
        if not ctx.failed(row):
            importer.parse(row, ctx)
    return report


def run_import(db: Database, importer: Importer, source: Path | Table, options: ImportOptions,
               by: Actor, *, progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None) -> ImportReport:
    table = source if isinstance(source, Table) else read_table(source)
    _check_options(importer, table, options)
    report = ImportReport(read=len(table.records))
    ctx = Context(report, options, by)
    rows = _parsed(importer, table, options, ctx)
    for row in rows:
        if not ctx.failed(row):
            importer.parse(row, ctx)
    if cancelled is not None and cancelled():
        raise ImportCancelled()
    good = [r for r in rows if not ctx.failed(r)]
    try:
        with db.session() as session:
            importer.apply(session, _watched(good, progress, cancelled), ctx)
            refused = bool(report.errors) and not options.skip_bad_rows
            if refused or options.dry_run:
                raise _Undo()
            report.wrote = True
    except _Undo:
        if report.errors and not options.skip_bad_rows:
            report.created = report.updated = report.unchanged = 0
    report.errors.sort(key=lambda e: (e.record, e.column))
    return report


def _watched(rows: list[Row], progress: Progress | None,
             cancelled: Callable[[], bool] | None) -> Sequence[Row]:
    """The rows, reporting progress and checking for Cancel every so many."""
    if progress is None and cancelled is None:
        return rows

    class Watched(list[Row]):
        def __iter__(self) -> Any:
            for n, row in enumerate(super().__iter__()):
                if n % 1000 == 0:
                    if cancelled is not None and cancelled():
                        raise ImportCancelled()
                    if progress is not None:
                        progress(n, len(rows))
                yield row

    return Watched(rows)


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
    if options.mode not in ("create", "update", "upsert"):
        raise InvalidInput("mode", _("The mode is create, update or upsert."))
    if options.mode != "create":
        if options.match not in importer.match_keys:
            raise InvalidInput("match", _("Updating needs a key to match records on: one of "
                                          "{keys}.").format(keys=", ".join(importer.match_keys)))
        if options.match not in options.columns and options.match not in options.constants:
            raise InvalidInput("match", _("The key “{key}” is not mapped to a column.").format(
                key=options.match))


def _parsed(importer: Importer, table: Table, options: ImportOptions,
            ctx: Context) -> list[Row]:
    specs = {f.name: f for f in importer.fields}
    index = {h: i for i, h in enumerate(table.headers)}
    columns = {name: (header, index[header]) for name, header in options.columns.items()}
    orders = {name: cells.date_order(r.cells[i] for r in table.records if i < len(r.cells))
              for name, (_h, i) in columns.items() if specs[name].kind in ("date", "moment")}
    entered = {stage: (header, index[header]) for stage, header in options.entered.items()}
    entered_orders = {stage: cells.date_order(r.cells[i] for r in table.records
                                              if i < len(r.cells))
                      for stage, (_h, i) in entered.items()}
    rows = []
    for record in table.records:
        row = Row(record, {}, {})
        for name, (header, i) in columns.items():
            text = record.cells[i].strip() if i < len(record.cells) else ""
            row.texts[name] = (header, text)
            _cell(row, specs[name], text, options, orders.get(name), ctx)
        for name, text in options.constants.items():
            row.texts.setdefault(name, (f"--set {name}", text))
            _cell(row, specs[name], text.strip(), options, None, ctx)
        for spec in importer.fields:
            if spec.required and spec.name not in row.values and not ctx.failed(row):
                ctx.fail(row, spec.name, "required")
        for stage, (header, i) in entered.items():
            text = record.cells[i].strip() if i < len(record.cells) else ""
            if text:
                try:
                    row.entered[stage] = cells.moment(text, options.date_format,
                                                      entered_orders[stage])
                except cells.CellProblem as problem:
                    row.texts[f"entered:{stage}"] = (header, text)
                    ctx.fail(row, f"entered:{stage}", problem.reason)
        rows.append(row)
    return rows


def _cell(row: Row, spec: Field, text: str, options: ImportOptions, order: str | None,
          ctx: Context) -> None:
    if not text:
        return  # blank: unknown
    try:
        row.values[spec.name] = _value(spec, text, options, order)
    except cells.CellProblem as problem:
        ctx.fail(row, spec.name, problem.reason)


def _value(spec: Field, text: str, options: ImportOptions, order: str | None) -> Any:
    if spec.kind == "money":
        return cells.money(text)
    if spec.kind == "date":
        return cells.date(text, options.date_format, order)
    if spec.kind == "moment":
        return cells.moment(text, options.date_format, order)
    if spec.kind in ("phones", "emails", "list"):
        return cells.split_list(text)
    if spec.kind == "choice":
        assert spec.choices is not None
        return cells.choice(text, spec.choices)
    if spec.limit and len(text) > spec.limit:
        raise cells.CellProblem("too_long")
    return text
