"""Calendar periods in the service's zone: what "this week" or "this month" means for limits and reports."""
from datetime import datetime, timedelta

PERIODS = ("day", "week", "month", "year", "all")


def period_start(now: datetime, period: str) -> datetime | None:
    """The start of `now`'s period in `now`'s own zone (None for "all": no start)."""
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "day":
        return day
    if period == "week":
        return day - timedelta(days=day.weekday())  # weeks start on Monday
    if period == "month":
        return day.replace(day=1)
    if period == "year":
        return day.replace(month=1, day=1)
    if period == "all":
        return None
    raise ValueError(f"unknown period {period!r}")


def period_end(start: datetime, period: str) -> datetime | None:
    """The start of the period after the one that starts at `start` (None for "all")."""
    if period == "day":
        return start + timedelta(days=1)
    if period == "week":
        return start + timedelta(days=7)
    if period == "month":
        return (start.replace(day=1) + timedelta(days=32)).replace(day=1)
    if period == "year":
        return start.replace(year=start.year + 1)
    if period == "all":
        return None
    raise ValueError(f"unknown period {period!r}")
