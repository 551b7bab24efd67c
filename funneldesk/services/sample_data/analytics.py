"""The sample's KPI side: the reps' forecast calls on their open deals, the team's
targets for this month and quarter (one a rep's own), a manager's own forecast for next
month, and a training plan done for the rep weakest at the slow stage. All derived from
the deals already made, without drawing from the sample's random stream."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from funneldesk.i18n import _
from funneldesk.models import Deal, ForecastAdjustment, KpiTarget, TrainingPlan


def add(session: Session, deal_rows: list[dict[str, Any]], opens: list[Any],
        slow_stage: int | None, by: int, now: dt.datetime) -> None:
    if not deal_rows or not opens:
        return
    today = now.astimezone().date()
    late = {s.id for s in opens[-2:]}  # the reps are surest of the deals furthest on
    for row in deal_rows:
        if row["stage_id"] in late:
            category = "commit" if row["id"] % 3 == 0 else "best_case"
        elif row["stage_id"] == opens[len(opens) // 2].id and row["id"] % 4 == 0:
            category = "best_case"
        else:
            continue
        session.execute(update(Deal).where(Deal.id == row["id"])
                        .values(forecast_category=category))
    month = today.replace(day=1)
    quarter = month.replace(month=(month.month - 1) // 3 * 3 + 1)
    created = sum(1 for r in deal_rows if r["created_at"].astimezone().date() >= month)
    owners = Counter(r["owner_id"] for r in deal_rows)
    busiest = owners.most_common(1)[0][0]
    targets: list[tuple[str, int | None, int | None, str, dt.date, Decimal]] = [
        ("deals_created", None, None, "month", month, Decimal(max(created, 10))),
        ("won_value", None, None, "quarter", quarter, Decimal(600_000)),
        ("activities_done", None, None, "month", month, Decimal(60)),
        ("sales_cycle", None, None, "quarter", quarter, Decimal(60)),
        ("deals_created", None, busiest, "month", month,
         Decimal(max(created // max(len(owners), 1), 3))),
    ]
    if slow_stage is not None:
        targets += [("conversion", slow_stage, None, "quarter", quarter, Decimal("0.6")),
                    ("days_in_stage", slow_stage, None, "quarter", quarter, Decimal(25))]
    session.execute(insert(KpiTarget), [
        {"kpi": kpi, "stage_id": stage, "user_id": user, "period": period,
         "starts_on": starts, "value": value, "updated_by_id": by, "is_sample": True}
        for kpi, stage, user, period, starts, value in targets])
    pipeline = opens[0].pipeline_id
    next_month = (month + dt.timedelta(days=32)).replace(day=1)
    session.execute(insert(ForecastAdjustment), [{
        "pipeline_id": pipeline, "month": next_month, "user_id": None,
        "amount": Decimal(450_000), "note": _("Two renewals the deals do not show yet"),
        "updated_by_id": by, "is_sample": True}])
    if slow_stage is None:
        return
    weakest = min(owners, key=lambda o: (sum(1 for r in deal_rows if r["owner_id"] == o
                                             and r["stage_id"] != slow_stage), o))
    session.execute(insert(TrainingPlan), [{
        "user_id": weakest, "stage_id": slow_stage, "kpi": "days",
        "topic": _("Keeping deals moving: a dated next step for every deal"),
        "planned_on": today - dt.timedelta(days=45), "done_on": today - dt.timedelta(days=40),
        "outcome": _("Went through every deal past its rot limit together; agreed a weekly "
                     "review."), "created_by_id": by, "is_sample": True}])
