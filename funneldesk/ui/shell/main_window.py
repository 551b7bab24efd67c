"""The main window: a workspace of pages (a navigation rail on the left, the current page
in the middle) and docked panes, with global actions, the current page's own menus and
tool bar, and the status bar.

Pages and panes are built the first time they are shown; dialogs are imported when first
opened. The start-up paints the page it opens on before anything else is built.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QToolBar

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.dto import Actor, ChangeSet
from funneldesk.settings import Settings
from funneldesk.ui.activities.reminder_notifier import ReminderNotifier
from funneldesk.ui.admin.sample_data_actions import SampleDataActions
from funneldesk.ui.board.deal_editing import DealEditor
from funneldesk.ui.common.background import quitting, run_in_background
from funneldesk.ui.common.page import Page, PageAction, PageSpec, PaneSpec, Workspace
from funneldesk.ui.common.user_action import ActionRunner
from funneldesk.ui.shell.areas import OPENERS, PAGES, PANES
from funneldesk.ui.shell.docks import Docks
from funneldesk.ui.shell.navigation import NavigationRail
from funneldesk.ui.shell.status_bar import StatusPanel
from funneldesk.ui.shell.staying import Staying
from funneldesk.ui.shell.tray import make_tray
from funneldesk.ui.shell.window_actions import WindowActions

if TYPE_CHECKING:
    from funneldesk.ui.shell.search_palette import SearchPalette

WARM_UP_FALLBACK_MS = 1000
FIRST_REMINDERS_MS = 2000  # after the first paint: the reminders' first look


DEFAULT_WIDTH = 1400  # the board's five open columns side by side


def first_width(board: int, panes: int, screen: int) -> int:
    """The window's width when no size is saved: the board's with the panes' beside it
    where the screen has room for both, else the board's (the board then scrolls)."""
    return board + panes if board + panes <= screen else board


