"""The Deals page on its own, in a workspace like the window's (fixtures shared by the
Deals list's tests), and what those tests compare the list with."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.settings import Settings
from funneldesk.ui.common.page import Workspace
from funneldesk.ui.common.user_action import ActionRunner
from funneldesk.ui.deals.page import DealsListPage


@pytest.fixture(name="workspace")
def list_workspace(request: pytest.FixtureRequest, qtbot: QtBot, services: Services,
                   manager: Actor) -> Workspace:
    """A workspace on the 450 sample deals (the test module is marked sample_deals)."""
    assert request.node.get_closest_marker("sample_deals"), "mark the test sample_deals"
    window = QMainWindow()
    qtbot.addWidget(window)
    undo_stack = QUndoStack(window)
    messages: list[str] = []
    return Workspace(services, manager, Settings(), ActionRunner(undo_stack, window),
                     undo_stack, window, messages.append)


@pytest.fixture(name="page")
def list_page(qtbot: QtBot, workspace: Workspace) -> DealsListPage:
    made = DealsListPage(workspace)
    workspace.window.setCentralWidget(made)
    workspace.runner.changed.connect(made.apply_changes)  # as the window relays changes
    workspace.window.resize(1400, 700)
    workspace.window.show()
    qtbot.waitExposed(workspace.window)
    qtbot.waitUntil(lambda: made.model.rowCount() > 0)
    return made


def ids_in_sql(db_path: Path, where: str = "1 = 1", order: str = "d.created_at DESC, d.id DESC",
               params: tuple[object, ...] = ()) -> list[int]:
    """The deals the list should show, by a query of its own (open, won and lost deals
    not archived, not in the Trash)."""
    with closing(sqlite3.connect(db_path)) as conn:
        return [r[0] for r in conn.execute(
            "SELECT d.id FROM deals d JOIN users u ON u.id = d.owner_id "
            "WHERE d.deleted_at IS NULL AND d.archived_at IS NULL AND " + where +
            " ORDER BY " + order, params)]


def shown_ids(page: DealsListPage, rows: range) -> list[int]:
    return [deal.id for r in rows if (deal := page.model.deal_at(r)) is not None]


def select_deals(page: DealsListPage, deal_ids: list[int]) -> None:
    selection = page.table.selectionModel()
    selection.clearSelection()
    flags = (QItemSelectionModel.SelectionFlag.Select
             | QItemSelectionModel.SelectionFlag.Rows)
    for row in page.model.rows_of(deal_ids):
        selection.select(page.model.index(row, 0), flags)


