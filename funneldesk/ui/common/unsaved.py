"""The question a form asks when it is closed with edits not saved."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from funneldesk.i18n import _


def ask_about_unsaved(parent: QWidget) -> QMessageBox.StandardButton:
    """Save, Discard or Cancel (shown as "Keep editing"), for edits not saved."""
    box = QMessageBox(
        QMessageBox.Icon.Question, _("Unsaved changes"),
        _("Your changes to this record are not saved. Save them?"),
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel, parent)
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    # not "Cancel" under the form's own Cancel: it means going back to the form
    box.button(QMessageBox.StandardButton.Cancel).setText(_("Keep editing"))
    box.exec()
    return box.standardButton(box.clickedButton())
