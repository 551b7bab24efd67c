"""``funneldesk export``: companies, contacts, deals or activities to CSV, XLSX or (contacts)
vCard."""

from __future__ import annotations

import argparse
from pathlib import Path

from funneldesk import formatting
from funneldesk.cli.common import opened_services
from funneldesk.i18n import _, ngettext


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                 common: argparse.ArgumentParser) -> None:
    command = sub.add_parser(
        "export", parents=[common],
        help=_("export companies, contacts, deals or activities to CSV, XLSX or vCard"),
        description=_("The header row uses the import's field names, so that the file "
                      "imports back with no mapping; CSV is UTF-8 with a BOM, which Excel "
                      "opens correctly in Chinese."))
    command.add_argument("kind", choices=("companies", "contacts", "deals", "activities"))
    command.add_argument("file", type=Path, metavar="FILE.csv|FILE.xlsx|FILE.vcf")
    command.add_argument("--headers", choices=("fields", "labels"), default="fields",
                         help=_("field names (the default) or the translated column labels"))
    command.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    labels = args.headers == "labels"
    with opened_services(args) as services:
        count = (services.activity_exports.export(args.file, labels=labels)
                 if args.kind == "activities"
                 else services.exports.export(args.kind, args.file, labels=labels))
    print(ngettext("{n} record written to {path}", "{n} records written to {path}",
                   count).format(n=formatting.number(count), path=args.file))
    return 0
