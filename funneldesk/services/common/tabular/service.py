"""Imports as one service call: which importer a kind uses is given by the composition
root (services/__init__.py), since the kinds live in several areas."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from funneldesk.db import Database
from funneldesk.errors import InvalidInput
from funneldesk.i18n import _
from funneldesk.services.common.base import Service
from funneldesk.services.common.records import Actor
from funneldesk.services.common.tabular import cells
from funneldesk.services.common.tabular.engine import (
    Importer,
    ImportOptions,
    ImportReport,
    Progress,
    RowError,
    preview_check,
    run_import,
    suggest_columns,
)
from funneldesk.services.common.tabular.files import Table, read_table


@dataclass(frozen=True)
class StageChoices:
    stages: tuple[str, ...]  # the pipeline's, in order
    values: tuple[tuple[str, int, str | None], ...]  # value, rows, the stage it names


class ImportService(Service):
    def __init__(self, db: Database, importers: Mapping[str, Callable[[], Importer]]) -> None:
        super().__init__(db)
        self._importers = importers

    def kinds(self) -> tuple[str, ...]:
        return tuple(self._importers)

    def importer(self, kind: str) -> Importer:
        if kind not in self._importers:
            raise InvalidInput("kind", _("FunnelDesk imports {kinds}.").format(
                kinds=", ".join(self._importers)))
        return self._importers[kind]()

    def read(self, path: Path) -> Table:
        """The file's header and records (for the wizard's preview and mapping). The
        database file itself is refused unread: closing a descriptor of it would drop
        SQLite's locks on it (see ui/common/file_dialogs.py)."""
        if _same_file(path, self.db.path):
            raise InvalidInput("file", _("{name} is FunnelDesk's database, not a table to "
                                         "import.").format(name=path.name))
        return read_table(path)

    def suggest(self, kind: str, headers: tuple[str, ...]) -> dict[str, str]:
        """field -> header, for the headers that name a field."""
        return suggest_columns(self.importer(kind), headers)

    def export_source(self, kind: str, headers: tuple[str, ...]) -> str | None:
        """The CRM whose export the file is, where its headers tell (deals only)."""
        find = getattr(self.importer(kind), "export_source", None)
        return find(headers) if find is not None else None

    def date_columns(self, table: Table) -> list[tuple[str | None, str | None]]:
        """Each column's dates (``cells.date_column``): the order they prove, and the
        first that needs it given; read with the file, off the GUI thread, so that the
        wizard's preview asks at once whichever columns become dates."""
        return [cells.date_column(r.cells[i] for r in table.records if i < len(r.cells))
                for i in range(len(table.headers))]

    def suggest_entered(self, kind: str, headers: tuple[str, ...],
                        pipeline: int | str | None = None,
                        stages: Mapping[str, str] | None = None) -> dict[str, str]:
        """stage name -> header, for columns that give the date a record entered a stage
        (HubSpot's `Date entered "Stage (Pipeline)"`, its stage named as the pipeline's or
        as a file's stage value ``stages`` maps to one); only deals have them."""
        find = getattr(self.importer(kind), "entered_columns", None)
        return (dict(find(self.db.query, headers, pipeline, stages)) if find is not None
                else {})

    def stage_values(self, kind: str, table: Table, header: str | None,
                     pipeline: int | None = None,
                     status_header: str | None = None) -> StageChoices:
        """What the file's column ``header`` (None: no column gives the stage) holds as
        stages: each value with its count and the stage it goes to by name alone (None:
        it needs mapping), and the stages of the ``pipeline`` (an id; None: the first)
        to map it to; only deals have stages. Rows whose ``status_header`` column says
        won or lost are left out: their status decides their stage (Pipedrive's)."""
        importer = self.importer(kind)
        find = getattr(importer, "stages_for", None)
        decided = getattr(importer, "decided_by_status", None)
        column = _index(table, header)
        status = _index(table, status_header) if decided is not None else None
        counts: Counter[str] = Counter()
        if column is not None:
            counts.update(
                r.cells[column].strip() for r in table.records
                if column < len(r.cells) and r.cells[column].strip()
                and not (decided is not None and status is not None
                         and status < len(r.cells) and decided(r.cells[status])))
        values = sorted(counts, key=lambda v: (-counts[v], v))
        if find is None:
            return StageChoices((), ())
        stages, named = find(self.db.query, values, pipeline)
        return StageChoices(tuple(stages), tuple((v, counts[v], named[v]) for v in values))

    def run(self, kind: str, source: Path | Table, options: ImportOptions, *, by: Actor,
            progress: Progress | None = None,
            cancelled: Callable[[], bool] | None = None) -> ImportReport:
        importer = self.importer(kind)
        allowed = getattr(importer, "check_actor", None)  # who may import it (the catalogue)
        if allowed is not None:
            allowed(by)
        check = getattr(importer, "check_options", None)  # what only the area can check
        if check is not None:
            check(self.db.query, options)
        return run_import(self.db, importer, source, options, by,
                          progress=progress, cancelled=cancelled)

    def check_first(self, kind: str, table: Table, options: ImportOptions, count: int, *,
                    by: Actor, orders: Mapping[str, str | None] | None = None
                    ) -> list[RowError]:
        """The errors the import would report in the first ``count`` records from their
        cells alone (a bad phone, email, credit code, number or date, read in the order
        the whole file proves, or in ``orders`` where the caller has read them) and from
        each other (a row repeating an earlier row's phone, email or key), reading no
        records of the database: what the wizard's preview marks before the dry run."""
        return preview_check(self.importer(kind), table, options, by, first=count,
                             orders=orders).errors


def _index(table: Table, header: str | None) -> int | None:
    return table.headers.index(header) if header is not None and header in table.headers \
        else None


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.exists() and one.samefile(other)
    except OSError:
        return False
