"""The Activities page's list: every activity, filtered and sorted in SQL and read a page
at a time, so that a team's years of calls and visits list as fast as one week's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import Session

from funneldesk.collation import sort_key
from funneldesk.i18n import N_, _
from funneldesk.models import Activity as ActivityRow
from funneldesk.models import ActivityKind, ActivityState, Company, Contact, Deal
from funneldesk.services.activities import reads
from funneldesk.services.activities.records import Activity, kind_label, state_label
from funneldesk.services.common.base import Service
from funneldesk.services.customers.companies import like_escaped

# a statement that joins the activity's deal and customers
S = TypeVar("S", bound=Select[*tuple[Any, ...]])


class Showing(StrEnum):
    """Which activities the list shows, by where they stand."""

    OPEN = "open"  # planned, whenever (overdue, dated later or undated)
    OVERDUE = "overdue"
    DONE = "done"
    CANCELLED = "cancelled"
    ALL = "all"


SHOWING_LABELS = {Showing.OPEN: N_("Planned"), Showing.OVERDUE: N_("Overdue"),
                  Showing.DONE: N_("Done"), Showing.CANCELLED: N_("Cancelled"),
                  Showing.ALL: N_("All activities")}


class ActivityColumn(StrEnum):
    DUE = "due"
    KIND = "kind"
    TITLE = "title"
    FOR = "for"  # the deal, company or contact it hangs on
    ASSIGNEE = "assignee"
    STATE = "state"
    OUTCOME = "outcome"


@dataclass(frozen=True)
class ActivityQuery:
    showing: Showing = Showing.OPEN
    assignee_id: int | None = None  # None: everyone's
    kind: ActivityKind | None = None
    text: str = ""  # in the title, agenda, outcome or the names it hangs on
    sort: ActivityColumn = ActivityColumn.DUE
    descending: bool = False


class ActivityListService(Service):
    def count_and_page(self, query: ActivityQuery, offset: int, limit: int,
                       now: dt.datetime | None = None) -> tuple[int, tuple[Activity, ...]]:
        """How many activities the query finds, and ``limit`` of them from ``offset``,
        read in one transaction."""
        now = now or dt.datetime.now(dt.UTC)
        with self.db.reading() as session:
            ids = _filtered(reads.activities_query().with_only_columns(ActivityRow.id), query,
                            now)
            count = session.scalar(select(func.count()).select_from(ids.subquery()))
            return int(count or 0), _page(session, query, offset, limit, now)

    def page(self, query: ActivityQuery, offset: int, limit: int,
             now: dt.datetime | None = None) -> tuple[Activity, ...]:
        with self.db.reading() as session:
            return _page(session, query, offset, limit, now or dt.datetime.now(dt.UTC))


def _page(session: Session, query: ActivityQuery, offset: int, limit: int,
          now: dt.datetime) -> tuple[Activity, ...]:
    return tuple(reads.read_many(session, _listed(query, now).offset(offset).limit(limit)))


def listed(session: Session, query: ActivityQuery, now: dt.datetime) -> list[Activity]:
    """Every activity the query finds, in its order (what an export of the list writes)."""
    return reads.read_many(session, _listed(query, now))


def _listed(query: ActivityQuery, now: dt.datetime) -> Select[ActivityRow, str, str, str, str]:
    return _filtered(reads.activities_query(), query, now).order_by(*_order(query))


def _filtered(statement: S, query: ActivityQuery, now: dt.datetime) -> S:
    """``statement`` (which joins the deal, company and contact) narrowed to the query."""
    wanted: list[ColumnElement[bool]] = [reads.alive()]
    if query.assignee_id is not None:
        wanted.append(ActivityRow.assignee_id == query.assignee_id)
    if query.kind is not None:
        wanted.append(ActivityRow.kind == query.kind)
    state = {Showing.OPEN: ActivityState.PLANNED, Showing.OVERDUE: ActivityState.PLANNED,
             Showing.DONE: ActivityState.DONE,
             Showing.CANCELLED: ActivityState.CANCELLED}.get(query.showing)
    if state is not None:
        wanted.append(ActivityRow.state == state)
    if query.showing is Showing.OVERDUE:
        wanted.append(_overdue(now))
    text = query.text.strip()
    if text:
        pattern = f"%{like_escaped(text)}%"
        wanted.append(or_(*(column.ilike(pattern, escape="\\") for column in (
            ActivityRow.title, ActivityRow.agenda, ActivityRow.outcome, Deal.title,
            Company.name, Contact.name))))
    return statement.where(*wanted)


def _overdue(now: dt.datetime) -> ColumnElement[bool]:
    """Past its day, or past its time (as ``reminders.is_overdue``: a time is a moment,
    whatever day this computer's clock now gives it)."""
    return or_(ActivityRow.due_on < now.astimezone().date(), ActivityRow.due_at <= now)


def _order(query: ActivityQuery) -> list[Any]:
    """The sort column, then the day and time, then the id: a stable order, so that a
    page read later continues the one before it. Undated activities come last."""
    def way(key: Any) -> Any:
        return key.desc() if query.descending else key

    first: list[Any] = {
        ActivityColumn.DUE: [],
        ActivityColumn.KIND: [way(_by_label(ActivityRow.kind, ActivityKind, kind_label))],
        ActivityColumn.TITLE: [ActivityRow.title == "", way(ActivityRow.title)],
        ActivityColumn.FOR: [way(func.coalesce(Deal.title, Contact.name, Company.name, ""))],
        ActivityColumn.ASSIGNEE: [way(reads.ASSIGNEE.display_name)],
        ActivityColumn.STATE: [way(_by_label(ActivityRow.state, ActivityState, state_label))],
        ActivityColumn.OUTCOME: [ActivityRow.outcome == "", way(ActivityRow.outcome)],
    }[query.sort]
    if query.sort is ActivityColumn.DUE:
        return [ActivityRow.due_on.is_(None), way(ActivityRow.due_on), way(ActivityRow.due_at),
                way(ActivityRow.id)]
    return [*first, ActivityRow.due_on.is_(None), ActivityRow.due_on, ActivityRow.due_at,
            ActivityRow.id]


def _by_label(column: Any, codes: Any, label: Callable[[Any], str]) -> Any:
    """A code column ordered as its labels read in the user's language (通话 before 拜访
    by pinyin; Call before Visit in English), not by the codes the table holds."""
    ranked = sorted(codes, key=lambda code: sort_key(label(code)))
    return case({code.name: rank for rank, code in enumerate(ranked)}, value=column)


def showing_label(showing: Showing) -> str:
    return _(SHOWING_LABELS[showing])
