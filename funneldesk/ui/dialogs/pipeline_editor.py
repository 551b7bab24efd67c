"""Managers edit pipelines, stages, criteria and guidance; every change saves at once."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
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
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.dto import Actor, CriterionKind, PipelineInfo, StageInfo
from funneldesk.ui.error_label import ErrorLabel

IdRole = Qt.ItemDataRole.UserRole + 1


class PipelineEditor(QDialog):
    def __init__(self, services: Services, actor: Actor, pipeline_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.admin = services.pipelines
        self.pipeline: PipelineInfo | None = None
        self.changed = False
        self.setWindowTitle(_("Pipelines and stages"))
        self.resize(820, 560)
        self.pipelines = QComboBox()
        self.stages = QStandardItemModel(self)
        self.stage_view = QListView()
        self.stage_view.setModel(self.stages)
        self.stage_view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.criteria = QStandardItemModel(self)
        self.criteria_view = QListView()
        self.criteria_view.setModel(self.criteria)
        self.criteria_view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
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
        self._layout()
        self.pipelines.currentIndexChanged.connect(lambda _i: self._load_pipeline(None))
        self.stage_view.selectionModel().currentChanged.connect(lambda *_a: self._show_stage())
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
        crit.addWidget(self._button(_("Add exit criterion…"),
                                    lambda: self._add_criterion(CriterionKind.EXIT)))
        crit.addWidget(self._button(_("Remove"), self._remove_criterion))
        form.addRow(crit)
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
    def _load_pipelines(self, select_id: int | None) -> None:
        self.pipelines.blockSignals(True)
        self.pipelines.clear()
        for ident, name in self.admin.pipelines():
            self.pipelines.addItem(name, ident)
        self.pipelines.setCurrentIndex(max(self.pipelines.findData(select_id), 0))
        self.pipelines.blockSignals(False)
        self._load_pipeline(None)

    def _load_pipeline(self, select_stage: int | None) -> None:
        self.pipeline = self.admin.pipeline(int(self.pipelines.currentData()))
        self.stages.clear()
        for stage in self.pipeline.stages:
            label = stage.name if stage.is_open else _("{stage} (outcome)").format(stage=stage.name)
            item = QStandardItem(f"{label} — {stage.probability}%")
            item.setData(stage.id, IdRole)
            self.stages.appendRow(item)
        row = next((i for i, s in enumerate(self.pipeline.stages) if s.id == select_stage), 0)
        self.stage_view.setCurrentIndex(self.stages.index(row, 0))
        self._show_stage()

    def current_stage(self) -> StageInfo | None:
        index = self.stage_view.currentIndex()
        if self.pipeline is None or not index.isValid():
            return None
        return self.pipeline.stages[index.row()]

    def _show_stage(self) -> None:
        stage = self.current_stage()
        self.error.show_message("")
        if stage is None:
            return
        self.name.setText(stage.name)
        self.probability.setValue(stage.probability)
        self.rot_days.setValue(stage.rot_days or 0)
        self.guidance.setPlainText(stage.guidance)
        self.criteria.clear()
        for criterion in stage.criteria:
            kind = _("Entry") if criterion.kind is CriterionKind.ENTRY else _("Exit")
            item = QStandardItem(f"[{kind}] {criterion.label}")
            item.setData(criterion.id, IdRole)
            self.criteria.appendRow(item)

    # --- changes ------------------------------------------------------------------
    def _run(self, action: Callable[[], object]) -> bool:
        try:
            action()
        except FunnelDeskError as error:
            self.error.show_message(error.message())
            return False
        self.error.show_message("")
        self.changed = True
        return True

    def _pipeline_id(self) -> int:
        return int(self.pipelines.currentData())

    def _new_pipeline(self) -> None:
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
            self._load_pipelines(self._pipeline_id())

    def _add_stage(self) -> None:
        name, ok = QInputDialog.getText(self, _("New stage"), _("Name:"))
        if ok:
            created: list[int] = []
            if self._run(lambda: created.append(self.admin.add_stage(
                    pipeline_id=self._pipeline_id(), name=name, by=self.actor))):
                self._load_pipeline(created[0])

    def _delete_stage(self) -> None:
        stage = self.current_stage()
        if stage and self._run(lambda: self.admin.delete_stage(stage_id=stage.id, by=self.actor)):
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
        if stage and self._run(lambda: self.admin.update_stage(
                stage_id=stage.id, name=self.name.text(), probability=self.probability.value(),
                rot_days=self.rot_days.value() or None, guidance=self.guidance.toPlainText(),
                by=self.actor)):
            self._load_pipeline(stage.id)

    def _add_criterion(self, kind: CriterionKind) -> None:
        stage = self.current_stage()
        if stage is None:
            return
        label, ok = QInputDialog.getText(self, _("New criterion"), _("What must be done:"))
        if ok and self._run(lambda: self.admin.add_criterion(
                stage_id=stage.id, kind=kind, label=label, by=self.actor)):
            self._load_pipeline(stage.id)

    def _remove_criterion(self) -> None:
        stage, index = self.current_stage(), self.criteria_view.currentIndex()
        if stage is None or not index.isValid():
            return
        ident = int(self.criteria.itemFromIndex(index).data(IdRole))
        if self._run(lambda: self.admin.remove_criterion(criterion_id=ident, by=self.actor)):
            self._load_pipeline(stage.id)
