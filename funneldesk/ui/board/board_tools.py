"""The board page's tool bar, menus and keyboard shortcuts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QMenu, QToolBar, QWidget

from funneldesk.i18n import N_, _
from funneldesk.services.dto import UserInfo
from funneldesk.settings import Settings
from funneldesk.ui.common.page import PageAction

if TYPE_CHECKING:
    from funneldesk.ui.board.board_page import BoardPage

SHOW_CLOSED = PageAction("show-closed", N_("Show Won and Lost"))
OPEN = PageAction("open", N_("Open"), "Ctrl+O")
PLAN_ACTIVITY = PageAction("plan-activity", N_("Plan activity…"), "Ctrl+Shift+A")
LOG_ACTIVITY = PageAction("log-activity", N_("Log activity…"))
NEXT_STAGE = PageAction("next-stage", N_("Move to next stage"), "Ctrl+Shift+Right")
PREVIOUS_STAGE = PageAction("previous-stage", N_("Move to previous stage"), "Ctrl+Shift+Left")
UP = PageAction("up", N_("Move up in column"), "Ctrl+Shift+Up")
DOWN = PageAction("down", N_("Move down in column"), "Ctrl+Shift+Down")
WON = PageAction("won", N_("Mark as won…"), "Ctrl+Shift+W")
LOST = PageAction("lost", N_("Mark as lost…"), "Ctrl+Shift+L")
ARCHIVE = PageAction("archive", N_("Archive"))
ARCHIVED = PageAction("archived", N_("Archived deals…"))
DELETE = PageAction("delete", N_("Delete"), "Del")
TRASH = PageAction("trash", N_("Trash…"))
FIND = PageAction("find", N_("Find on the board"), "Ctrl+F")
# another FunnelDesk on the same file may have changed deals meanwhile
RELOAD = PageAction("reload", N_("Reload"), "F5")
# the board page's actions in the order it makes them (its PageSpec lists them)
ACTIONS = (SHOW_CLOSED, OPEN, PLAN_ACTIVITY, LOG_ACTIVITY, NEXT_STAGE, PREVIOUS_STAGE, UP,
           DOWN, WON, LOST, ARCHIVE, ARCHIVED, DELETE, TRASH, FIND, RELOAD)


class BoardTools:
    def __init__(self, page: BoardPage) -> None:
        self.page = page
        self.actions: list[QAction] = []
        self.menus: list[QMenu] = []
        self._wanted_owner = 0  # the saved owner filter, chosen once the owners are known
        self.pipeline = QComboBox()
        self.pipeline.setAccessibleName(_("Pipeline"))
        self.owner = QComboBox()
        self.owner.setAccessibleName(_("Owner"))
        self.owner.setMinimumWidth(140)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search deals, companies, next steps…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.show_closed = self._action(SHOW_CLOSED, page.reload)
        self.show_closed.setCheckable(True)
        self._menus()
        self._toolbar()
        self.fill_pipelines(None)
        self.pipeline.currentIndexChanged.connect(lambda _i: page.reload())
        self.owner.currentIndexChanged.connect(lambda _i: page.apply_filter())
        self.search.textChanged.connect(lambda _t: page.apply_filter())

    def _action(self, declared: PageAction, slot: Callable[[], object]) -> QAction:
        action = declared.make(self.page, slot)
        self.actions.append(action)
        return action

    def _menus(self) -> None:
        w = self.page
        deal = QMenu(_("&Deal"), w)
        deal.addAction(self._action(OPEN, w.open_current))
        deal.addAction(self._action(PLAN_ACTIVITY, lambda: w.activity_current("plan")))
        deal.addAction(self._action(LOG_ACTIVITY, lambda: w.activity_current("log")))
        deal.addSeparator()
        deal.addAction(self._action(NEXT_STAGE, lambda: w.move_current(1)))
        deal.addAction(self._action(PREVIOUS_STAGE, lambda: w.move_current(-1)))
        deal.addAction(self._action(UP, lambda: w.reorder_current(-1)))
        deal.addAction(self._action(DOWN, lambda: w.reorder_current(1)))
        deal.addAction(self._action(WON, lambda: w.close_current(True)))
        deal.addAction(self._action(LOST, lambda: w.close_current(False)))
        deal.addSeparator()
        deal.addAction(self._action(ARCHIVE, w.archive_current))
        deal.addAction(self._action(ARCHIVED, w.show_archived))
        deal.addAction(self._action(DELETE, w.delete_current))
        deal.addAction(self._action(TRASH, w.show_trash))
        board = QMenu(_("&Board"), w)
        board.addAction(self._action(FIND, self.search.setFocus))
        board.addAction(self.show_closed)
        board.addAction(self._action(RELOAD, w.reload))
        self.menus = [deal, board]

    def _toolbar(self) -> None:
        tools = QToolBar(_("Board"), self.page)
        tools.setObjectName("board-toolbar")
        tools.setMovable(False)
        tools.addWidget(self._label(_("Pipeline:"), self.pipeline))
        tools.addWidget(self.pipeline)
        tools.addSeparator()
        tools.addWidget(self._label(_("Owner:"), self.owner))
        tools.addWidget(self.owner)
        tools.addWidget(self.search)
        tools.addAction(self.show_closed)
        self.tool_bar = tools

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setContentsMargins(4, 0, 4, 0)
        label.setBuddy(buddy)
        return label

    def fill_pipelines(self, select_id: int | None) -> None:
        self.pipeline.blockSignals(True)
        self.pipeline.clear()
        for ident, name in self.page.workspace.services.board.pipelines():
            self.pipeline.addItem(name, ident)
        self.pipeline.setCurrentIndex(max(self.pipeline.findData(select_id), 0))
        self.pipeline.blockSignals(False)

    def fill_owners(self, owners: tuple[UserInfo, ...]) -> None:
        # the saved owner only on the first fill; later (a reload) the user's own choice,
        # "Everyone" included
        current = self.owner_filter()
        self.owner.blockSignals(True)
        self.owner.clear()
        self.owner.addItem(_("Everyone"), 0)
        for user in owners:
            self.owner.addItem(user.display_name, user.id)
        self.owner.setCurrentIndex(max(self.owner.findData(current), 0))
        self.owner.blockSignals(False)

    def owner_filter(self) -> int:
        """The owner the board is filtered by (0: everyone), the saved one before the
        owners are known."""
        return int(self.owner.currentData() or 0) if self.owner.count() else self._wanted_owner

    def clear_filter(self) -> None:
        """Shows every deal again: one reload of the filter, not one per field."""
        self.owner.blockSignals(True)
        self.owner.setCurrentIndex(0)
        self.owner.blockSignals(False)
        if self.search.text():
            # not blocked: the box hides its clear button on its own textChanged, which
            # also applies the filter (the owner is already cleared)
            self.search.clear()
        else:
            self.page.apply_filter()

    def restore(self, settings: Settings, database: str) -> None:
        """Restores the view; the filter is the one last used on ``database`` (an owner id or
        a search of another database would mean nothing, or someone else, here)."""
        self.fill_pipelines(settings.get("board.pipeline") or None)
        saved = settings.get("board.filters").get(database)
        saved = saved if isinstance(saved, dict) else {}
        owner, search = saved.get("owner", 0), saved.get("search", "")
        self._wanted_owner = owner if isinstance(owner, int) else 0
        self.search.blockSignals(True)
        self.search.setText(search if isinstance(search, str) else "")
        self.search.blockSignals(False)
        self.show_closed.setChecked(settings.get("board.show_closed"))

    def store(self, settings: Settings, database: str) -> None:
        settings.set("board.pipeline", int(self.pipeline.currentData() or 0))
        filters = dict(settings.get("board.filters"))
        filters[database] = {"owner": int(self.owner.currentData() or 0),
                             "search": self.search.text()}
        settings.set("board.filters", filters)
        settings.set("board.show_closed", self.show_closed.isChecked())
