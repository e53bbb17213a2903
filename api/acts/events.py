"""What an act leaves behind: its audit row, written in the act's own transaction, and its event
(who, what, why), logged and counted once that transaction commits. A transaction that rolls
back (a refusal, a retry) leaves neither.

Every act of `api.acts` ends with `announce`, whichever door called it: the JSON API, a page,
an import or the command line.
"""
import logging
from datetime import datetime

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from points.audit import SYSTEM, Party, audit

from ..http import metrics
from ..http.logs import json_line
from ..identity.principal import Principal

EVENTS = logging.getLogger("benniu.events")
_PENDING = "benniu_events"
# Every act the audit trail records (the console names each: api.pages.console.trail).
ACTIONS = frozenset({
    "community_founded", "community_changed",
    "member_added", "member_changed", "password_reset", "import",
    "staff_added", "staff_changed", "staff_disabled",
    "token_issued", "token_revoked",
    "rule_added", "rule_changed", "rule_retired",
    "award", "reversal", "notice_withdrawn", "claim_filed", "claim_reviewed",
    "checkin", "checkout",
    "redemption", "cancellation", "fulfilment",
    "activity_scheduled", "partner_signed", "reward_stocked", "reward_changed",
    "demo_planted",
    "password_changed", "activation_issued", "member_activated",
    "application_filed", "application_approved", "application_rejected",
    "activity_changed", "activity_cancelled", "checkout_undone", "partner_changed", "partner_retired",
    "staff_enabled",
    "offline_checkins", "tip_photo_opened",
})


def actor_of(principal: Principal | None) -> Party:
    """Who did it, as the audit names them: the staff account, the member, or the token."""
    if principal is None:
        return SYSTEM
    ident = principal.staff_id or principal.member_id or principal.token_id
    return Party(principal.role, ident, principal.shown_name)


def announce(session: Session, actor: Principal | None, action: str, *, at: datetime, community_id: int | None,
             subject: Party | None = None, member_id: int | None = None, why: str | None = None,
             audited: bool = True, **details) -> None:
    """Record that `actor` did `action` (to `subject`, because of `why`): the audit row now, in the
    act's transaction; the log line and the metrics once it commits.

    `audited=False` only for a volunteer's own check-in and check-out, which the check-ins table
    and the ledger already record on the busiest path of all.
    """
    if audited:
        assert action in ACTIONS, f"{action!r} is not an audited action"
        audit(session, at=at, actor=actor_of(actor), action=action, subject=subject, community_id=community_id,
              member_id=member_id, why=why, **details)
    who = {"token_id": actor.token_id, "who": actor.actor} if actor else {"who": "system"}
    told = {**who, "community_id": community_id, "member_id": member_id, **details, "why": why}
    session.info.setdefault(_PENDING, []).append((action, told))


def _tell(session: Session) -> None:
    for kind, details in session.info.pop(_PENDING, []):
        json_line(EVENTS, event=kind, **details)
        metrics.observe_event(kind, details)


def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def init_app(factory: sessionmaker) -> None:
    event.listen(factory, "after_commit", _tell)
    event.listen(factory, "after_rollback", _forget)
