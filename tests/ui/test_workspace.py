"""The workspace shell: navigation by mouse and keyboard, pages built when first shown,
each page's actions merged with the global ones, the last page and the panes' layout
remembered, and every change relayed to every page and pane that exists."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QIcon, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit, QMenu, QToolBar, QToolButton, QVBoxLayout
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.dto import Actor, ChangeSet
from funneldesk.settings import Settings
from funneldesk.ui.board.board_page import PAGE as BOARD_PAGE
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.common.page import Page, PageAction, PageSpec, Pane, PaneSpec, Workspace
from funneldesk.ui.shell.main_window import MainWindow
from funneldesk.ui.shell.search_model import shortcut_text
from tests.helpers import make_deal, stage

built: list[str] = []
COUNT = PageAction("count", "Count notes", "Ctrl+Shift+J")


class NotesPage(Page):
    """A second page, as a later area adds one."""

    key = "notes"

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        built.append(self.key)
        self.seen: list[ChangeSet] = []
        self.counted = 0
        self.count = COUNT.make(self, self._count)
        self.menu = QMenu("&Notes", self)
        self.menu.addAction(self.count)
        self.tools = QToolBar("Notes", self)
        self.tools.setObjectName("notes-toolbar")
        self.tools.addAction(self.count)
        QVBoxLayout(self).addWidget(QLabel("notes"))

    def _count(self) -> None:
        self.counted += 1

    def page_actions(self) -> list[QAction]:
        return [self.count]

    def page_menus(self) -> list[QMenu]:
        return [self.menu]

    def tool_bar(self) -> QToolBar | None:
        return self.tools

    def apply_changes(self, changes: ChangeSet, origin: object) -> None:
        self.seen.append(changes)


class TodayPane(Pane):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        built.append("today")
        self.seen: list[ChangeSet] = []

    def apply_changes(self, changes: ChangeSet, origin: object) -> None:
        self.seen.append(changes)


NOTES = PageSpec("notes", lambda: "Notes", QIcon, NotesPage, (COUNT,))
TODAY = PaneSpec("today", lambda: "Today", TodayPane)


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "settings.json"


def open_workspace(qtbot: QtBot, services: Services, actor: Actor, path: Path) -> MainWindow:
    built.clear()
    window = MainWindow(services, actor, Settings(path), pages=(BOARD_PAGE, NOTES),
                        panes=(TODAY,))
    qtbot.addWidget(window)
    with qtbot.waitActive(window):  # the keyboard tests need the window in front
        window.show()
        window.activateWindow()
    qtbot.waitUntil(lambda: window.docks.started)  # the panes come after the first paint
    return window


def menu_titles(window: MainWindow) -> list[str]:
    return [a.text() for a in window.menuBar().actions()]


def rail_button(window: MainWindow, key: str) -> QToolButton:
    button = window.rail.widgetForAction(window.rail.go[key])
    assert isinstance(button, QToolButton)
    return button


def test_pages_are_built_when_first_shown_and_reached_by_mouse_and_keyboard(
        qtbot: QtBot, services: Services, manager: Actor, settings_path: Path) -> None:
    window = open_workspace(qtbot, services, manager, settings_path)
    assert window.current_key() == "board"
    assert "notes" not in built
    assert "notes" not in window.pages
    assert [a.text() for a in window.rail.actions()] == ["Board", "Notes"]
    qtbot.mouseClick(rail_button(window, "notes"), Qt.MouseButton.LeftButton)
    assert window.current_key() == "notes"
    assert built.count("notes") == 1
    assert window.stack.currentWidget() is window.pages["notes"]
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "board"
    assert window.rail.go["board"].isChecked()
    assert not window.rail.go["notes"].isChecked()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "notes"
    assert built.count("notes") == 1


def test_the_current_pages_menus_tool_bar_and_shortcuts_join_the_global_ones(
        qtbot: QtBot, services: Services, manager: Actor, settings_path: Path) -> None:
    window = open_workspace(qtbot, services, manager, settings_path)
    assert menu_titles(window) == ["&File", "&Edit", "&Deal", "&Board", "&View", "&Settings"]
    board_tools = board_page(window).tool_bar()
    assert board_tools is not None
    assert board_tools.isVisible()
    window.show_page("notes")
    notes = window.pages["notes"]
    assert isinstance(notes, NotesPage)
    assert menu_titles(window) == ["&File", "&Edit", "&Notes", "&View", "&Settings"]
    assert notes.tools.isVisible()
    assert not board_tools.isVisible()
    assert window.actions_.tool_bar.isVisible()  # new deal, undo, redo, search stay
    qtbot.keyClick(window, Qt.Key.Key_J,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert notes.counted == 1
    window.show_page("board")
    qtbot.keyClick(window, Qt.Key.Key_J,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert notes.counted == 1  # another page's shortcut does nothing here
    names = [a.text() for a in window.all_actions()]  # what the palette offers
    assert "Move to next stage" in names
    assert "Quit" in names
    assert "Count notes (Notes)" in names  # another page's action, under its name
    palette = window.open_search(">")
    qtbot.keyClicks(palette.edit, "count notes")
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    assert window.current_key() == "notes"  # the page is shown first, then it runs there
    assert notes.counted == 2
    assert not palette.isVisible()
    window.show_page("board")
    notes.count.setEnabled(False)  # nothing to act on there yet
    palette = window.open_search(">")
    qtbot.keyClicks(palette.edit, "count notes")
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    assert window.current_key() == "notes"
    assert notes.counted == 2
    assert "Count notes" in window.statusBar().currentMessage()  # and it says why

def test_the_palette_lists_a_page_never_shown_without_building_it(
        qtbot: QtBot, services: Services, manager: Actor, settings_path: Path) -> None:
    window = open_workspace(qtbot, services, manager, settings_path)
    stand_in = next(a for a in window.all_actions() if a.text() == "Count notes (Notes)")
    assert shortcut_text(stand_in) == QKeySequence("Ctrl+Shift+J").toString(
        QKeySequence.SequenceFormat.NativeText)  # listed with that page's shortcut...
    qtbot.keyClick(window, Qt.Key.Key_J,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "notes" not in window.pages  # ...which does nothing on this page
    palette = window.open_search(">")
    offered = [row.title for n in range(palette.model.rowCount())
               if (row := palette.model.row_at(n)) is not None]
    assert "Count notes (Notes)" in offered
    assert "Move to next stage" in offered  # the current page's own
    qtbot.keyClicks(palette.edit, "count")
    assert "notes" not in built  # listing, filtering: nothing built
    assert "notes" not in window.pages
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)  # chosen: now the page is built
    assert built == ["today", "notes"]
    assert window.current_key() == "notes"
    notes = window.pages["notes"]
    assert isinstance(notes, NotesPage)
    assert notes.counted == 1  # and run there


def test_the_window_reopens_on_the_last_page_with_its_panes_where_they_were(
        qtbot: QtBot, services: Services, manager: Actor, settings_path: Path) -> None:
    window = open_workspace(qtbot, services, manager, settings_path)
    dock = window.docks.docks["today"]
    assert dock.isVisible()
    assert "today" in built
    window.show_page("notes")
    window.removeDockWidget(dock)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    dock.show()
    window.close()
    again = open_workspace(qtbot, services, manager, settings_path)
    assert again.current_key() == "notes"
    assert "board" not in again.pages  # the board is not built to open on another page
    again_dock = again.docks.docks["today"]
    assert again.dockWidgetArea(again_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    again_dock.toggleViewAction().trigger()  # View ▸ Panes ▸ Today hides it
    assert not again_dock.isVisible()
    again.close()
    third = open_workspace(qtbot, services, manager, settings_path)
    assert not third.docks.docks["today"].isVisible()
    assert "today" not in built  # a hidden pane is not built


def test_a_change_made_on_one_page_reaches_every_page_and_pane_once(
        qtbot: QtBot, services: Services, manager: Actor, settings_path: Path) -> None:
    deal = make_deal(services, manager, stage_name="Proposal")
    window = open_workspace(qtbot, services, manager, settings_path)
    window.show_page("notes")
    window.show_page("board")
    page = board_page(window)
    first = stage(services, "Initial contact")  # backwards: nothing to ask
    assert page.controller.move(deal.id, deal.version, first.id, None)
    notes, pane = window.pages["notes"], window.docks.panes["today"]
    assert isinstance(notes, NotesPage)
    assert isinstance(pane, TodayPane)
    assert [c.deal_ids for c in notes.seen] == [frozenset({deal.id})]
    assert [c.deal_ids for c in pane.seen] == [frozenset({deal.id})]
    window.undo_stack.undo()
    assert len(notes.seen) == len(pane.seen) == 2
    assert services.deals.detail(deal.id).stage_id == deal.stage_id


def test_a_page_never_shown_is_not_built_by_a_change(
        qtbot: QtBot, services: Services, manager: Actor, settings_path: Path) -> None:
    window = open_workspace(qtbot, services, manager, settings_path)
    window.runner.relay(ChangeSet(everything=True))
    assert "notes" not in window.pages


def test_the_rail_speaks_chinese(qtbot: QtBot, services: Services, manager: Actor,
                                 settings_path: Path) -> None:
    from funneldesk import i18n

    i18n.set_language("zh_CN")
    try:
        window = MainWindow(services, manager, Settings(settings_path))
        qtbot.addWidget(window)
        assert window.rail.go["board"].text() == "看板"
        assert "Ctrl+1" in window.rail.go["board"].toolTip()
    finally:
        i18n.set_language("en")



START_AND_LIST_MODULES = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from funneldesk.db import open_database
from funneldesk.services import Services
from funneldesk.settings import Settings
from funneldesk.ui.shell.main_window import MainWindow

app = QApplication([])
services = Services.for_database(open_database(Path(sys.argv[1])))
window = MainWindow(services, services.users.current(), Settings(Path(sys.argv[2])))
painted = []
window.firstPainted.connect(lambda: painted.append(True))
window.show()
while not painted:
    app.processEvents()
if sys.argv[3:] == ["palette"]:  # Ctrl+Shift+P: every action, typed to a name
    palette = window.open_search(">")
    palette.edit.insert("move")
    app.processEvents()
    assert any(palette.model.row_at(n).title == "Move to stage… (Deals)"
               for n in range(palette.model.rowCount()))
    print("built:" + ",".join(window.pages))
print(" ".join(sorted(sys.modules)))
"""


