"""What argparse itself writes (its usage line, headings and errors) in the user's
language: argparse looks its words up through the gettext functions it imported, which
read no FunnelDesk catalog, so that `funneldesk --lang zh_CN import --help` said "usage:"
and "options" among Chinese sentences. Only the words a user of the command can meet are
here; the rest (mistakes in building a parser) stay English."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from funneldesk.i18n import N_, _, ngettext

# argparse's own message ids, exactly as it writes them
WORDS = frozenset({
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("expected at most one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ignored explicit argument %r"),
    N_("can't open '%(filename)s': %(error)s"),
})


def _words(message: str) -> str:
    return _(message) if message in WORDS else message


def speak_the_user_s_language() -> None:
    """Makes argparse look its words up in FunnelDesk's catalog (for the language set
    when each is written)."""
    words: Callable[[str], str] = _words
    setattr(argparse, "_", words)  # noqa: B010 - argparse's own global, by its name
    setattr(argparse, "ngettext", ngettext)  # noqa: B010 - likewise
