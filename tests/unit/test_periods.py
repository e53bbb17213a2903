"""Calendar periods in the service's zone: where a day, week, month or year starts and ends."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from points.periods import period_end, period_start

ZONE = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(("period", "start", "end"), [
    ("day", datetime(2026, 11, 30, 0, 0), datetime(2026, 12, 1, 0, 0)),
    ("week", datetime(2026, 11, 30, 0, 0), datetime(2026, 12, 7, 0, 0)),  # Monday to Monday
    ("month", datetime(2026, 11, 1, 0, 0), datetime(2026, 12, 1, 0, 0)),
    ("year", datetime(2026, 1, 1, 0, 0), datetime(2027, 1, 1, 0, 0)),
])
def test_23_30_on_the_last_day_falls_in_its_period(period, start, end):
    last_day = datetime(2026, 12, 31) if period == "year" else datetime(2026, 11, 30)
    late = last_day.replace(hour=23, minute=30, tzinfo=ZONE)
    begins = period_start(late, period)
    assert begins == start.replace(tzinfo=ZONE)
    assert period_end(begins, period) == end.replace(tzinfo=ZONE)
    assert begins <= late < period_end(begins, period)


def test_december_ends_at_new_year_and_all_time_has_no_end():
    december = datetime(2026, 12, 1, tzinfo=ZONE)
    assert period_end(december, "month") == datetime(2027, 1, 1, tzinfo=ZONE)
    assert period_start(december, "all") is None and period_end(december, "all") is None