def modules_of_a_start(db_path: Path, settings: Path, *more: str) -> set[str]:
    import os
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", START_AND_LIST_MODULES, str(db_path),
                          str(settings), *more], capture_output=True, text=True,
                         timeout=120, check=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    return set(run.stdout.split())


def test_the_window_starts_without_the_pages_it_does_not_show_or_heavy_libraries(
        services: Services, manager: Actor, db_path: Path, tmp_path: Path) -> None:
    make_deal(services, manager)  # a card to paint
    services.users.current()  # the login exists, as on every start after the first
    modules = modules_of_a_start(db_path, tmp_path / "settings.json")
    assert "funneldesk.ui.board.board_page" in modules  # the page it opens on
    assert "PySide6.QtWidgets" in modules  # (the listing is real)
    for lazy in ("funneldesk.ui.deals.page", "funneldesk.ui.shell.search_palette",
                 "matplotlib", "reportlab", "sqlalchemy"):
        assert lazy not in modules, lazy


def test_the_command_palette_lists_the_deals_pages_actions_without_building_it(
        services: Services, manager: Actor, db_path: Path, tmp_path: Path) -> None:
    make_deal(services, manager)
    services.users.current()
    modules = modules_of_a_start(db_path, tmp_path / "settings.json", "palette")
    assert "built:board" in modules
    assert "funneldesk.ui.shell.search_palette" in modules  # (the palette was opened)
    assert "funneldesk.ui.deals.page" not in modules
    assert "funneldesk.ui.deals.model" not in modules


class LineEditAsOnLinux(QLineEdit):
    """A line edit as Qt makes it on Linux desktops: Ctrl+K is its own (delete to the end
    of the line), claimed before any shortcut. The offscreen platform binds no
    such key, so the test brings its own."""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and QKeySequence(event.keyCombination()) == QKeySequence("Ctrl+K"):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if QKeySequence(event.keyCombination()) == QKeySequence("Ctrl+K"):
            self.setText(self.text()[:self.cursorPosition()])
            return
        super().keyPressEvent(event)


def test_ctrl_k_in_a_text_box_opens_search_everything_and_leaves_the_text(
        qtbot: QtBot, window: MainWindow) -> None:
    box = LineEditAsOnLinux()
    window.statusBar().addWidget(box)
    window.show()
    qtbot.waitExposed(window)
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClicks(box, "warehouse")
    box.setCursorPosition(4)
    qtbot.keyClick(box, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette = window.search_palette
    assert palette is not None
    qtbot.waitUntil(palette.isVisible)
    assert box.text() == "warehouse"
    palette.close()
