"""Sheets of people and their points that the console and the API both hand out: a community's roster
with balances, and one member's points statement (积分明细), in words people read."""
from sqlalchemy.orm import Session

from points.members import Member, community_balances
from points.statement import history

from ..http.sheets import Column, Sheet
from ..identity.principal import said

ENTRY_KINDS = {"earn": "获得", "reversal": "撤销", "hold": "兑换冻结", "release": "退回", "spend": "兑付",
               "finalise": "公示期满", "expire": "过期", "unexpire": "撤销前退回过期"}
# A statement lists a member's whole history; more than this is a database to look into, not a sheet.
STATEMENT_LINES = 100_000


def roster_sheet(session: Session, community_id: int, *, name: str) -> Sheet:
    """Every member of the community with their balances and figures, in id order (streamed)."""
    return Sheet(name, [
        Column("编号", 8, "number"), Column("姓名", 12), Column("手机", 14), Column("队伍", 14),
        Column("加入时间", 20, "time"), Column("可用积分", 10, "number"), Column("冻结积分", 10, "number"),
        Column("累计获得", 10, "number"), Column("累计兑换", 10, "number"), Column("服务时长(小时)", 14, "hours"),
        Column("参加活动", 10, "number"), Column("有效线索", 10, "number"),
    ], ((row.id, row.name, row.phone, row.team, row.joined_at, row.available, row.held, row.earned, row.spent,
         row.minutes, row.activities, row.tips) for row in community_balances(session, community_id)))


def statement_sheet(session: Session, member: Member, *, name: str) -> Sheet:
    """The member's points history, oldest deed first, each line with its deed, the running balance in
    the deeds' order (as /me shows it), the memo and who did it."""
    lines = history(session, member.account_id, limit=STATEMENT_LINES)
    return Sheet(name, [
        Column("时间", 20, "time"), Column("事项", 20), Column("类型", 10), Column("积分", 8, "number"),
        Column("余额", 8, "number"), Column("备注", 30), Column("经办", 16), Column("流水号", 10, "number"),
    ], ((line.at, line.deed or "", ENTRY_KINDS.get(record.kind, record.kind), line.amount, line.balance_after,
         record.memo, said(record.actor) if record.actor else "", line.id) for line, record in reversed(lines)))
