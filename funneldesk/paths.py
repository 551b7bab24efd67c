"""Where FunnelDesk keeps its files."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "FunnelDesk"


def _resources() -> Path:
    # an installed wheel carries resources/ inside the package (setup.py maps it there);
    # a source checkout or an editable install uses the top-level folder itself
    package = Path(__file__).resolve().parent
    inside = package / "resources"
    return inside if inside.is_dir() else package.parent / "resources"


RESOURCES = _resources()
LOCALE_DIR = RESOURCES / "locale"


def data_dir() -> Path:
    # FUNNELDESK_DATA_DIR lets tests and portable installs keep their data elsewhere
    override = os.environ.get("FUNNELDESK_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME,
                                                                            appauthor=False))


def import_reports_dir() -> Path:
    """Where the window keeps the report of each import it runs."""
    return data_dir() / "import-reports"


def config_dir() -> Path:
    # FUNNELDESK_CONFIG_DIR lets tests and portable installs keep settings elsewhere
    override = os.environ.get("FUNNELDESK_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    # FUNNELDESK_LOG_DIR lets tests and portable installs keep the log elsewhere
    override = os.environ.get("FUNNELDESK_LOG_DIR")
    return Path(override) if override else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def log_file() -> Path:
    return log_dir() / "funneldesk.log"


def default_database() -> Path:
    return data_dir() / "funneldesk.db"
