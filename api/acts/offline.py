"""Offline card check-in (离线签到): an organiser's phone scanned member cards with no signal and
uploads them now. Each scan is a card check-in at the time it was scanned (`checkins.check_in_by_card`,
so a card is read the same way online and offline), answered once per nonce.
"""
from dataclasses import dataclass
from datetime import datetime

from marshmallow import Schema, fields, validate
from sqlalchemy.orm import Session

from points.checkins import AlreadyCheckedIn
from points.errors import DomainError
from points.offline import Answer, claim_nonce, ensure_uploadable, settle

from ..http.fields import LocalDateTime
from ..identity.access import visible_activity
from ..identity.principal import Principal
from .activities import activity_party
from .checkins import check_in_by_card
from .events import announce

MAX_SCANS = 500  # one upload; a phone with more sends them in several
NONCE = r"^[A-Za-z0-9_-]{8,64}$"


class ScanSchema(Schema):
    card = fields.String(required=True, validate=validate.Length(min=1, max=300),
                         metadata={"description": "what the member card gave: its QR text (or number)"})
    at = LocalDateTime(required=True, metadata={"description": "when the card was scanned, by the phone's clock"})
    nonce = fields.String(required=True, validate=validate.Regexp(NONCE, error="8 to 64 letters, digits, - or _"),
                          metadata={"description": "the scan's own id, fresh for each scan: a repeat is answered "
                                                   "as the first time"})


class OfflineArgsSchema(Schema):
    device = fields.String(required=True, validate=validate.Length(min=1, max=100),
                           metadata={"description": "which phone scanned (kept with each scan)"})
    scans = fields.List(fields.Nested(ScanSchema), required=True, validate=validate.Length(min=1, max=MAX_SCANS))


@dataclass(frozen=True)
class Scan:
    """One scan as the phone kept it: the card's text, when it was scanned, and its own nonce."""

    card: str
    at: datetime
    nonce: str


def scans_of(args: dict) -> list[Scan]:
    """The scans of an upload as `OfflineArgsSchema` loaded them."""
    return [Scan(card=scan["card"], at=scan["at"], nonce=scan["nonce"]) for scan in args["scans"]]


def check_in_offline(session: Session, actor: Principal, *, activity_id: int, device: str, scans: list[Scan],
                     now: datetime) -> list[Answer]:
    """Take a phone's offline scans for an activity the actor may see: each nonce is answered once
    (a repeated upload gets the first answers back and changes nothing), each member checks in
    once (a card scanned twice: the earlier scan counts, the later is a duplicate). Answers come
    back in the order the scans were sent."""
    activity = visible_activity(session, actor, activity_id)
    answers: dict[str, Answer] = {}
    # Earliest first (a card's first scan is its check-in); the same order in every upload of a
    # batch, so two uploads of it at once take their rows' locks in one order.
    for scan in sorted(scans, key=lambda scan: (scan.at, scan.nonce)):
        kept = claim_nonce(session, activity_id=activity.id, nonce=scan.nonce, device=device, scanned_at=scan.at,
                           now=now)
        answers[scan.nonce] = kept or settle(session, activity_id=activity.id,
                                             answer=_answer(session, actor, activity, scan, now=now))
    counts = {status: sum(1 for answer in answers.values() if answer.status == status)
              for status in ("accepted", "duplicate", "refused")}
    announce(session, actor, "offline_checkins", at=now, community_id=activity.community_id,
             subject=activity_party(activity), activity_id=activity.id, device=device, scans=len(scans), **counts)
    return [answers[scan.nonce] for scan in scans]


def _answer(session: Session, actor: Principal, activity, scan: Scan, *, now: datetime) -> Answer:
    """A new scan's answer: its check-in, made in a savepoint so a refusal leaves nothing behind."""
    try:
        with session.begin_nested():
            ensure_uploadable(activity, scanned_at=scan.at, now=now)
            # In the service's zone (`now`'s), which decides the day and week the deed counts in.
            checkin = check_in_by_card(session, actor, activity_id=activity.id, card=scan.card,
                                       now=scan.at.astimezone(now.tzinfo))
    except AlreadyCheckedIn:
        return Answer(scan.nonce, "duplicate", AlreadyCheckedIn.code)
    except DomainError as refusal:
        return Answer(scan.nonce, "refused", refusal.code)
    return Answer(scan.nonce, "accepted", checkin_id=checkin.id)
