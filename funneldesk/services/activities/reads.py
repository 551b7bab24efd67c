"""Activities read with the names they hang on, as plain records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session, aliased

from funneldesk.models import Activity as ActivityRow
from funneldesk.models import Company, Contact, Deal, User
from funneldesk.services.activities.records import Activity

ASSIGNEE = aliased(User)


def activities_query() -> Select[ActivityRow, str, str, str, str]:
    """Activities with their assignee's, deal's, company's and contact's names."""
    return (select(ActivityRow, ASSIGNEE.display_name, Deal.title, Company.name,
                   Contact.name)
            .join(ASSIGNEE, ASSIGNEE.id == ActivityRow.assignee_id)
            .outerjoin(Deal, Deal.id == ActivityRow.deal_id)
            .outerjoin(Company, Company.id == ActivityRow.company_id)
            .outerjoin(Contact, Contact.id == ActivityRow.contact_id))


def alive() -> ColumnElement[bool]:
    """Not on a deal in the Trash (for a query from ``activities_query``)."""
    return or_(ActivityRow.deal_id.is_(None), Deal.deleted_at.is_(None))


def plain(row: Sequence[Any]) -> Activity:
    a, assignee, deal, company, contact = row
    return Activity(a.id, a.kind, a.state, a.title, a.agenda, a.outcome, a.due_on, a.due_at,
                    a.minutes, a.assignee_id, assignee, a.deal_id, deal or "", a.company_id,
                    company or "", a.contact_id, contact or "", a.closed_at, a.version)


def read(session: Session, activity_id: int) -> Activity:
    return plain(session.execute(activities_query().where(ActivityRow.id == activity_id)).one())


def read_many(session: Session, query: Select[ActivityRow, str, str, str, str]
              ) -> list[Activity]:
    return [plain(row) for row in session.execute(query)]


def local_moment(day: dt.date | None, time: dt.time | None) -> dt.datetime | None:
    """The aware moment of a day and a time of day on this computer's clock (None
    without a time)."""
    if day is None or time is None:
        return None
    return dt.datetime.combine(day, time).astimezone()
