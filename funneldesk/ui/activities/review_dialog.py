"""The quick update of a deal from the review view: its expected close date, a next step
to plan, a note for its team; saved as one review, undoable as one step."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.enums import ActivityKind
from funneldesk.errors import FunnelDeskError, InvalidInput
from funneldesk.i18n import _
from funneldesk.services.activities.records import kind_label
from funneldesk.services.activities.review_records import (
    ReviewFields,
    ReviewResult,
    ReviewRow,
    reason_label,
)
from funneldesk.ui.common.error_label import ErrorLabel, add_rows, show_at_field
from funneldesk.ui.common.fields import OptionalDateEdit
from funneldesk.ui.common.page import Workspace
from funneldesk.ui.common.rich_text import escaped


class ReviewDialog(QDialog):
    def __init__(self, ws: Workspace, row: ReviewRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.row = ws, row
        self.saved: ReviewResult | None = None
        self.setWindowTitle(_("Review “{title}”").format(title=row.title))
        self.setMinimumWidth(480)
        why = " · ".join(reason_label(code) for code in row.reasons)
        facts = [_("Why: {reasons}").format(reasons=why),
                 _("Last touched {date}").format(date=formatting.date(row.touched_on))]
        if row.next_step or row.next_step_date:
            when = formatting.date(row.next_step_date) if row.next_step_date else _("No day")
            facts.append(_("Next step now: {step} ({when})").format(
                step=row.next_step or _("Next step"), when=when))
        header = QLabel(f"<b>{escaped(row.title)}</b> · {escaped(row.company or row.stage)}<br>"
                        + "<br>".join(escaped(fact) for fact in facts))
        header.setWordWrap(True)
        self.expected = OptionalDateEdit("expected_close")
        self.expected.set_value(row.expected_close)
        self.kind = QComboBox()
        for kind in ActivityKind:
            self.kind.addItem(kind_label(kind), kind)
        self.next_title = QLineEdit()
        self.next_title.setPlaceholderText(_("e.g. Call about the budget"))
        self.next_day = OptionalDateEdit("next_day")
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(_("What changed, for the deal's team"))
        self.note.setMaximumHeight(90)
        self.errors = {name: ErrorLabel() for name in
                       ("expected_close", "next_title", "next_day", "note")}
        self.fields: dict[str, QWidget] = {"expected_close": self.expected,
                                           "next_title": self.next_title,
                                           "next_day": self.next_day, "note": self.note}
        form = QFormLayout()
        add_rows(form, [
            (_("Expected close:"), self.expected, self.errors["expected_close"]),
            (_("Next step:"), self.kind, None),
            (_("What:"), self.next_title, self.errors["next_title"]),
            (_("When:"), self.next_day, self.errors["next_day"]),
            (_("Note:"), self.note, self.errors["note"]),
        ])
        self.error = ErrorLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save the review"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def review_fields(self) -> ReviewFields:
        """What the dialog holds; InvalidInput for a date that is not one."""
        return ReviewFields(self.expected.value(), ActivityKind(self.kind.currentData()),
                            self.next_title.text(), self.next_day.value(),
                            self.note.toPlainText())

    def accept(self) -> None:
        try:
            fields = self.review_fields()
            self.saved = review(self.ws, self.row, fields, parent=self)
        except InvalidInput as error:
            if not show_at_field(error, self.errors, self.fields):
                self.error.show_error(error)
            return
        except FunnelDeskError as error:
            self.error.show_error(error)
            return
        super().accept()


def review(ws: Workspace, row: ReviewRow, fields: ReviewFields, *,
           parent: QWidget | None = None) -> ReviewResult | None:
    """Records the review as one user action; a refusal is raised for the dialog to say."""
    reviews, runner, by = ws.services.reviews, ws.runner, ws.actor

    def now() -> int:
        # the deal's version as this window's own changes left it since the list was read
        # (a review that changes no field of the deal leaves its version)
        return runner.own_version(row.deal_id, row.version)

    def do() -> ReviewResult:
        return reviews.review(row.deal_id, fields, expected_version=now(),
                              reasons=row.reasons, by=by, today=dt.date.today())

    return runner.run(
        _("Review “{title}”").format(title=row.title), do,
        undo=lambda result: reviews.undo_review(result, expected_version=now(), by=by),
        redo=lambda _undone: do(), reraise=(FunnelDeskError,), parent=parent)
