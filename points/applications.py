"""Applications to join (入队申请): a resident asks to become a volunteer of a community with the
password they chose; an organiser approves (they become a member who signs in with it) or rejects."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from .communities import Community, get_community
from .db import Base, UTCDateTime, fetch, keyset
from .errors import AlreadyReviewed, Conflict, NotFound, PhoneTaken
from .members import Member, enrol_member
from .passwords import hash_password

STATUSES = ("pending", "approved", "rejected")


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES!r}", name="status"),
        Index("ix_applications_community_status", "community_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(32), index=True)
    team: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(String(500))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))


class ApplicationPending(Conflict):
    """This phone has applied already and waits for the organiser."""


def file_application(session: Session, *, community_id: int, name: str, phone: str, password: str, now: datetime,
                     team: str | None = None, address: str | None = None) -> Application:
    """A resident applies; PhoneTaken if a member has this phone, ApplicationPending if it applied already."""
    get_community(session, community_id)
    if session.scalar(select(Member.id).where(Member.phone == phone)) is not None:
        raise PhoneTaken(f"phone {phone} is already registered")
    if session.scalar(select(Application.id).where(Application.phone == phone, Application.status == "pending")):
        raise ApplicationPending(f"phone {phone} has applied already")
    application = Application(community_id=community_id, name=name, phone=phone, team=team, address=address,
                              password_hash=hash_password(password), status="pending", created_at=now)
    session.add(application)
    session.flush()
    return application


def community_to_join(session: Session, code: str) -> Community:
    """The community a join poster names by its code."""
    community = session.scalar(select(Community).where(Community.code == code[:64]))
    if community is None:
        raise NotFound(f"no community {code!r}")
    return community


def get_application(session: Session, application_id: int) -> Application:
    return fetch(session, Application, application_id, "application")


def refuse_decided(application: Application) -> None:
    """AlreadyReviewed unless the application still waits for a decision."""
    if application.status != "pending":
        raise AlreadyReviewed(f"application {application.id} was decided already")


def _decide(session: Session, application: Application, *, status: str, now: datetime, **values) -> None:
    """Move a pending application to `status`, once: of two organisers deciding at the same moment,
    the conditional update lets one through and the other gets AlreadyReviewed."""
    decided = session.execute(update(Application).where(Application.id == application.id,
                                                        Application.status == "pending")
                              .values(status=status, decided_at=now, **values)
                              .execution_options(synchronize_session=False))
    if decided.rowcount != 1:
        raise AlreadyReviewed(f"application {application.id} was decided already")
    session.refresh(application)


def admit(session: Session, application: Application, *, now: datetime) -> Member:
    """Enrol the applicant as a member who signs in with the password they chose."""
    _decide(session, application, status="approved", now=now)
    member = enrol_member(session, community_id=application.community_id, name=application.name,
                          phone=application.phone, team=application.team, now=now)
    member.password_hash = application.password_hash
    application.member_id = member.id
    session.flush()
    return member


def turn_down(session: Session, application: Application, *, reason: str, now: datetime) -> Application:
    """Turn the application down, saying why."""
    _decide(session, application, status="rejected", now=now, reason=reason)
    return application


def find_applications(session: Session, *, community_id: int | None = None, status: str | None = None,
                      cursor: int | None = None, limit: int = 50) -> list[Application]:
    """Applications, newest first, of a community (every community's when None) and status."""
    query = select(Application)
    if community_id is not None:
        query = query.where(Application.community_id == community_id)
    if status is not None:
        query = query.where(Application.status == status)
    return list(session.scalars(keyset(query, Application.id, cursor=cursor, limit=limit, newest_first=True)))
