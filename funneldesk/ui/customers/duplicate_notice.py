"""The panel a new company's or contact's form shows when saved records may be the same
customer: each of them and why, "Open that one" beside each, and "Save anyway"."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from funneldesk.i18n import _, ngettext
from funneldesk.services.customers.records import DuplicateMatch

SHOWN = 5  # matches listed; the strongest first


class DuplicateNotice(QFrame):
    openRequested = Signal(object)  # the DuplicateMatch to open instead
    saveAnyway = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("DuplicateNotice { background: #fff8e1; border: 1px solid #f9a825;"
                           " border-radius: 4px; }")
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.rows = QGridLayout()
        self.rows.setColumnStretch(0, 1)
        self.save_button = QPushButton(_("Save anyway"))
        self.save_button.clicked.connect(self.saveAnyway.emit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QGridLayout(self)
        layout.addWidget(self.heading, 0, 0)
        layout.addLayout(self.rows, 1, 0)
        layout.addLayout(buttons, 2, 0)
        self.matches: list[DuplicateMatch] = []
        self.hide()

    def show_matches(self, matches: Sequence[DuplicateMatch]) -> None:
        self.clear()
        self.matches = list(matches[:SHOWN])
        n = len(matches)
        self.heading.setText(ngettext(
            "This may be the same customer as one you already have:",
            "This may be the same customer as one of these {n} you already have:",
            n).format(n=n))
        for row, match in enumerate(self.matches):
            if match.detail:
                text = _("“{name}” ({detail}): {reason}").format(
                    name=match.name, detail=match.detail, reason=match.reason_label())
            else:
                text = _("“{name}”: {reason}").format(name=match.name,
                                                      reason=match.reason_label())
            label = QLabel(text)
            label.setWordWrap(True)
            button = QPushButton(_("Open that one"))
            button.clicked.connect(lambda _c=False, m=match: self.openRequested.emit(m))
            self.rows.addWidget(label, row, 0)
            self.rows.addWidget(button, row, 1)
        self.show()

    def clear(self) -> None:
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.matches = []
        self.hide()

    def texts(self) -> list[str]:
        """The lines shown, one per match (for tests and screen readers)."""
        items = (self.rows.itemAt(i) for i in range(self.rows.count()))
        return [w.text() for item in items
                if item is not None and isinstance(w := item.widget(), QLabel)]
