"""What organisers do to a member's points: award them, reverse a mistaken earning, withdraw an
award still on public notice."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from points.audit import Party
from points.earning import earn, reverse
from points.ledger import Posted
from points.members import Member, member_of_transfer
from points.notices import withdraw
from points.rules import Rule, current_rule

from ..identity.access import visible_member, visible_notice, visible_transfer
from ..identity.principal import Principal
from .events import announce
from .messages import day, tell


@dataclass(frozen=True)
class Award:
    record: Posted
    member: Member
    rule_code: str
    rule_version: int


def member_party(member: Member) -> Party:
    return Party("member", member.id, member.name)


def award(session: Session, actor: Principal, *, member_id: int, rule_code: str, now: datetime,
          points: int | None = None, memo: str = "", at: datetime | None = None, rule: Rule | None = None) -> Award:
    """Award a member the actor may see points under a live rule of their community (the rule's
    points unless given), dated `at` (a paper book's day) or now.

    `rule`: that rule's current version, when the caller loaded it in this transaction (a batch
    import pays thousands of awards under a few rules); otherwise it is looked up by `rule_code`.
    """
    member = visible_member(session, actor, member_id)
    if rule is None or (rule.community_id, rule.code) != (member.community_id, rule_code):
        rule = current_rule(session, community_id=member.community_id, code=rule_code)
    record = earn(session, member=member, rule=rule, now=at or now, points=points, memo=memo, actor=actor.signature)
    announce(session, actor, "award", at=now, community_id=member.community_id, subject=member_party(member),
             member_id=member.id, why=memo, transfer_id=record.id, rule_code=rule.code, points=record.amount)
    after = f"公示期满（{day((at or now) + timedelta(days=rule.notice_days), now)}）后可以使用。" if rule.notice_days else ""
    tell(session, member.id, "points_received", subject_id=record.id, now=now, rule_name=rule.name,
         points=record.amount, after=after)
    return Award(record=record, member=member, rule_code=rule.code, rule_version=rule.version)


def reverse_earning(session: Session, actor: Principal, *, transfer_id: int, reason: str, now: datetime) -> Posted:
    """Take back an earning the actor may see, at most once; refused if its points were already spent."""
    original = visible_transfer(session, actor, transfer_id)
    record = reverse(session, transfer_id=original.id, reason=reason, now=now, actor=actor.signature)
    member = member_of_transfer(session, original)
    announce(session, actor, "reversal", at=now, community_id=member.community_id if member else None,
             subject=member_party(member) if member else None, member_id=member.id if member else None,
             why=reason, transfer_id=record.id, reverses=original.id, points=record.amount)
    return record


def withdraw_notice(session: Session, actor: Principal, *, notice_id: int, reason: str, now: datetime) -> Posted:
    """Withdraw an award during its public notice (an objection upheld): its points go back, once."""
    notice = visible_notice(session, actor, notice_id)
    record = withdraw(session, notice=notice, reason=reason, now=now, actor=actor.signature)
    member = session.get(Member, notice.member_id)
    announce(session, actor, "notice_withdrawn", at=now, community_id=notice.community_id,
             subject=member_party(member), member_id=member.id, why=reason, transfer_id=record.id,
             notice_id=notice.id, points=record.amount)
    return record
