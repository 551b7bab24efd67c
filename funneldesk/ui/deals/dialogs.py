"""What a bulk action asks (the new owner, the target stage) and what it reports."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _, ngettext
from funneldesk.services.dto import PipelineInfo, StageKind, UserInfo


def summary(done: int, refused: int, skipped: int = 0) -> str:
    """How many deals a bulk action changed, how many it refused and how many needed no
    change: a whole sentence per number, one a line."""
    lines = [
        ngettext("{n} deal was changed.", "{n} deals were changed.", done).format(
            n=formatting.number(done)),
        ngettext("{n} deal was left as it was.", "{n} deals were left as they were.",
                 refused).format(n=formatting.number(refused))]
    if skipped:
        lines.append(ngettext("{n} deal needed no change: it already was as asked.",
                              "{n} deals needed no change: they already were as asked.",
                              skipped).format(n=formatting.number(skipped)))
    return "\n".join(lines)


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
        # nothing is chosen for the user: Enter alone must not hand many deals to someone
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        self.choice.currentIndexChanged.connect(lambda i: self.ok.setEnabled(i >= 0))

    def choose_nothing(self) -> None:
        """Once the choices are filled: none is chosen until the user picks one."""
        self.choice.setCurrentIndex(-1)
        self.choice.setPlaceholderText(_("Choose…"))

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
        self.choose_nothing()


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
                name = (_("{pipeline} ▸ {stage}").format(pipeline=pipeline.name,
                                                         stage=stage.name)
                        if len(pipelines) > 1
                        else stage.name)
                self.choice.addItem(name, stage.id)
                self.kinds[stage.id] = stage.kind
        self.choose_nothing()


def _report_html(done: Sequence[str], refused: Sequence[tuple[str, FunnelDeskError]]) -> str:
    """The refused deals with their reasons, then the deals changed."""
    def rows(items: Sequence[tuple[str, str]]) -> str:
        return "".join(
            f"<tr><td width='35%'>{html.escape(title)}</td>"
            f"<td>{html.escape(why).replace(chr(10), '<br>')}</td></tr>" for title, why in items)

    parts = []
    if refused:
        parts.append("<h4>{}</h4>".format(html.escape(ngettext(
            "Left as it was ({n})", "Left as they were ({n})", len(refused)).format(
            n=formatting.number(len(refused))))))
        parts.append("<table width='100%' cellspacing='0' cellpadding='3'>"
                     "<tr><th align='left'>{}</th><th align='left'>{}</th></tr>{}</table>".format(
                         html.escape(_("Deal")), html.escape(_("Why")),
                         rows([(title, error.message()) for title, error in refused])))
    if done:
        parts.append("<h4>{}</h4>".format(html.escape(ngettext(
            "Changed ({n})", "Changed ({n})", len(done)).format(
            n=formatting.number(len(done))))))
        parts.append("<ul>" + "".join(f"<li>{html.escape(t)}</li>" for t in done) + "</ul>")
    return "".join(parts)


class BulkReportDialog(QDialog):
    """Which deals a bulk action changed, and which it left as they were, and why."""

    def __init__(self, title: str, done: Sequence[str],
                 refused: Sequence[tuple[str, FunnelDeskError]], parent: QWidget | None,
                 skipped: int = 0) -> None:
        """``done``: the titles of the deals changed; ``refused``: (title, why) of the
        others; ``skipped``: how many already were as asked."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(620, 420)
        layout = QVBoxLayout(self)
        self.summary = QLabel(summary(len(done), len(refused), skipped))
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        # rich text wraps each reason in full (a tree's rows cut it to one line) and
        # can be selected and copied
        self.details = QTextBrowser()
        self.details.setHtml(_report_html(done, refused))
        layout.addWidget(self.details)
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
