"""Mark done, wherever it is asked (the Today pane, a reminder, the Activities page): the
outcome and the next activity asked for in one dialog, saved as one step that one undo
takes back; and Cancel, undone the same way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from funneldesk.i18n import _
from funneldesk.services.activities.records import Activity, ActivityFields, ActivityResult
from funneldesk.ui.activities.complete_dialog import CompleteDialog
from funneldesk.ui.common.page import Workspace


def ask_done(workspace: Workspace, activity: Activity, today: dt.date, *,
             origin: object = None,
             after: Callable[[ActivityResult], None] | None = None) -> CompleteDialog:
    """Opens the dialog; once accepted, marks the activity done (``after`` gets the
    result when it was saved)."""
    # the deal's cadence sets the next one's kind and day
    by_plan = workspace.services.follow_ups.next_by_plan(activity, today)
    dialog = CompleteDialog(activity, workspace.window, today=today, by_plan=by_plan)
    dialog.finished.connect(dialog.deleteLater)

    def accepted() -> None:
        if dialog.chosen is None:
            return
        done = mark_done(workspace, activity, *dialog.chosen, origin=origin)
        if done is not None and after is not None:
            after(done)

    dialog.accepted.connect(accepted)
    dialog.open()
    return dialog


def mark_done(workspace: Workspace, activity: Activity, outcome: str,
              next_one: ActivityFields | None, *, origin: object = None
              ) -> ActivityResult | None:
    service, by = workspace.services.activities, workspace.actor

    def undo(result: ActivityResult) -> ActivityResult:
        following = result.next_activity
        return service.reopen(
            result.activity.id, expected_version=result.activity.version, by=by,
            planned_since=(following.id, following.version) if following else None,
            outcome=activity.outcome)  # the one it had before

    def redo(result: ActivityResult) -> ActivityResult:
        return service.complete(result.activity.id, outcome, by=by, next_one=next_one,
                                expected_version=result.activity.version)

    done = workspace.runner.run(
        _("Mark “{title}” done").format(title=activity.summary),
        lambda: service.complete(activity.id, outcome, by=by, next_one=next_one,
                                 expected_version=activity.version),
        undo=undo, redo=redo, origin=origin)
    if done is not None:
        workspace.show_message(
            _("“{title}” done; next: “{next}”.").format(
                title=activity.summary, next=done.next_activity.summary)
            if done.next_activity is not None
            else _("“{title}” done.").format(title=activity.summary))
    return done


def cancel(workspace: Workspace, activity: Activity, *, origin: object = None
           ) -> ActivityResult | None:
    """Cancels a planned activity (it stays listed as cancelled); one undo plans it
    again."""
    service, by = workspace.services.activities, workspace.actor
    done = workspace.runner.run(
        _("Cancel “{title}”").format(title=activity.summary),
        lambda: service.cancel(activity.id, expected_version=activity.version, by=by),
        undo=lambda r: service.reopen(r.activity.id, expected_version=r.activity.version,
                                      by=by),
        redo=lambda r: service.cancel(r.activity.id, expected_version=r.activity.version,
                                      by=by),
        origin=origin)
    if done is not None:
        workspace.show_message(_("“{title}” cancelled.").format(title=activity.summary))
    return done
