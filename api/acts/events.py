"""Domain events (check-in, award, reversal, review, redemption, fulfilment...), recorded by
the views that answer them and, once their transaction commits, logged with who and why and
counted. A transaction that rolls back (a refusal, a retry) records nothing.

Staff's acts (`AUDITED`) are also written to the audit trail (`points.audit`), in the
transaction of the act itself."""
import logging

from flask import g, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from points.audit import audit

from ..http import db, metrics
from ..http.clock import now
from ..http.logs import json_line

EVENTS = logging.getLogger("benniu.events")
_PENDING = "benniu_events"
# What staff do to points, claims, members and accounts: kept for good, and shown on a member's page.
AUDITED = frozenset({"award", "reversal", "review", "import", "member_added", "member_changed", "account_added",
                     "account_changed", "password_reset", "account_disabled", "rule_added", "rule_changed",
                     "rule_retired"})


def record(kind: str, *, why: str | None = None, community_id: int | None = None, **details) -> None:
    """Note that this request did `kind` (by its principal, because of `why`): told on commit.

    An audited kind is also written to the audit trail now, in the act's own transaction; its
    community is the one named, else the principal's.
    """
    principal = g.get("principal") if has_request_context() else None
    who = {"token_id": principal.token_id, "who": principal.actor} if principal else {}
    session = db.session()
    if kind in AUDITED:
        facts = {name: value for name, value in details.items() if name != "member_id"}
        audit(session, at=now(), actor=principal.actor if principal else "system", action=kind,
              community_id=community_id if community_id is not None else getattr(principal, "community_id", None),
              member_id=details.get("member_id"), why=why, **facts)
    session.info.setdefault(_PENDING, []).append((kind, {**who, **details, "why": why}))


def _tell(session: Session) -> None:
    for kind, details in session.info.pop(_PENDING, []):
        json_line(EVENTS, event=kind, **details)
        metrics.observe_event(kind, details)


def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def init_app(factory: sessionmaker) -> None:
    event.listen(factory, "after_commit", _tell)
    event.listen(factory, "after_rollback", _forget)


def checked_in(checkin):
    """Record a check-in (and the award it paid, if any); returns it, for the view to answer."""
    record("checkin", checkin_id=checkin.id, activity_id=checkin.activity_id, member_id=checkin.member_id,
           method=checkin.method, status=checkin.status, points=checkin.points, transfer_id=checkin.transfer_id)
    return checkin


def checked_out(checkin):
    record("checkout", checkin_id=checkin.id, member_id=checkin.member_id, minutes=checkin.minutes,
           points=checkin.points, transfer_id=checkin.transfer_id)
    return checkin


def reviewed(claim):
    """Record an approval or rejection; never the claim's text (a tip may name people)."""
    record("review", claim_id=claim.id, member_id=claim.member_id, community_id=claim.community_id,
           rule_code=claim.rule_code,
           decision=claim.status, points=claim.points, transfer_id=claim.transfer_id, why=claim.reason)
    return claim


def redemption_changed(kind: str, redemption):
    """Record a voucher issued (`redemption`), fulfilled (`fulfilment`) or cancelled (`cancellation`)."""
    record(kind, redemption_id=redemption.id, member_id=redemption.member_id, reward_id=redemption.reward_id,
           reward_kind=redemption.kind, partner_id=redemption.partner_id, points=redemption.points,
           status=redemption.status)
    return redemption
