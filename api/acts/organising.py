"""What organisers do to points and claims — award, reverse, approve, reject — done one way for
the JSON API, the console and the batch import: the access policy's checks, the domain call, and
the event (with the audit row) saying who did it and why, all in the caller's transaction."""
from dataclasses import dataclass

from sqlalchemy.orm import Session

from points.claims import Claim, approve_claim, reject_claim
from points.earning import earn, reverse
from points.ledger import Posted, Transfer
from points.members import Member, member_of_transfer
from points.rules import Rule, current_rule

from ..http.clock import now
from ..identity.principal import Principal
from . import events


@dataclass(frozen=True)
class Award:
    record: Posted
    member: Member
    rule_code: str
    rule_version: int


def award(session: Session, principal: Principal, *, member: Member, rule_code: str, points: int | None = None,
          memo: str = "", at=None, rule: Rule | None = None) -> Award:
    """Award a visible member points under a live rule of their community (the rule's points unless given).

    `rule`: that rule's current version, when the caller loaded it in this transaction (a batch
    import pays thousands of awards under a few rules); otherwise it is looked up by `rule_code`.
    """
    if rule is None or (rule.community_id, rule.code) != (member.community_id, rule_code):
        rule = current_rule(session, community_id=member.community_id, code=rule_code)
    record = earn(session, member=member, rule=rule, now=at or now(), points=points, memo=memo,
                  actor=principal.actor)
    events.record("award", transfer_id=record.id, member_id=member.id, community_id=member.community_id,
                  rule_code=rule.code, points=record.amount, why=memo)
    return Award(record=record, member=member, rule_code=rule.code, rule_version=rule.version)


def reverse_transfer(session: Session, principal: Principal, *, original: Transfer, reason: str) -> Posted:
    """Take back a visible earning, at most once; refused if its points were already spent."""
    record = reverse(session, transfer_id=original.id, reason=reason, now=now(), actor=principal.actor)
    member = member_of_transfer(session, original)
    events.record("reversal", transfer_id=record.id, reverses=original.id, points=record.amount, why=reason,
                  member_id=member.id if member else None, community_id=member.community_id if member else None)
    return record


def approve(session: Session, principal: Principal, *, claim: Claim, points: int | None = None) -> Claim:
    """Approve a visible pending claim: its points are awarded, once."""
    return events.reviewed(approve_claim(session, claim=claim, now=now(), points=points, reviewer=principal.actor))


def reject(session: Session, principal: Principal, *, claim: Claim, reason: str) -> Claim:
    """Reject a visible pending claim with a reason; no points move."""
    return events.reviewed(reject_claim(session, claim=claim, reason=reason, now=now(), reviewer=principal.actor))
