"""Domain events (check-in, award, reversal, review, redemption, fulfilment...), recorded by
the views that answer them and, once their transaction commits, logged with who and why and
counted. A transaction that rolls back (a refusal, a retry) records nothing."""
import logging

from flask import g, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from . import db, metrics
from .logs import json_line

EVENTS = logging.getLogger("benniu.events")
_PENDING = "benniu_events"


def record(kind: str, *, why: str | None = None, **details) -> None:
    """Note that this request did `kind` (by its principal, because of `why`): told on commit."""
    principal = g.get("principal") if has_request_context() else None
    who = {"token_id": principal.token_id, "who": principal.actor} if principal else {}
    db.session().info.setdefault(_PENDING, []).append((kind, {**who, **details, "why": why}))


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
    record("review", claim_id=claim.id, member_id=claim.member_id, rule_code=claim.rule_code,
           decision=claim.status, points=claim.points, transfer_id=claim.transfer_id, why=claim.reason)
    return claim


def redemption_changed(kind: str, redemption):
    """Record a voucher issued (`redemption`), fulfilled (`fulfilment`) or cancelled (`cancellation`)."""
    record(kind, redemption_id=redemption.id, member_id=redemption.member_id, reward_id=redemption.reward_id,
           reward_kind=redemption.kind, partner_id=redemption.partner_id, points=redemption.points,
           status=redemption.status)
    return redemption
