"""The partner's counter as the API and the pages share it: a voucher looked up under the access
policy, with failed look-ups logged (codes are short; a run of misses is someone guessing), and
the settlement sheet a partner downloads."""
import logging

from flask import request
from sqlalchemy.orm import Session

from points.errors import Forbidden, NotFound
from rewards.counter import VoucherAtCounter, counter_view
from rewards.kinds import KINDS
from rewards.settlement import Settlement

from ..http.logs import json_line
from ..http.sheets import Column, Sheet
from ..identity.access import fulfillable_voucher
from ..identity.principal import Principal, said

log = logging.getLogger("benniu.counter")


def look_up(session: Session, principal: Principal, code: str, *, now) -> VoucherAtCounter:
    """The voucher as the counter shows it, if this clerk may fulfil it (else NotFound/Forbidden)."""
    try:
        redemption = fulfillable_voucher(session, principal, code)
    except (NotFound, Forbidden) as refusal:
        json_line(log, logging.WARNING, message="voucher look-up refused", code=code[:40], who=principal.actor,
                  client=request.remote_addr, refusal=refusal.code)
        raise
    return counter_view(session, redemption, now=now)


def settlement_sheet(settlement: Settlement, *, name: str) -> Sheet:
    """A partner's settlement, a totals row last: GET /partners/{id}/settlement, the counter's and the console's."""
    rows = [(line.redemption_id, line.voucher_code, line.member_name, line.member_phone, line.reward_name,
             KINDS[line.kind].name, line.quantity, line.points, line.amount_fen, line.household,
             line.fulfilled_at, said(line.fulfilled_by), line.receipt_no) for line in settlement.lines]
    rows.append(("合计", None, None, None, None, None, settlement.count, settlement.points, settlement.amount_fen,
                 None, None, None, None))
    return Sheet(name, [
        Column("兑换单号", 10, "number"), Column("券码", 12), Column("志愿者", 12), Column("手机", 14),
        Column("奖品", 20), Column("类别", 12), Column("数量", 8, "number"), Column("积分", 8, "number"),
        Column("金额(元)", 10, "yuan"), Column("房号", 14), Column("兑付时间", 20, "time"), Column("经办", 16),
        Column("回执号", 10, "number"),
    ], rows)
