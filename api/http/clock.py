"""The service's clock, in its local zone; tests replace it to control time."""
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app


class SystemClock:
    def __init__(self, zone: str):
        self.zone = ZoneInfo(zone)

    def now(self) -> datetime:
        return datetime.now(self.zone)


def now() -> datetime:
    """The current time in the service's zone (which decides what "today" is)."""
    return current_app.extensions["benniu"].clock.now()


def zone() -> ZoneInfo:
    return current_app.extensions["benniu"].clock.zone


def month_start(text: str) -> datetime:
    """The first moment of the month `text` names (`YYYY-MM`, anything after ignored) in the
    service's zone; ValueError if it names none (or one before 2000 or after 2200)."""
    month = datetime.strptime(text[:7], "%Y-%m").replace(tzinfo=zone())
    if not 2000 <= month.year <= 2200:
        raise ValueError(f"no month {text!r}")
    return month
