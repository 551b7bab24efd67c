"""Damage deep in the file is found after the board has painted, and shown in the window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from funneldesk.db import Database, open_database
from funneldesk.logs import setup_logging
from funneldesk.services import Services
from funneldesk.settings import Settings
from funneldesk.ui.shell.integrity import check_after_first_paint
from funneldesk.ui.shell.main_window import MainWindow
from tests.db.test_integrity_check import damage_audit_log


@pytest.fixture
def damaged_db(db_path: Path) -> Iterator[Database]:
    db = open_database(db_path)
    Services.for_database(db).users.current("manager")
    db.close()
    damage_audit_log(db_path)
    db = open_database(db_path)
    yield db
    db.close()


def test_damage_found_after_the_first_paint_is_shown_in_the_window(
        qtbot: QtBot, damaged_db: Database, warnings_shown: list[str], db_path: Path) -> None:
    log = setup_logging()
    services = Services.for_database(damaged_db)
    window = MainWindow(services, services.users.current("manager"), Settings())
    qtbot.addWidget(window)
    check_after_first_paint(window, services)
    assert warnings_shown == []  # nothing is read before the window paints
    window.show()
    qtbot.waitUntil(lambda: bool(warnings_shown), timeout=10000)
    assert "damage" in warnings_shown[0]
    assert str(db_path) in warnings_shown[0]
    assert "damage" in log.read_text(encoding="utf-8")


def test_a_healthy_database_shows_nothing_after_the_check(
        qtbot: QtBot, services: Services, warnings_shown: list[str]) -> None:
    window = MainWindow(services, services.users.current("manager"), Settings())
    qtbot.addWidget(window)
    checked: list[bool] = []
    original = services.check_integrity

    def check() -> None:
        original()
        checked.append(True)

    services.check_integrity = check  # type: ignore[method-assign]
    integrity = check_after_first_paint(window, services)
    with qtbot.waitSignal(integrity.finished, timeout=10000):  # its outcome has been shown
        window.show()
    assert checked == [True]
    assert warnings_shown == []
