"""The ``funneldesk`` command: opens the window, or runs a subcommand."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import LANGUAGES, _, ngettext, normalize_language, set_language
from funneldesk.logs import log, report_bug, setup_logging


def _lang(value: str) -> str:
    try:
        return normalize_language(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("unknown language {value} (choose zh_CN or en)").format(value=value)) from None


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: the option may stand before or after the subcommand without either
    # position's default overwriting the other
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH_OR_URL",
                        help=_("database file or SQLAlchemy URL (default: FUNNELDESK_DB, "
                               "or funneldesk.db in the user data folder)"))
    common.add_argument("--lang", type=_lang, default=argparse.SUPPRESS,
                        metavar="|".join(LANGUAGES), help=_("language of the interface"))
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(prog="funneldesk", parents=[common],
                                     description=_("FunnelDesk: your team's sales funnel."))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = sub.add_parser("demo", parents=[common], help=_("fill the database with sample data"))
    demo.add_argument("--deals", type=int, default=200,
                      help=_("how many deals to create (open, won and lost)"))
    demo.add_argument("--seed", type=int, default=1, help=_("the same seed gives the same data"))
    demo.add_argument("--append", action="store_true",
                      help=_("add to a database that already has deals"))
    return parser


def database_location(args: argparse.Namespace) -> str:
    from funneldesk.paths import default_database

    return getattr(args, "db", None) or os.environ.get("FUNNELDESK_DB") or str(default_database())


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


def _lang_asked(argv: list[str]) -> str | None:
    """The --lang value given anywhere on the command line, so that --help and argparse's
    own errors already speak it (a wrong value is reported by the parser itself)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    # the command line's own help and errors; a missing catalog is reported below, unless
    # --lang chooses a language whose catalog is there
    with contextlib.suppress(FunnelDeskError, ValueError):
        set_language(_lang_asked(sys.argv[1:] if argv is None else list(argv)))
    args = build_parser().parse_args(argv)
    setup_logging()
    try:
        set_language(getattr(args, "lang", None))
        if args.command == "demo":
            return run_demo(args)
        from funneldesk.app import run_window

        return run_window(database_location(args), getattr(args, "lang", None))
    except FunnelDeskError as error:
        log.warning("%s", error.message())
        print(f"funneldesk: {error.message()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug: the details go to the log, the user gets one line
        print(f"funneldesk: {report_bug(error)}", file=sys.stderr)
        return 1
