"""Every row of a file parsed and checked, with no database.

Worker processes were tried for big files, twice. Sending 100,000 parsed rows back from
them cost more than checking them here (5.2 s in this process, 14.5 s with two workers).
Then one worker checking chunks from the file's end, sending back only each row's values,
while this process checked from the start: 95,000 contacts imported in 3.73 s against
3.34 s without it (medians of four, interleaved). Its start (a second of imports) costs
more of the two cores than it saves, with the import's writer thread on one of them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from funneldesk.i18n import _
from funneldesk.services.common.tabular import cells
from funneldesk.services.common.tabular.files import Record, Table
from funneldesk.services.common.tabular.records import (
    Context,
    Field,
    Importer,
    ImportOptions,
    Row,
)


def checked_rows(importer: Importer, table: Table, options: ImportOptions,
                 ctx: Context, first: int | None = None,
                 orders: Mapping[str, str | None] | None = None) -> Iterator[Row]:
    """The rows that pass every check, checked as they are taken (an importer writes some
    while the next are checked); ``ctx`` gets the others' errors. ``first``: only the
    first so many records are checked, their dates read in the order the whole file
    proves. ``orders``: the day-month orders of date fields, where the caller has read
    them already."""
    columns = _columns(table, options.columns)
    entered = _columns(table, options.entered)
    orders = _orders(importer, table, columns, entered, orders or {})
    records = table.records if first is None else table.records[:first]
    return _check(importer, records, options, (columns, entered), orders, ctx,
                  len(table.headers))


Columns = dict[str, tuple[str, int]]  # field (or stage) -> its header and the header's index
Mapped = tuple[Columns, Columns]  # the fields' columns, and the stage-entered dates'


def _columns(table: Table, chosen: Mapping[str, str]) -> Columns:
    index = {h: i for i, h in enumerate(table.headers)}
    return {name: (header, index[header]) for name, header in chosen.items()}


def _orders(importer: Importer, table: Table, columns: Columns, entered: Columns,
            known: Mapping[str, str | None]) -> dict[str, str | None]:
    """The day-month order each date column proves, over the whole file (those ``known``
    are not read again)."""
    specs = {f.name: f for f in importer.fields}
    wanted = {name: i for name, (_h, i) in columns.items()
              if specs[name].kind in ("date", "moment")}
    wanted.update({f"entered:{stage}": i for stage, (_h, i) in entered.items()})
    return {name: known[name] if name in known
            else cells.date_order(r.cells[i] for r in table.records if i < len(r.cells))
            for name, i in wanted.items()}


def _check(importer: Importer, records: Sequence[Record], options: ImportOptions,
           mapped: Mapped, orders: dict[str, str | None], ctx: Context,
           width: int) -> Iterator[Row]:
    specs = {f.name: f for f in importer.fields}
    columns, entered = mapped
    plan = _Plan([(name, header, i, _converter(specs[name], options, orders.get(name)))
                  for name, (header, i) in columns.items()],
                 dict(columns),
                 [(name, _converter(specs[name], options, None), text)
                  for name, text in options.constants.items()],
                 required_fields(list(specs.values())),
                 [(stage, header, i, orders.get(f"entered:{stage}"))
                  for stage, (header, i) in entered.items()], width)
    for record in records:
        row = _parsed(record, plan, options, ctx)
        if "extra_cells" not in row.texts:  # else no cell is where its column says
            importer.parse(row, ctx)  # also after a cell's problem: the report names all
        if not ctx.failed(row):
            yield row


class _Plan(NamedTuple):
    """What to read from every record, worked out once for the file."""

    cells: list[tuple[str, str, int, Converter]]  # field, header, column index, reader
    columns: dict[str, tuple[str, int]]  # field -> header, column index (for the report)
    constants: list[tuple[str, Converter, str]]  # --set FIELD=VALUE
    required: list[tuple[str, str]]  # field, label (marked with N_)
    entered: list[tuple[str, str, int, str | None]]  # stage, header, index, order
    width: int  # the file's columns (its header row's cells)


def _parsed(record: Record, plan: _Plan, options: ImportOptions, ctx: Context) -> Row:
    row = Row(record, {}, {}, columns=plan.columns)
    texts, found = row.texts, record.cells
    values = row.values
    if len(found) > plan.width and any(c.strip() for c in found[plan.width:]):
        # a value's comma without quotes: every cell after it is in the wrong column
        texts["extra_cells"] = (_("(beyond the last column)"),
                                ", ".join(c for c in found[plan.width:] if c.strip()))
        ctx.fail(row, "extra_cells", "extra_cells")
        return row
    for name, _header, i, convert in plan.cells:
        text = found[i].strip() if i < len(found) else ""
        if text:  # a blank is "unknown"
            try:
                values[name] = convert(text)
            except cells.CellProblem as problem:
                ctx.fail(row, name, problem.reason)
    for name, convert, text in plan.constants:
        texts[name] = (f"--set {name}", text)
        if text.strip():
            try:
                values[name] = convert(text.strip())
            except cells.CellProblem as problem:
                ctx.fail(row, name, problem.reason)
    if options.mode == "create":  # else only the rows that create (see require)
        require(row, plan.required, ctx)
    for stage, header, i, order in plan.entered:
        text = found[i].strip() if i < len(found) else ""
        if text:
            try:
                row.entered[stage] = cells.moment(text, options.date_format, order)
            except cells.CellProblem as problem:
                texts[f"entered:{stage}"] = (header, text)
                ctx.fail(row, f"entered:{stage}", problem.reason)
    return row


def require(row: Row, required: Sequence[tuple[str, str]], ctx: Context) -> bool:
    """Fails the row for each required field it has no value for (``required``: field,
    label); whether it has them all. An update needs none: it changes only what the row
    gives, so importers ask this of the rows that create records."""
    for name, label in required:
        # a cell that was given and failed has its own error
        if name not in row.values and not row.shown(name)[1]:
            fail_missing(row, name, label, ctx)
    return not ctx.failed(row)


def fail_missing(row: Row, name: str, label: str, ctx: Context) -> None:
    """Fails the row for a value it needs and does not give; where no column of the file
    is mapped to the field, the report names it by its label (not its code)."""
    if name not in row.columns and name not in row.texts:
        row.texts[name] = (_(label), "")
    ctx.fail(row, name, "required")


def required_fields(fields: Sequence[Field]) -> list[tuple[str, str]]:
    return [(spec.name, spec.label) for spec in fields if spec.required]


Converter = Callable[[str], Any]  # a cell's text (stripped, not blank) to its value


def _converter(spec: Field, options: ImportOptions, order: str | None) -> Converter:
    """How a field's cells are read, chosen once for the file; raises CellProblem."""
    if spec.kind == "money":
        return cells.money
    if spec.kind == "percent":
        return cells.percent
    if spec.kind == "date":
        return functools.partial(_dated, cells.date, options.date_format, order)
    if spec.kind == "moment":
        return functools.partial(_dated, cells.moment, options.date_format, order)
    if spec.kind in ("phones", "emails", "list"):
        return cells.split_list
    if spec.kind == "choice":
        assert spec.choices is not None
        return functools.partial(_chosen, spec.choices)
    if spec.kind == "word":
        assert spec.choices is not None
        return functools.partial(_worded, spec.choices, spec.limit)
    return functools.partial(_limited, spec.limit)


def _dated(read: Callable[[str, str | None, str | None], Any], date_format: str | None,
           order: str | None, text: str) -> Any:
    return read(text, date_format, order)


def _chosen(choices: Mapping[str, str], text: str) -> str:
    return cells.choice(text, choices)


def _worded(words: Mapping[str, str], limit: int, text: str) -> str:
    return words.get(text.casefold()) or _limited(limit, text)


def _limited(limit: int, text: str) -> str:
    if limit and len(text) > limit:
        raise cells.CellProblem("too_long")
    return text
