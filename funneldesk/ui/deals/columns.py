"""The columns of the deals list: their headers (named once, in
services/pipeline/list_text.py, which the Export writes too) and default widths."""

from __future__ import annotations

from funneldesk.services.dto import ListColumn
from funneldesk.services.pipeline.list_text import COLUMNS, header, outcome_label

__all__ = ["COLUMNS", "NUMERIC", "WIDTHS", "header", "outcome_label"]

WIDTHS = {
    ListColumn.TITLE: 220, ListColumn.COMPANY: 230, ListColumn.STAGE: 110,
    ListColumn.VALUE: 120, ListColumn.OWNER: 100, ListColumn.EXPECTED_CLOSE: 110,
    ListColumn.NEXT_STEP: 200, ListColumn.DAYS_IN_STAGE: 90, ListColumn.CREATED: 100,
    ListColumn.CLOSED: 100, ListColumn.OUTCOME: 90,
}

# right-aligned: amounts and counts
NUMERIC = frozenset({ListColumn.VALUE, ListColumn.DAYS_IN_STAGE})
