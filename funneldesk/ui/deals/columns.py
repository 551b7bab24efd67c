"""The columns of the deals list: their headers and default widths, named once."""

from __future__ import annotations

from funneldesk.i18n import N_, _
from funneldesk.services.dto import ListColumn, Outcome

COLUMNS: tuple[ListColumn, ...] = tuple(ListColumn)

_HEADERS = {
    ListColumn.TITLE: N_("Title"), ListColumn.COMPANY: N_("Company"),
    ListColumn.STAGE: N_("Stage"), ListColumn.VALUE: N_("Value"),
    ListColumn.OWNER: N_("Owner"), ListColumn.EXPECTED_CLOSE: N_("Expected close"),
    ListColumn.NEXT_STEP: N_("Next step"), ListColumn.DAYS_IN_STAGE: N_("Days in stage"),
    ListColumn.CREATED: N_("Created"), ListColumn.CLOSED: N_("Closed"),
    ListColumn.OUTCOME: N_("Outcome"),
}

WIDTHS = {
    ListColumn.TITLE: 220, ListColumn.COMPANY: 230, ListColumn.STAGE: 110,
    ListColumn.VALUE: 120, ListColumn.OWNER: 100, ListColumn.EXPECTED_CLOSE: 110,
    ListColumn.NEXT_STEP: 200, ListColumn.DAYS_IN_STAGE: 90, ListColumn.CREATED: 100,
    ListColumn.CLOSED: 100, ListColumn.OUTCOME: 90,
}

# right-aligned: amounts and counts
NUMERIC = frozenset({ListColumn.VALUE, ListColumn.DAYS_IN_STAGE})

_OUTCOMES = {Outcome.OPEN: N_("In progress"), Outcome.WON: N_("Won"), Outcome.LOST: N_("Lost"),
             Outcome.ARCHIVED: N_("Archived")}


def header(column: ListColumn) -> str:
    return _(_HEADERS[column])


def outcome_label(outcome: Outcome) -> str:
    return _(_OUTCOMES[outcome])
