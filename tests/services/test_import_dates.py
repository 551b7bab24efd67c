"""A date format given for a file's day-month dates leaves its year-first dates readable."""

from __future__ import annotations

import datetime as dt

import pytest

from funneldesk.services.common.tabular import cells


def test_a_given_format_reads_its_dates_and_year_first_ones_still_read() -> None:
    assert cells.date("05/03/2026", "%d/%m/%Y") == dt.date(2026, 3, 5)
    assert cells.date("2026-05-01", "%d/%m/%Y") == dt.date(2026, 5, 1)
    assert cells.date("2026-01-05", "%Y-%d-%m") == dt.date(2026, 5, 1)  # the format first
    with pytest.raises(cells.CellProblem, match="bad_date"):
        cells.date("5 March", "%d/%m/%Y")
