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
