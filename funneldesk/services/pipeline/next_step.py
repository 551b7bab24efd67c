"""A deal's next step as its card and the deals list show it: the title and day of its
earliest planned activity (of any assignee; undated ones after dated ones). The Activities
area plans and completes activities and calls ``refresh`` in the same transaction; the pipeline area owns the
deal's two columns and reads the activities through the models, as a lower area may."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from funneldesk.models import Activity, ActivityState, Deal


def earliest_planned(deal_id: int) -> Select[Activity]:
    """The deal's planned activities, the one its card shows as its next step first:
    by day (undated ones last: a dated step is the one to show), then time of day."""
    return (select(Activity).where(Activity.deal_id == deal_id,
                                   Activity.state == ActivityState.PLANNED)
            .order_by(Activity.due_on.is_(None), Activity.due_on,
                      Activity.due_at.is_(None), Activity.due_at, Activity.id))


def refresh(session: Session, deal_ids: Iterable[int]) -> None:
    """Sets each deal's next step from its planned activities ("" and no day when it has
    none). Not an edit of the deal: its version stays, so that nobody's open form of it
    becomes stale because an activity was planned."""
    for deal_id in set(deal_ids):
        first = session.scalars(earliest_planned(deal_id).limit(1)).first()
        # an untitled one leaves the text blank: the card says "Next step" in the
        # reader's language
        title, when = ("", None) if first is None else (first.title, first.due_on)
        session.execute(update(Deal).where(Deal.id == deal_id)
                        .values(next_step=title, next_step_date=when)
                        .execution_options(synchronize_session=False))
