"""A contract's PDF in the window: previewed and printed from memory, and saved as a file
only encrypted when the contract is confidential (or when the user asks for a password):
the plain PDF never reaches the disk."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from funneldesk import secrets
from funneldesk.enums import Confidentiality
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.file_dialogs import save_file_name
from funneldesk.ui.common.page import Workspace
from funneldesk.ui.common.pdf_preview import PdfPreview


class PasswordDialog(QDialog):
    """The password a saved PDF opens with: required for a confidential contract (the one
    kept in the keyring is offered), optional for another."""

    def __init__(self, number: str, confidential: bool, kept: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.confidential = confidential
        self.setWindowTitle(_("Save contract {number}").format(number=number))
        intro = QLabel(_("This contract is confidential: its PDF is saved encrypted "
                         "(AES-256) and opens only with the password.") if confidential
                       else _("Give a password to save the PDF encrypted (AES-256), or "
                              "leave it empty to save it as it is."))
        intro.setWordWrap(True)
        self.use_kept = QCheckBox(_("Use the password kept in the keyring for it"))
        self.use_kept.setVisible(kept)
        self.use_kept.setChecked(kept)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(_("Password"))
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName(_("Password again"))
        self.keep = QCheckBox(_("Keep the password in the keyring for this contract"))
        self.keyring = secrets.available()
        if not self.keyring:  # offered only where it can be kept
            self.keep.setToolTip(secrets.NoSecureKeyring().message())
        self.error = ErrorLabel()
        form = QFormLayout()
        form.addRow(_("Password:"), self.password)
        form.addRow(_("Again:"), self.repeat)
        form.addRow("", self.keep)
        form.addRow("", self.error)
        self.use_kept.toggled.connect(self._update)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.use_kept)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._update()

    def _update(self) -> None:
        typing = not self.use_kept.isChecked()
        for field in (self.password, self.repeat):
            field.setEnabled(typing)
        self.keep.setEnabled(typing and self.keyring)

    def accept(self) -> None:
        if not self.use_kept.isChecked():
            if self.password.text() != self.repeat.text():
                self.error.show_message(_("The two passwords differ: type the same twice."))
                self.repeat.setFocus()
                return
            if self.confidential and not self.password.text():
                self.error.show_message(_("A confidential contract is saved only with a "
                                          "password."))
                self.password.setFocus()
                return
        super().accept()

    def chosen(self) -> str | None:
        """The password to encrypt with ("" for none; None: the one kept)."""
        return None if self.use_kept.isChecked() else self.password.text()


def save_contract_pdf(workspace: Workspace, contract_id: int, number: str,
                      parent: QWidget) -> None:
    contracts, viewer = workspace.services.contracts, workspace.actor
    try:
        summary = contracts.get(contract_id, viewer=viewer).summary
        kept = bool(contracts.kept_password(contract_id, viewer=viewer))
    except FunnelDeskError as error:
        show_error(parent, error)
        return
    confidential = summary.confidentiality is Confidentiality.CONFIDENTIAL
    ask = PasswordDialog(number, confidential, kept, parent)
    if not ask.exec():
        return
    password = ask.chosen()
    if password is None:  # the one kept in the keyring, for a normal contract too
        password = contracts.kept_password(contract_id, viewer=viewer)
    path, _filter = save_file_name(parent, _("Save the contract as"), f"{number}.pdf",
                                   _("PDF files (*.pdf)"))
    if not path:
        return
    if password and ask.keep.isChecked():
        try:
            contracts.keep_password(contract_id, password, viewer=viewer)
        except FunnelDeskError as error:  # no secure keyring: say so, save all the same
            show_error(parent, error)

    def write() -> bool:
        from funneldesk.files import write_whole

        data = contracts.pdf_to_save(contract_id, viewer=viewer, password=password or None)
        write_whole(Path(path), data)
        return bool(password) or confidential

    def written(encrypted: bool) -> None:
        workspace.show_message(
            _("Saved, encrypted: {path}").format(path=path) if encrypted
            else _("Saved: {path}").format(path=path))

    def failed(error: Exception) -> None:
        if not isinstance(error, FunnelDeskError):
            raise error
        show_error(parent, error)

    run_in_background(write, written, failed, owner=parent)


def preview_contract(workspace: Workspace, contract_id: int, number: str,
                     parent: QWidget | None = None) -> None:
    contracts, viewer = workspace.services.contracts, workspace.actor
    try:
        confidential = contracts.get(contract_id, viewer=viewer).summary.confidentiality \
            is Confidentiality.CONFIDENTIAL
    except FunnelDeskError as error:
        show_error(parent or workspace.window, error)
        return
    preview = PdfPreview(workspace, _("Contract {number}").format(number=number), number,
                         lambda: contracts.pdf(contract_id, viewer=viewer), parent,
                         save=lambda shown: save_contract_pdf(workspace, contract_id,
                                                              number, shown),
                         paper_only=confidential)
    preview.exec()

