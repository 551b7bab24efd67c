"""The line in a form that says, in red, why what was entered was refused."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from funneldesk.errors import FunnelDeskError, InvalidFields
from funneldesk.ui.common.fields import OptionalDateEdit
from funneldesk.ui.common.save_state import note_refused


class ErrorLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#c62828"))
        self.setPalette(palette)
        self.hide()

    def show_error(self, error: FunnelDeskError) -> None:
        """Says why a change was refused (and tells the save state when the database
        refused it)."""
        note_refused(error)
        self.show_message(error.message())

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))
        if text:
            self._make_room()

    def _make_room(self) -> None:
        """Grows the window when the message wraps onto more lines than it has room for
        (a wrapped label's height depends on its width, which a shown dialog does not
        recompute on its own, so the first line would be drawn under the field above)."""
        window = self.window()
        layout = window.layout()
        if window is self or layout is None:
            return
        layout.activate()
        needed = (layout.totalHeightForWidth(window.width()) if layout.hasHeightForWidth()
                  else layout.totalSizeHint().height())
        if needed > window.height():
            window.resize(window.width(), needed)


def add_rows(form: QFormLayout, rows: list[tuple[str, QWidget, ErrorLabel | None]]) -> None:
    """Adds each field with its label, and under it the line that says why what was
    typed there was refused (when it has one)."""
    for label, field, error in rows:
        form.addRow(label, field)
        if error is not None:
            form.addRow("", error)


def show_at_field(error: FunnelDeskError, labels: dict[str, ErrorLabel],
                  fields: dict[str, QWidget]) -> bool:
    """Says a refusal under the field it names and puts the cursor there, after clearing
    what was said before; False when it names none of ``labels``."""
    for label in labels.values():
        label.show_message("")
    field = getattr(error, "field", None)
    if field not in labels:
        return False
    labels[field].show_error(error)
    fields[field].setFocus()
    return True


def show_refusal(error: FunnelDeskError, labels: Mapping[str, ErrorLabel],
                 fields: Mapping[str, QWidget], fallback: ErrorLabel) -> None:
    """Says each problem of a refused save under the field it names (``fallback`` for
    one that names no field of the form), the cursor in the first such field."""
    problems = error.problems if isinstance(error, InvalidFields) else (error,)
    focused = False
    for problem in problems:
        name = getattr(problem, "field", "")
        labels.get(name, fallback).show_error(problem)
        if not focused and name in fields:
            fields[name].setFocus()
            focused = True


def cleared_when_edited(labels: Mapping[str, ErrorLabel],
                        fields: Mapping[str, QLineEdit | OptionalDateEdit]) -> None:
    """A refusal said under a field goes as soon as that field is edited: a message left
    standing over the corrected value reads as if it were still wrong."""
    for name, field in fields.items():
        label = labels.get(name)
        if label is not None:
            signal = field.changed if isinstance(field, OptionalDateEdit) else field.textEdited
            signal.connect(lambda *_args, label=label: label.show_message(""))
