"""The sample's activities: each open deal's next step as the planned activity it stands
for (its kind from what it says, some at a time of day, a few overdue), the calls, visits
and demos its rep has logged since the deal came in, each with what came of it, the
follow-up plans of some, the scorecards of most, and the teams of some: colleagues from
other departments with a role, what they have to do, and the notes they share."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from funneldesk.models import (
    Activity,
    ActivityKind,
    ActivityState,
    Deal,
    DealMember,
    DealNote,
    DealRole,
    FollowUpPlan,
    Scorecard,
)
from funneldesk.services.activities.search import index_new_activities
from funneldesk.services.common.sql import next_new_id
from funneldesk.services.pipeline.search import raw_connection

# the kind of each sample next step, in the order of the words' "steps"
STEP_KINDS = (ActivityKind.CALL, ActivityKind.DEMO, ActivityKind.EMAIL, ActivityKind.MEETING,
              ActivityKind.MEETING, ActivityKind.OTHER, ActivityKind.OTHER, ActivityKind.VISIT)
_LOGGED = (ActivityKind.CALL, ActivityKind.CALL, ActivityKind.VISIT, ActivityKind.EMAIL,
           ActivityKind.WECHAT, ActivityKind.DEMO, ActivityKind.MEETING)


def add(session: Session, rng: random.Random, words: dict[str, Any],
        deals: Sequence[dict[str, Any]], now: dt.datetime) -> None:
    """Inserts the activities of ``deals`` (the sample's deal rows, as inserted)."""
    rows: list[dict[str, Any]] = []
    for deal in deals:
        hangs = {"deal_id": deal["id"], "company_id": deal["company_id"],
                 "contact_id": deal["contact_id"], "assignee_id": deal["owner_id"],
                 "created_by_id": deal["owner_id"], "is_sample": True}
        if deal["next_step"]:
            kind = STEP_KINDS[words["steps"].index(deal["next_step"]) % len(STEP_KINDS)]
            day = deal["next_step_date"]
            at = (dt.datetime.combine(day, dt.time(rng.choice((9, 10, 14, 15, 16)),
                                                   rng.choice((0, 30)))).astimezone()
                  if rng.random() < 0.4 else None)  # the others take the whole day
            rows.append({**hangs, "kind": kind, "state": ActivityState.PLANNED,
                         "title": deal["next_step"], "due_on": day, "due_at": at,
                         "minutes": 60 if kind in (ActivityKind.VISIT, ActivityKind.DEMO,
                                                   ActivityKind.MEETING) and at else None,
                         "created_at": deal["updated_at"], "updated_at": deal["updated_at"]})
        rows += _logged(rng, words, hangs, deal["created_at"], now)
    if rows:
        first = next_new_id(session, "activities")
        session.execute(insert(Activity), rows)
        index_new_activities(raw_connection(session), first)


_CADENCES = ((ActivityKind.VISIT, 14), (ActivityKind.CALL, 7), (ActivityKind.VISIT, 30),
             (ActivityKind.WECHAT, 3), (ActivityKind.MEETING, 21))


def add_plans(session: Session, rng: random.Random, words: dict[str, Any],
              deals: Sequence[dict[str, Any]]) -> None:
    """A follow-up plan on about half the open deals (those with a next step): a
    cadence, an agenda and a goal, the people and now and then a budget it needs."""
    rows = []
    for deal in deals:
        if not deal["next_step"] or rng.random() < 0.5:
            continue
        kind, days = rng.choice(_CADENCES)
        rows.append({"deal_id": deal["id"], "every_kind": kind, "every_days": days,
                     "agenda": rng.choice(words["agendas"]), "goal": rng.choice(words["goals"]),
                     "people": rng.choice(words["people"]),
                     "budget": Decimal(rng.choice((1000, 2000, 5000))) if rng.random() < 0.3
                     else None,
                     "updated_at": deal["updated_at"], "updated_by_id": deal["owner_id"],
                     "version": 1})
    if rows:
        session.execute(insert(FollowUpPlan), rows)


def add_scorecards(session: Session, rng: random.Random, words: dict[str, Any],
                   deals: Sequence[dict[str, Any]], won_stage: int, lost_stage: int,
                   now: dt.datetime) -> None:
    """A scorecard on most deals, better on those won than on those lost (so that the
    sample's win probabilities have a history to learn from)."""
    rows = []
    for deal in deals:
        if rng.random() < 0.3:
            continue
        lean = {won_stage: 0.25, lost_stage: -0.25}.get(deal["stage_id"], 0.0)
        ratings = {factor: max(1, min(3, round(2 + lean + rng.uniform(-1.2, 1.2))))
                   for factor in ("intent", "budget", "decision", "timeline", "position")}
        for factor in ratings:
            if rng.random() < 0.15:  # not every factor is known
                ratings[factor] = 0
        named = rng.sample(words["competitors"], rng.choice((0, 1, 1, 2)))
        rows.append({"deal_id": deal["id"], **ratings, "competitors": ", ".join(named),
                     "updated_at": min(deal["updated_at"], now),
                     "updated_by_id": deal["owner_id"], "version": 1})
    if rows:
        session.execute(insert(Scorecard), rows)


def _logged(rng: random.Random, words: dict[str, Any], hangs: dict[str, Any],
            since: dt.datetime, now: dt.datetime) -> list[dict[str, Any]]:
    """Up to three activities done between ``since`` and ``now``, each with its outcome."""
    span = (now - since).total_seconds()
    rows = []
    for _n in range(rng.choice((0, 1, 1, 2, 3)) if span > 3600 else 0):
        done = since + dt.timedelta(seconds=rng.uniform(0.1, 1.0) * span)
        kind = rng.choice(_LOGGED)
        rows.append({**hangs, "kind": kind, "state": ActivityState.DONE,
                     "title": rng.choice(words["logged"][kind.value]),
                     "outcome": rng.choice(words["outcomes"]),
                     "due_on": done.date(), "closed_at": done,
                     "closed_by_id": hangs["assignee_id"], "created_at": done,
                     "updated_at": done})
    return rows


def add_teams(session: Session, rng: random.Random, words: dict[str, Any],
              deals: Sequence[dict[str, Any]], colleagues: Sequence[int],
              now: dt.datetime) -> None:
    """Puts one or two colleagues on about a third of the open deals, each with what they
    have to do on it (some of it overdue) and a note or two in the deal's feed; and moves
    the expected close date of about one open deal in ten into the past, for the review
    view to find."""
    members, notes, todo = [], [], []
    colleague_words = words["colleagues"]
    for deal in deals:
        if not deal["next_step"]:  # open deals only
            continue
        if rng.random() < 0.1:
            session.execute(update(Deal).where(Deal.id == deal["id"]).values(
                expected_close=(now - dt.timedelta(days=rng.randint(1, 30))).date()))
        if rng.random() > 0.35:
            continue
        on_it = rng.sample(range(len(colleagues)), rng.choice((1, 1, 2)))
        added = max(deal["created_at"], now - dt.timedelta(days=20))
        for number in on_it:
            _name, role, task = colleague_words[number]
            members.append({"deal_id": deal["id"], "user_id": colleagues[number],
                            "role": DealRole(role), "added_at": added,
                            "added_by_id": deal["owner_id"]})
            if rng.random() < 0.6:
                # after the owner's next step, which stays the deal's (some fall due
                # before today all the same)
                day = deal["next_step_date"] + dt.timedelta(days=rng.randint(1, 6))
                todo.append({"deal_id": deal["id"], "company_id": deal["company_id"],
                             "contact_id": deal["contact_id"],
                             "assignee_id": colleagues[number],
                             "created_by_id": deal["owner_id"], "is_sample": True,
                             "kind": ActivityKind.OTHER, "state": ActivityState.PLANNED,
                             "title": task, "due_on": day, "created_at": added,
                             "updated_at": added})
        writers = [deal["owner_id"], *(colleagues[n] for n in on_it)]
        for body in rng.sample(words["team_notes"], rng.choice((0, 1, 2))):  # none twice
            notes.append({"deal_id": deal["id"], "author_id": rng.choice(writers),
                          "body": body,
                          "created_at": added + dt.timedelta(hours=rng.randint(1, 400))})
    if members:
        session.execute(insert(DealMember), members)
    if notes:
        session.execute(insert(DealNote), [{**n, "created_at": min(n["created_at"], now)}
                                           for n in notes])
    if todo:
        first = next_new_id(session, "activities")
        session.execute(insert(Activity), todo)
        index_new_activities(raw_connection(session), first)
