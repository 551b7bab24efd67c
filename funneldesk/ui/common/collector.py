"""Python's cyclic garbage collector, run on the GUI thread only.

Left to itself, it runs in whichever thread allocates when its counts cross their
thresholds, a worker's included (the board's reads, the ratings): a dialog kept in a
reference cycle (a form and the closures that save it) would then be freed, and its Qt
objects deleted, outside the GUI thread, which crashes the process. The counts are
checked twice a second on the GUI thread instead, with the collector's own thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(INTERVAL_MS)

    def check(self) -> None:
        """Collects each generation whose count is over its threshold, as the
        interpreter itself would."""
        young, middle, old = gc.get_count()
        if young > self.thresholds[0]:
            gc.collect(0)
            if middle > self.thresholds[1]:
                gc.collect(1)
                if old > self.thresholds[2]:
                    gc.collect(2)


def collect_on_gui_thread(app: QObject) -> GuiThreadCollector:
    """Installs the collector for the application ``app`` (once)."""
    existing = app.findChild(GuiThreadCollector)
    return existing if existing is not None else GuiThreadCollector(app)
