"""A deal's "next step" typed in the deal form, kept as the planned activity it stands
for: the pipeline area's deal service calls ``sync`` (handed to it by the composition
root: a lower area may not import this one) in the transaction that saves the deal."""

from __future__ import annotations

from sqlalchemy.orm import Session

from funneldesk.models import Activity, ActivityKind, ActivityState, Deal
from funneldesk.models.base import utcnow
from funneldesk.services.activities.records import TITLE_LIMIT
from funneldesk.services.activities.search import index_activities
from funneldesk.services.common import audit
from funneldesk.services.common.records import Actor
from funneldesk.services.pipeline import next_step
from funneldesk.services.pipeline.search import raw_connection


def sync(session: Session, deal: Deal, by: Actor) -> None:
    """Makes the deal's earliest planned activity say what its next step now says: moved
    or retitled, planned anew (for the deal's owner) when it had none, cancelled when the
    step was cleared; then the card shows the deal's next step as its activities have it."""
    title, day = deal.next_step.strip(), deal.next_step_date
    first = session.scalars(next_step.earliest_planned(deal.id).limit(1)).first()
    now = utcnow()
    if first is None and (title or day is not None):
        first = Activity(kind=ActivityKind.OTHER, title=title[:TITLE_LIMIT], due_on=day,
                         assignee_id=deal.owner_id, deal_id=deal.id, company_id=deal.company_id,
                         contact_id=deal.contact_id, created_by_id=by.id, created_at=now,
                         updated_at=now)
        session.add(first)
        session.flush()
        audit.record(session, by, "plan", "activity", first.id, title=title, due=day,
                     from_deal_form=True)
    elif first is not None and not title and day is None:
        first.state, first.closed_at, first.closed_by_id = ActivityState.CANCELLED, now, by.id
        first.sequence += 1
        audit.record(session, by, "cancel", "activity", first.id, from_deal_form=True)
    elif first is not None and (first.title, first.due_on) != (title[:TITLE_LIMIT], day):
        if first.due_on != day:  # moved to another day: its time of day goes with it
            first.due_at = first.reminded_at = first.snoozed_until = None
        first.title, first.due_on = title[:TITLE_LIMIT], day
        first.sequence += 1
        first.updated_at = now
        audit.record(session, by, "update", "activity", first.id, title=title, due=day,
                     from_deal_form=True)
    session.flush()
    if first is not None:
        index_activities(raw_connection(session), [first.id])
    next_step.refresh(session, [deal.id])
