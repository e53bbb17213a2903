"""Redemptions listed for people: a community's for its exports, and the console's voucher list
with each holder's name and phone."""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from points.db import keyset, within
from points.members import Member

from .redemptions import Redemption


def community_redemptions(session: Session, *, community_id: int, start: datetime | None = None,
                          end: datetime | None = None):
    """A community's redemptions made in [start, end), oldest first, with the member's name (`name`),
    as plain rows of the columns an export shows (streamed)."""
    query = (select(Redemption.id, Redemption.voucher_code, Member.name, Redemption.reward_name, Redemption.kind,
                    Redemption.quantity, Redemption.points, Redemption.amount_fen, Redemption.household,
                    Redemption.status, Redemption.created_at, Redemption.fulfilled_at, Redemption.fulfilled_by)
             .join(Member, Member.id == Redemption.member_id)
             .where(Redemption.community_id == community_id).order_by(Redemption.id))
    return session.execute(within(query, Redemption.created_at, start=start, end=end)
                           .execution_options(yield_per=1000))


def vouchers_with_holders(session: Session, *, community_id: int | None, partner_id: int | None = None,
                          status: str | None = None, cursor: int | None = None,
                          limit: int = 100) -> list[tuple[Redemption, str, str]]:
    """A community's vouchers (None: every community's), newest first, each with its member's name and
    phone: what the organiser's console lists, filtered by partner and status; `cursor` continues a page."""
    query = keyset(select(Redemption, Member.name, Member.phone).join(Member, Member.id == Redemption.member_id),
                   Redemption.id, cursor=cursor, limit=limit, newest_first=True)
    for column, value in ((Redemption.community_id, community_id), (Redemption.partner_id, partner_id),
                          (Redemption.status, status)):
        if value is not None:
            query = query.where(column == value)
    return [(redemption, name, phone) for redemption, name, phone in session.execute(query)]
