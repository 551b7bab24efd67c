"""Calendar days in the team's time zone, as the KPIs count them (docs/ARCHITECTURE.md,
KPI definitions): a day is a number, days since 1970-01-01 in that zone, so that "days in
a stage" is a subtraction of two integers in SQL.

The zone's offset changes at its daylight-saving transitions; SQL gets it as a CASE over
the transitions between 1970 and ten years from now, newest first (most rows are recent,
and take the first branch). A zone without daylight saving, such as Asia/Shanghai since
1991, is a handful of branches.
"""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EPOCH = dt.date(1970, 1, 1)
DAY = 86_400
# added before the division and taken off after, so that SQLite's integer division, which
# rounds towards zero, rounds a moment before 1970 down as well
_BIAS_DAYS = 1_000_000


def system_zone_name() -> str:
    import tzlocal  # only here: it reads the system's configuration when asked

    try:
        name = tzlocal.get_localzone_name()
    except (LookupError, ValueError, OSError):  # no zone configured, or a broken one
        return "UTC"
    return name if name and known_zone(name) else "UTC"


def known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def day_number(day: dt.date) -> int:
    return (day - EPOCH).days


def date_of(number: int) -> dt.date:
    return EPOCH + dt.timedelta(days=number)


def week_of(day: int) -> int:
    """The week (Monday to Sunday) of a day number; day 0, 1970-01-01, was a Thursday."""
    return (day + 3) // 7


def week_start(week: int) -> dt.date:
    return date_of(week * 7 - 3)


def month_of(day: int) -> int:
    """The month of a day number, as year × 12 + month − 1."""
    date = date_of(day)
    return date.year * 12 + date.month - 1


def month_start(month: int) -> dt.date:
    return dt.date(month // 12, month % 12 + 1, 1)


def moment_day(moment: dt.datetime, zone: str) -> int:
    """The local day number of an aware moment."""
    return day_number(moment.astimezone(ZoneInfo(zone)).date())


def start_of(day: dt.date, zone: str) -> dt.datetime:
    """The first moment of a local calendar day, in UTC."""
    return dt.datetime.combine(day, dt.time(), ZoneInfo(zone)).astimezone(dt.UTC)


def day_sql(seconds: str, zone: str) -> str:
    """SQL for the local day number of ``seconds`` (an SQL expression: Unix seconds)."""
    return (f"((({seconds}) + {offset_sql(seconds, zone)} + {_BIAS_DAYS * DAY}) / {DAY}"
            f" - {_BIAS_DAYS})")


def offset_sql(seconds: str, zone: str) -> str:
    """SQL for the zone's UTC offset, in seconds, at ``seconds`` (Unix seconds)."""
    pieces = _pieces(zone, dt.date.today().year + 10)
    if len(pieces) == 1:
        return str(pieces[0][1])
    branches = " ".join(f"WHEN {seconds} >= {start} THEN {offset}"
                        for start, offset in reversed(pieces[1:]))
    return f"(CASE {branches} ELSE {pieces[0][1]} END)"


@functools.lru_cache(maxsize=8)
def _pieces(zone: str, last_year: int) -> tuple[tuple[int, int], ...]:
    """(first second, offset) of each stretch of one UTC offset, from 1970 to the end of
    ``last_year``; the first stretch starts in 1970."""
    info = ZoneInfo(zone)

    def offset(second: int) -> int:
        moment = dt.datetime.fromtimestamp(second, dt.UTC).astimezone(info)
        delta = moment.utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    end = int(dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC).timestamp())
    pieces = [(0, offset(0))]
    # transitions are months apart: a day's step finds each, halving then finds its second
    second = 0
    while second < end:
        nxt = second + DAY
        if offset(nxt) != pieces[-1][1]:
            low, high = second, nxt  # offset(low) is the old one, offset(high) the new
            while high - low > 1:
                middle = (low + high) // 2
                if offset(middle) == pieces[-1][1]:
                    low = middle
                else:
                    high = middle
            pieces.append((high, offset(high)))
        second = nxt
    return tuple(pieces)
