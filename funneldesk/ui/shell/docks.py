"""Docked panes: built when first shown, shown, hidden and moved by the user, their layout
kept with the window's state."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
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
        for spec in panes:
            dock = QDockWidget(spec.title(), window)
            dock.setObjectName(f"pane-{spec.key}")  # saveState knows docks by name
            dock.setAllowedAreas(Qt.DockWidgetArea.AllDockWidgetAreas)
            dock.visibilityChanged.connect(
                lambda visible, key=spec.key: visible and self.build(key))
            window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            menu.addAction(dock.toggleViewAction())
            self.docks[spec.key] = dock

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
