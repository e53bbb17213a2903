"""Service-hours certificates (志愿服务时长证明): issued for a member over a period, checked by anyone
who holds the paper through its serial."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from points.certificates import Certificate, certificate_of, certify
from points.communities import Community
from points.errors import Invalid
from points.masking import masked_name
from points.members import Member

from ..http.paper import Paper, certificate_pdf
from ..identity.access import visible_member
from ..identity.principal import Principal
from .events import announce

LONGEST = timedelta(days=366 * 10)
DAYS = (date(2000, 1, 1), date(2200, 12, 31))  # what a certificate's period may name


@dataclass(frozen=True)
class Issued:
    certificate: Certificate
    name: str        # the member's full name (on the paper); masked on the public check
    community: str

    @property
    def hours(self) -> str:
        """Hours served, to a tenth: 12.5."""
        return f"{self.certificate.minutes / 60:.1f}"

    def start(self, zone) -> datetime:
        return self.certificate.starts_at.astimezone(zone)

    def last_day(self, zone) -> datetime:
        return (self.certificate.ends_at - timedelta(seconds=1)).astimezone(zone)


def period(start: date | None, end: date | None, *, now: datetime) -> tuple[datetime, datetime]:
    """[from, to] as local days (to included) to [start, end) instants; this year so far by default."""
    today = now.date()
    start, end = start or today.replace(month=1, day=1), end or today
    for name, day in (("from", start), ("to", end)):
        if not DAYS[0] <= day <= DAYS[1]:
            raise Invalid(f"{name} must be a day from 2000 to 2200", field=name)
    if end < start:
        raise Invalid("to comes before from", field="to")
    begin = datetime.combine(start, time(), now.tzinfo)
    stop = datetime.combine(end + timedelta(days=1), time(), now.tzinfo)
    if stop - begin > LONGEST:
        raise Invalid("a certificate covers at most ten years", field="from")
    return begin, stop


def issue_certificate(session: Session, actor: Principal, *, member_id: int, start: date | None = None,
                      end: date | None = None, now: datetime) -> Issued:
    """The certificate of a member's service (volunteers their own, organisers their community's):
    the one issued before for the same facts, or a new serial."""
    member = visible_member(session, actor, member_id)
    begin, stop = period(start, end, now=now)
    certificate = certify(session, member=member, start=begin, end=stop, now=now)
    announce(session, actor, "certificate", at=now, community_id=member.community_id, member_id=member.id,
             audited=False, serial=certificate.serial, minutes=certificate.minutes)
    return Issued(certificate=certificate, name=member.name, community=member.community.name)


def checked_certificate(session: Session, serial: str) -> Issued | None:
    """What the certificate under `serial` says, the name masked (public); None for a serial never issued."""
    certificate = certificate_of(session, serial)
    if certificate is None:
        return None
    member = session.get(Member, certificate.member_id)
    return Issued(certificate=certificate, name=masked_name(member.name),
                  community=session.get(Community, certificate.community_id).name)


def certificate_download(session: Session, actor: Principal, *, member_id: int, start: date | None,
                         end: date | None, now: datetime, zone, verify_url) -> tuple[bytes, str]:
    """The certificate as an A4 PDF, and its file name: `verify_url(serial)` is the link its QR holds."""
    issued = issue_certificate(session, actor, member_id=member_id, start=start, end=end, now=now)
    data = certificate_file(issued, zone=zone, verify_url=verify_url(issued.certificate.serial))
    return data, f"志愿服务时长证明 {issued.name} {issued.certificate.serial}"


def certificate_file(issued: Issued, *, zone, verify_url: str) -> bytes:
    """The certificate as an A4 PDF."""
    certificate = issued.certificate
    return certificate_pdf(Paper(
        community=issued.community, name=issued.name, start=issued.start(zone), end=issued.last_day(zone),
        hours=issued.hours, activities=certificate.activities, points=certificate.points, serial=certificate.serial,
        issued=certificate.issued_at.astimezone(zone), verify_url=verify_url))
