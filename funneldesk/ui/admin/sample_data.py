"""Asks where sample data should go: a separate database (recommended) or this one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from funneldesk.i18n import _
from funneldesk.ui.common.error_label import ErrorLabel


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setContentsMargins(24, 0, 0, 8)  # under its choice's text, past the radio button
    return label


class SampleDataDialog(QDialog):
    def __init__(self, separate_path: Path, *, welcome: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Welcome to FunnelDesk") if welcome else _("Load sample data"))
        self.setMinimumWidth(520)
        intro = QLabel(
            _("This database has no deals yet. Would you like to try FunnelDesk with sample "
              "data first?") if welcome else
            _("Sample data fills FunnelDesk with made-up companies, contacts and deals, so "
              "that you can try everything out."))
        intro.setWordWrap(True)
        self.separate_choice = QRadioButton(_("Create a separate sample database (recommended)"))
        self.separate_choice.setChecked(True)
        self.here_choice = QRadioButton(_("Add to this database"))
        warning = ErrorLabel()
        warning.setContentsMargins(24, 0, 0, 0)
        warning.show_message(_(
            "The sample deals mix with your real ones: on the board, in the totals and in "
            "reports, until you remove them with File ▸ Remove sample data…"))
        self.here_choice.toggled.connect(warning.setVisible)
        warning.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        load = buttons.addButton(_("Load sample data"), QDialogButtonBox.ButtonRole.AcceptRole)
        load.setDefault(True)
        if welcome:
            buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Not now"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addWidget(self.separate_choice)
        layout.addWidget(_note(_("A new file beside this one, opened in a new window; this "
                                 "database stays as it is:\n{path}").format(path=separate_path)))
        layout.addWidget(self.here_choice)
        layout.addWidget(warning)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.warning = warning

    def separate(self) -> bool:
        return self.separate_choice.isChecked()
