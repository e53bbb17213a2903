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
