"""The funnel doctor's rules, a manager's dialog: each a condition on the bottleneck (its
stage, why it holds the funnel back, a lost reason's share of the losses there) and the
advice it gives. Choose a rule to change it, or start a new one; each save is kept at
once."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services.analytics.rules import RuleFields
from funneldesk.ui.analytics.figure_table import FigureTable
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.common.page import Workspace


class RulesDialog(QDialog):
    def __init__(self, workspace: Workspace, stages: list[tuple[int, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent or workspace.window)
        self.setWindowTitle(_("Funnel doctor rules"))
        self.workspace = workspace
        self.stages = dict(stages)
        self.reasons = dict(workspace.services.moves.lost_reasons())
        self.table = FigureTable(narrow=True)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._chosen())
        self.stage = QComboBox()
        self.stage.addItem(_("Any stage"), None)
        for ident, name in stages:
            self.stage.addItem(name, ident)
        self.reason = QComboBox()
        for code, label in _reasons():
            self.reason.addItem(label, code)
        self.lost = QComboBox()
        self.lost.addItem(_("(no lost reason)"), None)
        for ident, label in self.reasons.items():
            self.lost.addItem(label, ident)
        self.share = QSpinBox()
        self.share.setRange(0, 100)
        self.share.setSuffix("%")
        self.share.setToolTip(_("The lost reason's share of the losses at the stage at which "
                                "the rule applies"))
        self.advice = QPlainTextEdit()
        self.advice.setFixedHeight(70)
        self.active = QCheckBox(_("In use"))
        self.active.setChecked(True)
        self.error = ErrorLabel()
        form = QFormLayout()
        form.addRow(_("Stage:"), self.stage)
        form.addRow(_("Why it holds back:"), self.reason)
        form.addRow(_("Lost reason:"), self.lost)
        form.addRow(_("At least:"), self.share)
        form.addRow(_("Advice:"), self.advice)
        form.addRow("", self.active)
        form.addRow("", self.error)
        new = QPushButton(_("New rule"))
        new.clicked.connect(self.new_rule)
        save = QPushButton(_("Save rule"))
        save.clicked.connect(self.save)
        remove = QPushButton(_("Remove rule"))
        remove.clicked.connect(self.remove)
        buttons = QHBoxLayout()
        for button in (new, save, remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.advice.textChanged.connect(lambda: self.error.show_message(""))
        self.rules: list[Any] = []
        self.editing: Any = None
        self.show_rules()
        self.resize(640, 620)

    def show_rules(self) -> None:
        self.rules = self.workspace.services.analytics.rules()
        labels = dict(_reasons())
        self.table.show_rows(
            [_("Advice"), _("Stage"), _("Why"), _("Lost reason")],
            [[(r.advice, r.advice) if r.active else (r.advice, _("Not in use")),
              self.stages.get(r.stage_id, _("Any stage")) if r.stage_id else _("Any stage"),
              labels.get(r.reason, ""),
              f"{self.reasons.get(r.lost_reason_id, '?')} ≥ {r.min_share}%"
              if r.lost_reason_id else ""] for r in self.rules], (False,) * 4)
        self.table.setFixedHeight(min(self.table.height(), 260))

    def _chosen(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedIndexes()})
        if not rows or rows[0] >= len(self.rules):
            return
        rule = self.editing = self.rules[rows[0]]
        self.stage.setCurrentIndex(max(self.stage.findData(rule.stage_id), 0))
        self.reason.setCurrentIndex(max(self.reason.findData(rule.reason), 0))
        self.lost.setCurrentIndex(max(self.lost.findData(rule.lost_reason_id), 0))
        self.share.setValue(rule.min_share)
        self.advice.setPlainText(rule.advice)
        self.active.setChecked(rule.active)

    def new_rule(self) -> None:
        self.table.clearSelection()
        self.editing = None
        self.stage.setCurrentIndex(0)
        self.reason.setCurrentIndex(0)
        self.lost.setCurrentIndex(0)
        self.share.setValue(25)
        self.advice.clear()
        self.active.setChecked(True)
        self.advice.setFocus()

    def fields(self) -> RuleFields:
        return RuleFields(self.stage.currentData(), self.reason.currentData(),
                          self.lost.currentData(),
                          self.share.value() if self.lost.currentData() is not None else 0,
                          self.advice.toPlainText(), self.active.isChecked())

    def save(self) -> None:
        try:
            self.workspace.services.analytics.save_rule(
                self.fields(), by=self.workspace.actor,
                rule_id=self.editing.id if self.editing else None,
                expected_version=self.editing.version if self.editing else None)
        except FunnelDeskError as error:
            self.error.show_error(error)
            return
        self.error.show_message("")
        self.editing = None
        self.show_rules()

    def remove(self) -> None:
        if self.editing is None:
            self.error.show_message(_("Choose a rule in the list first."))
            return
        try:
            self.workspace.services.analytics.remove_rule(self.editing.id,
                                                          by=self.workspace.actor)
        except FunnelDeskError as error:
            self.error.show_error(error)
            return
        self.new_rule()
        self.show_rules()


def _reasons() -> tuple[tuple[str, str], ...]:
    return (("", _("Either")), ("low_conversion", _("Few deals move on")),
            ("long_time", _("Deals stay long")))
