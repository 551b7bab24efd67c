"""What a page of the workspace is, and what it gets from the window.

A page is built the first time it is shown, by the factory its area registers with the
window. It declares its actions, menus and tool bar; the window shows them beside the
global ones while the page is current. Its area also declares the page's actions in the
``PageSpec`` (``PageAction``: a key, a name, a shortcut), and the page makes its own from
those, so that the command palette can list them without building the page. It learns of
every change made anywhere through ``apply_changes``, and never reaches into another page
or into the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QShowEvent, QUndoStack
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar, QWidget

from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.dto import Actor, ChangeSet
from funneldesk.settings import Settings
from funneldesk.ui.common.actions import new_action
from funneldesk.ui.common.user_action import ActionRunner


@dataclass(eq=False)
class Workspace:
    """What the window shares with its pages and panes."""

    services: Services
    actor: Actor
    settings: Settings
    runner: ActionRunner
    undo_stack: QUndoStack
    window: QMainWindow  # the parent of dialogs
    show_message: Callable[[str], None]  # a passing message in the status bar
    # set by the window: open a record in its form, wherever it was found
    openers: dict[str, Callable[[int], None]] = field(default_factory=dict)
    # set by the window: makes a page current (built if it never was) and returns it
    go_to_page: Callable[[str], Page] | None = None
    # set by the window: tries at once to send what waits in the outbox (an email queued)
    send_mail: Callable[[], None] = lambda: None

    def open_record(self, kind: str, record_id: int) -> None:
        opener = self.openers.get(kind)
        if opener is not None:
            opener(record_id)


class Page(QWidget):
    """A page of the workspace. Subclasses set ``key`` and implement what they show."""

    key = ""
    statusChanged = Signal(str)  # the page's line in the status bar (counts, state)
    firstPainted = Signal()  # the page's content was painted (start-up is over)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._status_text = ""
        self._stale = False  # changed while hidden: read again when shown

    def reload(self) -> None:
        """Reads what the page shows again."""

    def reload_when_shown(self) -> None:
        """Reads again now if the page is shown, else once it is: no reads for a page
        nobody sees."""
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.reload()

    def status_text(self) -> str:
        return self._status_text

    def set_status_text(self, text: str) -> None:
        self._status_text = text
        self.statusChanged.emit(text)

    def make_action(self, declared: PageAction, slot: Callable[[], object]) -> QAction:
        """The page's own action for ``declared``; its shortcut works while the focus is
        anywhere on the page."""
        made = declared.make(self, slot)
        if declared.shortcut:
            made.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(made)
        return made

    def page_actions(self) -> list[QAction]:
        """Every action of the page, each made from the ``PageAction`` of the same place in
        its ``PageSpec.actions`` (the palette lists them by name)."""
        return []

    def page_menus(self) -> list[QMenu]:
        """Menus shown in the menu bar while the page is current."""
        return []

    def tool_bar(self) -> QToolBar | None:
        """The page's tool bar, shown while the page is current."""
        return None

    def apply_changes(self, changes: ChangeSet, origin: object) -> None:
        """A change saved anywhere (``origin``: what asked for it, None if unknown)."""

    def store_settings(self) -> None:
        """Called when the window closes: keep what the page should remember."""

    def import_kind(self) -> str | None:
        """What File ▸ Import… offers first while this page is current (companies,
        contacts, deals); None: the first kind."""
        return None

    def deal_created(self, deal_id: int) -> None:
        """A deal was just created in this window, wherever it was asked for (the board
        offers what the deal's stage proposes)."""

    def new_deal_place(self) -> tuple[int, int] | None:
        """The pipeline and stage where New deal puts a deal while this page is current
        (None: the first stage of the first pipeline)."""
        return None

    def when_current(self, then: Callable[[], object]) -> None:
        """Calls ``then`` once what the page shows is current (a page that reads again
        after changes made while it was hidden calls it when that read has arrived), so
        that an action run from elsewhere acts on what the user will see."""
        then()


class Pane(QWidget):
    """A docked pane: it stays visible while pages change, and hears every change.

    It reads what it shows off the GUI thread, one read at a time: a change during a read
    reads once more when that read is done. Off screen (its dock closed, or behind another
    pane's tab, which Qt still counts as visible) it reads only once it is back."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.on_screen = True  # until its dock says otherwise
        self._reading = False
        self._again = False
        self._stale = False

    def apply_changes(self, changes: ChangeSet, origin: object) -> None:
        """A change saved anywhere (``origin``: what asked for it, None if unknown)."""

    def reload(self) -> None:
        """Reads again, now or once it may (see the class)."""
        if not self.on_screen and self.has_read():
            self._stale = True
            return
        if self._reading:
            self._again = True
            return
        self._reading = True
        try:
            self.start_read()
        except BaseException:
            self._reading = False  # else the pane would wait for that read for ever
            raise

    def start_read(self) -> None:
        """Starts the read off the GUI thread; its result goes to a handler that first
        asks ``read_ended``."""

    def has_read(self) -> bool:
        """Whether it shows something read: until then it reads even off screen."""
        return True

    def read_ended(self) -> bool:
        """A read ended, or failed; False when a newer one was asked for meanwhile (it
        starts now, and this result is not worth showing). A failed read is followed by
        the one asked for meanwhile too: it may ask for something else (another period)."""
        self._reading = False
        if self._again:
            self._again = False
            self.reload()
            return False
        return True

    def set_on_screen(self, shown: bool) -> None:
        """Its dock came on screen or left it; a read missed meanwhile happens now."""
        self.on_screen = shown
        if shown and self._stale:
            self._stale = False
            self.reload()


@dataclass(frozen=True)
class PaneSpec:
    """A pane as its area registers it: built when first shown."""

    key: str
    title: Callable[[], str]
    build: Callable[[Workspace], Pane]
    width: int = 0  # its first width in pixels (0: Qt's choice); the user's is kept after
    tab_with: str = ""  # the pane it first shares its place with, as a tab behind it


@dataclass(frozen=True)
class PageAction:
    """An action of a page as its area declares it, known before the page is built."""

    key: str  # the QAction's objectName
    text: str  # marked with N_(), translated when shown
    shortcut: str = ""

    def name(self) -> str:
        return _(self.text)

    def make(self, parent: QObject, slot: Callable[[], object]) -> QAction:
        """The page's own action: this name and shortcut, running ``slot``."""
        action = new_action(parent, self.name(), self.shortcut or None, slot)
        action.setObjectName(self.key)
        return action


@dataclass(frozen=True)
class PageSpec:
    """A page as its area registers it: built by ``build`` when first shown. ``actions``
    are its ``page_actions`` in their order, which the window lists (the command palette)
    without building the page; tests/ui/test_page_actions.py checks that they agree."""

    key: str
    title: Callable[[], str]  # translated when asked, in the current language
    icon: Callable[[], QIcon]
    build: Callable[[Workspace], Page]
    actions: tuple[PageAction, ...] = ()
