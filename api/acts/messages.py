"""What volunteers hear back: the acts that cause a message call `tell` in their own transaction;
a volunteer reads their own messages and marks one read."""
from datetime import date, datetime

from sqlalchemy.orm import Session

from points import messages
from points.errors import Forbidden
from points.messages import Message, Told
from points.rules import latest_rule

from ..identity.access import scope
from ..identity.principal import Principal
from .events import announce


def tell(session: Session, member_id: int, kind: str, *, subject_id: int, now: datetime, **facts) -> Told | None:
    """Tell the member `kind` happened (about `subject_id`: a claim, a transfer, a voucher, an activity),
    in the caller's transaction; once per cause (a second call returns None). `facts` fill the
    kind's sentence in points.messages.WORDS, e.g. for activity_cancelled: title, on, after."""
    return messages.tell(session, member_id=member_id, kind=kind, subject_id=subject_id, at=now, **facts)


def day(moment: datetime | date, now: datetime) -> str:
    """A date as volunteers read it, in the service's zone (that of `now`): 2026年12月3日."""
    local = moment.astimezone(now.tzinfo) if isinstance(moment, datetime) else moment
    return f"{local.year}年{local.month}月{local.day}日"


def rule_name(session: Session, *, community_id: int, code: str) -> str:
    """The rule's name as volunteers know it (a retired rule's too)."""
    rule = latest_rule(session, community_id=community_id, code=code)
    return rule.name if rule is not None else code


def _own(actor: Principal) -> int:
    member_id = scope(actor).member_id
    if member_id is None:
        raise Forbidden("messages are the volunteer's own")
    return member_id


def my_messages(session: Session, actor: Principal, *, cursor: int | None = None, limit: int = 20) -> list[Message]:
    """The volunteer's own messages, newest first."""
    return messages.messages_for(session, member_id=_own(actor), cursor=cursor, limit=limit)


def my_unread(session: Session, actor: Principal) -> int:
    return messages.unread_count(session, member_id=_own(actor))


def my_message(session: Session, actor: Principal, *, message_id: int) -> Message:
    return messages.message_of(session, member_id=_own(actor), message_id=message_id)


def read_message(session: Session, actor: Principal, *, message_id: int, now: datetime) -> Message:
    """Mark one of the volunteer's own messages read (another's: not found)."""
    message = messages.mark_read(session, member_id=_own(actor), message_id=message_id, now=now)
    announce(session, actor, "message_read", at=now, community_id=actor.community_id, member_id=actor.member_id,
             audited=False, message_id=message.id)
    return message


def activity_cancelled(session: Session, *, activity, member_id: int, points_taken: int, now: datetime) -> Told | None:
    """Tell a member who attended that `activity` was cancelled, and the points it took back (the act
    that cancels an activity calls this for each member, in its transaction; once per member)."""
    after = f"您因此获得的 {points_taken} 积分已收回。" if points_taken else ""
    return tell(session, member_id, "activity_cancelled", subject_id=activity.id, now=now, title=activity.title,
                on=day(activity.starts_at, now), after=after)
