"""The log file: errors shown to the user and bugs, with their tracebacks, in the user log
folder. It rotates, so that years of use never fill the disk."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from funneldesk.i18n import _
from funneldesk.paths import log_file

LOGGER = "funneldesk"
MAX_BYTES = 1_000_000
BACKUPS = 3

log = logging.getLogger(LOGGER)


class _Handler(RotatingFileHandler):
    """Marks the handler this module installed, so that a second call replaces it."""


def setup_logging(max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> Path:
    """Sends FunnelDesk's log records to the rotating log file and returns its path.

    The file is created at the first record: a session without problems leaves no log.
    """
    path = log_file()
    close_logging()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return path  # records then go nowhere but stderr; the app must still run
    handler = _Handler(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return path


def close_logging() -> None:
    for handler in [h for h in log.handlers if isinstance(h, _Handler)]:
        log.removeHandler(handler)
        handler.close()


def one_line(error: BaseException) -> str:
    """An error as it may stand inside one line of a message."""
    text = " ".join(str(error).split())
    return text or type(error).__name__


def report_bug(error: BaseException) -> str:
    """Logs an unexpected error (a bug) with its traceback; returns the one line that
    tells the user where the details are."""
    log.error("unexpected error", exc_info=error)
    return _("Something went wrong inside FunnelDesk: {error}. The details are in {path}.").format(
        error=one_line(error), path=log_file())
