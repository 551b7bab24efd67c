"""Training plans: recorded by managers with their outcome, and the rep's figure at the
stage in the 90 days before and after the training shown beside it."""

from __future__ import annotations

import datetime as dt

import pytest

from funneldesk.db import Database
from funneldesk.errors import InvalidInput, NotAllowed
from funneldesk.services import Services
from funneldesk.services.analytics.training import PlanFields
from funneldesk.services.dto import Actor
from tests.helpers import stage
from tests.services.analytics.history import add_deal, set_zone

DONE = dt.date(2026, 4, 1)


def test_a_plan_shows_the_rep_s_figure_before_and_after_it(
        services: Services, db: Database, manager: Actor, rep: Actor) -> None:
    set_zone(db)
    proposal = stage(services, "Proposal").id
    # before (February): Rita moves 1 of 4 deals on from Proposal; after (April): 3 of the
    # 4 that left it
    for month, moved in (("02", 1), ("04", 3)):
        for n in range(4):
            end = ("Negotiation",) if n < moved else ("Lost",)
            names = ("Initial contact", "Needs analysis", "Proposal", *end)
            add_deal(services, rep, [(name, f"2026-{month}-{10 + i:02d} 09:0{n}")
                                     for i, name in enumerate(names)],
                     owner=rep.id, lost_reason=1)
    for n in range(4):  # April's deals still at Proposal: no sign yet either way
        add_deal(services, rep, [(name, f"2026-04-{20 + i:02d} 09:0{n}") for i, name in
                                 enumerate(("Initial contact", "Needs analysis", "Proposal"))],
                 owner=rep.id)
    plan = PlanFields(rep.id, proposal, "conversion", "Proposals that answer the needs",
                      dt.date(2026, 3, 20), DONE, "Role-played three proposals")
    with pytest.raises(NotAllowed):
        services.analytics.save_training_plan(plan, by=rep)
    services.analytics.save_training_plan(plan, by=manager)
    [shown] = services.analytics.training_plans(today=dt.date(2026, 6, 30))
    assert (shown.rep, shown.stage, shown.topic, shown.outcome) == (
        "Rita Rep", "Proposal", "Proposals that answer the needs",
        "Role-played three proposals")
    assert (shown.before, shown.before_n, shown.after, shown.after_n) == (0.25, 4, 0.75, 4)


def test_a_plan_not_yet_done_has_no_after(services: Services, manager: Actor,
                                          rep: Actor) -> None:
    services.analytics.save_training_plan(
        PlanFields(rep.id, stage(services, "Negotiation").id, "days", "Follow-up rhythm",
                   dt.date(2026, 12, 1)), by=manager)
    [shown] = services.analytics.training_plans(today=dt.date(2026, 12, 3))
    assert (shown.done_on, shown.after, shown.after_n) == (None, None, 0)


def test_bad_plans_are_refused(services: Services, manager: Actor, rep: Actor) -> None:
    with pytest.raises(InvalidInput, match="about"):
        services.analytics.save_training_plan(
            PlanFields(rep.id, None, "", "  ", DONE), by=manager)
    with pytest.raises(InvalidInput, match="stage"):
        services.analytics.save_training_plan(
            PlanFields(rep.id, None, "conversion", "Closing", DONE), by=manager)
    with pytest.raises(InvalidInput, match="future"):
        services.analytics.save_training_plan(
            PlanFields(rep.id, None, "", "Closing", DONE, dt.date.today()
                       + dt.timedelta(days=2)), by=manager)
    assert services.analytics.training_plans() == []
