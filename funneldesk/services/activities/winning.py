"""Win probabilities learned from a pipeline's own won and lost deals, the way Odoo's
lead scoring does it: for each factor value a deal has (a rating of its scorecard, its
lead source, its product), how much more often deals closed with that value were won
than lost (naive Bayes, each count plus one). The odds it starts from are those of the
deals that got as far as the deal's stage: a lost deal counts for the stages it reached,
a won one for every stage (it went through them all, whatever its history says). Each
factor's share is kept, so that the window can say which raise the probability and which
lower it."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from funneldesk.services.activities.assessment_records import (
    MIN_CLOSED,
    MIN_EACH,
    MIN_SEEN,
    Effect,
    WinChance,
)

# a deal's factor values: factor -> value (None: not known, which says nothing)
Values = Mapping[str, object]


@dataclass
class WinModel:
    """Counts of won and lost deals by factor value, and how far the lost ones got."""

    won: int = 0
    lost: int = 0
    # factor -> value -> [won, lost] among the closed deals that had it
    counts: dict[str, dict[object, list[int]]] = field(default_factory=dict)
    # the place of the furthest open stage a lost deal reached -> how many
    lost_reach: dict[int, int] = field(default_factory=dict)
    _lost_reached: dict[int, int] = field(default_factory=dict)

    def _lost_from(self, reached: int) -> int:
        """Lost deals that got at least as far as the stage at place ``reached``
        (counted once a place: a board asks it for each of its deals)."""
        known = self._lost_reached.get(reached)
        if known is None:
            known = self._lost_reached[reached] = sum(
                n for furthest, n in self.lost_reach.items() if furthest >= reached)
        return known

    @property
    def enough(self) -> bool:
        return (self.won + self.lost >= MIN_CLOSED and self.won >= MIN_EACH
                and self.lost >= MIN_EACH)

    def chance(self, values: Values, reached: int, fallback: int, stage: str,
               name: Mapping[str, str], word: Mapping[tuple[str, object], str]
               ) -> WinChance:
        """The win probability of a deal with ``values`` that is in the stage at place
        ``reached`` (named ``stage``); the stage's ``fallback`` without enough history.
        ``name`` and ``word`` label the factors and values."""
        if not self.enough:
            return WinChance(fallback, False, self.won, self.lost)
        lost_here = self._lost_from(reached)
        start = (self.won + 1) / (lost_here + 1)
        effects = [Effect(name.get("stage", "stage"), stage,
                          start / ((self.won + 1) / (self.lost + 1)), self.won,
                          self.won + lost_here)]
        odds = math.log(start)
        for factor, value in values.items():
            seen = self.counts.get(factor)
            if value is None or seen is None:
                continue
            won, lost = seen.get(value, (0, 0))
            if won + lost < MIN_SEEN:  # a value too new or rare to say anything
                continue
            kinds = len(seen) + 1  # the values seen, and one for any other
            # among the closed deals that had this factor at all: were it rated more
            # often on won deals, any rating would seem to raise the odds
            won_f = sum(counts[0] for counts in seen.values())
            lost_f = sum(counts[1] for counts in seen.values())
            ratio = ((won + 1) / (won_f + kinds)) / ((lost + 1) / (lost_f + kinds))
            odds += math.log(ratio)
            effects.append(Effect(name.get(factor, factor), word.get((factor, value), ""),
                                  ratio, won, won + lost))
        percent = round(100 / (1 + math.exp(-odds)))
        effects.sort(key=lambda e: -abs(math.log(e.ratio)))
        return WinChance(min(99, max(1, percent)), True, self.won, self.lost,
                         tuple(effects))
