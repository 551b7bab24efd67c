"""Creating, editing, archiving, deleting and restoring deals from any page: each is one
user action (``ActionRunner``), so every page shows it and Ctrl+Z takes it back."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from PySide6.QtWidgets import QWidget

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services.activities.assessment_records import AssessmentResult, ScoreFields
from funneldesk.services.activities.plan_records import PlanFields, PlanResult
from funneldesk.services.common.permissions import may_change_deal
from funneldesk.services.dto import ChangeSet, DealFields, DealResult, OffBoardResult
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.page import Workspace

F = TypeVar("F")  # what a part of a deal is saved from: its fields
Part = Any  # a part's result: ``previous`` fields and the part as saved, with its version
Created = DealResult | OffBoardResult  # a new deal, or the same deal out of the Trash again


def _version(result: Created) -> int:
    return result.card.version if isinstance(result, DealResult) else result.version


class DealEditor:
    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace

    def new_deal(self, pipeline_id: int, stage_id: int,
                 destination: tuple[str, str] | None = None) -> int | None:
        """Asks for a new deal in ``stage_id`` (``destination``: that stage's and its
        pipeline's names, shown in the form); its id, or None if nothing was saved."""
        from funneldesk.ui.board.deal_form import DealForm

        ws = self.ws
        form = DealForm(ws.services, ws.actor, None, ws.services.board.base_currency(),
                        ws.window, destination)
        created: list[int] = []

        def save(fields: DealFields, _ticks: dict[int, bool]) -> None:
            def do() -> Created:
                result = ws.services.deals.create(pipeline_id=pipeline_id, stage_id=stage_id,
                                                  fields=fields, by=ws.actor)
                created.append(result.card.id)
                return result

            # undoing a new deal puts it in the Trash: nothing typed is lost
            ws.runner.run(_("New deal “{title}”").format(title=fields.title), do,
                          undo=lambda r: self._trash(created[0], self._own(created[0], _version(r))),
                          redo=lambda r: self._untrash(created[0], self._own(created[0], r.version)),
                          reraise=(FunnelDeskError,), parent=form)

        form.save = save
        form.exec()
        return created[0] if created else None

    def open(self, deal_id: int) -> None:
        ws = self.ws
        try:
            detail = ws.services.deals.detail(deal_id)
        except FunnelDeskError as error:
            show_error(ws.window, error)
            return
        with contextlib.suppress(FunnelDeskError):  # a read-only file still opens the deal
            ws.services.search.note_opened("deal", deal_id, by=ws.actor)
        from funneldesk.ui.board.deal_form import DealForm

        form = DealForm(ws.services, ws.actor, detail, ws.services.board.base_currency(),
                        ws.window)
        from funneldesk.ui.activities.team_tab import TeamTab

        team = TeamTab(ws, deal_id, lambda: form.title.text().strip() or detail.fields.title)
        form.insert_tab(team, _("Team"), before=form.timeline)
        team.changed.connect(form.timeline.reload)
        from funneldesk.ui.quotes.deal_tab import DealQuotesTab

        # its owner, a colleague on its team or a manager quotes; the service decides too
        may_quote = (may_change_deal(ws.actor, detail.fields.owner_id)
                     or ws.services.deal_teams.is_on(deal_id, ws.actor.id))
        quotes = DealQuotesTab(ws, deal_id, may_quote)
        form.insert_tab(quotes, _("Quotes"), before=form.timeline)
        quotes.dealValueChanged.connect(form.value_set_elsewhere)
        from funneldesk.ui.contracts.deal_tab import DealContractsTab

        form.insert_tab(DealContractsTab(ws, deal_id), _("Contracts"), before=form.timeline)

        refused: list[bool] = []

        saved: list[tuple[DealFields, dict[int, bool]]] = []  # by this form, when it did

        def save(fields: DealFields, ticks: dict[int, bool]) -> None:
            # nothing changed since it opened, or since this form saved it (its plan or
            # rating was refused after, and the form stayed open)
            if (fields, ticks) == (saved[0] if saved else (detail.fields, {})):
                return

            before: dict[int, bool] = {}  # the ticks the edit changed, as they were

            seen = (detail.fields.next_step, detail.fields.next_step_date)

            def do() -> DealResult:
                # own: after this form saved the deal (and its plan was refused), a save
                # again follows its own change
                result = self._update(deal_id, self._own(deal_id, detail.version), fields,
                                      ticks, seen)
                before.update(result.previous_ticks)
                return result

            # a refusal goes back to the form, which shows it next to the field
            try:
                ws.runner.run(
                    _("Edit “{title}”").format(title=fields.title), do,
                    undo=lambda r: self._update(
                        deal_id, self._own(deal_id, r.card.version),
                        _with_step_of(detail.fields, r.previous), before,
                        (r.card.next_step, r.card.next_step_date)),
                    redo=lambda r: self._update(deal_id, self._own(deal_id, r.card.version),
                                                fields, ticks, seen),
                    reraise=(FunnelDeskError,), parent=form)
            except FunnelDeskError:
                refused.append(True)
                raise
            saved[:] = [(fields, ticks)]

        form.save = save
        form.save_plan = lambda plan: self.save_plan(
            deal_id, form.title.text().strip(), plan, form.plan_version(), parent=form)
        form.save_scores = lambda scores: self.save_scores(
            deal_id, form.title.text().strip(), scores, form.scores_version(), parent=form)
        if form.archive_button is not None:
            form.archive_button.clicked.connect(
                lambda: self.archive(deal_id, not detail.archived, detail.version)
                and form.close())
        if form.delete_button is not None:
            form.delete_button.clicked.connect(
                lambda: self.delete(deal_id, detail.version) and form.close())
        form.exec()
        if refused:  # someone else changed or deleted the deal: every page shows it as saved
            ws.runner.relay(_changed(deal_id))

    def save_plan(self, deal_id: int, title: str, plan: PlanFields, version: int | None, *,
                  parent: QWidget | None = None) -> None:
        """Saves the deal's follow-up plan as one user action (``version``: the one
        shown, None when it had none); a refusal is raised for the form to say."""
        follow_ups, by = self.ws.services.follow_ups, self.ws.actor

        def step(fields: PlanFields, at: int | None) -> PlanResult:
            return follow_ups.save_plan(deal_id, fields, expected_version=at, by=by)

        self._save_part(_("Edit the follow-up plan of “{title}”").format(title=title),
                        ("plan", deal_id), step, plan, version, lambda r: r.plan.version,
                        parent)

    def save_scores(self, deal_id: int, title: str, scores: ScoreFields,
                    version: int | None, *, parent: QWidget | None = None) -> None:
        """Saves the deal's scorecard as one user action, as ``save_plan`` does."""
        assessments, by = self.ws.services.assessments, self.ws.actor

        def step(fields: ScoreFields, at: int | None) -> AssessmentResult:
            return assessments.save(deal_id, fields, expected_version=at, by=by)

        self._save_part(_("Rate “{title}”").format(title=title), ("scorecard", deal_id), step,
                        scores, version, lambda r: r.assessment.version, parent)

    def _save_part(self, title: str, key: tuple[str, int],
                   step: Callable[[F, int | None], Part], fields: F, version: int | None,
                   saved: Callable[[Part], int | None], parent: QWidget | None) -> None:
        """A part of a deal kept in a table of its own (its plan, its scorecard), saved
        as its own undoable step; ``saved`` reads the version a result leaves."""
        runner = self.ws.runner

        def own(result: Part) -> int | None:
            seen = saved(result)
            return None if seen is None else runner.own_version(key, seen)

        runner.run(title, lambda: step(fields, version),
                   undo=lambda r: step(r.previous, own(r)),
                   redo=lambda r: step(fields, own(r)),
                   versions=lambda r: [(key, v) for v in (saved(r),) if v is not None],
                   reraise=(FunnelDeskError,), parent=parent)

    def _own(self, deal_id: int, default: int) -> int:
        return self.ws.runner.own_version(deal_id, default)

    def _update(self, deal_id: int, version: int, fields: DealFields,
                ticks: dict[int, bool] | None,
                seen_next_step: tuple[str, dt.date | None] | None = None) -> DealResult:
        return self.ws.services.deals.update(deal_id=deal_id, expected_version=version,
                                             fields=fields, ticks=ticks, by=self.ws.actor,
                                             seen_next_step=seen_next_step)

    def archive(self, deal_id: int, archived: bool, version: int) -> bool:
        """Archives the deal, or puts it back on the board (``version``: as shown)."""
        ws = self.ws

        def step(to_archive: bool, at: int) -> OffBoardResult:
            return ws.services.deals.archive(deal_id=deal_id, archived=to_archive,
                                             expected_version=at, by=ws.actor)

        title = _("Archive deal") if archived else _("Put deal back on the board")
        return ws.runner.run(title, lambda: step(archived, version),
                             undo=lambda r: step(not archived, self._own(deal_id, r.version)),
                             redo=lambda r: step(archived, self._own(deal_id, r.version)),
                             refused=lambda _e: ws.runner.relay(_changed(deal_id))) is not None

    def delete(self, deal_id: int, version: int | None = None) -> bool:
        """Moves the deal to the Trash at once: Ctrl+Z, or Deal ▸ Trash…, brings it back
        (``version``: as shown; None: as saved now)."""
        ws = self.ws
        try:
            detail = ws.services.deals.detail(deal_id)
        except FunnelDeskError as error:
            show_error(ws.window, error)
            return False
        title, version = detail.fields.title, detail.version if version is None else version
        return ws.runner.run(_("Delete “{title}”").format(title=title),
                             lambda: self._trash(deal_id, version),
                             undo=lambda r: self._untrash(deal_id, self._own(deal_id, r.version)),
                             redo=lambda r: self._trash(deal_id, self._own(deal_id, r.version)),
                             refused=lambda _e: ws.runner.relay(_changed(deal_id))) is not None

    def restore(self, deal_id: int, version: int) -> bool:
        """Takes the deal out of the Trash (``version``: as the Trash last had it)."""
        ws = self.ws
        return ws.runner.run(_("Restore deal"), lambda: self._untrash(deal_id, version),
                             undo=lambda r: self._trash(deal_id, self._own(deal_id, r.version)),
                             redo=lambda r: self._untrash(deal_id, self._own(deal_id, r.version))) is not None

    def _trash(self, deal_id: int, version: int) -> OffBoardResult:
        return self.ws.services.trash.delete(deal_id=deal_id, expected_version=version,
                                             by=self.ws.actor)

    def _untrash(self, deal_id: int, version: int) -> OffBoardResult:
        return self.ws.services.trash.restore(deal_id=deal_id, expected_version=version,
                                              by=self.ws.actor)


def _changed(deal_id: int) -> ChangeSet:
    return ChangeSet(frozenset({deal_id}))


def _with_step_of(fields: DealFields, previous: DealFields | None) -> DealFields:
    """The form's fields as they were, with the next step the deal had just before the
    save (its activities' own, if someone planned one while the form was open): what
    undoing the save writes back."""
    if previous is None:
        return fields
    return replace(fields, next_step=previous.next_step,
                   next_step_date=previous.next_step_date)

