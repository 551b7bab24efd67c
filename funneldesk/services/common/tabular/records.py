"""What an import is made of: the fields an importer takes, the options a user chose, each
row as parsed, the report, and the context importers report each row's fate to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.orm import Session

from funneldesk import formatting
from funneldesk.i18n import N_, _, ngettext
from funneldesk.services.common.records import Actor
from funneldesk.services.common.tabular.files import Record

REASONS = {
    "required": N_("This field is required."),
    "too_long": N_("The text is too long for this field."),
    "not_a_number": N_("Not an amount: write it in digits, such as 1,234.50."),
    "too_many_decimals": N_("More than two decimals: FunnelDesk does not round amounts."),
    "negative": N_("An amount cannot be negative."),
    "too_large": N_("The amount is too large."),
    "floor_above_list": N_("The floor price is above the list price."),
    "bad_percent": N_("Not a percentage from 0 to 100, such as 13 or 13%."),
    "bad_date": N_("Not a date FunnelDesk can read."),
    "ambiguous_date": N_("Day and month could be either way round: give the file's date "
                         "format (for example --date-format %d/%m/%Y)."),
    "bad_phone": N_("Not a valid phone number."),
    "bad_email": N_("Not a valid email address."),
    "bad_credit_code": N_("Not a valid Unified Social Credit Code."),
    "bad_wechat": N_("Not a WeChat ID: it has 6 to 20 letters, digits, - or _, and starts "
                     "with a letter (or it is the phone number the account was opened "
                     "with)."),
    "unknown_value": N_("Not one of the values this field takes."),
    "unknown_stage": N_("No stage of the pipeline has this name: match it to a stage (in "
                        "the import wizard's stages step, or with --stage)."),
    "unknown_currency": N_("Not a currency code such as CNY or USD."),
    "currency_mismatch": N_("The amount's currency sign names another currency than the "
                            "row's currency."),
    "not_found": N_("No record matches this key, so there is nothing to update."),
    "ambiguous_match": N_("Several records match this key."),
    "duplicate": N_("A record with this value exists already (or appears earlier in the "
                    "file)."),
    "bad_value": N_("This value cannot be used here."),
    "extra_cells": N_("The row has more cells than the file has columns: a value holding "
                      "a comma may have lost its quotes, which would move every cell after "
                      "it."),
}


def reason_label(reason: str) -> str:
    return _(REASONS.get(reason, REASONS["bad_value"]))


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    label: str  # marked with N_, shown translated
    # text, money, percent, date, moment, phones, emails, list, choice, word
    kind: str = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()  # headers it is suggested for, any case
    limit: int = 0  # the longest text it takes
    # choice: names (folded) -> stored code; word: the same, other texts kept as they are
    choices: Mapping[str, str] | None = None


@dataclass(frozen=True)
class ImportOptions:
    columns: Mapping[str, str] = field(default_factory=dict)  # field -> header
    entered: Mapping[str, str] = field(default_factory=dict)  # stage name -> header
    stages: Mapping[str, str] = field(default_factory=dict)  # file's value -> stage name
    constants: Mapping[str, str] = field(default_factory=dict)  # field -> every row's value
    pipeline: str | None = None  # by name (the command line's --pipeline)
    pipeline_id: int | None = None  # by id (the wizard's choice), before the name
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
    dry_run: bool = False
    # by kind of record ("company", "contact"): the id of the first one created (what the
    # import created is that id and above), and the ids of those it renamed: where the
    # names alike to others' may be (an importer that numbers its records in order)
    created_from: dict[str, int] = field(default_factory=dict)
    renamed: dict[str, list[int]] = field(default_factory=dict)
    # where a big import looks for names alike beside itself: by kind, how many of the
    # records it made have names alike to others', once its worker has counted them
    # (None: look after it; ``DuplicateService.alike_of`` reads this, or looks). The
    # import returns as it commits, without waiting for that count.
    alike: Future[dict[str, int] | None] | None = field(default=None, repr=False,
                                                        compare=False)

    @property
    def every_row_failed(self) -> bool:
        """Every row had errors: skipping them leaves nothing to write (the counts of
        an all-or-nothing import refused are 0 whatever the rows were)."""
        return self.failed > 0 and self.failed >= self.read

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportReport:
        """A report as ``to_json`` wrote it (a kept report read again)."""
        counts = data["counts"]
        return cls(int(counts["read"]), int(counts["created"]), int(counts["updated"]),
                   int(counts["unchanged"]), int(counts["failed"]),
                   [RowError(int(e["record"]), int(e["line"]), str(e["column"]),
                             str(e["value"]), str(e["reason"])) for e in data["errors"]],
                   # an all-or-nothing import refused counts nothing created or updated
                   wrote=bool(counts["created"] or counts["updated"] or counts["unchanged"]))

    def to_json(self) -> dict[str, Any]:
        return {"counts": {"read": self.read, "created": self.created, "updated": self.updated,
                           "unchanged": self.unchanged, "failed": self.failed},
                "errors": [e.to_json() for e in self.errors]}

    def summary(self) -> str:
        if self.dry_run:  # nothing was written: what the import would do
            outcomes = (
                ngettext("{n} would be created", "{n} would be created", self.created),
                ngettext("{n} would be updated", "{n} would be updated", self.updated),
                ngettext("{n} would stay unchanged", "{n} would stay unchanged",
                         self.unchanged),
                ngettext("{n} has errors", "{n} have errors", self.failed))
        else:
            outcomes = (ngettext("{n} created", "{n} created", self.created),
                        ngettext("{n} updated", "{n} updated", self.updated),
                        ngettext("{n} unchanged", "{n} unchanged", self.unchanged),
                        ngettext("{n} failed", "{n} failed", self.failed))
        created, updated, unchanged, failed = (
            text.format(n=formatting.number(n)) for text, n in zip(
                outcomes, (self.created, self.updated, self.unchanged, self.failed),
                strict=True))
        # one sentence to translate: Chinese separates its parts with "，"
        return _("{read}, {created}, {updated}, {unchanged}, {failed}").format(
            read=ngettext("{n} row read", "{n} rows read", self.read).format(
                n=formatting.number(self.read)),
            created=created, updated=updated, unchanged=unchanged, failed=failed)


@dataclass(slots=True)
class Row:
    record: Record
    values: dict[str, Any]  # field -> parsed value; absent: blank (unknown)
    texts: dict[str, tuple[str, str]]  # field -> (header, text) of what is not a cell
    entered: dict[str, dt.datetime] = field(default_factory=dict)  # stage name -> when
    # field -> (header, column index) of the file's mapped cells, shared by every row: a
    # cell's text is read again only for the report of a cell that failed
    columns: Mapping[str, tuple[str, int]] = field(default_factory=dict)

    def shown(self, name: str) -> tuple[str, str]:
        """The header (or ``--set NAME``) and the text of what gave field ``name``."""
        if name in self.columns:
            header, i = self.columns[name]
            cells = self.record.cells
            return header, cells[i].strip() if i < len(cells) else ""
        return self.texts.get(name, (name, ""))


class Context:
    """What an importer reports each row's fate to."""

    def __init__(self, report: ImportReport, options: ImportOptions, by: Actor) -> None:
        self.report, self.options, self.by = report, options, by
        self.now = dt.datetime.now(dt.UTC)
        self._failed: set[int] = set()
        # an importer that must take every row before it writes (to match them) sets
        # passes to 2 before it does, and writes the listed rows through rewatch, which
        # reports the second pass's progress and reads Cancel as the first did
        self.passes = 1
        self.rewatch: Callable[[Iterable[Row]], Iterable[Row]] = lambda rows: rows
        # what an importer started beside its change (a worker process) is ended here,
        # once the change has ended, whether it was committed or not (the argument)
        self.ended: list[Callable[[bool], None]] = []

    def fail(self, row: Row, name: str, reason: str) -> None:
        header, text = row.shown(name)
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
    # True: SQLite does not check foreign keys in the import's change, the importer does
    # (it writes through a BulkWriter, which checks each batch; see common/bulk.py)
    references_checked: bool

    def parse(self, row: Row, ctx: Context) -> None:
        """Checks that need the area's rules (a phone in the team's region ...)."""

    def apply(self, session: Session, rows: Iterable[Row], ctx: Context) -> None:
        """Resolves and writes the rows that parsed, reporting each one's fate. The rows
        are checked as they are taken: take each once, and take them all."""


