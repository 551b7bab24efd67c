"""``funneldesk import``: companies, contacts, deals or products from a CSV or XLSX file."""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from funneldesk import formatting
from funneldesk.cli.common import database_location
from funneldesk.i18n import _, ngettext

if TYPE_CHECKING:
    from funneldesk.services import Services
    from funneldesk.services.common.tabular.engine import ImportReport

KINDS = ("companies", "contacts", "deals", "products")


def _pair(value: str) -> tuple[str, str]:
    name, equals, other = value.partition("=")
    if not equals or not name.strip():
        raise argparse.ArgumentTypeError(_("write it as NAME=VALUE, not “{value}”").format(
            value=value))
    return name.strip(), other


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                 common: argparse.ArgumentParser) -> None:
    command = sub.add_parser(
        "import", parents=[common], help=_("import companies, contacts, deals or products "
                                           "from a CSV or XLSX file"),
        description=_("Reads a CSV (UTF-8, UTF-8 with BOM or GBK) or XLSX file. Columns "
                      "whose headers name a field are mapped by themselves; --column maps "
                      "the others. See the README for every field."))
    command.add_argument("kind", choices=KINDS)
    command.add_argument("file", type=Path)
    command.add_argument("--column", type=_pair, action="append", default=[],
                         metavar="FIELD=HEADER",
                         help=_("read FIELD from the column HEADER; entered:STAGE=HEADER "
                                "reads the date a deal entered STAGE"))
    command.add_argument("--stage", type=_pair, action="append", default=[],
                         metavar="VALUE=STAGE", help=_("a stage value of the file, and the "
                                                       "stage it means"))
    command.add_argument("--set", type=_pair, action="append", default=[],
                         metavar="FIELD=VALUE", help=_("give FIELD this value on every row"))
    command.add_argument("--pipeline", help=_("the pipeline deals go to (default: the first)"))
    command.add_argument("--mode", choices=("create", "update", "upsert"),
                         help=_("create new records, update those matched by --match, or "
                                "both (default: upsert with --match, else create)"))
    command.add_argument("--match", metavar="KEY", help=_("the field records are matched on"))
    command.add_argument("--date-format", metavar="FMT",
                         help=_("the file's date format, as in %%d/%%m/%%Y %%H:%%M"))
    failure = command.add_mutually_exclusive_group()
    failure.add_argument("--all-or-nothing", dest="skip_bad_rows", action="store_false",
                         help=_("write nothing if any row is bad (the default)"))
    failure.add_argument("--skip-bad-rows", dest="skip_bad_rows", action="store_true",
                         help=_("write the good rows and report the bad ones"))
    command.add_argument("--dry-run", action="store_true",
                         help=_("check everything, write nothing"))
    command.add_argument("--report", type=Path, metavar="FILE.json",
                         help=_("save the counts and every row error as JSON"))
    command.set_defaults(run=run_import_command, skip_bad_rows=False)


def _index_for_search(services: Services) -> None:
    """Makes what the import wrote findable with Ctrl+K. The import has committed by now,
    so a failure here loses nothing: FunnelDesk indexes what is missing when it next
    starts, and the command says so rather than failing."""
    from funneldesk.errors import FunnelDeskError

    try:
        services.customers.index_missing()
    except FunnelDeskError as error:
        print(_("The import was saved, but search-everything could not be updated ({error}); "
                "FunnelDesk will update it when it next starts.").format(error=error),
              file=sys.stderr)


def _alike(services: Services, report: ImportReport) -> str:
    """How many companies and contacts the import made have names alike to others', as
    lines to print ("" if none): the import refused exact repeats, a person decides on
    these. The import has committed: a failure here loses nothing, and is said."""
    from funneldesk.errors import FunnelDeskError

    try:
        found = services.duplicates.alike_of(report)
    except FunnelDeskError as error:
        return _("The import was saved, but FunnelDesk could not look for names alike to "
                 "others' ({error}): Find duplicates on the Customers page does.").format(
            error=error)
    return "\n".join(_alike_text(entity, count) for entity, count in found.items())


def _alike_text(entity: str, count: int) -> str:
    n = formatting.number(count)
    if entity == "company":
        return ngettext("{n} company written has a name like another's: review it with "
                        "Find duplicates on the Customers page.",
                        "{n} companies written have names like others': review them with "
                        "Find duplicates on the Customers page.", count).format(n=n)
    return ngettext("{n} contact written has a name like another contact's at the same "
                    "company: review it with Find duplicates on the Customers page.",
                    "{n} contacts written have names like other contacts' at the same "
                    "company: review them with Find duplicates on the Customers page.",
                    count).format(n=n)


