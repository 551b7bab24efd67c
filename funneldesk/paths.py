"""Where FunnelDesk keeps its files."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "FunnelDesk"
RESOURCES = Path(__file__).resolve().parent.parent / "resources"
LOCALE_DIR = RESOURCES / "locale"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


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
