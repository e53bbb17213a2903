"""Activities (活动): a patrol, a leafleting round, a training — a rule, a window, maybe a place."""
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, String, select, tuple_
from sqlalchemy.orm import Mapped, Session, mapped_column, undefer_group

from .db import Base, UTCDateTime, fetch, keyset, within
from .errors import DomainError, Invalid
from .rules import current_rule

EARTH_RADIUS_M = 6_371_000
# How a volunteer may check in: the printed QR, the 30-second screen code, or their member
# card scanned by an organiser on site. An activity accepts a subset (default all three).
CHECKIN_METHODS = ("printed", "live", "card")


class ActivityNotOpen(DomainError):
    code = "activity_not_open"


class OutsideArea(DomainError):
    code = "outside_area"


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="window"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint("places_taken >= 0 AND (capacity IS NULL OR places_taken <= capacity)",
                        name="within_capacity"),
        CheckConstraint("radius_m IS NULL OR (lat IS NOT NULL AND lng IS NOT NULL AND radius_m > 0)",
                        name="geofence"),
        Index("ix_activities_community_starts", "community_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    rule_code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    radius_m: Mapped[int | None] = mapped_column()
    capacity: Mapped[int | None] = mapped_column()
    checkin_methods: Mapped[str] = mapped_column(String(32), default=",".join(CHECKIN_METHODS),
                                                 server_default=",".join(CHECKIN_METHODS))
    # Counted only where there is a capacity, so that check is one conditional UPDATE (and an
    # unlimited patrol's row is not a lock every check-in queues on). `checkin_count` is
    # the number of check-ins, a deferred count (see points.checkins).
    places_taken: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Cancelled (取消): no more check-ins, and what it paid was reversed with this reason.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(500))

    @property
    def methods(self) -> list[str]:
        """The check-in methods this activity accepts, in CHECKIN_METHODS order."""
        return [method for method in CHECKIN_METHODS if method in self.checkin_methods.split(",")]

    @property
    def location(self) -> dict | None:
        if self.radius_m is None:
            return None
        return {"lat": self.lat, "lng": self.lng, "radius_m": self.radius_m}


@dataclass(frozen=True)
class Place:
    lat: float
    lng: float
    radius_m: int


def plan_activity(session: Session, *, community_id: int, rule_code: str, title: str, starts_at: datetime,
                  ends_at: datetime, now: datetime, place: Place | None = None,
                  capacity: int | None = None, checkin_methods: tuple[str, ...] = CHECKIN_METHODS) -> Activity:
    """Schedule an activity under a live rule; the window may lie in the past (back-filling)."""
    if ends_at <= starts_at:
        raise Invalid("ends_at must be after starts_at", field="ends_at")
    if not checkin_methods or not set(checkin_methods) <= set(CHECKIN_METHODS):
        raise Invalid(f"checkin_methods: some of {', '.join(CHECKIN_METHODS)}", field="checkin_methods")
    current_rule(session, community_id=community_id, code=rule_code)
    activity = Activity(community_id=community_id, rule_code=rule_code, title=title, starts_at=starts_at,
                        ends_at=ends_at, capacity=capacity, places_taken=0, created_at=now,
                        checkin_methods=",".join(m for m in CHECKIN_METHODS if m in checkin_methods),
                        lat=place.lat if place else None, lng=place.lng if place else None,
                        radius_m=place.radius_m if place else None)
    session.add(activity)
    session.flush()
    return activity


def get_activity(session: Session, activity_id: int) -> Activity:
    return fetch(session, Activity, activity_id, "activity")


def find_activities(session: Session, *, community_id: int | None, starting_from: datetime | None = None,
                    starting_before: datetime | None = None, cursor: int | None = None,
                    limit: int = 50) -> list[Activity]:
    """Activities by id; `starting_from`/`starting_before` bound their start."""
    query = _starting(community_id, start=starting_from, end=starting_before)
    return list(session.scalars(keyset(query, Activity.id, cursor=cursor, limit=limit)))


def activities_starting(session: Session, *, community_id: int | None, start: datetime, end: datetime | None = None,
                        ends_from: datetime | None = None, ends_before: datetime | None = None,
                        after: int | None = None, newest_first: bool = False, limit: int) -> list[Activity]:
    """Activities starting in [start, end) and, if given, ending in [ends_from, ends_before),
    in the order they start (the latest first if `newest_first`), at most `limit` of them: one
    range of the (community, start) index.

    `after` (an activity's id) continues a previous page: the activities that come after that
    one in the same order.
    """
    query = within(_starting(community_id, start=start, end=end), Activity.ends_at, start=ends_from, end=ends_before)
    if after is not None:
        key = tuple_(Activity.starts_at, Activity.id)
        then = tuple_(select(Activity.starts_at).where(Activity.id == after).scalar_subquery(), after)
        query = query.where(key < then if newest_first else key > then)
    order = (Activity.starts_at.desc(), Activity.id.desc()) if newest_first else (Activity.starts_at, Activity.id)
    return list(session.scalars(query.order_by(*order).limit(limit)))


def _starting(community_id: int | None, *, start: datetime | None, end: datetime | None):
    """The community's activities (every community's: None) starting in [start, end), with their
    check-in counts: what both lists select."""
    query = within(select(Activity).options(undefer_group("counts")), Activity.starts_at, start=start, end=end)
    return query if community_id is None else query.where(Activity.community_id == community_id)


def open_now(session: Session, *, community_id: int, now: datetime, grace: timedelta,
             limit: int = 100) -> list[Activity]:
    """A community's activities open for check-in now (inside their window, give or take `grace`)."""
    return list(session.scalars(select(Activity).where(
        Activity.community_id == community_id, Activity.starts_at <= now + grace, Activity.ends_at >= now - grace)
        .order_by(Activity.starts_at).limit(limit)))


def check_in_over(activity: Activity, *, now: datetime, grace: timedelta) -> bool:
    """Whether the activity's check-in (its window and the grace after it) has ended for good,
    or the activity was cancelled."""
    return activity.cancelled_at is not None or now > activity.ends_at + grace


def ensure_open(activity: Activity, *, now: datetime, grace: timedelta) -> None:
    if activity.cancelled_at is not None:
        raise ActivityNotOpen(f"{activity.title} was cancelled: {activity.cancel_reason}")
    if now < activity.starts_at - grace or check_in_over(activity, now=now, grace=grace):
        raise ActivityNotOpen(f"{activity.title} is open for check-in from "
                              f"{activity.starts_at.isoformat()} to {activity.ends_at.isoformat()}")


def ensure_inside(activity: Activity, *, lat: float | None, lng: float | None) -> None:
    """Refuse a check-in away from the activity's place (when it has one)."""
    if activity.radius_m is None:
        return
    if lat is None or lng is None:
        raise OutsideArea("this activity needs your location to check in")
    distance = distance_m(activity.lat, activity.lng, lat, lng)
    if distance > activity.radius_m:
        raise OutsideArea(f"you are {distance:.0f} m from {activity.title}; check in within {activity.radius_m} m")


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))
