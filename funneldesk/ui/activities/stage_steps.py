"""What entering a stage proposes (a call within 2 days, a visit within 7), edited by a
manager in the pipeline editor beside the stage's criteria; each change saves at once."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from funneldesk.enums import ActivityKind
from funneldesk.errors import FunnelDeskError, StaleEdit
from funneldesk.i18n import _, ngettext
from funneldesk.services import Services
from funneldesk.services.activities.plan_records import MAX_DAYS, PlanStep
from funneldesk.services.dto import Actor
from funneldesk.ui.activities.fields import days_spin, kind_box, title_edit
from funneldesk.ui.common.save_state import note_saved


class StepDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Proposed activity"))
        self.setMinimumWidth(460)  # the title's example whole
        self.kind = kind_box(ActivityKind.CALL)
        self.title = title_edit()
        self.title.setPlaceholderText(_("e.g. Confirm the budget and who decides"))
        self.within = QSpinBox()
        self.within.setRange(0, MAX_DAYS)
        self.within.setSpecialValueText(_("the day it enters"))
        days_spin(self.within, _("within "),
                  lambda n: ngettext(" day of entering", " days of entering", n))
        self.within.setValue(2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("Kind:"), self.kind)
        form.addRow(_("Title:"), self.title)
        form.addRow(_("Due:"), self.within)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def step(self) -> PlanStep:
        return PlanStep(ActivityKind(self.kind.currentData()), self.title.text(),
                        self.within.value())


class StageSteps(QWidget):
    """The proposed activities of the stage shown; ``refused`` gets a refusal to say."""

    changed = Signal()

    def __init__(self, services: Services, actor: Actor,
                 refused: Callable[[FunnelDeskError], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.refused = services, actor, refused
        self.stage_id: int | None = None
        self.steps: list[PlanStep] = []
        self.model = QStandardItemModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.view.setMaximumHeight(90)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.add_button = QPushButton(_("Add proposed activity…"))
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.clicked.connect(self.remove)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(_("Entering this stage proposes")))
        layout.addWidget(self.view)
        layout.addWidget(self.note)
        layout.addLayout(buttons)

    def show_stage(self, stage_id: int | None, is_open: bool) -> None:
        self.stage_id = stage_id if is_open else None
        self.steps = (self.services.follow_ups.stage_steps(stage_id)
                      if stage_id is not None and is_open else [])
        self.model.clear()
        for step in self.steps:
            self.model.appendRow(QStandardItem(step.text))
        self.note.setText(_("Closed stages propose nothing.") if not is_open
                          else "" if self.steps else
                          _("Nothing yet: deals entering it are proposed no activities."))
        self.note.setVisible(bool(self.note.text()))
        for button in (self.add_button, self.remove_button):
            button.setEnabled(is_open)

    def add(self) -> None:
        if self.stage_id is None:
            return
        dialog = StepDialog(self)
        if dialog.exec():
            self._save([*self.steps, dialog.step()])

    def remove(self) -> None:
        index = self.view.currentIndex()
        if self.stage_id is None or not index.isValid():
            return
        self._save([s for i, s in enumerate(self.steps) if i != index.row()])

    def _save(self, steps: list[PlanStep]) -> None:
        assert self.stage_id is not None
        try:
            self.services.follow_ups.set_stage_steps(self.stage_id, steps, by=self.actor,
                                                     seen=self.steps)
        except FunnelDeskError as error:
            self.refused(error)
            if isinstance(error, StaleEdit):  # another manager's change: shown as it is
                self.show_stage(self.stage_id, True)
            return
        note_saved()
        self.show_stage(self.stage_id, True)
        self.changed.emit()
