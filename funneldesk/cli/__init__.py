"""The ``funneldesk`` command: the window by default, or a subcommand.

Each public module of this package that has ``add_commands(sub, common)`` is one command
group: it adds its subcommands, each setting ``run`` to the function that carries it out.
Modules are found by name, so an area adds its commands without editing the others (a
frozen build must collect them: ``collect_submodules("funneldesk.cli")`` in PyInstaller).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from funneldesk.cli._argparse_words import speak_the_user_s_language
from funneldesk.cli.common import common_options, database_location
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _, set_language
from funneldesk.logs import log, report_bug, setup_logging


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = argparse.ArgumentParser(prog="funneldesk", parents=[common],
                                     description=_("FunnelDesk: your team's sales funnel."))
    parser.add_argument("--in-tray", action="store_true",
                        help=_("start in the system tray, the window hidden until asked for "
                               "(as at login); where there is no tray, the window opens"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue  # private helpers, and __main__
        module = importlib.import_module(f"{__name__}.{info.name}")
        add_commands = getattr(module, "add_commands", None)
        if add_commands is not None:  # else a shared module (common.py)
            add_commands(sub, common)
    return parser


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
    if getattr(sys, "frozen", False):  # elsewhere multiprocessing is not imported at start
        import multiprocessing

        # this executable is also what an import's worker process runs: it must run the
        # worker's task, not open a window
        multiprocessing.freeze_support()
    # the command line's own help and errors; a missing catalog is reported below, unless
    # --lang chooses a language whose catalog is there
    with contextlib.suppress(FunnelDeskError, ValueError):
        set_language(_lang_asked(sys.argv[1:] if argv is None else list(argv)))
    speak_the_user_s_language()
    setup_logging()
    try:
        args = build_parser().parse_args(argv)
        set_language(getattr(args, "lang", None))
        if args.command is not None:
            return int(args.run(args))
        from funneldesk.app import run_window

        return run_window(database_location(args), getattr(args, "lang", None),
                          in_tray=args.in_tray)
    except FunnelDeskError as error:
        log.warning("%s", error.message())
        print(f"funneldesk: {error.message()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (| head): nothing is wrong
        with contextlib.suppress(OSError, ValueError):  # Python flushes stdout at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as error:  # a bug: the details go to the log, the user gets one line
        print(f"funneldesk: {report_bug(error)}", file=sys.stderr)
        return 1
