"""What every command shares: the --db and --lang options, and where the database is."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from funneldesk.i18n import LANGUAGES, _, normalize_language

if TYPE_CHECKING:
    from funneldesk.services import Services


def _lang(value: str) -> str:
    try:
        return normalize_language(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("unknown language {value} (choose zh_CN or en)").format(value=value)) from None


def common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: the option may stand before or after the subcommand without either
    # position's default overwriting the other
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH_OR_URL",
                        help=_("database file or SQLAlchemy URL (default: FUNNELDESK_DB, "
                               "or funneldesk.db in the user data folder)"))
    common.add_argument("--lang", type=_lang, default=argparse.SUPPRESS,
                        metavar="|".join(LANGUAGES), help=_("language of the interface"))
    return common


def database_location(args: argparse.Namespace) -> str:
    from funneldesk.paths import default_database

    return getattr(args, "db", None) or os.environ.get("FUNNELDESK_DB") or str(default_database())


@contextmanager
def opened_services(args: argparse.Namespace) -> Iterator[Services]:
    """The services of the database the command names, closed when the command is done
    (imported here, not at start: --help and argparse's errors need no database code)."""
    from funneldesk.db import open_database
    from funneldesk.services import Services

    db = open_database(database_location(args))
    try:
        yield Services.for_database(db)
    finally:
        db.close()
