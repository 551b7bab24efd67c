"""The forecast by expected close month: weighted, total, commit and best case from the
reps' forecast categories, and the manager's own forecast kept beside it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from funneldesk.errors import InvalidInput, NotAllowed
from funneldesk.services import Services
from funneldesk.services.analytics.records import ForecastMonth
from funneldesk.services.dto import Actor
from tests.helpers import make_deal, version

TODAY = dt.date.today()
NEXT = (TODAY.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def categorised(services: Services, by: Actor, title: str, value: str, close: dt.date,
                category: str) -> None:
    card = make_deal(services, by, title=title, value=Decimal(value))
    fields = services.deals.detail(card.id).fields
    services.deals.update(deal_id=card.id, expected_version=version(services, card.id),
                          fields=dataclasses.replace(fields, expected_close=close,
                                                     forecast_category=category), by=by)


def months(services: Services) -> dict[dt.date | None, ForecastMonth]:
    from funneldesk.services.analytics.records import KpiRequest

    return {m.start: m for m in services.analytics.insights(KpiRequest()).forecast}


def test_commit_and_best_case_come_from_the_reps_calls(services: Services,
                                                       manager: Actor) -> None:
    categorised(services, manager, "A", "1000", NEXT, "commit")
    categorised(services, manager, "B", "2000", NEXT, "best_case")
    categorised(services, manager, "C", "4000", NEXT, "pipeline")
    from funneldesk.services.analytics.targets import TargetFields

    services.analytics.save_target(TargetFields("won_value", None, None, "month", NEXT,
                                                Decimal("2500")), by=manager)
    month = months(services)[NEXT]
    assert month.target == Decimal("2500.00")  # the month's won-value target beside it
    assert (month.deals, month.value, month.commit, month.best_case) == (
        3, Decimal("7000.00"), Decimal("1000.00"), Decimal("3000.00"))
    assert month.weighted == Decimal("700.00")  # all in Initial contact: 10%
    assert month.adjusted is None


def test_a_category_that_does_not_exist_is_refused(services: Services,
                                                   manager: Actor) -> None:
    with pytest.raises(InvalidInput, match="best case"):
        categorised(services, manager, "A", "1000", NEXT, "maybe")


def test_the_manager_s_own_forecast_stands_beside_the_computed_one(
        services: Services, manager: Actor, rep: Actor) -> None:
    categorised(services, manager, "A", "1000", NEXT, "commit")
    pipeline = services.pipelines.pipelines()[0][0]
    with pytest.raises(NotAllowed):
        services.analytics.adjust_forecast(pipeline_id=pipeline, month=NEXT, user_id=None,
                                           amount=Decimal("5000"), note="", by=rep)
    services.analytics.adjust_forecast(pipeline_id=pipeline, month=NEXT + dt.timedelta(3),
                                       user_id=None, amount=Decimal("5000"),
                                       note="Big renewal expected", by=manager)
    month = months(services)[NEXT]
    assert month.adjusted is not None
    assert (month.adjusted.amount, month.adjusted.note) == (Decimal("5000.00"),
                                                            "Big renewal expected")
    assert month.commit == Decimal("1000.00")  # the computed figures stay as they are
    services.analytics.adjust_forecast(pipeline_id=pipeline, month=NEXT, user_id=None,
                                       amount=None, note="", by=manager)
    assert months(services)[NEXT].adjusted is None
