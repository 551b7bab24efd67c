"""One step of a contract's signing path as the user records it: the day it happened, and
what belongs to it (the courier and tracking number of a posting, a scanned copy of the
signed contract, a note)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from funneldesk.enums import ContractState
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services.contracts.records import MAX_FILE, StepDetails
from funneldesk.ui.common.error_label import ErrorLabel, cleared_when_edited, show_refusal
from funneldesk.ui.common.fields import DateField
from funneldesk.ui.common.file_dialogs import open_file_name

POSTED = (ContractState.SENT, ContractState.RETURNED)
SCANNED = (ContractState.SIGNED, ContractState.RETURNED, ContractState.ARCHIVED)


def step_title(to: ContractState) -> str:
    return {
        ContractState.IN_REVIEW: _("Send to review"),
        ContractState.APPROVED: _("Approve for signature"),
        ContractState.SENT: _("Post for signature…"),
        ContractState.SIGNED: _("Customer signed…"),
        ContractState.SEALED: _("Our seal applied…"),
        ContractState.RETURNED: _("Countersigned copy posted back…"),
        ContractState.ARCHIVED: _("Archive…"),
        ContractState.DRAFT: _("Back to draft"),
    }[to]


class StepDialog(QDialog):
    """Asks what the step records; ``save`` gets the details and raises a refusal, which
    is said under its field with the dialog left open."""

    def __init__(self, to: ContractState, save: object, parent: QWidget | None = None,
                 earliest: dt.date | None = None) -> None:
        super().__init__(parent)
        self.to, self._save = to, save
        self.setWindowTitle(step_title(to).rstrip("…"))
        self.setMinimumWidth(30 * self.fontMetrics().averageCharWidth() + 320)
        self.file_data, self.file_name = b"", ""
        # no step happens before the one it follows, nor after today
        self.on = DateField("on", dt.date.today(), earliest=earliest, latest=dt.date.today())
        self.on.setAccessibleName(_("Date"))
        self.courier = QLineEdit()
        self.courier.setPlaceholderText(_("Empty for a copy handed over in person"))
        self.courier.setToolTip(_("For example 顺丰速运, EMS"))
        self.courier.setAccessibleName(_("Courier"))
        self.tracking = QLineEdit()
        self.tracking.setAccessibleName(_("Tracking number"))
        self.note = QLineEdit()
        self.note.setAccessibleName(_("Note"))
        self.file_label = QLabel(_("No file chosen"))
        choose = QPushButton(_("Choose scan…"))
        choose.clicked.connect(self._choose)
        self.errors = {name: ErrorLabel() for name in ("on", "courier", "tracking", "file")}
        self.error = ErrorLabel()
        form = QFormLayout()
        form.addRow(_("Date:"), self.on)
        form.addRow("", self.errors["on"])
        if to in POSTED:
            form.addRow(_("Courier:"), self.courier)
            form.addRow("", self.errors["courier"])
            form.addRow(_("Tracking number:"), self.tracking)
            form.addRow("", self.errors["tracking"])
        if to in SCANNED:
            row = QHBoxLayout()
            row.addWidget(self.file_label, 1)
            row.addWidget(choose)
            form.addRow(_("Scanned copy:"), row)
            form.addRow("", self.errors["file"])
        form.addRow(_("Note:"), self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if to is ContractState.SIGNED:
            hint = QLabel(_("Record the day the customer signed and stamped the contract; "
                            "attach the scan of the signed copy to keep it with the "
                            "database."))
            hint.setWordWrap(True)
            layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        cleared_when_edited(self.errors, {"on": self.on, "courier": self.courier,
                                          "tracking": self.tracking})

    def _choose(self) -> None:
        chosen = choose_scan(self, self.errors["file"].show_message)
        if chosen is not None:
            self.file_name, self.file_data = chosen
            self.file_label.setText(self.file_name)

    def details(self) -> StepDetails:
        return StepDetails(self.on.day(), self.courier.text(), self.tracking.text(),
                           self.note.text(), self.file_name, self.file_data)

    def accept(self) -> None:
        assert callable(self._save)
        try:
            self._save(self.details())
        except FunnelDeskError as error:
            fields = {"on": self.on, "courier": self.courier, "tracking": self.tracking,
                      "file": self.file_label}
            for label in (*self.errors.values(), self.error):
                label.show_message("")
            show_refusal(error, self.errors, fields, self.error)
            return
        super().accept()


def choose_scan(parent: QWidget, say: Callable[[str], None]) -> tuple[str, bytes] | None:
    """A scanned copy the user picks, as its name and bytes; a file too large is refused
    before it is read, and what went wrong is said through ``say``."""
    path, _filter = open_file_name(parent, _("Choose the scanned copy"), "",
                                   _("Scans (*.pdf *.png *.jpg *.jpeg)"))
    if not path:
        return None
    try:
        if Path(path).stat().st_size > MAX_FILE:  # said before reading it all
            say(_("The file is too large: at most 20 MB."))
            return None
        return Path(path).name, Path(path).read_bytes()
    except OSError as error:
        say(str(error.strerror or error))
        return None
