"""Targets: a manager's figure to reach for one KPI over one month, quarter or year, for
one rep or the team, and how each KPI stands against its target.

A request's period finds the targets of that exact month, quarter or year; a quarter or a
year without one of its own adds up the monthly targets inside it for the KPIs that add up
(deals created, won value, activities done), when every month in it has one. While the
period runs, those are compared with the share of the target that the days gone by call
for. Green: the target is met; amber:
within the team's threshold of it (90% unless a manager changes it); red: further off. For
days (in a stage, the sales cycle) less is better.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from funneldesk.errors import InvalidInput
from funneldesk.i18n import _
from funneldesk.models import KpiTarget, Stage, User
from funneldesk.models.base import utcnow
from funneldesk.services.analytics.records import CoreKpis, Standing
from funneldesk.services.analytics.target_kinds import KPIS, PERIODS
from funneldesk.services.common import audit
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.permissions import require_manager
from funneldesk.services.common.records import Actor
from funneldesk.services.common.sql import Query

AMBER_SETTING = "target_amber_percent"
DEFAULT_AMBER = 90


@dataclass(frozen=True)
class Target:
    id: int
    version: int
    kpi: str
    stage_id: int | None
    user_id: int | None
    period: str
    starts_on: dt.date
    value: Decimal

    def label(self) -> str:
        return _(KPIS[self.kpi][0])


@dataclass(frozen=True)
class TargetFields:
    kpi: str
    stage_id: int | None
    user_id: int | None  # None: the team
    period: str
    starts_on: dt.date
    value: Decimal


def period_start(period: str, day: dt.date) -> dt.date:
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


def period_end(period: str, start: dt.date) -> dt.date:
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)


def kind_of(first: dt.date | None, last: dt.date | None) -> str | None:
    """Which period (month, quarter, year) the dates are exactly, if any."""
    if first is None or last is None:
        return None
    for period in PERIODS:
        if period_start(period, first) == first and period_end(period, first) == last:
            return period
    return None


def read(query: Query, first: dt.date, last: dt.date) -> list[Target]:
    rows = query("SELECT id, version, kpi, stage_id, user_id, period, starts_on, value "
                 "FROM kpi_targets WHERE starts_on BETWEEN ? AND ? ORDER BY starts_on, id",
                 (first.isoformat(), last.isoformat()))
    return [Target(int(i), int(v), str(k), s, u, str(p), dt.date.fromisoformat(str(d)),
                   Decimal(int(value)).scaleb(-4)) for i, v, k, s, u, p, d, value in rows]


def standings(query: Query, k: CoreKpis, owner: int | None, today: dt.date,
              activities_done: int | None) -> tuple[Standing, ...]:
    """Each KPI of ``k`` that has a target for its period (``owner``: one rep's; None:
    the team's), against that target; none when the period is no month, quarter or year."""
    first, last = k.date_from, k.date_to
    wanted = kind_of(first, last)
    if first is None or last is None or wanted is None:
        return ()
    found = [t for t in read(query, first, last) if t.user_id == owner]
    exact = [t for t in found if t.period == wanted and t.starts_on == first]
    months = _months_in(first, last)
    monthly = [t for t in found if t.period == "month"] if wanted != "month" else []
    # monthly targets add up only when every month of the period has one
    monthly = [t for t in monthly if {m.starts_on for m in monthly
                                      if (m.kpi, m.stage_id) == (t.kpi, t.stage_id)} == months]
    amber_percent, elapsed = amber(query), _elapsed(first, last, today)
    actual = _actuals(k, activities_done)
    keys = {(t.kpi, t.stage_id) for t in exact} | {
        (t.kpi, t.stage_id) for t in monthly if KPIS[t.kpi][2]}
    result = []
    for kpi, stage in sorted(keys, key=lambda key: (list(KPIS).index(key[0]), key[1] or 0)):
        own = [t for t in exact if (t.kpi, t.stage_id) == (kpi, stage)]
        value = float(own[0].value) if own else float(sum(
            t.value for t in monthly if (t.kpi, t.stage_id) == (kpi, stage)))
        adds_up, less_is_better = KPIS[kpi][2], KPIS[kpi][3]
        goal = value * elapsed if adds_up else value
        figure = actual.get((kpi, stage))
        result.append(Standing(kpi, stage, figure, goal,
                               _status(figure, goal, less_is_better, amber_percent)))
    return tuple(result)


def _months_in(first: dt.date, last: dt.date) -> set[dt.date]:
    months, day = set(), first.replace(day=1)
    while day <= last:
        months.add(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def activities_done(query: Query, first: dt.date, last: dt.date, zone: str,
                    owners: tuple[int, ...] | None) -> int:
    """Activities marked done in the period (local days), by ``owners`` (None: anyone)."""
    from funneldesk.services.common.local_days import start_of

    params: list[object] = [start_of(first, zone).strftime("%Y-%m-%d %H:%M:%S"),
                            start_of(last + dt.timedelta(days=1), zone)
                            .strftime("%Y-%m-%d %H:%M:%S")]
    who = ""
    if owners is not None:
        who = f" AND assignee_id IN ({', '.join('?' * len(owners))})"
        params += owners
    [(count,)] = query(f"SELECT count(*) FROM activities WHERE state = 'DONE' "
                       f"AND closed_at >= ? AND closed_at < ?{who}", params)
    return int(count)


def _actuals(k: CoreKpis, activities_done: int | None) -> dict[tuple[str, int | None], float]:
    found: dict[tuple[str, int | None], float | None] = {
        ("deals_created", None): float(k.deals.total),
        ("sales_cycle", None): k.cycle.median,
        ("won_value", None): float(k.won_value) if k.won_value is not None else None,
        ("activities_done", None): None if activities_done is None else float(activities_done),
    }
    for s in k.stages:
        # the figure the funnel shows beside the target (the doctor's own judgement, on
        # the deals that have left the stage, quotes its figure in its words)
        found["conversion", s.stage_id] = s.conversion_to_next
        found["days_in_stage", s.stage_id] = s.days.median
    return {key: value for key, value in found.items() if value is not None}


def _status(actual: float | None, goal: float, less_is_better: bool, amber: int) -> str:
    if actual is None:
        return "none"
    ahead, behind = (goal, actual) if less_is_better else (actual, goal)
    share = ahead / behind if behind > 0 else 1.0
    if share >= 1:
        return "green"
    return "amber" if share * 100 >= amber else "red"


def _elapsed(first: dt.date, last: dt.date, today: dt.date) -> float:
    """The share of the period gone by (1 once it is over)."""
    if today >= last:
        return 1.0
    if today < first:
        return 0.0
    return ((today - first).days + 1) / ((last - first).days + 1)


def amber(query: Query) -> int:
    from funneldesk.services.team.reads import setting

    value = setting(query, AMBER_SETTING)
    return int(value) if value and value.isdigit() else DEFAULT_AMBER


def save(session: Session, fields: TargetFields, by: Actor,
         expected_version: int | None = None) -> int:
    """Sets a target (a manager's call): the one for the same KPI, stage, person and
    period is changed, else one is added; its id."""
    require_manager(by, _("Only a manager can set targets."))
    if fields.kpi not in KPIS:
        raise InvalidInput("kpi", _("Choose a KPI."))
    per_stage = KPIS[fields.kpi][1]
    if per_stage and fields.stage_id is None:
        raise InvalidInput("stage", _("Choose the stage this target is for."))
    if fields.period not in PERIODS:
        raise InvalidInput("period", _("Choose a month, a quarter or a year."))
    if fields.value < 0:
        raise InvalidInput("value", _("Enter a target of zero or more."))
    if fields.kpi == "conversion" and fields.value > 1:
        raise InvalidInput("value", _("A conversion target is at most 100%."))
    if fields.value != fields.value.quantize(Decimal("0.0001")):
        raise InvalidInput("value", _("Enter the target with at most four decimals."))
    stage = get_or_raise(session, Stage, fields.stage_id, "stage") \
        if per_stage and fields.stage_id is not None else None
    if fields.user_id is not None:
        get_or_raise(session, User, fields.user_id, "user")
    starts = period_start(fields.period, fields.starts_on)
    same = session.scalars(select(KpiTarget).where(
        KpiTarget.kpi == fields.kpi, KpiTarget.period == fields.period,
        KpiTarget.starts_on == starts,
        KpiTarget.stage_id.is_(None) if stage is None else KpiTarget.stage_id == stage.id,
        KpiTarget.user_id.is_(None) if fields.user_id is None
        else KpiTarget.user_id == fields.user_id)).first()
    if same is None:
        same = KpiTarget(kpi=fields.kpi, stage_id=stage.id if stage else None,
                         user_id=fields.user_id, period=fields.period, starts_on=starts,
                         value=fields.value, updated_by_id=by.id)
        session.add(same)
        before = None
    else:
        if expected_version is not None and same.version != expected_version:
            from funneldesk.db.stale import last_change

            raise last_change(session, KpiTarget, same.id)
        before = str(same.value)
        same.value, same.updated_by_id, same.updated_at = fields.value, by.id, utcnow()
    session.flush()
    audit.record(session, by, "set-target", "kpi_target", same.id, kpi=fields.kpi,
                 value=[before, str(fields.value)], period=fields.period,
                 starts_on=starts.isoformat())
    return same.id


def remove(session: Session, target_id: int, by: Actor) -> None:
    require_manager(by, _("Only a manager can set targets."))
    target = get_or_raise(session, KpiTarget, target_id, "kpi_target")
    audit.record(session, by, "delete", "kpi_target", target_id, kpi=target.kpi,
                 value=str(target.value))
    session.delete(target)


def targets_for(doctor_stage_ids: Sequence[int], standing: Sequence[Standing]
                ) -> dict[tuple[str, int], float]:
    """The doctor's references: the conversion and days targets of the stages."""
    found: dict[tuple[str, int], float] = {}
    for s in standing:
        if s.stage_id is not None and s.stage_id in doctor_stage_ids \
                and s.kpi in ("conversion", "days_in_stage"):
            found["conversion" if s.kpi == "conversion" else "days", s.stage_id] = s.target
    return found
