"""The phones (or the emails) of a company or contact: one line each, added and removed
in the form, and a Verify button beside each saved one that says who checked that it
reaches the customer, and when."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services.customers.records import ChannelInfo
from funneldesk.ui.common.errors import show_error

# verifies (True) or un-verifies a saved channel; returns the record's channels as they now are
Verify = Callable[[int, bool], Sequence[ChannelInfo]]


@dataclass
class _Entry:
    edit: QLineEdit
    status: QLabel
    verify: QPushButton
    remove: QPushButton
    info: ChannelInfo | None  # the saved channel this line shows, None for a new line

    def unchanged(self) -> bool:
        text = self.edit.text().strip()
        return self.info is not None and text in (self.info.shown, self.info.value)


class ChannelList(QWidget):
    """``kind`` is "phone" or "email". ``verify`` is None while the record is not saved."""

    changed = Signal()  # a line was typed in, added or removed
    left = Signal()  # the user left a line (the form checks it then)

    def __init__(self, kind: str, verify: Verify | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind, self._verify = kind, verify
        self.entries: list[_Entry] = []
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setVerticalSpacing(2)
        self.grid.setColumnStretch(0, 1)
        self.add_button = QPushButton(_("Add a phone") if kind == "phone" else _("Add an email"))
        self.add_button.clicked.connect(lambda: self.add("", None, focus=True))
        self.main = QVBoxLayout(self)
        self.main.setContentsMargins(0, 0, 0, 0)
        self.main.setSpacing(2)
        self.main.addLayout(self.grid)
        self.main.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def place_error(self, label: QWidget) -> None:
        """Puts the form's red line for this list just under its lines, above Add."""
        self.main.insertWidget(1, label)

    def set_entries(self, channels: Sequence[ChannelInfo]) -> None:
        """Shows the saved channels of this kind (in their order), and one empty line when
        there are none."""
        for entry in list(self.entries):
            self._drop(entry)
        for info in channels:
            if info.kind == self.kind:
                self.add(info.shown, info)
        if not self.entries:
            self.add("", None)

    def add(self, text: str, info: ChannelInfo | None, *, focus: bool = False) -> QLineEdit:
        edit = QLineEdit(text)
        edit.setPlaceholderText(_("e.g. 138 0013 8000") if self.kind == "phone"
                                else _("e.g. name@example.com"))
        status = QLabel()
        palette = status.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#616161"))
        status.setPalette(palette)
        verify = QPushButton(_("Verify"))
        remove = QPushButton(_("Remove"))
        entry = _Entry(edit, status, verify, remove, info)
        edit.textChanged.connect(lambda _t: self._typed(entry))
        edit.editingFinished.connect(self.left.emit)
        verify.clicked.connect(lambda: self._toggle(entry))
        remove.clicked.connect(lambda: self._remove(entry))
        row = len(self.entries) * 2
        self.grid.addWidget(edit, row, 0)
        self.grid.addWidget(verify, row, 1)
        self.grid.addWidget(remove, row, 2)
        self.grid.addWidget(status, row + 1, 0, 1, 3)
        self.entries.append(entry)
        self.setFocusProxy(self.entries[0].edit)
        self._show_state(entry)
        if focus:
            edit.setFocus()
        return edit

    def focus_value(self, value: str) -> bool:
        """Puts the cursor in the line that holds ``value``; whether one does."""
        for entry in self.entries:
            if entry.edit.text().strip() == value.strip():
                entry.edit.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return False

    def values(self) -> tuple[str, ...]:
        """The lines as typed, empty ones left out."""
        return tuple(t for e in self.entries if (t := e.edit.text().strip()))

    def set_values(self, values: Sequence[str]) -> None:
        for entry in list(self.entries):
            self._drop(entry)
        for value in values or ("",):
            self.add(value, None)

    # --- behaviour ----------------------------------------------------------------
    def _typed(self, entry: _Entry) -> None:
        self._show_state(entry)
        self.changed.emit()

    def _remove(self, entry: _Entry) -> None:
        self._drop(entry)
        self._relayout()
        self.changed.emit()
        self.left.emit()

    def _drop(self, entry: _Entry) -> None:
        self.entries.remove(entry)
        self.setFocusProxy(self.entries[0].edit if self.entries else self.add_button)
        for widget in (entry.edit, entry.status, entry.verify, entry.remove):
            self.grid.removeWidget(widget)
            widget.deleteLater()

    def _relayout(self) -> None:
        for i, entry in enumerate(self.entries):
            self.grid.addWidget(entry.edit, i * 2, 0)
            self.grid.addWidget(entry.verify, i * 2, 1)
            self.grid.addWidget(entry.remove, i * 2, 2)
            self.grid.addWidget(entry.status, i * 2 + 1, 0, 1, 3)

    def _toggle(self, entry: _Entry) -> None:
        if self._verify is None or entry.info is None:
            return
        try:
            fresh = self._verify(entry.info.id, entry.info.verified_at is None)
        except FunnelDeskError as error:
            show_error(self, error)
            return
        self.refresh(fresh)

    def refresh(self, channels: Sequence[ChannelInfo]) -> None:
        """Takes the saved channels' verification as it now is."""
        by_id = {c.id: c for c in channels}
        for entry in self.entries:
            if entry.info is not None and entry.info.id in by_id:
                entry.info = by_id[entry.info.id]
            self._show_state(entry)

    def _show_state(self, entry: _Entry) -> None:
        info = entry.info
        saved = self._verify is not None and entry.unchanged() and info is not None
        # only a saved record's saved entries can be verified; a line being typed cannot
        entry.verify.setVisible(self._verify is not None and info is not None)
        entry.verify.setEnabled(saved)
        verified = saved and info is not None and info.verified_at is not None
        entry.verify.setText(_("Unverify") if verified else _("Verify"))
        if info is not None and saved and info.verified_at is not None:
            entry.status.setText(_("Verified by {who}, {when}").format(
                who=info.verified_by or _("someone no longer in the team"),
                when=formatting.datetime(info.verified_at)))
            entry.verify.setToolTip(_("Mark it as not checked (saved at once, even if the "
                                      "form is cancelled)"))
        elif saved:
            entry.status.setText(_("Not verified yet"))
            entry.verify.setToolTip(_("Record that you checked that it reaches the customer "
                                      "(saved at once, even if the form is cancelled)"))
        else:
            entry.status.setText("")
            entry.verify.setToolTip(_("Save first: only a saved entry can be verified"))
        entry.status.setVisible(bool(entry.status.text()))