class MainWindow(QMainWindow):
    pageChanged = Signal(str)  # the key of the page now shown
    firstPainted = Signal()  # the first page's content has been painted

    def __init__(self, services: Services, actor: Actor, settings: Settings,
                 pages: Sequence[PageSpec] = PAGES, panes: Sequence[PaneSpec] = PANES) -> None:
        super().__init__()
        self.services, self.actor, self.settings = services, actor, settings
        # several windows may be open, one per database file: the title says which
        self.setWindowTitle(_("{file} — FunnelDesk").format(
            file=Path(services.location()).name))
        self.undo_stack = QUndoStack(self)
        self.runner = ActionRunner(self.undo_stack, self)
        self.runner.stepped.connect(self._show_message)
        self.status = StatusPanel(self, services.location(), actor.display_name)
        self.counts = self.status.counts
        self.workspace = Workspace(services, actor, settings, self.runner, self.undo_stack,
                                   self, self._show_message)
        self.editor = DealEditor(self.workspace)  # New deal, whatever the page
        self.workspace.openers.update({kind: opener(self.workspace)
                                       for kind, opener in OPENERS.items()})
        self.samples = SampleDataActions(self.workspace)
        self._outbox: Any = None  # the outbox's sender, made with the first email
        self.workspace.send_mail = self.send_mail
        self.specs = {spec.key: spec for spec in pages}
        self.workspace.go_to_page = self._go_to_page
        self.pages: dict[str, Page] = {}
        self.current: Page | None = None
        self._page_menus: list[QAction] = []
        self._page_tools: QToolBar | None = None
        self._page_proxies: dict[str, list[QAction]] = {}  # other pages' actions, for the palette
        self.search_palette: SearchPalette | None = None
        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        self.rail = NavigationRail(pages, self)
        self.addToolBar(Qt.ToolBarArea.LeftToolBarArea, self.rail)
        # Ctrl+1…9 work wherever the focus is, the rail hidden or not
        self.addActions(list(self.rail.go.values()))
        self.actions_ = WindowActions(self)
        self.addToolBar(self.actions_.tool_bar)
        self.docks = Docks(self, panes, self.workspace, self.actions_.panes)
        self.reminders = ReminderNotifier(self.workspace)
        self.actions_.panes.addAction(_("Reminders"), self.reminders.show_window)
        self.staying = Staying(self)
        self.actions_.settings.addSeparator()
        self.actions_.settings.addActions([self.staying.keep_action,
                                           self.staying.login_action])
        self.resize(first_width(DEFAULT_WIDTH, self.docks.first_width(),
                                self.screen().availableGeometry().width()), 860)
        self.actions_.fill_view(list(self.rail.go.values()))
        self.rail.pageChosen.connect(self.show_page)
        self.runner.changed.connect(self._relay)
        # a passing "done" no longer holds once the action is undone or redone
        self.undo_stack.indexChanged.connect(self.statusBar().clearMessage)
        self._restore()

    # --- pages -------------------------------------------------------------------------
    def page(self, key: str) -> Page:
        """The page ``key``, built now if it was never shown."""
        page = self.pages.get(key)
        if page is None:
            page = self.pages[key] = self.specs[key].build(self.workspace)
            page.statusChanged.connect(lambda text, p=page: self._page_status(p, text))
            self.stack.addWidget(page)
        return page

    def show_page(self, key: str) -> None:
        """Makes ``key`` the current page: its menus and tool bar join the global ones."""
        if key not in self.specs:
            key = next(iter(self.specs))
        page = self.page(key)
        if page is self.current:
            return
        bar = self.menuBar()
        for menu_action in self._page_menus:
            bar.removeAction(menu_action)
        if self.current is not None:
            for action in self.current.page_actions():
                self.removeAction(action)
        if self._page_tools is not None:
            self.removeToolBar(self._page_tools)
        self.current = page
        self.addActions(page.page_actions())
        self._page_menus = [bar.insertMenu(self.actions_.view_menu_action, menu)
                            for menu in page.page_menus()]
        self._page_tools = page.tool_bar()
        if self._page_tools is not None:
            self.addToolBar(self._page_tools)
            self._page_tools.show()
        self.stack.setCurrentWidget(page)
        self.rail.mark(key)
        self.counts.setText(page.status_text())
        self.pageChanged.emit(key)

    def _go_to_page(self, key: str) -> Page:
        self.show_page(key)
        return self.page(key)

    def current_key(self) -> str:
        return self.current.key if self.current is not None else ""

    def _page_status(self, page: Page, text: str) -> None:
        if page is self.current:
            # a label, not a status message: opening a menu would erase a message for good
            self.counts.setText(text)

    def _show_message(self, text: str) -> None:
        if text:
            self.statusBar().showMessage(text)
        else:
            self.statusBar().clearMessage()

    def _relay(self, changes: ChangeSet, origin: object) -> None:
        """Every page and pane that exists shows a change, once."""
        for page in list(self.pages.values()):
            page.apply_changes(changes, origin)
        self.docks.apply_changes(changes, origin)
        self.reminders.apply_changes(changes, origin)

    def all_actions(self) -> list[QAction]:
        """What the command palette offers: the global actions, going to each page, the
        current page's actions, and stand-ins for every other page's, made from what its
        area declares (``PageSpec.actions``): listing them builds no page."""
        palette = (self.actions_.search, self.actions_.commands)  # it is open already
        offered = [*(a for a in self.actions_.actions if a not in palette),
                   *self.rail.go.values()]
        for key, spec in self.specs.items():
            if self.current is not None and self.pages.get(key) is self.current:
                offered += self.current.page_actions()
            else:
                offered += self._proxies(spec)
        return offered

    def _proxies(self, spec: PageSpec) -> list[QAction]:
        """Stand-ins for another page's actions, under that page's name: choosing one
        shows that page (built then, if it never was) and runs the action there, so that
        it acts on what the user now sees (the page's selection), never on a page out of
        sight; one that has nothing to act on yet (no deal chosen) says so instead."""
        proxies = self._page_proxies.get(spec.key)
        if proxies is None:
            proxies = self._page_proxies[spec.key] = []
            for declared in spec.actions:
                proxy = QAction(self)
                proxy.triggered.connect(
                    lambda _c=False, d=declared, key=spec.key: self._offer_on_page(key, d))
                proxies.append(proxy)
        title = spec.title()
        for proxy, declared in zip(proxies, spec.actions, strict=True):
            proxy.setText(_("{action} ({page})").format(action=declared.name(), page=title))
            # shown in the list, as that page's; never active here, where it may mean
            # something else: the stand-in is added to no widget, so Qt binds no key to it
            proxy.setShortcut(QKeySequence(declared.shortcut))
        return proxies

    def _offer_on_page(self, key: str, declared: PageAction) -> None:
        self.show_page(key)
        page = self.page(key)

        def run() -> None:  # on what the page shows once it is current
            from funneldesk.ui.shell.search_model import without_mnemonic

            action = next((a for a in page.page_actions()
                           if a.objectName() == declared.key), None)
            if action is not None and action.isEnabled():
                action.trigger()
            else:
                self._show_message(_("{page}: choose what “{action}” acts on first.").format(
                    page=self.specs[key].title(), action=without_mnemonic(declared.name())))

        page.when_current(run)

    # --- global commands ----------------------------------------------------------------
    def new_deal(self) -> None:
        """A new deal where the current page says, else in the first stage of the first
        pipeline."""
        place = self.current.new_deal_place() if self.current is not None else None
        if place is None:
            pipelines = self.services.board.pipelines()
            if not pipelines:
                return
            pipeline = self.services.board.pipeline(pipelines[0][0])
            stage = next(s for s in pipeline.stages if s.is_open)
        else:
            pipeline = self.services.board.pipeline(place[0])
            stage = next(s for s in pipeline.stages if s.id == place[1])
        created = self.editor.new_deal(pipeline.id, stage.id, (stage.name, pipeline.name))
        if created is not None:
            for page in self.pages.values():
                page.deal_created(created)

    def open_search(self, text: str = "") -> SearchPalette:
        """Ctrl+K: one box that finds records of every area, or actions after ``>``."""
        if self.search_palette is None:
            from funneldesk.ui.shell.search_palette import SearchPalette

            self.search_palette = SearchPalette(self.services, self.actor, self.all_actions, self)
            self.search_palette.recordChosen.connect(self.workspace.open_record)
        self.search_palette.start(text)
        return self.search_palette

    def open_commands(self) -> None:
        self.open_search(">")

    def manage_pipelines(self) -> None:
        from funneldesk.ui.admin.pipeline_editor import PipelineEditor

        place = self.current.new_deal_place() if self.current is not None else None
        pipelines = self.services.board.pipelines()
        pipeline_id = place[0] if place else pipelines[0][0]
        editor = PipelineEditor(self.services, self.actor, pipeline_id, self)
        editor.exec()
        if editor.changed:
            self.runner.relay(ChangeSet(everything=True))

    def edit_rates(self) -> None:
        """The exchange rates (read-only for a rep); the totals follow a saved change."""
        from funneldesk.ui.admin.rates import RatesDialog

        dialog = RatesDialog(self.services, self.actor, self)
        dialog.exec()
        if dialog.saved:
            self.runner.relay(ChangeSet(everything=True))

    def edit_team_settings(self) -> None:
        """The phone region, the public pool's days, the KPIs' time zone and the
        scorecard's weights (read-only for a rep)."""
        from funneldesk.ui.admin.team_settings import TeamSettingsDialog

        dialog = TeamSettingsDialog(self.services, self.actor, self)
        dialog.exec()
        if dialog.saved:  # leads may have joined or left the pool; the KPIs' days moved
            self.runner.relay(ChangeSet(everything=True))

    def send_mail(self) -> None:
        """Sends what waits in the outbox now, and again every few minutes while anything
        waits; the status bar says how it went."""
        from funneldesk.ui.quotes.mail_dialogs import Outbox, delivery_text

        if self._outbox is None:
            self._outbox = Outbox(self.services, self.settings, self)
            self._outbox.delivered.connect(lambda done: self._show_message(delivery_text(
                done, bool(self.settings.get("mail.server").get("host")))))
        if not self.settings.get("mail.server").get("host"):
            self._show_message(_("The message waits in the outbox: set up the email server "
                                 "in Settings ▸ Email server…"))
            return
        self._outbox.try_now()

    def edit_mail_server(self) -> None:
        from funneldesk.ui.quotes.mail_dialogs import MailSettingsDialog

        if MailSettingsDialog(self.settings, self).exec():
            self.send_mail()

    def edit_catalogue(self) -> None:
        """The products quotes are made of (read-only for a rep)."""
        from funneldesk.ui.quotes.catalogue_dialog import CatalogueDialog

        dialog = CatalogueDialog(self.services, self.actor, self)
        dialog.exec()
        if dialog.changed:  # a renamed product shows on deals and in quotes' lines
            self.runner.relay(ChangeSet(everything=True))

    def edit_quote_settings(self) -> None:
        """The letterhead on quotes and the quoting rules (read-only for a rep)."""
        from funneldesk.ui.quotes.quote_settings import QuoteSettingsDialog

        if QuoteSettingsDialog(self.services, self.actor, self).exec():
            self.runner.relay(ChangeSet(everything=True))  # floors and margins are read anew

    def edit_contract_settings(self) -> None:
        """The terms' templates, the review checklist and the return visits (read-only
        for a rep)."""
        from funneldesk.ui.contracts.settings_dialog import ContractSettingsDialog

        ContractSettingsDialog(self.services, self.actor, self).exec()

    def edit_lead_sources(self) -> None:
        """The team's lead sources (read-only for a rep); the lists follow a change."""
        from funneldesk.ui.admin.lead_sources import LeadSourcesDialog

        dialog = LeadSourcesDialog(self.services, self.actor, self)
        dialog.exec()
        if dialog.changed:
            self.runner.relay(ChangeSet(everything=True))

    def warm_up(self) -> None:
        """Loads the ORM and the change services off the GUI thread once the paint of the
        first page is over, so that the first change does not wait for them, then purges
        the deals that have been in the Trash longer than the team keeps them and returns
        the leads left untouched too long to the public pool, and makes findable any customer
        an import had not yet indexed when FunnelDesk stopped. Each chore is tried on its
        own: a busy database stops one, not the others, and the next start retries it.
        Starting this beside that paint would slow the paint by a third: every call from
        Qt into a delegate waits for the interpreter. A page with nothing to paint starts
        it after WARM_UP_FALLBACK_MS."""
        started = False

        def work() -> tuple[list[str], bool]:
            self.services.warm_up()
            problems, changed = [], False
            index = partial(self.services.customers.index_missing, quitting)
            for chore in (self.services.trash.purge_expired, self.services.pool.sweep, index):
                try:
                    changed = bool(chore()) or changed
                except FunnelDeskError as error:
                    problems.append(str(error))
            return problems, changed

        def report(done: tuple[list[str], bool]) -> None:
            problems, changed = done
            if changed:  # deals purged, leads back in the pool: the pages show it
                self.runner.relay(ChangeSet(everything=True))
            if problems:
                self.statusBar().showMessage(problems[0])

        def start() -> None:
            nonlocal started
            if not started:
                started = True
                run_in_background(work, report,
                                  lambda error: self.statusBar().showMessage(str(error)))

        self.firstPainted.connect(lambda: QTimer.singleShot(0, self, start))
        QTimer.singleShot(WARM_UP_FALLBACK_MS, self, start)

    def start_reminders(self) -> None:
        """Starts the reminders a while after the first paint (their first look loads the
        ORM, as the Today pane's does), or after a while at the latest: a board with no
        card to paint never says it painted."""
        def start() -> None:
            self.reminders.start(lambda: make_tray(self, self.staying.quit))
            # and email left in the outbox by an earlier run goes once it can
            if self.settings.get("mail.server").get("host"):
                self.send_mail()

        self.firstPainted.connect(lambda: QTimer.singleShot(FIRST_REMINDERS_MS, self, start))
        QTimer.singleShot(WARM_UP_FALLBACK_MS + FIRST_REMINDERS_MS, self, start)

    def offer_sample_data_if_empty(self) -> None:
        self.samples.offer_if_empty()

    # --- settings -------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.settings.get("window.geometry")
        if geometry:
            self.restoreGeometry(QByteArray.fromHex(geometry.encode()))
        self.show_page(self.settings.get("window.page"))
        assert self.current is not None
        self.current.firstPainted.connect(self.firstPainted)
        # the panes after the page (as the start-up chores; at the latest after a while)
        self.firstPainted.connect(lambda: QTimer.singleShot(0, self, self.docks.start))
        QTimer.singleShot(WARM_UP_FALLBACK_MS, self, self.docks.start)
        state = self.settings.get("window.state")
        if state:  # where the panes are, and which are shown
            saved = QByteArray.fromHex(state.encode())
            self.restoreState(saved)
            self.docks.place_new(self, bytes(saved.data()))

    def save_settings(self) -> None:
        self.settings.set("window.geometry", bytes(self.saveGeometry().toHex().data()).decode())
        self.settings.set("window.state", bytes(self.saveState().toHex().data()).decode())
        self.settings.set("window.page", self.current_key())
        for page in self.pages.values():
            page.store_settings()
        with contextlib.suppress(OSError):  # settings are a convenience: never block closing
            self.settings.save()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        if self.staying.to_tray():  # hidden, its reminders still firing
            event.ignore()
            return
        self.reminders.close()
        super().closeEvent(event)
        self.staying.closed()
