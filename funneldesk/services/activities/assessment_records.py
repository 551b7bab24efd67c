"""What a deal's assessment hands out: its scorecard, the value score the manager's
weights give it, and its win probability, learned from the team's won and lost deals or,
with too little history, the stage's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from funneldesk.i18n import _, ngettext, pgettext
from funneldesk.services.common.records import ChangeSet

FACTORS = ("intent", "budget", "decision", "timeline", "position")
TOP = 3  # the best rating; 0 is "not rated"
COMPETITORS_LIMIT = 500
MAX_WEIGHT = 10  # the most a manager may weigh one factor

# each factor's name and the words of its ratings 1 to 3, as a rep would say them
_FACTOR_NAMES: dict[str, Callable[[], str]] = {
    "intent": lambda: _("Purchase intent"),
    "budget": lambda: _("Budget fit"),
    "decision": lambda: _("Decision maker"),
    "timeline": lambda: pgettext("assessment factor", "Timeline"),  # not the form's tab
    "position": lambda: _("Our position against competitors"),
}
_RATINGS: dict[str, Callable[[], tuple[str, str, str]]] = {
    "intent": lambda: (pgettext("intent", "Low"), pgettext("intent", "Medium"),
                       pgettext("intent", "High")),
    "budget": lambda: (_("No budget yet"), _("Part of it"), _("Budget fits")),
    "decision": lambda: (_("Identified"), _("Met"), _("Supports us")),
    "timeline": lambda: (_("Over a year"), _("Within a year"), _("Within 3 months")),
    "position": lambda: (_("Behind"), _("Even"), _("Ahead")),
}


def factor_name(factor: str) -> str:
    return _FACTOR_NAMES[factor]()


def rating_words(factor: str) -> tuple[str, ...]:
    """The words of ratings 0 (not rated) to 3."""
    return (_("Not rated"), *_RATINGS[factor]())


@dataclass(frozen=True, slots=True)
class ScoreFields:
    """What a rep rates: each factor 0 (not rated) to 3, and the competitors named."""

    intent: int = 0
    budget: int = 0
    decision: int = 0
    timeline: int = 0
    position: int = 0
    competitors: str = ""

    @classmethod
    def of(cls, ratings: Sequence[int | None], competitors: str = "") -> ScoreFields:
        """From the ratings in the order of FACTORS (None: not rated)."""
        r = [int(x or 0) for x in ratings]
        return cls(r[0], r[1], r[2], r[3], r[4], competitors)

    def rating(self, factor: str) -> int:
        return int(getattr(self, factor))

    @property
    def rated(self) -> int:
        return sum(1 for f in FACTORS if self.rating(f))


def value_score(fields: ScoreFields, weights: dict[str, int]) -> int | None:
    """0 to 100: the weighted ratings over the best they could be (a factor not rated
    counts as the worst); None while nothing is rated."""
    total = sum(weights.get(f, 0) for f in FACTORS)
    if not fields.rated or not total:
        return None
    got = sum(weights.get(f, 0) * fields.rating(f) for f in FACTORS)
    return round(100 * got / (TOP * total))


@dataclass(frozen=True, slots=True)
class Effect:
    """How one of the deal's factor values moves its win probability."""

    factor: str  # its label: "Budget fit", "Lead source", "Stage"
    value: str  # "Budget fits", "Trade show", "Negotiation"
    ratio: float  # >1 raises the odds, <1 lowers them
    won: int  # closed deals with this value that were won ...
    closed: int  # ... of those closed with it


@dataclass(frozen=True, slots=True)
class WinChance:
    """A deal's win probability (0 to 100), how it was found and on what history."""

    percent: int
    learned: bool  # False: the stage's probability, for want of history
    won: int  # the won deals it was learned from ...
    lost: int  # ... and the lost ones
    effects: tuple[Effect, ...] = ()  # the strongest first
    closed: bool = False  # the deal is won or lost: its stage's probability, nothing learned

    @property
    def basis(self) -> str:
        n = self.won + self.lost
        if self.closed:
            return _("The deal is closed: this is its stage's probability.")
        if self.learned:
            return ngettext("Learned from {n} closed deal of this pipeline ({won} won, "
                            "{lost} lost).",
                            "Learned from {n} closed deals of this pipeline ({won} won, "
                            "{lost} lost).", n).format(n=n, won=self.won, lost=self.lost)
        return ngettext("Too little history to learn from ({n} closed deal; it needs "
                        "{need}, at least {each} won and {each} lost): this is the stage's "
                        "probability.",
                        "Too little history to learn from ({n} closed deals; it needs "
                        "{need}, at least {each} won and {each} lost): this is the stage's "
                        "probability.", n).format(n=n, need=MIN_CLOSED, each=MIN_EACH)


MIN_CLOSED = 20  # closed deals a pipeline needs before its probabilities are learned
MIN_EACH = 3  # ... of which won, and of which lost, at least this many
MIN_SEEN = 5  # closed deals with a factor's value before it moves the probability


@dataclass(frozen=True, slots=True)
class DealRating:
    """What a board card shows of a deal's assessment."""

    score: int | None  # the value score, 0 to 100; None while nothing is rated
    percent: int  # the win probability
    learned: bool  # False: the stage's probability


@dataclass(frozen=True, slots=True)
class Assessment:
    deal_id: int
    fields: ScoreFields
    version: int | None  # None: never rated
    updated_by: str
    updated_at: dt.datetime | None
    score: int | None
    chance: WinChance


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    assessment: Assessment
    previous: ScoreFields
    changes: ChangeSet
