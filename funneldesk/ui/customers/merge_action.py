"""A merge as a user action: off the GUI thread, and on the window's undo stack, so that
Ctrl+Z parts the two records again (MergeService.undo) and Ctrl+Y merges them once more
with the same choices. Each step carries the versions it saw: a record someone changed
since refuses the step, as any stale edit is refused."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from PySide6.QtWidgets import QWidget

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.dto import Actor, ChangeSet
from funneldesk.ui.common.background import run_with_disabled
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.save_state import note_saved
from funneldesk.ui.common.user_action import ActionRunner

Choice = Literal["kept", "merged"]


@dataclass(frozen=True)
class Merged:
    entity: str
    kept_id: int
    merged_id: int
    choices: Mapping[str, Choice]
    merge_id: int
    # both records, a company's contacts that moved, and the deals of either
    changes: ChangeSet = field(default=ChangeSet())


@dataclass(frozen=True)
class Parted:
    """An undone merge, and the versions the records were left at (what a redo expects)."""

    merged: Merged
    # (kept, merged); not named "versions", which the action path reads as deal versions
    record_versions: tuple[int, int]
    changes: ChangeSet = field(default=ChangeSet())


class MergeSteps:
    def __init__(self, services: Services, actor: Actor) -> None:
        self.services, self.actor = services, actor

    def merge(self, entity: str, kept_id: int, merged_id: int, choices: Mapping[str, Choice],
              versions: tuple[int, int]) -> Merged:
        merge_id = self.services.merges.merge(entity, kept_id, merged_id, dict(choices),
                                              versions, self.actor)
        return Merged(entity, kept_id, merged_id, dict(choices), merge_id,
                      self.services.merges.changes(merge_id))

    def undo(self, done: Merged) -> Parted:
        self.services.merges.undo(done.merge_id, self.actor)
        after = self.services.merges.preview(done.entity, done.kept_id, done.merged_id)
        return Parted(done, after.versions, self.services.merges.changes(done.merge_id))

    def redo(self, parted: Parted) -> Merged:
        m = parted.merged
        return self.merge(m.entity, m.kept_id, m.merged_id, m.choices, parted.record_versions)


def run_merge(runner: ActionRunner | None, services: Services, actor: Actor, *, entity: str,
              kept: tuple[int, str], merged: tuple[int, str], choices: Mapping[str, Choice],
              versions: tuple[int, int], parent: QWidget,
              then: Callable[[Merged | None], None]) -> None:
    """Merges ``merged`` (id, name) into ``kept`` off the GUI thread; ``then`` gets the
    result, or None when it was refused (said in a box over ``parent``). With a
    ``runner``, the merge goes on its undo stack."""
    steps = MergeSteps(services, actor)

    def call() -> Merged:
        return steps.merge(entity, kept[0], merged[0], choices, versions)

    if runner is not None:
        text = _("Merge “{merged}” into “{kept}”").format(merged=merged[1], kept=kept[1])
        runner.run_in_background(text, call, then=then, undo=steps.undo, redo=steps.redo,
                                 parent=parent)
        return

    def done(result: Merged) -> None:
        note_saved()
        then(result)

    def refused(error: FunnelDeskError) -> None:
        show_error(parent, error)
        then(None)

    run_with_disabled(parent, call, done, refused)
