"""What the review view hands out and takes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from funneldesk.enums import ActivityKind
from funneldesk.i18n import _, pgettext
from funneldesk.services.common.records import ChangeSet

UNTOUCHED = "untouched"
OVERDUE = "overdue"
ROTTED = "rotted"
REASONS = (UNTOUCHED, OVERDUE, ROTTED)
DEFAULT_UNTOUCHED_DAYS = 14
MAX_UNTOUCHED_DAYS = 365


def reason_label(code: str) -> str:
    return {UNTOUCHED: _("Untouched"), OVERDUE: _("Past close date"),
            ROTTED: pgettext("deal", "Rotting")}[code]


@dataclass(frozen=True, slots=True)
class ReviewQuery:
    pipeline_id: int
    untouched_days: int = DEFAULT_UNTOUCHED_DAYS  # untouched this long or longer
    user_id: int = 0  # the deals this user owns or is on the team of (0: everyone's)


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """An open deal that needs a look, and why (``reasons``, codes of REASONS)."""

    deal_id: int
    version: int
    title: str
    company: str
    stage: str
    owner_id: int
    owner: str
    value: Decimal
    currency: str
    expected_close: dt.date | None
    next_step: str
    next_step_date: dt.date | None
    touched_on: dt.date  # the local day anybody last did anything on it
    untouched_days: int
    reviewed_on: dt.date | None  # the local day of its last review
    reviewed_lately: bool  # reviewed within the untouched days asked for: listed last
    days_in_stage: int
    rot_days: int | None
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReviewFields:
    """A quick update: the expected close date (as it should be now), a next step to plan
    (a title or a day plans one), a note for the team's feed."""

    expected_close: dt.date | None
    next_kind: ActivityKind = ActivityKind.CALL
    next_title: str = ""
    next_day: dt.date | None = None
    note: str = ""

    @property
    def plans_next(self) -> bool:
        return bool(self.next_title.strip()) or self.next_day is not None


@dataclass(frozen=True, slots=True)
class ReviewResult:
    review_id: int
    deal_id: int
    version: int | None  # the deal's, when the review changed it (its close date)
    fields: ReviewFields
    activity_id: int | None
    changes: ChangeSet


@dataclass(frozen=True, slots=True)
class ReviewUndone:
    deal_id: int
    version: int | None  # the deal's, when the undo changed it
    changes: ChangeSet
