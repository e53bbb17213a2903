"""Settlement (结算): what a partner handed over in a period, to check against its own books."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from points.db import within
from points.masking import masked_phone
from points.members import Member

from .redemptions import Redemption


@dataclass(frozen=True)
class SettlementLine:
    redemption_id: int
    voucher_code: str
    member_id: int
    member_name: str
    member_phone: str
    reward_id: int
    reward_name: str
    kind: str
    quantity: int
    points: int
    amount_fen: int
    household: str | None
    fulfilled_at: datetime
    fulfilled_by: str | None
    receipt_no: int | None = None  # the counter's 核销回执 number (the settling transfer)


@dataclass(frozen=True)
class Settlement:
    partner_id: int
    start: datetime | None
    end: datetime | None
    lines: list[SettlementLine]

    @property
    def count(self) -> int:
        return len(self.lines)

    @property
    def points(self) -> int:
        return sum(line.points for line in self.lines)

    @property
    def amount_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)


def settlement_for(session: Session, *, partner_id: int, start: datetime | None, end: datetime | None,
                   community_id: int | None = None, voucher_code: str | None = None) -> Settlement:
    """Vouchers the partner fulfilled in [start, end), oldest first; a missing bound is open.
    With `community_id`, only that community's vouchers (a partner may serve several); with
    `voucher_code`, only that voucher (the counter's search)."""
    # Only the columns a line shows, as plain rows: a partner's whole history is thousands of them.
    query = (select(Redemption.id, Redemption.voucher_code, Redemption.member_id, Member.name, Member.phone,
                    Redemption.reward_id, Redemption.reward_name, Redemption.kind, Redemption.quantity,
                    Redemption.points, Redemption.amount_fen, Redemption.household, Redemption.fulfilled_at,
                    Redemption.fulfilled_by, Redemption.settle_transfer_id)
             .join(Member, Member.id == Redemption.member_id)
             .where(Redemption.partner_id == partner_id, Redemption.status == "fulfilled")
             .order_by(Redemption.fulfilled_at, Redemption.id))
    if community_id is not None:
        query = query.where(Redemption.community_id == community_id)
    if voucher_code is not None:
        query = query.where(Redemption.voucher_code == voucher_code)
    query = within(query, Redemption.fulfilled_at, start=start, end=end)
    lines = [SettlementLine(redemption_id, code, member_id, name, masked_phone(phone), reward_id, reward_name, kind,
                            quantity, points, amount_fen or 0, household, fulfilled_at, fulfilled_by, receipt_no)
             for (redemption_id, code, member_id, name, phone, reward_id, reward_name, kind, quantity, points,
                  amount_fen, household, fulfilled_at, fulfilled_by, receipt_no) in session.execute(query)]
    return Settlement(partner_id=partner_id, start=start, end=end, lines=lines)


@dataclass(frozen=True)
class HouseholdTotal:
    household: str
    count: int
    points: int
    amount_fen: int


def by_household(settlement: Settlement) -> list[HouseholdTotal]:
    """The property company's view: what each household (room) had deducted, in room order."""
    totals: dict[str, list[int]] = {}
    for line in settlement.lines:
        total = totals.setdefault(line.household or "", [0, 0, 0])
        total[0] += 1
        total[1] += line.points
        total[2] += line.amount_fen
    return [HouseholdTotal(household, *numbers) for household, numbers in sorted(totals.items())]

