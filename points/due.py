"""What falls due on a member's points by now, settled before they spend: notices past their
window become spendable (`points.notices`), lots past their validity expire (`points.lots`)."""
from datetime import datetime

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session

from .accounts import Account
from .lots import Lot, expire_lots_of
from .members import Member
from .notices import Notice, finalise_notices


def lock_and_settle(session: Session, *, member: Member, now: datetime) -> None:
    """Lock the member's account (PostgreSQL; SQLite's write lock is already held) and settle
    what is due by now. Usually nothing is: one query both takes the lock and asks, and the
    notices and lots are read only when it answers yes."""
    _, notices_due, lots_due = session.connection().execute(
        _LOCK_AND_ASK, {"account": member.account_id, "member": member.id, "now": now}).one()
    if notices_due:
        finalise_notices(session, now=now, member_id=member.id)
    if lots_due:
        expire_lots_of(session, member=member, now=now)


# A notice or lot that is not due now cannot become due by another transaction committing
# meanwhile (only time makes them due), so reading the two facts in the locking statement's
# snapshot misses nothing; a yes that another transaction has settled since costs a look, no more.
_notices, _lots = Notice.__table__, Lot.__table__
_LOCK_AND_ASK = select(
    Account.__table__.c.id,
    exists().where(_notices.c.member_id == bindparam("member"), _notices.c.status == "posted",
                   _notices.c.final_at <= bindparam("now")),
    exists().where(_lots.c.member_id == bindparam("member"), _lots.c.remaining > 0,
                   _lots.c.expires_at <= bindparam("now")),
).where(Account.__table__.c.id == bindparam("account")).with_for_update(of=Account.__table__)
