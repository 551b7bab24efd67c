"""Managers edit pipelines, stages, criteria and guidance. Structural changes save at
once; a stage's own fields save with “Save stage”, and leaving them unsaved asks first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from funneldesk.enums import CONTRACT_SIGNED
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.dto import Actor, CriterionKind, PipelineInfo, StageInfo
from funneldesk.ui.activities.stage_steps import StageSteps
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.common.save_state import note_saved

IdRole = Qt.ItemDataRole.UserRole + 1
RuleRole = Qt.ItemDataRole.UserRole + 2
KindRole = Qt.ItemDataRole.UserRole + 3


class PipelineEditor(QDialog):
    def __init__(self, services: Services, actor: Actor, pipeline_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.admin = services.pipelines
        self.pipeline: PipelineInfo | None = None
        self.shown: StageInfo | None = None  # the stage whose fields the form shows
        self._settling = False  # the selection is being set by the editor, not the user
        self.shown_pipeline = 0  # the index of the pipeline the editor shows
        self.changed = False
        self.setWindowTitle(_("Pipelines and stages"))
        self.resize(820, 660)
        self.pipelines = QComboBox()
        self.stages = QStandardItemModel(self)
        self.stage_view = QListView()
        self.stage_view.setModel(self.stages)
        self.stage_view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.criteria = QStandardItemModel(self)
        self.criteria_view = QListView()
        self.criteria_view.setModel(self.criteria)
        self.criteria_view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.criteria_view.selectionModel().currentChanged.connect(
            lambda _now, _before: self._chosen_rule())
        self.name = QLineEdit()
        self.probability = QSpinBox()
        self.probability.setRange(0, 100)
        self.probability.setSuffix(" %")
        self.rot_days = QSpinBox()
        self.rot_days.setRange(0, 365)
        self.rot_days.setSpecialValueText(_("never"))
        self.guidance = QPlainTextEdit()
        self.guidance.setFixedHeight(70)
        self.error = ErrorLabel()
        self.steps = StageSteps(services, actor, self.error.show_error)
        self.steps.changed.connect(self._note_changed)
        self._layout()
        self.pipelines.currentIndexChanged.connect(lambda _i: self._pipeline_chosen())
        self.stage_view.selectionModel().currentChanged.connect(
            lambda _current, previous: self._stage_chosen(previous))
        self._load_pipelines(pipeline_id)

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Pipeline:")))
        top.addWidget(self.pipelines, 1)
        top.addWidget(self._button(_("New pipeline…"), self._new_pipeline))
        top.addWidget(self._button(_("Rename…"), self._rename_pipeline))
        left = QVBoxLayout()
        left.addWidget(QLabel(_("Stages (in funnel order)")))
        left.addWidget(self.stage_view)
        row = QHBoxLayout()
        for text, slot in ((_("Add…"), self._add_stage), (_("Delete"), self._delete_stage),
                           (_("Up"), lambda: self._move_stage(-1)),
                           (_("Down"), lambda: self._move_stage(1))):
            row.addWidget(self._button(text, slot))
        left.addLayout(row)
        form = QFormLayout()
        form.addRow(_("Name:"), self.name)
        form.addRow(_("Win probability:"), self.probability)
        form.addRow(_("Rots after (days):"), self.rot_days)
        form.addRow(_("Guidance for reps:"), self.guidance)
        form.addRow("", self._button(_("Save stage"), self._save_stage))
        form.addRow(QLabel(_("Criteria (checklist items)")))
        form.addRow(self.criteria_view)
        crit = QHBoxLayout()
        crit.addWidget(self._button(_("Add entry criterion…"),
                                    lambda: self._add_criterion(CriterionKind.ENTRY)))
        self.exit_button = self._button(_("Add exit criterion…"),
                                        lambda: self._add_criterion(CriterionKind.EXIT))
        crit.addWidget(self.exit_button)
        self.rule_button = self._button(_("Met by a signed contract"), self._toggle_rule)
        crit.addWidget(self.rule_button)
        crit.addWidget(self._button(_("Remove"), self._remove_criterion))
        form.addRow(crit)
        form.addRow(self.steps)
        grid = QGridLayout()
        grid.addLayout(left, 0, 0)
        grid.addLayout(form, 0, 1)
        grid.setColumnStretch(1, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addWidget(close)

    def _button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda: slot())
        return button

    # --- loading ------------------------------------------------------------------
    def _load_pipelines(self, select_id: int | None, select_stage: int | None = None) -> None:
        self.pipelines.blockSignals(True)
        self.pipelines.clear()
        for ident, name in self.admin.pipelines():
            self.pipelines.addItem(name, ident)
        self.pipelines.setCurrentIndex(max(self.pipelines.findData(select_id), 0))
        self.pipelines.blockSignals(False)
        self.shown_pipeline = self.pipelines.currentIndex()
        self._load_pipeline(select_stage)

    def _load_pipeline(self, select_stage: int | None) -> None:
        self.pipeline = self.admin.pipeline(int(self.pipelines.currentData()))
        self._settling = True
        self.stages.clear()
        for stage in self.pipeline.stages:
            label = stage.name if stage.is_open else _("{stage} (outcome)").format(stage=stage.name)
            item = QStandardItem(f"{label} — {stage.probability}%")
            item.setData(stage.id, IdRole)
            self.stages.appendRow(item)
        row = next((i for i, s in enumerate(self.pipeline.stages) if s.id == select_stage), 0)
        self.stage_view.setCurrentIndex(self.stages.index(row, 0))
        self._settling = False
        self._show_stage()

    def _pipeline_chosen(self) -> None:
        if not self.settle_edits():  # stay on the pipeline with the unsaved stage
            self.pipelines.blockSignals(True)
            self.pipelines.setCurrentIndex(self.shown_pipeline)
            self.pipelines.blockSignals(False)
            return
        self.shown_pipeline = self.pipelines.currentIndex()
        self._load_pipeline(None)

    def _stage_chosen(self, previous: QModelIndex) -> None:
        if self._settling:
            return
        chosen, had_edits = self.current_stage(), self._edited()
        if not self.settle_edits():  # back to the stage being edited, edits kept
            self._settling = True
            self.stage_view.setCurrentIndex(previous)
            self._settling = False
            return
        if had_edits and chosen is not None:  # the list shows the stage as saved
            self._load_pipeline(chosen.id)
        else:
            self._show_stage()

    def _form_values(self) -> tuple[str, int, int | None, str]:
        return (self.name.text(), self.probability.value(), self.rot_days.value() or None,
                self.guidance.toPlainText())

    def _edited(self) -> bool:
        stage = self.shown
        return stage is not None and self._form_values() != (
            stage.name, stage.probability, stage.rot_days, stage.guidance)

    def settle_edits(self) -> bool:
        """Before the form shows something else: asks whether to save the shown stage's
        unsaved edits. False when the user chose to stay (or the save was refused)."""
        stage = self.shown
        if stage is None or not self._edited():
            return True
        box = QMessageBox(QMessageBox.Icon.Question, _("Unsaved changes"),
                          _("The changes to the stage “{stage}” are not saved. Save them?").format(
                              stage=stage.name),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.exec()
        answer = box.standardButton(box.clickedButton())
        if answer == QMessageBox.StandardButton.Save:
            return self._run(lambda: self._update_stage(stage))
        return answer == QMessageBox.StandardButton.Discard

    def reject(self) -> None:
        if self.settle_edits():
            super().reject()

    def current_stage(self) -> StageInfo | None:
        index = self.stage_view.currentIndex()
        if self.pipeline is None or not index.isValid():
            return None
        return self.pipeline.stages[index.row()]

    def _show_stage(self) -> None:
        """Shows the current stage; unsaved edits of that same stage stay in the form (a
        criterion added or the stage moved reloads the list, not the edits)."""
        stage = self.current_stage()
        self.error.show_message("")
        same = stage is not None and self.shown is not None and stage.id == self.shown.id
        draft = self._form_values() if same and self._edited() else None
        self.shown = stage
        if stage is None:
            return
        self.steps.show_stage(stage.id, stage.is_open)
        self.exit_button.setEnabled(stage.is_open)
        self.exit_button.setToolTip("" if stage.is_open else _(
            "A deal leaves Won or Lost only when it is reopened: these stages take entry "
            "criteria only."))
        name, probability, rot_days, guidance = draft or (
            stage.name, stage.probability, stage.rot_days, stage.guidance)
        self.name.setText(name)
        self.probability.setValue(probability)
        self.rot_days.setValue(rot_days or 0)
        self.guidance.setPlainText(guidance)
        self.criteria.clear()
        for criterion in stage.criteria:
            kind = _("Entry") if criterion.kind is CriterionKind.ENTRY else _("Exit")
            by_contract = _("met by a signed contract")
            item = QStandardItem(f"[{kind}] {criterion.label}" + (
                f"  ({by_contract})" if criterion.rule else ""))
            if criterion.rule and self.pipeline is not None and \
                    not self.pipeline.signature_may_meet(stage.id, criterion.kind):
                # the stages moved since: the deal would wait here for its signature
                item.setForeground(QColor("#c62828"))
                item.setToolTip(_("This stage is no longer the last before Won: a deal "
                                  "would wait here until its contract is signed. Choose "
                                  "Tick by hand instead."))
            item.setData(criterion.id, IdRole)
            item.setData(criterion.rule, RuleRole)
            item.setData(criterion.kind.value, KindRole)
            self.criteria.appendRow(item)
        self._chosen_rule()

    # --- changes ------------------------------------------------------------------
    def _run(self, action: Callable[[], object]) -> bool:
        try:
            action()
        except FunnelDeskError as error:
            self.error.show_error(error)
            return False
        self.error.show_message("")
        self.changed = True
        note_saved()
        return True

    def _note_changed(self) -> None:
        self.error.show_message("")
        self.changed = True

    def _pipeline_id(self) -> int:
        return int(self.pipelines.currentData())

    def _new_pipeline(self) -> None:
        if not self.settle_edits():
            return
        name, ok = QInputDialog.getText(self, _("New pipeline"), _("Name:"))
        if ok:
            created: list[int] = []
            if self._run(lambda: created.append(
                    self.admin.create_pipeline(name=name, by=self.actor))):
                self._load_pipelines(created[0])

    def _rename_pipeline(self) -> None:
        name, ok = QInputDialog.getText(self, _("Rename pipeline"), _("Name:"),
                                        text=self.pipelines.currentText())
        if ok and self._run(lambda: self.admin.rename_pipeline(
                pipeline_id=self._pipeline_id(), name=name, by=self.actor)):
            stage = self.current_stage()
            self._load_pipelines(self._pipeline_id(), stage.id if stage else None)

    def _add_stage(self) -> None:
        if not self.settle_edits():
            return
        name, ok = QInputDialog.getText(self, _("New stage"), _("Name:"))
        if ok:
            created: list[int] = []
            if self._run(lambda: created.append(self.admin.add_stage(
                    pipeline_id=self._pipeline_id(), name=name, by=self.actor))):
                self._load_pipeline(created[0])

    def _delete_stage(self) -> None:
        stage = self.current_stage()
        if stage is None:
            return
        try:  # refused before asking: it still holds deals, or cannot go
            self.admin.check_stage_deletion(stage_id=stage.id, by=self.actor)
        except FunnelDeskError as error:
            self.error.show_error(error)
            return
        answer = QMessageBox.question(
            self, _("Delete stage"),
            _("Delete the stage “{stage}” and its criteria? Stage history that mentions it "
              "is kept.").format(stage=stage.name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self._run(lambda: self.admin.delete_stage(stage_id=stage.id, by=self.actor)):
            self.shown = None  # its edits went with it
            self._load_pipeline(None)

    def _move_stage(self, step: int) -> None:
        stage = self.current_stage()
        if stage is None or self.pipeline is None or not stage.is_open:
            return
        order = [s.id for s in self.pipeline.stages if s.is_open]
        i = order.index(stage.id)
        j = i + step
        if not 0 <= j < len(order):
            return
        order[i], order[j] = order[j], order[i]
        if self._run(lambda: self.admin.reorder_stages(
                pipeline_id=self._pipeline_id(), open_stage_ids=order, by=self.actor)):
            self._load_pipeline(stage.id)

    def _save_stage(self) -> None:
        stage = self.current_stage()
        if stage and self._run(lambda: self._update_stage(stage)):
            self._load_pipeline(stage.id)

    def _update_stage(self, stage: StageInfo) -> None:
        name, probability, rot_days, guidance = self._form_values()
        self.admin.update_stage(stage_id=stage.id, name=name, probability=probability,
                                rot_days=rot_days, guidance=guidance, by=self.actor)

    def _add_criterion(self, kind: CriterionKind) -> None:
        stage = self.current_stage()
        if stage is None:
            return
        label, ok = QInputDialog.getText(self, _("New criterion"), _("What must be done:"))
        if ok and self._run(lambda: self.admin.add_criterion(
                stage_id=stage.id, kind=kind, label=label, by=self.actor)):
            self._load_pipeline(stage.id)

    def _chosen_rule(self) -> None:
        """The rule button says what it will do to the chosen criterion, and is greyed
        out, with the reason, where a signature cannot meet it."""
        stage, index = self.current_stage(), self.criteria_view.currentIndex()
        if stage is None or self.pipeline is None or not index.isValid():
            self.rule_button.setText(_("Met by a signed contract"))
            self.rule_button.setEnabled(False)
            self.rule_button.setToolTip(_("Choose a criterion in the list first."))
            return
        item = self.criteria.itemFromIndex(index)
        ruled = bool(item.data(RuleRole))
        kind = CriterionKind(item.data(KindRole))
        allowed = ruled or self.pipeline.signature_may_meet(stage.id, kind)
        self.rule_button.setText(_("Tick by hand instead") if ruled
                                 else _("Met by a signed contract"))
        self.rule_button.setEnabled(allowed)
        self.rule_button.setToolTip(
            _("A signed contract meets it: nobody ticks it, and a deal that waits only "
              "for it moves to Won when the customer signs.") if ruled else
            _("A signed contract will meet it: nobody ticks it, and a deal that waits "
              "only for it moves to Won when the customer signs.") if allowed else
            _("A signed contract is what wins a deal: it can meet an exit criterion of "
              "the last open stage or an entry criterion of Won."))

    def _toggle_rule(self) -> None:
        """Makes the chosen criterion one that a contract signed by the customer meets
        (so the deal moves on by itself when that is all it waits for), or one ticked by
        hand again."""
        stage, index = self.current_stage(), self.criteria_view.currentIndex()
        if stage is None or not index.isValid():
            self.error.show_message(_("Choose a criterion in the list first."))
            self.criteria_view.setFocus()
            return
        item = self.criteria.itemFromIndex(index)
        ident, rule = int(item.data(IdRole)), str(item.data(RuleRole) or "")
        if self._run(lambda: self.admin.set_criterion_rule(
                criterion_id=ident, rule="" if rule else CONTRACT_SIGNED, by=self.actor)):
            self._load_pipeline(stage.id)

    def _remove_criterion(self) -> None:
        stage, index = self.current_stage(), self.criteria_view.currentIndex()
        if stage is None or not index.isValid():
            return
        ident = int(self.criteria.itemFromIndex(index).data(IdRole))
        if self._run(lambda: self.admin.remove_criterion(criterion_id=ident, by=self.actor)):
            self._load_pipeline(stage.id)
