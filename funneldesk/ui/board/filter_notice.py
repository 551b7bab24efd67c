"""A bar above the board while a filter is on: how many deals it shows of how many, which
saved deal it hides, and a button that clears it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from funneldesk import formatting
from funneldesk.i18n import _, ngettext


class FilterNotice(QFrame):
    clearRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filter-notice")
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#fff4ce"))
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#4a3b00"))
        self.setPalette(palette)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.clear_button = QPushButton(_("Clear filter"))
        self.clear_button.clicked.connect(self.clearRequested)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 6, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.clear_button)
        self._hidden_title: str | None = None
        self.hide()

    def text(self) -> str:
        return self.label.text()

    def hides(self, title: str) -> None:
        """Says, until the filter changes, that the deal just saved is not shown."""
        self._hidden_title = title

    def forget(self) -> None:
        self._hidden_title = None

    def show_counts(self, filtering: bool, shown: int, total: int) -> None:
        if not filtering:
            self.forget()
            self.hide()
            return
        counts = ngettext("{shown} of {n} deal shown: a filter is on.",
                          "{shown} of {n} deals shown: a filter is on.", total).format(
            shown=formatting.number(shown), n=formatting.number(total))
        if self._hidden_title is not None:
            counts = _("“{title}” was saved, but the filter hides it. {counts}").format(
                title=self._hidden_title, counts=counts)
        self.label.setText(counts)
        self.show()
