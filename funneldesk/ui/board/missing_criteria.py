"""What a move still needs, with a box to tick for each item and “Tick and move”, so that
one dialog finishes a refused move instead of a message that only says no."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from funneldesk.i18n import _
from funneldesk.services.dto import MissingCriterion, MoveCheck


class MissingCriteriaDialog(QDialog):
    def __init__(self, deal_title: str, check: MoveCheck, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Not ticked yet"))
        self.setMinimumWidth(460)
        self.boxes: list[tuple[QCheckBox, int]] = []
        self.waiting_for_contract = False
        layout = QVBoxLayout(self)
        intro = QLabel(_("“{title}” can move to “{stage}” once these are done. Tick what "
                         "has been done: the ticks are saved as yours, with the move.").format(
            title=deal_title, stage=check.target_stage))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        for stage, items in _by_stage(check.exit):
            layout.addWidget(self._group(_("Exit criteria of “{stage}”").format(stage=stage), items))
        for stage, items in _by_stage(check.entry):
            layout.addWidget(self._group(_("Entry criteria of “{stage}”").format(stage=stage), items))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.move_button: QPushButton = self.buttons.addButton(
            _("Tick and move"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.move_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.hint = QLabel(_("Tick every item to move the deal."))
        if self.waiting_for_contract:
            self.hint.setText(_("The deal moves on once a contract of it is signed by the "
                                "customer: record the signature on the contract."))
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self._update()

    def _group(self, title: str, items: list[MissingCriterion]) -> QGroupBox:
        group = QGroupBox(title)
        column = QVBoxLayout(group)
        for item in items:
            box = QCheckBox(item.criterion.label)
            column.addWidget(box)
            if item.criterion.rule:  # met by a signed contract: no tick makes it true
                box.setEnabled(False)
                box.setToolTip(_("Met when a contract of this deal is signed by the "
                                 "customer."))
                self.waiting_for_contract = True
                continue
            box.toggled.connect(self._update)
            self.boxes.append((box, item.criterion.id))
        return group

    def _update(self) -> None:
        done = not self.waiting_for_contract and all(
            box.isChecked() for box, _ident in self.boxes)
        self.move_button.setEnabled(done)
        # Enter moves once everything is ticked; Qt drops a disabled button's default role
        # (and Cancel would take it), so it is given back here
        self.move_button.setDefault(done)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setAutoDefault(False)
        self.hint.setVisible(not done)

    def criterion_ids(self) -> list[int]:
        """The criteria to tick with the move."""
        return [ident for box, ident in self.boxes if box.isChecked()]


def _by_stage(items: tuple[MissingCriterion, ...]) -> list[tuple[str, list[MissingCriterion]]]:
    groups: dict[str, list[MissingCriterion]] = {}
    for item in items:
        groups.setdefault(item.stage_name, []).append(item)
    return list(groups.items())
