"""The Deals list's bulk actions (change owner, move to stage, archive) over the rows the
user selected, however many.

A selection is kept as row ranges, never as one index per row: Ctrl+A over 210,000 rows
is one range. The deals of rows already read are taken as shown; when some are not read
yet, their ids and versions are read with the action itself, off the GUI thread, and the
service refuses if the list has changed since it was shown (the rows would no longer be
the deals the user chose).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import QItemSelectionModel, QObject
from PySide6.QtWidgets import QWidget

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError, NothingChanged
from funneldesk.i18n import _, ngettext
from funneldesk.services.dto import BulkResult, DealRow, PipelineInfo, StageKind, UserInfo
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.page import Workspace
from funneldesk.ui.deals.dialogs import BulkReportDialog, LostReasonDialog, OwnerDialog, StageDialog
from funneldesk.ui.deals.model import DealsTableModel

# a bulk action over more deals than this runs off the GUI thread (measured: about 1 ms
# a deal, so a few hundred take a blink and thousands take seconds)
QUICK_BULK = 200

Keys = Callable[[], list[tuple[int, int]]]  # the chosen deals' ids and versions


@dataclass(frozen=True)
class Chosen:
    """The selected rows as ranges (first and last row, both included), in order."""

    ranges: tuple[tuple[int, int], ...] = ()

    @property
    def count(self) -> int:
        return sum(last - first + 1 for first, last in self.ranges)


def chosen_rows(selection: QItemSelectionModel) -> Chosen:
    """The rows ``selection`` covers, merged into ranges (a row selected by several
    cells counts once)."""
    picked = selection.selection()
    spans = sorted((r.top(), r.bottom()) for i in range(picked.count())
                   if (r := picked.at(i)).isValid())
    merged: list[tuple[int, int]] = []
    for first, last in spans:
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return Chosen(tuple(merged))


class BulkActions(QObject):
    """Asks what a bulk action needs, runs it through the window's one action path (one
    undo step), and reports the deals it left as they were, and why."""

    def __init__(self, workspace: Workspace, model: DealsTableModel,
                 chosen: Callable[[], Chosen], parent: QWidget,
                 choices: Callable[[], tuple[tuple[PipelineInfo, ...], tuple[UserInfo, ...]]]
                 ) -> None:
        super().__init__(parent)
        self.workspace, self.model, self._chosen, self.page = workspace, model, chosen, parent
        self._choices = choices
        self.report: BulkReportDialog | None = None

    def _keys(self, chosen: Chosen) -> tuple[list[DealRow] | None, Keys]:
        """The deals shown in the chosen rows when every one is read (else None), and how
        to get their ids and versions."""
        shown = self.model.loaded_deals(chosen.ranges)
        if shown is not None:
            keys = [(d.id, d.version) for d in shown]
            return shown, lambda: keys
        deal_list, query = self.workspace.services.deal_list, self.model.shown_query
        total, ranges = self.model.rowCount(), chosen.ranges
        seen = self.model.seen_keys(ranges)
        return None, lambda: deal_list.keys(query, ranges, total, seen)

    def change_owner(self) -> None:
        chosen = self._chosen()
        if not chosen.count:
            return
        _pipelines, owners = self._choices()
        dialog = OwnerDialog(chosen.count, owners, self.page)
        if dialog.exec() != OwnerDialog.DialogCode.Accepted or dialog.chosen() is None:
            return
        owner_id, owner = dialog.chosen() or 0, dialog.choice.currentText()
        shown, keys = self._keys(chosen)
        n = chosen.count
        self._run(ngettext("Give {n} deal to {owner}", "Give {n} deals to {owner}", n).format(
            n=formatting.number(n), owner=owner),
            lambda: self.workspace.services.bulk.change_owner(
                deals=keys(), owner_id=owner_id, by=self.workspace.actor),
            _("Change owner"), n, quick=shown is not None)

    def move_to_stage(self) -> None:
        chosen = self._chosen()
        if not chosen.count:
            return
        shown, keys = self._keys(chosen)
        pipelines, _owners = self._choices()
        if shown is not None:  # the stages of the pipelines the deals are in
            used = {d.pipeline_id for d in shown}
        elif self.model.shown_query.pipeline_id is not None:
            used = {self.model.shown_query.pipeline_id}
        else:  # not all read: every pipeline (a deal of another one is refused, and said)
            used = {p.id for p in pipelines}
        dialog = StageDialog(chosen.count, tuple(p for p in pipelines if p.id in used),
                             self.page)
        if dialog.exec() != StageDialog.DialogCode.Accepted or dialog.chosen() is None:
            return
        stage_id = dialog.chosen() or 0
        reason_id, reason_text = None, ""
        if dialog.kinds.get(stage_id) is StageKind.LOST:
            lost = LostReasonDialog(chosen.count, self.workspace.services.moves.lost_reasons(),
                                    self.page)
            if lost.exec() != LostReasonDialog.DialogCode.Accepted:
                return
            reason_id, reason_text = lost.reason_id(), lost.reason_text()
        self._move(keys, chosen.count, shown is not None, stage_id,
                   dialog.choice.currentText(), reason_id, reason_text)

    def move_deals(self, deals: Sequence[DealRow], stage_id: int, stage: str,
                   reason_id: int | None = None, reason_text: str = "") -> BulkResult | None:
        """Moves ``deals`` (as the list shows them) to ``stage_id``."""
        keys = [(d.id, d.version) for d in deals]
        return self._move(lambda: keys, len(keys), True, stage_id, stage, reason_id,
                          reason_text)

    def _move(self, keys: Keys, n: int, quick: bool, stage_id: int, stage: str,
              reason_id: int | None, reason_text: str) -> BulkResult | None:
        return self._run(
            ngettext("Move {n} deal to “{stage}”", "Move {n} deals to “{stage}”", n).format(
                n=formatting.number(n), stage=stage),
            lambda: self.workspace.services.bulk.move(
                deals=keys(), to_stage_id=stage_id, by=self.workspace.actor,
                lost_reason_id=reason_id, lost_reason_text=reason_text),
            _("Move to stage"), n, quick=quick)

    def archive(self) -> None:
        chosen = self._chosen()
        if not chosen.count:
            return
        shown, keys = self._keys(chosen)
        n = chosen.count
        self._run(ngettext("Archive {n} deal", "Archive {n} deals", n).format(
            n=formatting.number(n)),
            lambda: self.workspace.services.bulk.archive(deals=keys(), by=self.workspace.actor),
            _("Archive"), n, quick=shown is not None)

    def _run(self, text: str, call: Callable[[], BulkResult], title: str, count: int, *,
             quick: bool) -> BulkResult | None:
        """Runs the bulk action over ``count`` deals through the window's one action path
        (undo included). Up to QUICK_BULK deals, all of them read (``quick``), it runs at
        once and gives the result; else it runs off the GUI thread with the window
        disabled, as do its undo and redo, and gives None here (the result is shown when
        it comes)."""
        bulk, actor, runner = self.workspace.services.bulk, self.workspace.actor, \
            self.workspace.runner

        def own(result: BulkResult) -> BulkResult:
            """``result`` at the versions this window's own later changes left its deals
            at: only somebody else's change makes the undo or redo stale."""
            return replace(result, done=tuple(
                replace(d, version=runner.own_version(d.deal_id, d.version))
                for d in result.done))

        def undo(result: BulkResult) -> BulkResult:
            return bulk.undo(result=own(result), by=actor)

        def redo(undone: BulkResult) -> BulkResult:
            return bulk.redo(undone=own(undone), by=actor)

        if count > QUICK_BULK or not quick:
            self.workspace.show_message(_("{text}…").format(text=text))
            runner.run_in_background(
                text, call, then=lambda r: self._finished(text, title, r), undo=undo,
                redo=redo, origin=self.page, parent=self.page, reraise=(NothingChanged,),
                failed=lambda e: self._nothing_changed(title, e))
            return None
        try:
            result = runner.run(text, call, undo=undo, redo=redo, origin=self.page,
                                parent=self.page, reraise=(NothingChanged,))
        except NothingChanged as nothing:
            self._nothing_changed(title, nothing)
            return None
        self._finished(text, title, result)
        return result

    def _nothing_changed(self, title: str, nothing: FunnelDeskError) -> None:
        self.workspace.show_message("")  # "Archive 900 deals…" is over
        refusals = nothing.refusals if isinstance(nothing, NothingChanged) else []
        if not refusals:  # every deal already was as asked: one sentence
            show_error(self.page, nothing)
        else:  # each refused deal and why, in the report a partial action gets
            skipped = nothing.skipped if isinstance(nothing, NothingChanged) else 0
            self._report(title, [], refusals, skipped)

    def _finished(self, text: str, title: str, result: BulkResult | None) -> None:
        if result is None:
            self.workspace.show_message("")  # "Archive 900 deals…" is over
            return
        done, refused = len(result.done), len(result.refused)
        self.workspace.show_message(
            ngettext("{text}: only {n} deal was changed.",
                     "{text}: only {n} deals were changed.", done).format(
                text=text, n=formatting.number(done))
            if refused or result.skipped else _("{text}: done.").format(text=text))
        if refused:
            self._report(title, [d.title for d in result.done],
                         [(r.title, r.error) for r in result.refused], result.skipped)

    def _report(self, title: str, done: list[str], refused: list[tuple[str, FunnelDeskError]],
                skipped: int) -> None:
        if self.report is not None:
            self.report.close()
        self.report = BulkReportDialog(title, done, refused, self.page.window(), skipped)
        self.report.show()