@contextlib.contextmanager
def _interrupt_cancels() -> Iterator[threading.Event]:
    """Ctrl+C during the import cancels it as the wizard's Cancel does: before its commit
    nothing is written, and after it the import is said as saved (a KeyboardInterrupt
    raised as SQLite's commit returned left a saved import unsaid). A second Ctrl+C stops
    the command at once."""
    interrupted = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield interrupted
        return

    def cancel(_signal: int, _frame: object) -> None:
        interrupted.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    before = signal.signal(signal.SIGINT, cancel)
    try:
        yield interrupted
    finally:
        signal.signal(signal.SIGINT, before)


def run_import_command(args: argparse.Namespace) -> int:
    from funneldesk.db import open_database
    from funneldesk.services import Services
    from funneldesk.services.common.tabular.engine import ImportOptions

    db = open_database(database_location(args))
    try:
        services = Services.for_database(db)
        me = services.users.current()
        table = services.imports.read(args.file)
        columns = services.imports.suggest(args.kind, table.headers)
        entered = services.imports.suggest_entered(args.kind, table.headers, args.pipeline,
                                                   dict(args.stage))
        for name, header in args.column:
            if name.startswith("entered:"):
                entered[name.removeprefix("entered:")] = header
            else:
                columns[name] = header
        options = ImportOptions(
            columns=columns, entered=entered, stages=dict(args.stage), constants=dict(args.set),
            pipeline=args.pipeline, mode=args.mode or ("upsert" if args.match else "create"),
            match=args.match, date_format=args.date_format, skip_bad_rows=args.skip_bad_rows,
            dry_run=args.dry_run)
        if args.report is not None:
            _check_writable(args.report)  # before anything is written, not after
        alike = ""
        with _interrupt_cancels() as interrupted:
            report = services.imports.run(args.kind, table, options, by=me,
                                          cancelled=interrupted.is_set)
            if args.report is not None:
                args.report.write_text(json.dumps(report.to_json(), ensure_ascii=False,
                                                  indent=2), encoding="utf-8")
            print(report.summary())
            # once saved, Ctrl+C skips what follows (FunnelDesk indexes at its next start,
            # and Find duplicates finds what the look would have counted), and the
            # command still says all it has to say of the import
            if report.wrote:
                if not interrupted.is_set():
                    _index_for_search(services)
                if interrupted.is_set():
                    alike = _("Interrupted after the import was saved: search-everything "
                              "is updated when FunnelDesk next starts, and Find duplicates "
                              "on the Customers page lists names alike.")
                else:
                    alike = _alike(services, report)
    finally:
        db.close()
    if alike:  # said only of an import that wrote
        print(alike, file=sys.stderr)
    for error in report.errors[:10]:
        print(_("record {record} (line {line}), {column} “{value}”: {reason}").format(
            record=error.record, line=error.line, column=error.column, value=error.value,
            reason=error.to_json()["reason_label"]), file=sys.stderr)
    if len(report.errors) > 10:
        more = len(report.errors) - 10
        print(ngettext("... and {n} more error (see --report)",
                       "... and {n} more errors (see --report)", more).format(
            n=formatting.number(more)), file=sys.stderr)
    if report.errors and not args.skip_bad_rows:
        print(_("The import would write nothing: the file has errors (or use "
                "--skip-bad-rows).") if args.dry_run else
              _("Nothing was written: the file has errors (or use --skip-bad-rows)."),
              file=sys.stderr)
        return 1
    if report.every_row_failed:
        print(_("Nothing was written: every row has errors."), file=sys.stderr)
        return 1
    if report.failed:
        n = formatting.number(report.failed)
        print(ngettext("{n} bad row would be skipped.", "{n} bad rows would be skipped.",
                       report.failed).format(n=n) if args.dry_run else
              ngettext("{n} bad row was skipped.", "{n} bad rows were skipped.",
                       report.failed).format(n=n), file=sys.stderr)
    return 0


def _check_writable(path: Path) -> None:
    from funneldesk.errors import InvalidInput

    try:
        with path.open("a", encoding="utf-8"):
            pass
    except OSError as error:
        raise InvalidInput("report", _("FunnelDesk cannot write the report to {path}: "
                                       "{reason}").format(
            path=path, reason=error.strerror or error)) from error
