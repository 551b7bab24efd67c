"""The window's global actions, menus and tool bar: new deal, undo and redo, search,
settings and quit. The current page's menus sit between Edit and View."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from funneldesk.i18n import _
from funneldesk.services.common.permissions import is_manager
from funneldesk.ui.common.actions import new_action
from funneldesk.ui.shell.search_key import WindowKeyWins

if TYPE_CHECKING:
    from funneldesk.ui.shell.main_window import MainWindow


class WindowActions:
    def __init__(self, window: MainWindow) -> None:
        self.window = w = window
        self.actions: list[QAction] = []
        undo = w.undo_stack.createUndoAction(w, _("Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = w.undo_stack.createRedoAction(w, _("Redo"))
        # Both keys, each once, on every desktop: Qt's standard Redo is Ctrl+Shift+Z on
        # Linux, and a key bound twice to one action is ambiguous and does nothing.
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        # the menu shows "Undo Move “…”"; the tool bar keeps a short, steady label
        undo.setIconText(_("Undo"))
        redo.setIconText(_("Redo"))
        for action in (undo, redo):
            w.addAction(action)
            self.actions.append(action)
        self.undo, self.redo = undo, redo
        self.new_deal = self._action(_("New deal…"), "Ctrl+N", w.new_deal)
        self.import_file = self._action(_("Import…"), None, self.open_import)
        self.import_reports = self._action(_("Import reports…"), None,
                                           self.open_import_reports)
        self.search = self._action(_("Search everything…"), "Ctrl+K", w.open_search)
        self.search_key = WindowKeyWins(w, QKeySequence("Ctrl+K"))  # a text box's too
        self.commands = self._action(_("Run a command…"), "Ctrl+Shift+P", w.open_commands)
        # ends FunnelDesk even where closing the window leaves it in the tray
        self.quit = self._action(_("Quit"), "Ctrl+Q", lambda: w.staying.quit())
        self.manager_only = [self._action(_("Load sample data…"), None, w.samples.load),
                             self._action(_("Remove sample data…"), None, w.samples.remove),
                             self._action(_("Manage pipelines and stages…"), None,
                                          w.manage_pipelines)]
        # what only managers may do is disabled for a rep (the services refuse it anyway)
        for action in self.manager_only:
            action.setEnabled(is_manager(w.actor))
        # everyone may read the rates; the dialog lets only managers change them
        self.rates = self._action(_("Exchange rates…"), None, w.edit_rates)
        self.team_settings = self._action(_("Team settings…"), None, w.edit_team_settings)
        self.lead_sources = self._action(_("Lead sources…"), None, w.edit_lead_sources)
        self.catalogue = self._action(_("Product catalogue…"), None, w.edit_catalogue)
        self.quote_settings = self._action(_("Quotes: letterhead and rules…"), None,
                                           w.edit_quote_settings)
        self.contract_settings = self._action(
            _("Contracts: templates, review and return visits…"), None,
            w.edit_contract_settings)
        self.mail_server = self._action(_("Email server…"), None, w.edit_mail_server)
        self._menus()
        self.tool_bar = self._toolbar()

    def _action(self, text: str, shortcut: str | None, slot: Callable[[], object]) -> QAction:
        action = new_action(self.window, text, shortcut, slot)
        self.window.addAction(action)
        self.actions.append(action)
        return action

    def _menus(self) -> None:
        bar = self.window.menuBar()
        file_menu = bar.addMenu(_("&File"))
        file_menu.addAction(self.new_deal)
        file_menu.addSeparator()
        file_menu.addAction(self.import_file)
        file_menu.addAction(self.import_reports)
        file_menu.addSeparator()
        file_menu.addActions(self.manager_only[:2])
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        edit = bar.addMenu(_("&Edit"))
        edit.addAction(self.undo)
        edit.addAction(self.redo)
        edit.addSeparator()
        edit.addAction(self.search)
        edit.addAction(self.commands)
        self.view = QMenu(_("&View"), self.window)
        self.panes = QMenu(_("Panes"), self.window)
        settings = QMenu(_("&Settings"), self.window)
        settings.addAction(self.manager_only[2])
        settings.addAction(self.rates)
        settings.addAction(self.team_settings)
        settings.addAction(self.lead_sources)
        settings.addSeparator()
        settings.addAction(self.catalogue)
        settings.addAction(self.quote_settings)
        settings.addAction(self.contract_settings)
        settings.addAction(self.mail_server)
        self.settings = settings
        # the current page's menus go before View (MainWindow.show_page)
        self.view_menu_action = bar.addMenu(self.view)
        bar.addMenu(settings)

    def open_import(self) -> None:
        """The import wizard, imported when first opened (it needs the import engine)."""
        from funneldesk.ui.customers.import_entry import open_import_wizard

        w = self.window
        kind = w.current.import_kind() if w.current is not None else None
        open_import_wizard(w, w.services, w.actor, w.workspace, kind)

    def open_import_reports(self) -> None:
        """The reports kept of earlier imports."""
        from funneldesk.ui.customers.import_reports import ImportReportsDialog

        dialog = ImportReportsDialog(self.window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def fill_view(self, go: list[QAction]) -> None:
        """The View menu: the pages, then the panes (if any area has one)."""
        self.view.clear()
        self.view.addActions(go)
        if not self.panes.isEmpty():
            self.view.addSeparator()
            self.view.addMenu(self.panes)

    def _toolbar(self) -> QToolBar:
        tools = QToolBar(_("Main"), self.window)
        tools.setObjectName("main-toolbar")
        tools.setMovable(False)
        tools.addAction(self.new_deal)
        tools.addAction(self.undo)
        tools.addAction(self.redo)
        tools.addSeparator()
        tools.addAction(self.search)
        return tools
