"""Planning an activity, logging one just done, or changing one: what kind, what about,
when, how long, who does it; on the deal or customer it was opened from.

The dialog saves through the window's action runner, so that the step can be undone; a
refusal of a field is said beside that field and the dialog stays open."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from funneldesk.enums import ActivityKind, ActivityState
from funneldesk.errors import InvalidInput
from funneldesk.i18n import _
from funneldesk.services.activities.records import (
    MAX_MINUTES,
    Activity,
    ActivityFields,
    ActivityResult,
    kind_label,
)
from funneldesk.ui.activities.fields import kind_box, parse_time, time_edit, title_edit
from funneldesk.ui.common.error_label import ErrorLabel, add_rows
from funneldesk.ui.common.fields import OptionalDateEdit
from funneldesk.ui.common.page import Workspace

SHOWN_TITLE = 40  # characters of a title the Edit menu's Undo shows


@dataclass(frozen=True, slots=True)
class Target:
    """What a new activity hangs on, and how the dialog names it ("Deal: 仓储系统")."""

    label: str
    deal_id: int | None = None
    company_id: int | None = None
    contact_id: int | None = None


class ActivityDialog(QDialog):
    """``mode``: "plan" a new one, "log" one done already, or "edit" ``activity``."""

    def __init__(self, workspace: Workspace, mode: str, *, target: Target | None = None,
                 activity: Activity | None = None, today: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent or workspace.window)
        if (mode == "edit") != (activity is not None) or (target is None and activity is None):
            raise ValueError("plan and log take a target; edit takes the activity")
        self.workspace, self.mode, self.activity = workspace, mode, activity
        self.target = target or _target_of(activity)  # type: ignore[arg-type]  # checked above
        self.result_: ActivityResult | None = None
        self.setWindowTitle({"plan": _("Plan an activity"), "log": _("Log an activity"),
                             "edit": _("Edit activity")}[mode])
        self.kind = kind_box(activity.kind if activity is not None else ActivityKind.CALL)
        self.title = title_edit()
        self.day = OptionalDateEdit("due_on")
        self.time = time_edit()
        self.minutes = QSpinBox()
        self.minutes.setRange(0, MAX_MINUTES)
        self.minutes.setSingleStep(15)
        self.minutes.setSuffix(_(" min"))
        self.minutes.setSpecialValueText(_("not set"))  # 0: no length
        self.assignee = QComboBox()
        for user in workspace.services.users.list():
            self.assignee.addItem(user.display_name, user.id)
        self.notes = QPlainTextEdit()  # the agenda, or the outcome of one done
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText(
            _("What came of it: what the customer said, what was agreed") if mode == "log"
            else _("What to talk about, bring or ask"))
        self.errors = {name: ErrorLabel() for name in
                       ("title", "due_on", "time", "minutes", "assignee", "other")}
        for edit, name in ((self.title, "title"), (self.time, "time")):
            # a message goes as soon as its field is edited: it spoke of the text before
            edit.textEdited.connect(lambda _t, n=name: self.errors[n].show_message(""))
        self.day.changed.connect(lambda: self.errors["due_on"].show_message(""))
        self._fill(today or dt.date.today())

        on = QLabel(self.target.label)
        on.setWordWrap(True)
        form = QFormLayout()
        e = self.errors
        add_rows(form, [(_("For:"), on, None), (_("Kind:"), self.kind, None),
                        (_("Title:"), self.title, e["title"]), (_("Day:"), self.day, e["due_on"]),
                        (_("Time:"), self.time, e["time"]),
                        (_("Length:"), self.minutes, e["minutes"]),
                        (_("Assigned to:"), self.assignee, e["assignee"]),
                        (_("Outcome:") if self._outcome_shown() else _("Agenda:"), self.notes,
                         None)])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(
            {"plan": _("Plan"), "log": _("Log"), "edit": _("Save")}[mode])
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors["other"])
        layout.addWidget(buttons)
        self.resize(440, self.sizeHint().height())
        self.title.setFocus()

    def _outcome_shown(self) -> bool:
        """Whether the notes are an outcome (of one done) rather than an agenda."""
        return self.mode == "log" or (self.activity is not None
                                      and self.activity.state is ActivityState.DONE)

    def _fill(self, today: dt.date) -> None:
        a = self.activity
        if a is None:
            self.day.set_value(today)
            self.assignee.setCurrentIndex(self.assignee.findData(self.workspace.actor.id))
            return
        fields = a.fields()
        self.title.setText(a.title)
        self.day.set_value(a.due_on)
        self.time.setText(fields.due_time.strftime("%H:%M") if fields.due_time else "")
        self.minutes.setValue(a.minutes or 0)
        self.assignee.setCurrentIndex(self.assignee.findData(a.assignee_id))
        self.notes.setPlainText(a.outcome if self._outcome_shown() else a.agenda)

    def fields(self) -> ActivityFields:
        """What the form says; raises InvalidInput naming the field for what it cannot
        read."""
        day, time = self.day.value(), parse_time(self.time.text())
        kept = self.activity.agenda if self.activity is not None else ""
        agenda = kept if self._outcome_shown() else self.notes.toPlainText().strip()
        t = self.target
        return ActivityFields(ActivityKind(self.kind.currentData()),  # Qt gives its str
                              self.title.text().strip(), agenda, day, time,
                              self.minutes.value() or None, self.assignee.currentData(),
                              t.deal_id, t.company_id, t.contact_id)

    def accept(self) -> None:
        """Saves and closes; a refusal of a field is said beside it, nothing is saved and
        the dialog stays open (any other refusal is said in a box)."""
        for label in self.errors.values():
            label.show_message("")
        try:
            fields = self.fields()
            result = self._save(fields)
        except InvalidInput as error:
            label = self.errors.get(error.field, self.errors["other"])
            label.show_error(error)
            {"title": self.title, "time": self.time, "due_on": self.day.edit,
             "minutes": self.minutes, "assignee": self.assignee}.get(
                error.field, self.title).setFocus()
            return
        if result is None:  # refused, and said (not allowed, changed meanwhile ...)
            return
        self.result_ = result
        super().accept()

    def _save(self, fields: ActivityFields) -> ActivityResult | None:
        service, by = self.workspace.services.activities, self.workspace.actor
        outcome = self.notes.toPlainText().strip()
        runner = self.workspace.runner

        def own(result: ActivityResult) -> int:
            """The version it is at if only this window changed it since (a Plan undone
            after its own Edit was undone is not stale)."""
            return runner.own_version(("activity", result.activity.id), result.activity.version)

        def withdraw(result: ActivityResult) -> ActivityResult:
            return service.withdraw(result.activity.id, by=by, expected_version=own(result))

        def run(text: str, call: Callable[[], ActivityResult],
                undo: Callable[[ActivityResult], ActivityResult],
                redo: Callable[[ActivityResult], ActivityResult]) -> ActivityResult | None:
            return runner.run(text, call, undo=undo, redo=redo, versions=_versions,
                              reraise=(InvalidInput,), parent=self)

        if self.mode == "plan":
            return run(_("Plan “{title}”").format(title=_summary(fields)),
                       lambda: service.plan(fields, by=by), withdraw,
                       lambda r: service.plan(fields, by=by, again=_was(r)))
        if self.mode == "log":
            return run(_("Log “{title}”").format(title=_summary(fields)),
                       lambda: service.log(fields, outcome, by=by), withdraw,
                       lambda r: service.log(fields, outcome, by=by, again=_was(r)))
        before = self.activity
        assert before is not None
        return run(_("Edit “{title}”").format(title=_summary(before.fields())),
                   lambda: self._update(before.id, fields, before.version, outcome),
                   lambda r: self._update(r.activity.id, before.fields(), own(r),
                                          before.outcome),
                   lambda r: self._update(r.activity.id, fields, own(r), outcome))

    def _update(self, activity_id: int, fields: ActivityFields, version: int,
                outcome: str) -> ActivityResult:
        """An edit, and the outcome too of one done."""
        return self.workspace.services.activities.update(
            activity_id, fields, expected_version=version, by=self.workspace.actor,
            outcome=outcome if self._outcome_shown() else None)


def _versions(result: object) -> list[tuple[tuple[str, int], int]]:
    """The activity's version a step leaves, as this window's own (see ActionRunner)."""
    activity = getattr(result, "activity", None)
    return [(("activity", activity.id), activity.version)] if activity is not None else []


def _was(withdrawn: ActivityResult) -> tuple[int, int]:
    """The activity an undone Plan or Log took away, as its redo brings it back."""
    return withdrawn.activity.id, withdrawn.activity.version


def _summary(fields: ActivityFields) -> str:
    """The activity as the Edit menu's Undo names it (a long title cut short)."""
    text = fields.title.strip() or kind_label(ActivityKind(fields.kind))
    return text if len(text) <= SHOWN_TITLE else text[:SHOWN_TITLE - 1] + "…"


def target_label(kind: str, name: str) -> str:
    """What an activity is for, as the dialog names it ("Deal: 仓储系统"); ``kind``:
    deal, company or contact."""
    if kind == "deal":
        return _("Deal: {name}").format(name=name)
    if kind == "contact":
        return _("Contact: {name}").format(name=name)
    return _("Company: {name}").format(name=name)


def open_dialog(workspace: Workspace, mode: str, *, target: Target | None = None,
                activity: Activity | None = None, today: dt.date | None = None) -> None:
    """Opens the dialog over the window (see ``ActivityDialog``); it saves by itself."""
    dialog = ActivityDialog(workspace, mode, target=target, activity=activity, today=today)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()


def _target_of(activity: Activity) -> Target:
    """What an activity hangs on, named as the dialog shows it."""
    kind, name = (("deal", activity.deal) if activity.deal_id is not None
                  else ("contact", activity.contact) if activity.contact_id is not None
                  else ("company", activity.company))
    return Target(target_label(kind, name), activity.deal_id, activity.company_id,
                  activity.contact_id)
