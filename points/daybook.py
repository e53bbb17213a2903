"""A day book for recounting the tallies: deeds summed per member and local day (figures per
community slot and month) as they are read, then spread over the tallies' periods once per sum.

A recount reads millions of rows; each costs here a few dictionary updates. What a deed adds is
still decided by points.tallies (its builders, `figure_rows`) and where a period starts by
points.periods, but once per distinct deed and per distinct day, not once per row.
"""
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from operator import add
from typing import NamedTuple

from .periods import SPANS, starts_on
from .tallies import COUNTS, FIGURES, Deeds, Figure, figure_rows

_HOUR = timedelta(hours=1)
_CHANGES = object()  # the zone's offset changes within this hour


class Place(NamedTuple):
    """Where a member's community figures go (what `figure_rows` reads of a member)."""

    community_id: int
    issuance_account_id: int


def active() -> Deeds:
    """A member who earned (net) in a month counts once as active in it."""
    return Deeds(figures=(Figure("active", count=1),))


class Daybook:
    """Deeds entered one by one, in any order; `tallies` sums them as points.tallies keeps them."""

    def __init__(self, zone: tzinfo, places: dict[int, Place]):
        self.zone, self.places = zone, places
        self.days: dict[tuple[int, date], list[int]] = {}  # (member id, local day): COUNTS
        self.figures: dict[tuple, int] = defaultdict(int)  # (place, month's first day, deed): times
        self._deeds: dict[tuple, tuple[Deeds, tuple]] = {}  # (builder, arguments): (deeds, nonzero counts)
        self._offsets: dict[datetime, object] = {}  # a UTC hour: the zone's offset all through it
        self._months: dict[date, date] = {}  # a day: its month's first day

    def enter(self, member_id: int, at: datetime, make: Callable[..., Deeds], *arguments) -> None:
        """The deeds `make(*arguments)` of the member at `at` (an aware datetime, best in UTC)."""
        deed = (make, arguments)
        known = self._deeds.get(deed)
        if known is None:
            known = self._deeds[deed] = self._known(make(*arguments))
        day = self._day_of(at)
        if known[1]:
            totals = self.days.get((member_id, day))
            if totals is None:
                totals = self.days[(member_id, day)] = [0] * len(COUNTS)
            for index, value in known[1]:
                totals[index] += value
        if known[0].figures:
            month = self._months.get(day) or self._month_of(day)
            self.figures[(self.places[member_id], month, deed)] += 1

    def tallies(self) -> tuple[dict, dict]:
        """({(member_id, span, starts_on): COUNTS}, {(community_id, month, measure, subject, slot): FIGURES}),
        rows of zeros left out: what `points.recount.expected_tallies` returns."""
        # Weeks and months from the days; years from the months and all time from the years,
        # as each month lies within one year (weeks do not).
        months = _rolled(self.days, "month")
        years = _rolled(months, "year")
        spans = {"week": _rolled(self.days, "week"), "month": months, "year": years, "all": _rolled(years, "all")}
        entered = defaultdict(int, self.figures)
        for (member_id, start), counts in months.items():
            if counts[0] > 0:  # earned
                entered[(self.places[member_id], start, (active, ()))] += 1
        self._deeds[(active, ())] = self._known(active())
        figures = defaultdict(lambda: [0] * len(FIGURES))
        for (place, month, deed), times in entered.items():
            noon = datetime.combine(month, time(12))
            for row in figure_rows(place, noon, list(self._deeds[deed][0].figures)):
                totals = figures[tuple(row[name] for name in ("community_id", "month", "measure", "subject", "slot"))]
                for index, name in enumerate(FIGURES):
                    totals[index] += row[name] * times
        members = (((member_id, span, start), counts) for span in SPANS
                   for (member_id, start), counts in spans[span].items())
        return without_zeros(members), without_zeros(figures.items())

    @staticmethod
    def _known(deeds: Deeds) -> tuple[Deeds, tuple]:
        return deeds, tuple((index, getattr(deeds, name)) for index, name in enumerate(COUNTS) if getattr(deeds, name))

    def _day_of(self, at: datetime) -> date:
        """`at`'s day in the zone. The zone's offset is looked up once per UTC hour
        (exact for offsets of any minutes); an hour in which it changes is converted row by row."""
        if at.tzinfo is not timezone.utc:  # the database reads UTC; anything else is converted first
            at = at.astimezone(timezone.utc)
        hour = at.replace(minute=0, second=0, microsecond=0)
        offset = self._offsets.get(hour)
        if offset is None:
            offset = self._offsets[hour] = _offset_through(hour, self.zone)
        if offset is _CHANGES:
            return at.astimezone(self.zone).date()
        return (at + offset).date()  # the wall clock's day (the sum is still labelled UTC)

    def _month_of(self, day: date) -> date:
        month = self._months[day] = starts_on(datetime.combine(day, time(12)), "month")
        return month


def _offset_through(hour: datetime, zone: tzinfo):
    """The zone's UTC offset all through the hour from `hour`, or _CHANGES."""
    first, last = (moment.astimezone(zone).utcoffset() for moment in (hour, hour + _HOUR - timedelta.resolution))
    return first if first == last else _CHANGES


def _rolled(sums: dict, span: str) -> dict:
    """{(member_id, day or a period's first day): COUNTS} added up per member and `span` period."""
    starts, rolled = {}, {}
    for (member_id, day), counts in sums.items():
        start = starts.get(day)
        if start is None:
            start = starts[day] = starts_on(datetime.combine(day, time(12)), span)
        held = rolled.get((member_id, start))
        rolled[(member_id, start)] = counts if held is None else tuple(map(add, held, counts))
    return rolled


def without_zeros(rows) -> dict:
    """{key: tuple of values} from (key, values) pairs, rows of zeros left out."""
    return {key: tuple(values) for key, values in rows if any(values)}

