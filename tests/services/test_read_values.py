"""Values as SQLite returns them become the records' Python types: aware UTC timestamps
whichever way the text is written."""

from __future__ import annotations

import datetime as dt

import pytest

from funneldesk.services.common.sql import timestamp

NOON_UTC = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("stored", [
    "2026-11-21 12:00:00", "2026-11-21 12:00:00.000000", "2026-11-21T12:00:00",
    "2026-11-21 20:00:00+08:00", "2026-11-21T12:00:00Z", dt.datetime(2026, 11, 21, 12, 0),
    dt.datetime(2026, 11, 21, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))),
])
def test_a_stored_timestamp_reads_as_aware_utc(stored: str | dt.datetime) -> None:
    read = timestamp(stored)
    assert read == NOON_UTC
    assert read.utcoffset() == dt.timedelta(0)
