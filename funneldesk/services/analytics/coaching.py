"""Coaching: each rep against the rest of the team at every stage, and the training needs
where a rep is significantly below them.

Conversion at a stage: of the rep's deals created in the period that reached it and are
no longer waiting in it, the share that reached the next one (Won after the last open
stage), against the same share of everyone else's, by Fisher's exact test (one-sided).
Time in a stage: the rep's completed visits that ended in the period against everyone
else's, by the Mann-Whitney U test (one-sided). A need is shown when p < 0.05, each side
has ten deals or visits, and the gap matters: five points of conversion, or a median a
fifth (and two days) longer. The p-values of every gap tested are adjusted for their
number (Benjamini–Hochberg).
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from funneldesk.enums import StageKind
from funneldesk.i18n import N_, _
from funneldesk.services.analytics.core import Scope, days_of, marks
from funneldesk.services.analytics.records import RepAtStage, TrainingNeed
from funneldesk.services.analytics.significance import adjusted, greater_days
from funneldesk.services.common.sql import Query

SIGNIFICANT = 0.05
MIN_SAMPLE = 10
MIN_CONVERSION_GAP = 0.05
MIN_DAYS_RATIO, MIN_DAYS_GAP = 1.2, 2.0

# suggested topics: by where the stage sits in the funnel (first third, middle, last) for
# conversion, and for time anywhere
TOPICS = {
    ("conversion", 0): (N_("Qualifying leads: finding the real need early"),
                        N_("Discovery questions and reaching who decides")),
    ("conversion", 1): (N_("Proposals that answer the needs written down"),
                        N_("Presenting the solution and its value")),
    ("conversion", 2): (N_("Negotiating price and terms"),
                        N_("Closing: agreeing on the next step and the signature")),
    ("days", None): (N_("Keeping deals moving: a dated next step for every deal"),
                     N_("Follow-up rhythm and follow-up plans")),
}


@dataclass(frozen=True)
class StageFigures:
    """One rep's (or the rest of the team's) figures at one stage."""

    reached: int
    moved_on: int
    days: Counter[int]  # completed visits' lengths: days -> visits

    @property
    def conversion(self) -> float | None:
        return self.moved_on / self.reached if self.reached else None

    @property
    def visits(self) -> int:
        return sum(self.days.values())

    @property
    def median_days(self) -> float | None:
        return days_of(self.days).median


@dataclass(frozen=True)
class RepFigures:
    owner_id: int
    owner: str
    stages: dict[int, StageFigures]  # by open stage


def figures(query: Query, scope: Scope) -> tuple[list[RepFigures], dict[int, str]]:
    """Every rep's figures at every open stage (and the stages' names)."""
    opens = [s for s in scope.opens if s.live]
    every_open = [s.id for s in scope.opens]
    rank = {s.id: i for i, s in enumerate(scope.opens, start=1)}
    for won in scope.of_kind(StageKind.WON):
        rank[won] = len(scope.opens) + 1
    won_ids = scope.of_kind(StageKind.WON)
    deals, params = scope.deals()
    created, more = scope.created()
    furthest: dict[int, Counter[tuple[int, bool]]] = defaultdict(Counter)
    waiting: dict[int, Counter[int]] = defaultdict(Counter)  # still in the stage they reached
    for owner, stage, is_won, now_in, n in query(
            f"SELECT d.owner_id, p.furthest_stage_id, d.stage_id IN ({marks(won_ids) or 'NULL'}), "
            f"d.stage_id, count(*) FROM deals d JOIN deal_progress p ON p.deal_id = d.id "
            f"WHERE {deals} {created} GROUP BY 1, 2, 3, 4", [*won_ids, *params, *more]):
        furthest[owner][rank.get(stage, 0) if stage is not None else 0, bool(is_won)] += n
        if stage is not None and now_in == stage:
            waiting[owner][stage] += n
    left, later = scope.left()
    days: dict[tuple[int, int], Counter[int]] = defaultdict(Counter)
    # each deal's visits in one range of their index (the + keeps SQLite from seeking
    # each stage apart, five times as many seeks)
    if every_open:
        for owner, stage, length, n in query(
                f"SELECT d.owner_id, v.stage_id, v.days, count(*) FROM deals d "
                f"CROSS JOIN stage_visits v ON v.deal_id = d.id WHERE {deals} "
                f"AND +v.stage_id IN ({marks(every_open)}) AND v.days IS NOT NULL {left} "
                f"GROUP BY 1, 2, 3", [*params, *every_open, *later]):
            days[owner, stage][int(length)] += int(n)
    owners = set(furthest) | {o for o, _s in days}
    names = {int(i): str(n) for i, n in query("SELECT id, display_name FROM users", ())}
    reps = []
    for owner in owners:
        counts = furthest.get(owner, Counter())
        stages = {}
        for i, stage in enumerate(opens):
            at = rank[stage.id]
            # a deal still in the stage has not had its chance to move on yet: left out
            reached = sum(n for (r, _w), n in counts.items() if r >= at) \
                - waiting.get(owner, Counter())[stage.id]
            if i + 1 < len(opens):
                moved = sum(n for (r, _w), n in counts.items() if r >= rank[opens[i + 1].id])
            else:
                moved = sum(n for (r, w), n in counts.items() if w and r >= at)
            stages[stage.id] = StageFigures(reached, moved, days.get((owner, stage.id), Counter()))
        reps.append(RepFigures(owner, names.get(owner, "?"), stages))
    return sorted(reps, key=lambda r: (r.owner, r.owner_id)), {s.id: s.name for s in opens}


def rest_of_team(reps: Sequence[RepFigures], owner_id: int, stage_id: int) -> StageFigures:
    others = [r.stages[stage_id] for r in reps if r.owner_id != owner_id and stage_id in r.stages]
    days: Counter[int] = Counter()
    for other in others:
        days.update(other.days)
    return StageFigures(sum(o.reached for o in others), sum(o.moved_on for o in others), days)


def compared(query: Query, scope: Scope) -> tuple[tuple[RepAtStage, ...],
                                                   tuple[TrainingNeed, ...]]:
    """Each rep against the rest of the team at every stage, and the training needs."""
    reps, names = figures(query, scope)
    rows = []
    for rep in reps:
        for stage_id, mine in rep.stages.items():
            team = rest_of_team(reps, rep.owner_id, stage_id)
            rows.append(RepAtStage(rep.owner_id, rep.owner, stage_id, names[stage_id],
                                   mine.conversion, team.conversion, mine.reached,
                                   mine.median_days, team.median_days, mine.visits))
    return tuple(rows), _needs(reps, names)


def training_needs(query: Query, scope: Scope) -> tuple[TrainingNeed, ...]:
    return compared(query, scope)[1]


def _needs(reps: list[RepFigures], names: dict[int, str]) -> tuple[TrainingNeed, ...]:
    """Every rep at every stage with samples enough is tested against the rest of the
    team, whichever way the gap goes; the p-values are adjusted over all those tests,
    and only then are the gaps big enough picked (picking first would leave the tests
    that were looked at and dropped out of the family, and overstate the certainty)."""
    import numpy as np
    from scipy.stats import fisher_exact  # only here: a slow import

    order = list(names)
    tested: list[tuple[TrainingNeed, bool]] = []  # each test, and whether its gap counts
    for rep in reps:
        for stage_id, mine in rep.stages.items():
            team = rest_of_team(reps, rep.owner_id, stage_id)
            third = min(2, 3 * order.index(stage_id) // max(1, len(order)))
            if (mine.reached >= MIN_SAMPLE and team.reached >= MIN_SAMPLE
                    and mine.conversion is not None and team.conversion is not None):
                table = [[mine.moved_on, mine.reached - mine.moved_on],
                         [team.moved_on, team.reached - team.moved_on]]
                p = float(fisher_exact(np.array(table), alternative="less").pvalue)
                tested.append((TrainingNeed(
                    rep.owner_id, rep.owner, stage_id, names[stage_id], "conversion",
                    mine.conversion, team.conversion, mine.conversion - team.conversion,
                    mine.reached, team.reached, p, _topics("conversion", third)),
                    team.conversion - mine.conversion >= MIN_CONVERSION_GAP))
            mine_days, team_days = mine.median_days, team.median_days
            if (mine.visits >= MIN_SAMPLE and team.visits >= MIN_SAMPLE
                    and mine_days is not None and team_days is not None):
                p = greater_days(mine.days, team.days)
                tested.append((TrainingNeed(
                    rep.owner_id, rep.owner, stage_id, names[stage_id], "days",
                    mine_days, team_days, mine_days - team_days, mine.visits,
                    team.visits, p, _topics("days", None)),
                    mine_days >= team_days * MIN_DAYS_RATIO
                    and mine_days - team_days >= MIN_DAYS_GAP))
    fair = adjusted([need.p_value for need, _gap in tested])
    kept = [dataclasses.replace(need, p_value=p)
            for (need, gap), p in zip(tested, fair, strict=True) if gap and p < SIGNIFICANT]
    return tuple(sorted(kept, key=lambda n: (n.p_value, n.owner)))


def _topics(kpi: str, third: int | None) -> tuple[str, ...]:
    return tuple(_(topic) for topic in TOPICS[kpi, third])
