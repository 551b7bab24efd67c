"""``funneldesk demo``: fill a database with sample data."""

from __future__ import annotations

import argparse

from funneldesk.cli.common import database_location
from funneldesk.i18n import _, ngettext


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                 common: argparse.ArgumentParser) -> None:
    demo = sub.add_parser("demo", parents=[common], help=_("fill the database with sample data"))
    demo.add_argument("--deals", type=int, default=200,
                      help=_("how many deals to create (open, won and lost)"))
    demo.add_argument("--seed", type=int, default=1, help=_("the same seed gives the same data"))
    demo.add_argument("--append", action="store_true",
                      help=_("add to a database that already has deals"))
    demo.set_defaults(run=lambda args: run_demo(args))


def run_demo(args: argparse.Namespace) -> int:
    from funneldesk.db import open_database
    from funneldesk.services import Services

    if args.deals < 0:
        raise SystemExit(_("funneldesk demo: --deals must be zero or more"))
    db = open_database(database_location(args))
    try:
        services = Services.for_database(db)
        me = services.users.current()
        summary = services.demo.generate(deals=args.deals, seed=args.seed, by=me,
                                         append=args.append)
    finally:
        db.close()
    print(_("Created in {path}:").format(path=db.path))
    for line in (ngettext("{n} deal", "{n} deals", summary.deals).format(n=summary.deals),
                 ngettext("{n} company", "{n} companies", summary.companies).format(
                     n=summary.companies),
                 ngettext("{n} contact", "{n} contacts", summary.contacts).format(
                     n=summary.contacts)):
        print(f"  {line}")
    return 0
