"""A timeline (services/activities/timeline.py) as rich text: what is planned, then what
happened, newest first, in one stream: activities done (with what came of them) or
cancelled, the deals' moves from stage to stage, notes and reviews."""

from __future__ import annotations

from funneldesk import formatting
from funneldesk.enums import ActivityState
from funneldesk.i18n import _, pgettext
from funneldesk.services.activities.records import Activity
from funneldesk.services.activities.timeline import (
    Reviewed,
    StageMove,
    Timeline,
    TimelineEntry,
)
from funneldesk.ui.common.rich_text import escaped, heading, link, names_unbroken, para

_MUTED = "color:gray"


def timeline_html(timeline: Timeline, *, name_deals: bool) -> str:
    """``name_deals``: each entry names its deal, as a link (a customer's timeline; a
    deal's own says nothing twice)."""
    parts = [heading(pgettext("timeline", "Planned"))]
    if timeline.planned:
        parts.append("<ul>" + "".join(_planned(a, name_deals) for a in timeline.planned)
                     + "</ul>")
    else:
        parts.append(para(_("Nothing planned.")))
    parts.append(heading(_("What happened")))
    if timeline.past:
        parts.append("<ul>" + "".join(_entry(e, name_deals) for e in timeline.past) + "</ul>")
        if timeline.more:
            older = _("Older entries are not shown.")
            parts.append(f"<p style='{_MUTED}'>{escaped(older)}</p>")
    else:
        parts.append(para(_("Nothing yet.")))
    return "".join(parts)


def _deal(deal_id: int | None, title: str, name_deals: bool) -> str:
    return " · " + link("deal", deal_id, title) if name_deals and deal_id is not None else ""


def _planned(activity: Activity, name_deals: bool) -> str:
    when = activity.due_text or _("No day")
    text = names_unbroken(escaped(_("{when} · {what} · {who}").format(
        when=when, what=activity.summary, who=activity.assignee)), activity.assignee)
    agenda = (f"<br><span style='{_MUTED}'>{escaped(activity.agenda)}</span>"
              if activity.agenda else "")
    return f"<li>{text}{_deal(activity.deal_id, activity.deal, name_deals)}{agenda}</li>"


def _entry(entry: TimelineEntry, name_deals: bool) -> str:
    when = formatting.datetime(entry.at)
    if entry.activity is not None:
        return _closed(when, entry.activity, name_deals)
    if entry.note is not None:
        note = entry.note
        text = _("{when} · {who} wrote:").format(when=when, who=note.author)
        return (f"<li>{names_unbroken(escaped(text), note.author)}"
                f"{_deal(note.deal_id, note.deal, name_deals)}<br>"
                f"{escaped(note.body).replace(chr(10), '<br>')}</li>")
    if entry.review is not None:
        return _review(when, entry.review, name_deals)
    assert entry.move is not None
    return _move(when, entry.move, name_deals)


def _review(when: str, review: Reviewed, name_deals: bool) -> str:
    if review.before == review.after:
        what = _("Reviewed")
    else:
        what = _("Reviewed: expected close {before} → {after}").format(
            before=formatting.date(review.before) if review.before else _("none"),
            after=formatting.date(review.after) if review.after else _("none"))
    text = _("{when} · {what} · {who}").format(when=when, what=what, who=review.by)
    return (f"<li style='{_MUTED}'>{names_unbroken(escaped(text), review.by)}"
            f"{_deal(review.deal_id, review.deal, name_deals)}</li>")


def _closed(when: str, activity: Activity, name_deals: bool) -> str:
    if activity.state is ActivityState.DONE:
        text = _("{when} · ✓ {what} · {who}").format(when=when, what=activity.summary,
                                                     who=activity.assignee)
        said = _("Outcome: {outcome}").format(outcome=activity.outcome)
        outcome = f"<br>{escaped(said)}" if activity.outcome else ""
        return (f"<li>{names_unbroken(escaped(text), activity.assignee)}"
                f"{_deal(activity.deal_id, activity.deal, name_deals)}{outcome}</li>")
    text = _("{when} · ✗ {what} (cancelled)").format(when=when, what=activity.summary)
    return (f"<li style='{_MUTED}'>{escaped(text)}"
            f"{_deal(activity.deal_id, activity.deal, name_deals)}</li>")


def _move(when: str, move: StageMove, name_deals: bool) -> str:
    if not move.from_stage:
        what = _("Created in {stage}").format(stage=move.to_stage)
    elif move.undone:
        what = _("Moved back to {stage} (undo)").format(stage=move.to_stage)
    else:
        what = _("{before} → {after}").format(before=move.from_stage, after=move.to_stage)
    text = _("{when} · {what} · {who}").format(when=when, what=what, who=move.by)
    return (f"<li style='{_MUTED}'>{names_unbroken(escaped(text), move.by)}"
            f"{_deal(move.deal_id, move.deal, name_deals)}</li>")
