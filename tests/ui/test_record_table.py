"""A list's columns fit what its rows hold, again at every fill, until the user sizes one;
the column that stretches with the window (the last one shown, which need not be the
last one) is never taken for the user's choice."""

from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from funneldesk.ui.common import record_table


def filled(model: QStandardItemModel, name: str) -> None:
    model.removeRows(0, model.rowCount())
    model.appendRow([QStandardItem(text) for text in (name, "Draft", "note", "hidden")])


def test_columns_follow_the_rows_through_window_resizes_until_the_user_sizes_one(
        qtbot: QtBot) -> None:
    model = QStandardItemModel(0, 4)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.horizontalHeader().setStretchLastSection(True)
    view.setColumnHidden(3, True)  # column 2 is the one that stretches
    view.resize(600, 300)
    view.show()
    filled(model, "C")
    record_table.fit_columns(view)
    narrow = view.columnWidth(0)
    view.resize(900, 300)  # the stretched column follows the window: not the user's doing
    qtbot.wait(10)
    filled(model, "Countersigned copy returned to the customer")
    record_table.fit_columns(view)
    assert view.columnWidth(0) > narrow
    view.horizontalHeader().resizeSection(0, 50)  # the user's choice stays
    filled(model, "C")
    record_table.fit_columns(view)
    assert view.columnWidth(0) == 50
