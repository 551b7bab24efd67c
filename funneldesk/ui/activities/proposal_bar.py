"""When a deal enters a stage that proposes activities (a call within 2 days, a visit
within 7), a bar above the board says so and plans them with one click, or lets the rep
choose which and when; planning them is one step that one undo takes back."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError, InvalidInput
from funneldesk.i18n import _, ngettext
from funneldesk.services.activities.plan_records import Proposal
from funneldesk.services.activities.records import ActivitiesResult, ActivityFields
from funneldesk.services.dto import ChangeSet
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.common.fields import OptionalDateEdit
from funneldesk.ui.common.page import Workspace

if TYPE_CHECKING:  # the ORM is not imported before the board has painted
    from funneldesk.services.activities.plans import FollowUpService


class ProposalDialog(QDialog):
    """Which of the proposed activities to plan, and on which day."""

    def __init__(self, proposal: Proposal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Plan what “{stage}” proposes").format(stage=proposal.stage))
        self.rows: list[tuple[QCheckBox, OptionalDateEdit, ActivityFields]] = []
        grid = QGridLayout()
        for i, proposed in enumerate(proposal.activities):
            check = QCheckBox(proposed.step.text)
            check.setChecked(not proposed.planned_already)
            if proposed.planned_already:
                check.setToolTip(_("The deal has this activity planned already."))
            day = OptionalDateEdit(f"day{i}")
            day.set_value(proposed.fields.due_on)
            grid.addWidget(check, i, 0)
            grid.addWidget(day, i, 1)
            self.rows.append((check, day, proposed.fields))
        self.error = ErrorLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Plan"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel(_("For “{deal}”, each assigned to {owner}:").format(
            deal=proposal.deal, owner=proposal.owner))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.chosen: list[ActivityFields] = []

    def accept(self) -> None:
        chosen = []
        for check, day, fields in self.rows:
            if not check.isChecked():
                continue
            try:
                due = day.value()
            except InvalidInput as error:
                self.error.show_error(error)
                day.edit.setFocus()
                return
            if due is None:
                self.error.show_message(_("Give the day of each activity ticked."))
                day.edit.setFocus()
                return
            chosen.append(replace(fields, due_on=due))
        self.chosen = chosen
        super().accept()


class ProposalBar(QFrame):
    shown = Signal(int)  # the bar appeared, offering for this deal
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = workspace
        self.setObjectName("proposal-bar")
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#e6f0fb"))
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#0b2e52"))
        self.setPalette(palette)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.plan_button = QPushButton(_("Plan them"))
        self.plan_button.clicked.connect(self.plan_all)
        self.choose_button = QPushButton(_("Choose…"))
        self.choose_button.clicked.connect(self.choose)
        self.dismiss_button = QPushButton(_("Not now"))
        self.dismiss_button.clicked.connect(self.dismiss)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 6, 4)
        row.addWidget(self.label, 1)
        for button in (self.plan_button, self.choose_button, self.dismiss_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        self.deal_id: int | None = None
        self.stage_id: int | None = None  # the stage it offers for
        self._asked = 0  # offers asked for: only the latest one's answer is shown
        self._pending: int | None = None  # the deal of an offer being read
        self.hide()

    def text(self) -> str:
        return self.label.text()

    def offer(self, deal_id: int) -> None:
        """Shows what the deal's stage proposes for it, if anything is not planned yet.
        It is read off the GUI thread, after the move has been painted (``shown`` says
        when the bar appears); only the latest offer is shown."""
        self._asked += 1
        asked, follow_ups = self._asked, self.ws.services.follow_ups
        self._pending = deal_id
        run_in_background(lambda: _proposal_of(follow_ups, deal_id),
                          lambda proposal: self._offered(asked, deal_id, proposal),
                          self._failed, owner=self)

    def _offered(self, asked: int, deal_id: int, proposal: Proposal | None) -> None:
        if asked != self._asked:  # a later offer, or a change of this deal, came since
            return
        self._pending = None
        if proposal is None or not proposal.fresh:
            if self.deal_id == deal_id:
                self.dismiss()
            return
        was_hidden = self.isHidden()
        self.deal_id, self.stage_id = deal_id, proposal.stage_id
        self._say(proposal)
        self.show()
        if was_hidden:
            self.shown.emit(deal_id)

    def _failed(self, error: Exception) -> None:
        self._pending = None
        raise error  # a bug: the application's handler reports it

    def recheck(self, changes: ChangeSet) -> None:
        """After a change anywhere: the bar goes once its deal has left the stage (a
        move undone, the deal closed or deleted) or has everything planned. An offer
        still being read for a deal that changed since it entered the stage is dropped:
        the move may have been undone."""
        pending = self._pending
        if pending is not None and (pending in changes.deal_ids or changes.everything):
            self._asked += 1
            self._pending = None
        if self.deal_id is None or (self.deal_id not in changes.deal_ids
                                    and not changes.everything):
            return
        proposal = self._proposal()
        if proposal is not None:
            if proposal.fresh:
                self._say(proposal)
            else:
                self.dismiss()

    def _say(self, proposal: Proposal) -> None:
        steps = _("; ").join(a.step.text for a in proposal.fresh)
        self.label.setText(_("“{deal}” entered “{stage}”, which proposes: {steps}.").format(
            deal=proposal.deal, stage=proposal.stage, steps=steps))

    def dismiss(self) -> None:
        self._asked += 1  # an offer being read is not shown either
        self.deal_id = self.stage_id = self._pending = None
        self.hide()

    def plan_all(self) -> None:
        """Plans every proposed activity not planned yet, on its day."""
        proposal = self._proposal()
        if proposal is not None:
            self._plan(proposal, [a.fields for a in proposal.fresh])

    def choose(self) -> None:
        proposal = self._proposal()
        if proposal is None:
            return
        dialog = ProposalDialog(proposal, self.ws.window)
        if dialog.exec() and dialog.chosen:
            self._plan(proposal, dialog.chosen)

    def _read(self, deal_id: int) -> Proposal | None:
        return _proposal_of(self.ws.services.follow_ups, deal_id)

    def _proposal(self) -> Proposal | None:
        """What the bar offers, read again: None, and the bar gone, when the deal is no
        longer in the stage it offered for."""
        proposal = self._read(self.deal_id) if self.deal_id is not None else None
        if proposal is None or proposal.stage_id != self.stage_id:
            self.dismiss()
            return None
        return proposal

    def _plan(self, proposal: Proposal, chosen: list[ActivityFields]) -> None:
        if not chosen:
            self.dismiss()
            return
        service, by, runner = self.ws.services.activities, self.ws.actor, self.ws.runner

        def withdraw(result: ActivitiesResult) -> ActivitiesResult:
            # each as this window left it: an edit of one since, undone, is not stale
            return service.withdraw_many(
                [(a.id, runner.own_version(("activity", a.id), a.version))
                 for a in result.activities], by=by)

        def again(withdrawn: ActivitiesResult) -> ActivitiesResult:
            # the same ids come back, so that redoing an edit of one finds it
            return service.plan_many(chosen, by=by,
                                     again=[(a.id, a.version) for a in withdrawn.activities])

        title = ngettext("Plan {n} activity for “{deal}”", "Plan {n} activities for “{deal}”",
                         len(chosen)).format(n=formatting.number(len(chosen)),
                                             deal=proposal.deal)
        done = runner.run(title, lambda: service.plan_many(chosen, by=by), undo=withdraw,
                          redo=again, versions=_versions)
        if done is not None:
            self.dismiss()
            self.ws.show_message(ngettext(
                "{n} activity planned for “{deal}”.", "{n} activities planned for “{deal}”.",
                len(chosen)).format(n=formatting.number(len(chosen)), deal=proposal.deal))


def _proposal_of(follow_ups: FollowUpService, deal_id: int) -> Proposal | None:
    try:
        return follow_ups.proposal(deal_id)
    except FunnelDeskError:  # trashed or purged meanwhile: nothing to propose
        return None


def _versions(result: ActivitiesResult) -> list[tuple[Hashable, int]]:
    """The versions a step leaves of its activities, as this window's own."""
    return [(("activity", a.id), a.version) for a in result.activities]
