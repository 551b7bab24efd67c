"""What a bulk action asks (the new owner, the target stage) and what it reports."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from funneldesk.i18n import _, ngettext
from funneldesk.services.dto import BulkResult, PipelineInfo, StageKind, UserInfo


class _ChoiceDialog(QDialog):
    def __init__(self, title: str, question: str, label: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout(self)
        form.addRow(QLabel(question))
        self.choice = QComboBox()
        form.addRow(label, self.choice)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen(self) -> int | None:
        data = self.choice.currentData()
        return int(data) if data is not None else None


class OwnerDialog(_ChoiceDialog):
    def __init__(self, count: int, owners: tuple[UserInfo, ...], parent: QWidget | None) -> None:
        super().__init__(_("Change owner"), ngettext(
            "Who should own the selected deal?", "Who should own the {n} selected deals?",
            count).format(n=count), _("Owner:"), parent)
        for user in owners:
            self.choice.addItem(user.display_name, user.id)


class StageDialog(_ChoiceDialog):
    """The stages of the pipelines the deals are in; Won is not offered (each won deal
    needs its own close date and final value)."""

    def __init__(self, count: int, pipelines: tuple[PipelineInfo, ...],
                 parent: QWidget | None) -> None:
        super().__init__(_("Move to stage"), ngettext(
            "Where should the selected deal go?", "Where should the {n} selected deals go?",
            count).format(n=count), _("Stage:"), parent)
        self.kinds: dict[int, StageKind] = {}
        for pipeline in pipelines:
            for stage in pipeline.stages:
                if stage.kind is StageKind.WON:
                    continue
                name = (f"{pipeline.name} ▸ {stage.name}" if len(pipelines) > 1
                        else stage.name)
                self.choice.addItem(name, stage.id)
                self.kinds[stage.id] = stage.kind


class BulkReportDialog(QDialog):
    """Which deals a bulk action changed, and which it left as they were, and why."""

    def __init__(self, title: str, result: BulkResult, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(620, 420)
        layout = QVBoxLayout(self)
        self.summary = QLabel(_("{done} changed, {refused} left as they were.").format(
            done=ngettext("{n} deal", "{n} deals", len(result.done)).format(n=len(result.done)),
            refused=ngettext("{n} deal", "{n} deals", len(result.refused)).format(
                n=len(result.refused))))
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([_("Deal"), _("Why")])
        self.tree.setColumnWidth(0, 240)
        self.tree.setWordWrap(True)
        self.refused = QTreeWidgetItem(self.tree, [ngettext(
            "Left as it was ({n})", "Left as they were ({n})", len(result.refused)).format(
            n=len(result.refused))])
        for refusal in result.refused:
            reason = refusal.error.message().replace("\n", " ")
            item = QTreeWidgetItem(self.refused, [refusal.title, reason])
            item.setToolTip(1, refusal.error.message())
        self.done_items = QTreeWidgetItem(self.tree, [ngettext(
            "Changed ({n})", "Changed ({n})", len(result.done)).format(n=len(result.done))])
        for done in result.done:
            QTreeWidgetItem(self.done_items, [done.title, ""])
        self.tree.expandAll()
        layout.addWidget(self.tree)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)


class LostReasonDialog(_ChoiceDialog):
    """One reason why all the selected deals were lost: from the list and/or in words."""

    def __init__(self, count: int, reasons: list[tuple[int, str]],
                 parent: QWidget | None) -> None:
        super().__init__(_("Deals lost"), ngettext(
            "Why was the selected deal lost?", "Why were the {n} selected deals lost?",
            count).format(n=count), _("Reason:"), parent)
        self.choice.addItem(_("Choose a reason…"), None)
        for ident, label in reasons:
            self.choice.addItem(label, ident)
        self.note = QLineEdit()
        self.note.setPlaceholderText(_("What happened, in your own words (optional)"))
        form = self.layout()
        assert isinstance(form, QFormLayout)
        form.insertRow(2, _("Details:"), self.note)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c62828")
        form.insertRow(3, self.problem)

    def accept(self) -> None:
        if self.reason_id() is None and not self.reason_text():
            self.problem.setText(_("Choose or type a reason why the deal was lost."))
            return
        super().accept()

    def reason_id(self) -> int | None:
        return self.chosen()

    def reason_text(self) -> str:
        return self.note.text().strip()
