"""``funneldesk export``: companies, contacts or deals to CSV, XLSX or vCard."""

from __future__ import annotations

import argparse
from pathlib import Path

from funneldesk import formatting
from funneldesk.cli.common import database_location
from funneldesk.i18n import _, ngettext


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                 common: argparse.ArgumentParser) -> None:
    command = sub.add_parser(
        "export", parents=[common],
        help=_("export companies, contacts or deals to CSV, XLSX or vCard"),
        description=_("The header row uses the import's field names, so that the file "
                      "imports back with no mapping; CSV is UTF-8 with a BOM, which Excel "
                      "opens correctly in Chinese."))
    command.add_argument("kind", choices=("companies", "contacts", "deals"))
    command.add_argument("file", type=Path, metavar="FILE.csv|FILE.xlsx|FILE.vcf")
    command.add_argument("--headers", choices=("fields", "labels"), default="fields",
                         help=_("field names (the default) or the translated column labels"))
    command.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    from funneldesk.db import open_database
    from funneldesk.services import Services

    db = open_database(database_location(args))
    try:
        count = Services.for_database(db).exports.export(
            args.kind, args.file, labels=args.headers == "labels")
    finally:
        db.close()
    print(ngettext("{n} record written to {path}", "{n} records written to {path}",
                   count).format(n=formatting.number(count), path=args.file))
    return 0
