"""Docked panes: built when first shown, shown, hidden and moved by the user, their layout
kept with the window's state."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from funneldesk.services.dto import ChangeSet
from funneldesk.ui.common.page import Pane, PaneSpec, Workspace


class Docks:
    def __init__(self, window: QMainWindow, panes: Sequence[PaneSpec], workspace: Workspace,
                 menu: QMenu) -> None:
        self.workspace = workspace
        self.docks: dict[str, QDockWidget] = {}
        self.panes: dict[str, Pane] = {}
        self._specs = {spec.key: spec for spec in panes}
        # panes are built once the page is painted: their reads (and the libraries those
        # import) must not hold up the first paint
        self.started = False
        for spec in panes:
            dock = QDockWidget(spec.title(), window)
            dock.setObjectName(f"pane-{spec.key}")  # saveState knows docks by name
            dock.setAllowedAreas(Qt.DockWidgetArea.AllDockWidgetAreas)
            dock.visibilityChanged.connect(
                lambda visible, key=spec.key: self._visibility(key, visible))
            # floated from behind a tab, Qt says it left the screen as it comes onto it:
            # where it is is looked at once that is over
            dock.topLevelChanged.connect(
                lambda _floating, key=spec.key, dock=dock: QTimer.singleShot(
                    0, dock, lambda: self._visibility(key, self.on_screen(key))))
            window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            menu.addAction(dock.toggleViewAction())
            self.docks[spec.key] = dock
        for spec in panes:  # before the window's saved state, which wins
            if spec.tab_with in self.docks:
                window.tabifyDockWidget(self.docks[spec.tab_with], self.docks[spec.key])
                self.docks[spec.tab_with].raise_()
        self._widths = {s.key: s.width for s in panes if not s.tab_with}
        sized = [(self.docks[s.key], s.width) for s in panes if s.width and not s.tab_with]
        if sized:  # before the window's saved state, which wins
            window.resizeDocks([d for d, _w in sized], [w for _d, w in sized],
                               Qt.Orientation.Horizontal)

    def place_new(self, window: QMainWindow, saved: bytes) -> None:
        """A pane the saved window state does not know yet (added by a newer FunnelDesk)
        goes where it first belongs, as a tab, not as a strip under its neighbour; one
        the user placed stays where they put it."""
        for key, spec in self._specs.items():
            dock = self.docks[key]
            other = self.docks.get(spec.tab_with)
            # Qt keeps each dock's object name in the state, in UTF-16
            known = dock.objectName().encode("utf-16-be") in saved
            if other is None or known or window.tabifiedDockWidgets(dock):
                continue
            if window.dockWidgetArea(dock) == window.dockWidgetArea(other) \
                    and not dock.isFloating():
                window.tabifyDockWidget(other, dock)
                other.raise_()

    def start(self) -> None:
        """Builds the panes shown, now that the first page is painted. A dock behind
        another's tab counts as visible to Qt, but nothing of it is on screen: it is built
        when its tab is chosen (visibilityChanged), not now."""
        self.started = True
        for key in self.docks:
            if self.on_screen(key):
                self.build(key)

    def on_screen(self, key: str) -> bool:
        """Whether any of the dock shows (one behind another's tab is "visible" to Qt)."""
        dock = self.docks[key]
        return dock.isVisible() and not dock.visibleRegion().isEmpty()

    def _visibility(self, key: str, visible: bool) -> None:
        """A dock shown, hidden, or its tab chosen or left."""
        if visible and self.started:
            self.build(key)
        pane = self.panes.get(key)
        if pane is not None:
            pane.set_on_screen(visible)

    def first_width(self) -> int:
        """The width the docks shown at first take beside the page."""
        return sum(self._widths.values())

    def build(self, key: str) -> Pane:
        """The pane ``key``, built the first time it is shown."""
        pane = self.panes.get(key)
        if pane is None:
            pane = self.panes[key] = self._specs[key].build(self.workspace)
            self.docks[key].setWidget(pane)
        return pane

    def apply_changes(self, changes: ChangeSet, origin: object) -> None:
        for pane in self.panes.values():
            pane.apply_changes(changes, origin)
