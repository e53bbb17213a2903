"""Check-ins (签到): one per member and activity; points on arrival or, per hour, on check-out."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    bindparam,
    exists,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, aliased, column_property, mapped_column

from .activities import Activity, ensure_inside, ensure_open
from .claims import submit_claim
from .codes import InvalidCode
from .communities import Community
from .copies import Copies, columns_of, copied
from .db import Base, UTCDateTime, fetch, insert_unless_taken, keyset
from .earning import earn_up_to_cap
from .errors import AlreadyDone, Conflict, LimitReached, NotFound
from .ledger import Transfer
from .members import Member
from .rules import Rule, current_rule, in_force, latest_rule, latest_version_of
from .tallies import attended, served, tally

STATUSES = ("open", "awarded", "pending_review")
CAPS = ("daily_cap",)  # why a check-in was paid less than its rule's points
METHOD_NAMES = {"printed": "printed code (打印二维码)", "live": "screen code (签到大屏)", "card": "member card (会员卡)"}


class AlreadyCheckedIn(AlreadyDone):
    code = "already_checked_in"


_REVERSAL = aliased(Transfer)


class Checkin(Base):
    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("activity_id", "member_id"),
        CheckConstraint(f"status IN {STATUSES!r}", name="status"),
        Index("ix_checkins_status_activity", "status", "activity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(16))  # printed, live or card
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime)
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes: Mapped[int | None] = mapped_column()
    points: Mapped[int] = mapped_column(default=0)
    claim_id: Mapped[int | None] = mapped_column()
    # Why fewer points than the rule's were paid (the member reached today's cap); attendance counts.
    capped: Mapped[str | None] = mapped_column(String(16))
    # The award points at its check-in (transfers.checkin_id); read it from there: the one not
    # reversed (an undone check-out's award is, and the next check-out pays anew).
    transfer_id: Mapped[int | None] = column_property(
        select(Transfer.id).where(Transfer.checkin_id == id, Transfer.kind == "earn",
                                  ~exists().where(_REVERSAL.reverses_id == Transfer.id))
        .order_by(Transfer.id.desc()).limit(1).scalar_subquery())


@dataclass(frozen=True)
class Parties:
    """What a check-in is between: the activity, the member (with their community, whose points
    validity dates an award's lot) and the newest version of the activity's rule (None: none)."""

    activity: Activity
    member: Member
    rule: Rule | None


def parties(session: Session, *, activity_id: int, member_id: int) -> Parties:
    """The parties of a check-in in one query, as plain copies (`points.copies`): the write path
    reads them and never again, so the ORM's loading of them would be spent for nothing."""
    row = session.connection().execute(_PARTIES, {"activity": activity_id, "member": member_id}).one()
    community, member, activity, rule = copied(row, _PARTY_COPIES)
    if activity is None:
        raise NotFound(f"activity {activity_id} not found")
    member.community = community
    return Parties(activity, member, rule)


def check_in(session: Session, *, activity: Activity, member: Member, now: datetime, grace: timedelta,
             method: str, lat: float | None = None, lng: float | None = None, rule: Rule | None = None) -> Checkin:
    """Check a member in: once per activity, inside its window, place and capacity.

    `rule` is the newest version of the activity's rule if the caller read it with them
    (`parties`); without it, it is read here.

    The check-in row is claimed first, by an insert that does nothing if the member is
    already in: UNIQUE(activity, member) makes two phones scanning at once end with one
    check-in, before any place is taken or any point moves.
    """
    if member.community_id != activity.community_id:
        raise NotFound(f"activity {activity.id} not found")
    if method not in activity.methods:
        raise InvalidCode(f"{activity.title} does not accept check-in by {METHOD_NAMES[method]}")
    ensure_open(activity, now=now, grace=grace)
    if method != "card":  # a card is scanned by the organiser on site: the phone's place says nothing
        ensure_inside(activity, lat=lat, lng=lng)
    rule = (current_rule(session, community_id=activity.community_id, code=activity.rule_code) if rule is None
            else in_force(rule, community_id=activity.community_id, code=activity.rule_code))
    status = arrival_status(rule)
    checkin = Checkin(activity_id=activity.id, member_id=member.id, status=status, method=method,
                      checked_in_at=now, points=rule.points if status == "awarded" else 0)
    checkin.id = insert_unless_taken(session, Checkin.__table__, unique=["activity_id", "member_id"], values={
        column: getattr(checkin, column)
        for column in ("activity_id", "member_id", "status", "method", "checked_in_at", "points")})
    if checkin.id is None:
        raise AlreadyCheckedIn(f"{member.name} already checked in to {activity.title}")
    if activity.capacity is not None:
        _take_a_place(session, activity)
    if status == "pending_review":
        checkin.claim_id = submit_claim(session, member=member, rule_code=rule.code, now=now, activity_id=activity.id,
                                        description=f"活动签到: {activity.title}").id
        checkins = Checkin.__table__
        session.connection().execute(checkins.update().where(checkins.c.id == checkin.id)
                                     .values(claim_id=checkin.claim_id))
    if status == "awarded":
        _pay_arrival(session, checkin, member=member, rule=rule, activity=activity, now=now)
    else:
        tally(session, member=member, at=now, deeds=attended(activity.id))
    return checkin


def _pay_arrival(session: Session, checkin: Checkin, *, member: Member, rule: Rule, activity: Activity,
                 now: datetime) -> None:
    """Pay a per-event check-in what today's cap still allows. Past the cap the member was there all
    the same: the check-in stands with fewer points (or none), marked `capped`, and counts as attended."""
    record = earn_up_to_cap(session, member=member, rule=rule, now=now, points=rule.points, memo=activity.title,
                            also=attended(activity.id), activity_id=activity.id, checkin_id=checkin.id)
    checkin.transfer_id = record.id if record else None
    if record is None:
        tally(session, member=member, at=now, deeds=attended(activity.id))
    if (record.amount if record else 0) < rule.points:
        checkin.points, checkin.capped = (record.amount if record else 0), "daily_cap"
        checkins = Checkin.__table__
        session.connection().execute(checkins.update().where(checkins.c.id == checkin.id)
                                     .values(points=checkin.points, capped=checkin.capped))


def arrival_status(rule: Rule) -> str:
    """What a check-in under `rule` is on arrival: a claim for review, paid at once (per event),
    or open until check-out (per hour)."""
    if rule.requires_review:
        return "pending_review"
    return "awarded" if rule.basis == "per_event" else "open"


def minutes_served(activity: Activity, *, checked_in_at: datetime, checked_out_at: datetime) -> int:
    """Whole minutes from the later of check-in and the start to the earlier of check-out and the end."""
    served = min(checked_out_at, activity.ends_at) - max(checked_in_at, activity.starts_at)
    return max(0, int(served.total_seconds() // 60))


def check_out(session: Session, *, checkin: Checkin, now: datetime, memo: str = "") -> Checkin:
    """Close an open per-hour check-in and award its full hours (up to the rule's daily cap).

    Time counts from the later of check-in and the activity's start to the earlier of
    `now` and its end.
    """
    closed = session.execute(
        update(Checkin).where(Checkin.id == checkin.id, Checkin.status == "open")
        .values(status="awarded", checked_out_at=now).execution_options(synchronize_session=False)
    ).rowcount
    if closed != 1:
        raise Conflict("this check-in is already closed")
    session.refresh(checkin)
    activity = session.get(Activity, checkin.activity_id)
    member = session.get(Member, checkin.member_id)
    # The rule's latest version: if it was retired while the patrol ran, it pays nothing.
    rule = latest_rule(session, community_id=activity.community_id, code=activity.rule_code)
    minutes = minutes_served(activity, checked_in_at=checkin.checked_in_at, checked_out_at=now)
    hours = minutes // 60
    record = earn_up_to_cap(session, member=member, rule=rule, now=now, points=hours * rule.points,
                            also=served(minutes), activity_id=activity.id, checkin_id=checkin.id,
                            memo=memo or f"{activity.title} {hours} 小时")
    if record is None and minutes:  # nothing paid (capped, retired), but the time was served
        tally(session, member=member, at=now, deeds=served(minutes))
    checkin.minutes, checkin.points = minutes, record.amount if record else 0
    session.flush()
    session.expire(checkin, ["transfer_id"])
    return checkin


def close_open_checkins(session: Session, *, now: datetime, grace: timedelta, limit: int = 500) -> list[Checkin]:
    """Check out everyone still open on activities whose window (plus grace) has ended.

    Policy: a volunteer who forgot to check out is credited up to the activity's end.
    Safe to run at any time and from several machines: each check-in closes once.
    """
    due = session.scalars(
        select(Checkin).join(Activity, Activity.id == Checkin.activity_id)
        .where(Checkin.status == "open", Activity.ends_at < now - grace)
        .order_by(Checkin.id).limit(limit)
    ).all()
    return _check_out_each(session, due, now=now, memo="活动结束自动签退")


def check_out_everyone(session: Session, *, activity: Activity, now: datetime) -> list[Checkin]:
    """An organiser closes an activity's open check-ins now (those who forgot, or left together)."""
    due = session.scalars(select(Checkin).where(Checkin.activity_id == activity.id, Checkin.status == "open")
                          .order_by(Checkin.id)).all()
    return _check_out_each(session, due, now=now, memo="组织者统一签退")


def _check_out_each(session: Session, due, *, now: datetime, memo: str) -> list[Checkin]:
    closed = []
    for checkin in due:
        try:
            with session.begin_nested():
                closed.append(check_out(session, checkin=checkin, now=now, memo=memo))
        except Conflict:  # closed meanwhile, by its volunteer or by another run
            continue
    return closed


def get_checkin(session: Session, checkin_id: int) -> Checkin:
    return fetch(session, Checkin, checkin_id, "check-in")


def open_checkins_of(session: Session, member_id: int) -> list[Checkin]:
    """The member's check-ins still waiting for a check-out (per-hour activities), newest first."""
    return list(session.scalars(select(Checkin).where(Checkin.member_id == member_id, Checkin.status == "open")
                                .order_by(Checkin.id.desc()).limit(20)))


def find_checkins(session: Session, *, activity_id: int, cursor: int | None = None,
                  limit: int = 50) -> list[Checkin]:
    query = keyset(select(Checkin).where(Checkin.activity_id == activity_id), Checkin.id, cursor=cursor, limit=limit)
    return list(session.scalars(query))


def attendance(session: Session, *, activity_id: int, limit: int = 1000) -> list[tuple[Checkin, Member]]:
    """Who checked in to an activity, in the order they arrived, with their member record."""
    return list(session.execute(select(Checkin, Member).join(Member, Member.id == Checkin.member_id)
                                .where(Checkin.activity_id == activity_id).order_by(Checkin.id).limit(limit)).all())


def _take_a_place(session: Session, activity: Activity) -> None:
    # Conditional UPDATE: of fifty volunteers racing for forty places, exactly forty pass.
    if session.connection().execute(_TAKE_A_PLACE, {"activity": activity.id}).rowcount != 1:
        raise LimitReached(f"{activity.title} is full ({activity.capacity} places)", kind="capacity",
                           limit=activity.capacity, left=0)


_activities = Activity.__table__
_PARTY_COPIES = (Copies(Community), Copies(Member), Copies(Activity, "methods"), Copies(Rule, "retired"))
_PARTIES = (select(*columns_of(_PARTY_COPIES)).select_from(Member).join(Community, Community.id == Member.community_id)
            .outerjoin(Activity, Activity.id == bindparam("activity"))
            .outerjoin(Rule, Rule.id == latest_version_of(Activity.community_id, Activity.rule_code))
            .where(Member.id == bindparam("member")))
_TAKE_A_PLACE = (_activities.update().where(_activities.c.id == bindparam("activity"))
                 .where(_activities.c.places_taken < _activities.c.capacity)
                 .values(places_taken=_activities.c.places_taken + 1))

# How many have checked in: one indexed count, loaded only where it is shown (activity lists
# undefer the "counts" group; one activity counts on first access), never on a check-in.
Activity.checkin_count = column_property(
    select(func.count(Checkin.id)).where(Checkin.activity_id == Activity.id).correlate_except(Checkin)
    .scalar_subquery(), deferred=True, group="counts")

