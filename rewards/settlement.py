"""Settlement (结算): what a partner handed over in a period, to check against its own books."""
import csv
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

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
    query = (select(Redemption, Member.name, Member.phone).join(Member, Member.id == Redemption.member_id)
             .where(Redemption.partner_id == partner_id, Redemption.status == "fulfilled")
             .order_by(Redemption.fulfilled_at, Redemption.id))
    if community_id is not None:
        query = query.where(Redemption.community_id == community_id)
    if voucher_code is not None:
        query = query.where(Redemption.voucher_code == voucher_code)
    if start is not None:
        query = query.where(Redemption.fulfilled_at >= start)
    if end is not None:
        query = query.where(Redemption.fulfilled_at < end)
    lines = [SettlementLine(
        redemption_id=r.id, voucher_code=r.voucher_code, member_id=r.member_id, member_name=name,
        member_phone=masked_phone(phone), reward_id=r.reward_id, reward_name=r.reward_name, kind=r.kind,
        quantity=r.quantity, points=r.points, amount_fen=r.amount_fen or 0, household=r.household,
        fulfilled_at=r.fulfilled_at, fulfilled_by=r.fulfilled_by)
        for r, name, phone in session.execute(query)]
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


KIND_NAMES = {"goods": "物品", "fee_deduction": "物业费减免", "service": "服务"}
CSV_HEADER = ["兑换单号", "券码", "志愿者", "手机", "奖品", "类别", "数量", "积分", "金额(元)", "房号", "兑付时间", "经办"]


def settlement_rows(settlement: Settlement, *, zone) -> list[list]:
    """The settlement as a sheet's rows under `CSV_HEADER`, a totals row last: counts and points
    as integers, yuan as a Decimal with two places (a spreadsheet keeps them numbers)."""
    rows: list[list] = [[line.redemption_id, line.voucher_code, line.member_name, line.member_phone,
                         line.reward_name, KIND_NAMES[line.kind], line.quantity, line.points, yuan(line.amount_fen),
                         line.household or "", line.fulfilled_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                         line.fulfilled_by or ""] for line in settlement.lines]
    rows.append(["合计", "", "", "", "", "", settlement.count, settlement.points, yuan(settlement.amount_fen),
                 "", "", ""])
    return rows


def yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def settlement_csv(settlement: Settlement, *, zone) -> str:
    """The settlement as CSV for Excel: UTF-8 with a BOM (so Chinese shows), a totals row last."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(settlement_rows(settlement, zone=zone))
    return out.getvalue()
