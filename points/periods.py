"""Calendar periods in the service's zone: what "this week" or "this month" means for limits and reports."""
from datetime import date, datetime, timedelta

PERIODS = ("day", "week", "month", "year", "all")
# The periods figures are kept for (see points.tallies), and the one "period" of span all.
SPANS = ("week", "month", "year", "all")
ALL_TIME = date(1, 1, 1)


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


def starts_on(at: datetime, span: str) -> date:
    """The first day of the `span` containing `at`, in `at`'s own zone (ALL_TIME for "all")."""
    start = period_start(at, span)
    return ALL_TIME if start is None else start.date()


def next_start(start: date, span: str) -> date | None:
    """The first day of the period after the one starting on `start` (None after all time)."""
    if span == "week":
        return start + timedelta(days=7)
    if span == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    if span == "year":
        return date(start.year + 1, 1, 1)
    return None


def period_end(start: datetime, period: str) -> datetime | None:
    """The start of the period after the one that starts at `start` (None for "all")."""
    if period == "day":
        return start + timedelta(days=1)
    following = next_start(start.date(), period)
    return None if following is None else start.replace(year=following.year, month=following.month,
                                                         day=following.day)
