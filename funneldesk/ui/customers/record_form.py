"""What the company form and the contact form share: fields grouped on tabs, each with
its own red line under it that says what is wrong with it, checked by the customers
service as the user leaves a field and again on Save (nothing is written while a problem
is left), the duplicate check of a new record, and the save itself."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from funneldesk.errors import FunnelDeskError, InvalidFields, InvalidInput, StaleEdit
from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.customers.records import DuplicateMatch, SavedCustomer
from funneldesk.services.dto import Actor
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.common.save_state import note_saved
from funneldesk.ui.common.unsaved import ask_about_unsaved
from funneldesk.ui.customers.channel_list import ChannelList
from funneldesk.ui.customers.duplicate_notice import DuplicateNotice
from funneldesk.ui.customers.labels import field_label

# a problem's field as a service names it outside the form's fields
_ALIASES = {"owner": "owner_id", "company": "company_id", "lead_source": "lead_source_id"}
_RED = QColor("#c62828")


def tags_of(text: str) -> tuple[str, ...]:
    """Tags typed in one line, separated by commas (either width) or semicolons."""
    for separator in ("，", ";", "；", "、"):
        text = text.replace(separator, ",")
    return tuple(t.strip() for t in text.split(",") if t.strip())


class _LeaveWatcher(QObject):
    """Tells when focus leaves a multi-line text (it has no editingFinished)."""

    def __init__(self, widget: QPlainTextEdit, left: Callable[[], None]) -> None:
        super().__init__(widget)
        self._left = left
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self._left()
        return False


class RecordForm(QDialog):
    """Subclasses build their tabs with ``page`` and the ``line``/``text``/``combo`` and
    ``add_field`` helpers, and implement ``values``, ``check``, ``matches`` and ``write``."""

    entity = ""
    detail: Any = None  # the saved record's detail (a subclass's), None for a new one

    def __init__(self, services: Services, actor: Actor, creating: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.creating = services, actor, creating
        self.saved: SavedCustomer | None = None
        self.open_instead: DuplicateMatch | None = None  # "Open that one" was chosen
        self.verified = False  # a Verify or Unverify was saved (at once) from this form
        self.editors: dict[str, QWidget] = {}
        self.field_errors: dict[str, ErrorLabel] = {}
        self._tab_of: dict[str, int] = {}
        self._touched: set[str] = set()
        self._duplicates_seen = False
        self._first_refused: dict[str, str] = {}  # field -> its first value refused
        self._shown = False
        self._initial: Any = None  # the fields as the form opened with them
        self.tabs = QTabWidget()
        self.notice = DuplicateNotice()
        self.notice.openRequested.connect(self._open_instead)
        self.notice.saveAnyway.connect(self._save_anyway)
        self.error = ErrorLabel()  # what is not about one field (a stale edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(720, 600)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._shown:
            return
        self._shown = True
        self._initial = self.values()
        if self.creating:  # typing (or pasting) goes into the name
            name = self.editors.get("name")
            if name is not None:
                name.setFocus(Qt.FocusReason.OtherFocusReason)

    def edited(self) -> bool:
        """Whether the fields differ from what the form opened with."""
        return self._initial is not None and self.values() != self._initial

    def reject(self) -> None:
        """Cancel, Esc or the window's close button: edits not saved are dropped only once
        the user says so (or saved, if they choose that)."""
        if self.open_instead is None and self.edited():
            answer = self.ask_about_changes()
            if answer == QMessageBox.StandardButton.Save:
                self.accept()
                return
            if answer != QMessageBox.StandardButton.Discard:
                return  # Cancel, or the box closed: go on editing
        super().reject()

    def ask_about_changes(self) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel, for edits not saved."""
        return ask_about_unsaved(self)

    # --- building -----------------------------------------------------------------
    def page(self, title: str) -> QFormLayout:
        """A new tab; the fields added next go on it."""
        inner = QWidget()
        form = QFormLayout(inner)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        self.tabs.addTab(scroll, title)
        return form

    def add_field(self, form: QFormLayout, name: str, widget: QWidget,
                  label: str | None = None) -> None:
        """``widget`` edits the field ``name``; its problems show in red just under it."""
        error = ErrorLabel()
        error.setObjectName(f"error_{name}")
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        if isinstance(widget, ChannelList):
            widget.place_error(error)
        else:
            box.addWidget(error)
        shown = QLabel(_("{field}:").format(field=label or field_label(name, self.entity)))
        shown.setBuddy(widget)
        form.addRow(shown, holder)
        self.editors[name], self.field_errors[name] = widget, error
        self._tab_of[name] = self.tabs.count() - 1
        self._watch(name, widget)

    def line(self, form: QFormLayout, name: str, placeholder: str = "",
             label: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        self.add_field(form, name, edit, label or None)
        return edit

    def line_of(self, name: str) -> QLineEdit:
        editor = self.editors[name]
        assert isinstance(editor, QLineEdit)
        return editor

    def text(self, form: QFormLayout, name: str, placeholder: str = "") -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setPlaceholderText(placeholder)
        edit.setTabChangesFocus(True)
        self.add_field(form, name, edit)
        return edit

    def combo(self, form: QFormLayout, name: str,
              choices: Sequence[tuple[str, Any]]) -> QComboBox:
        box = QComboBox()
        for label, data in choices:
            box.addItem(label, data)
        self.add_field(form, name, box)
        return box

    def _watch(self, name: str, widget: QWidget) -> None:
        if isinstance(widget, QLineEdit):
            widget.editingFinished.connect(lambda: self.left_field(name))
        elif isinstance(widget, QComboBox):
            widget.activated.connect(lambda _i: self.left_field(name))
        elif isinstance(widget, QPlainTextEdit):
            _LeaveWatcher(widget, lambda: self.left_field(name))
        elif isinstance(widget, ChannelList):
            widget.left.connect(lambda: self.left_field(name))

    # --- what subclasses provide --------------------------------------------------
    def values(self) -> Any:
        """The form's fields (CompanyFields or ContactFields), as typed."""
        raise NotImplementedError

    def check(self, values: Any) -> Any:
        """The fields as they would be kept, or InvalidFields."""
        raise NotImplementedError

    def matches(self, values: Any) -> list[DuplicateMatch]:
        raise NotImplementedError

    def write(self, values: Any) -> SavedCustomer | None:
        """Saves; None when there was nothing to save."""
        raise NotImplementedError

    # --- checking -----------------------------------------------------------------
    def left_field(self, name: str) -> None:
        """The user left a field: its problems (and those of fields left before) show."""
        self._touched.add(name)
        self.validate(self._touched)

    def problems(self) -> tuple[Any, list[InvalidInput]]:
        try:
            return self.check(self.values()), []
        except InvalidFields as error:
            return None, list(error.problems)
        except InvalidInput as error:
            return None, [error]

    def validate(self, shown: set[str] | None = None) -> Any:
        """Shows the problems of the fields in ``shown`` (every field when None) and
        clears those fixed; the checked fields, or None while any problem is left."""
        checked, problems = self.problems()
        by_field: dict[str, list[str]] = {}
        self._first_refused = {}
        for problem in problems:
            field = _ALIASES.get(problem.field, problem.field)
            if problem.value:
                self._first_refused.setdefault(field, problem.value)
            by_field.setdefault(field if field in self.field_errors else "", []).append(
                problem.reason)
        for name, label in self.field_errors.items():
            reasons = by_field.get(name, [])
            if shown is None or name in shown or not reasons:
                label.show_message("\n".join(reasons))
        self.error.show_message("\n".join(by_field.get("", [])))
        self._mark_tabs()
        return checked

    def _mark_tabs(self) -> None:
        bar = self.tabs.tabBar()
        wrong = {self._tab_of[n] for n, label in self.field_errors.items()
                 if not label.isHidden()}
        for index in range(self.tabs.count()):
            bar.setTabTextColor(index, _RED if index in wrong else QColor())

    def shown_problems(self) -> dict[str, str]:
        """What the red lines under the fields say now, by field."""
        return {n: label.text() for n, label in self.field_errors.items()
                if not label.isHidden()}

    # --- saving -------------------------------------------------------------------
    def accept(self) -> None:
        checked = self.validate(None)
        if checked is None:
            self._go_to_first_problem()
            return
        if not self._duplicates_seen and (self.creating or self._keys_changed(checked)):
            found = self.matches(checked)
            if found:
                self.notice.show_matches(found)
                self.notice.save_button.setFocus()
                return
        self.error.show_message("")
        try:
            self.saved = self.write(checked)
        except StaleEdit as stale:  # "changed by X at T. Reload it and try again."
            self.error.show_error(stale)
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setFocus()
            return
        except InvalidInput as refused:
            self._show_refusal(refused)
            return
        except FunnelDeskError as error:
            self.error.show_error(error)
            return
        note_saved()
        super().accept()

    def _keys_changed(self, values: Any) -> bool:
        """Whether an edit changes what another record could share: the name, a phone,
        an email, the WeChat ID or the credit code (then it is checked as a new one is)."""
        if self.detail is None:
            return False
        saved = self.detail.fields
        return any(getattr(values, key) != getattr(saved, key)
                   for key in ("name", "phones", "emails", "wechat", "credit_code")
                   if hasattr(values, key))

    def _show_refusal(self, refused: InvalidInput) -> None:
        field = _ALIASES.get(refused.field, refused.field)
        label = self.field_errors.get(field)
        if label is None:
            self.error.show_error(refused)
            return
        label.show_message(refused.message())
        self._mark_tabs()
        self._go_to_first_problem()

    def _go_to_first_problem(self) -> None:
        for name, label in self.field_errors.items():
            if not label.isHidden():
                self.tabs.setCurrentIndex(self._tab_of[name])
                editor = self.editors[name]
                # in a list of phones or emails, the line refused
                if not (isinstance(editor, ChannelList) and name in self._first_refused
                        and editor.focus_value(self._first_refused[name])):
                    editor.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def _save_anyway(self) -> None:
        self._duplicates_seen = True
        self.accept()

    def _open_instead(self, match: DuplicateMatch) -> None:
        self.open_instead = match
        self.reject()
