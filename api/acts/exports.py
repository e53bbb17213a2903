"""Exports (导出): a community's ledger entries, members, redemptions, leaderboard, annual ranking, public
notice and expiring points as sheets, for the API's `/exports/...` and the console's `导出Excel`. Each sheet
function takes the reader, the arguments its door checked (`ExportArgsSchema`) and `now`, in the service's zone."""
from datetime import datetime, timedelta

from marshmallow import fields, validate
from sqlalchemy.orm import Session

from points.ledger import community_history
from points.lots import expiring_members
from points.notices import on_notice
from points.service_hours import hours_by_activity
from rewards.kinds import KINDS
from rewards.voucher_lists import community_redemptions

from ..http.fields import LocalDateTime
from ..http.sheets import Column, Sheet, sheet_name
from ..identity.principal import Principal, said
from .reports import LeaderboardArgsSchema, annual_of, leaderboard_of, reported_community
from .statements import ENTRY_KINDS, roster_sheet

STATUSES = {"reserved": "待兑付", "fulfilled": "已兑付", "cancelled": "已取消", "expired": "已过期"}
class ExportArgsSchema(LeaderboardArgsSchema):
    format = fields.String(load_default="xlsx", validate=validate.OneOf(("xlsx", "csv")))
    from_ = LocalDateTime(data_key="from", metadata={"description": "entries, redemptions, hours: from (inclusive)"})
    to = LocalDateTime(metadata={"description": "entries, redemptions, hours: to (exclusive)"})
    year = fields.Integer(validate=validate.Range(min=2000, max=2200), metadata={"description": "annual: the year"})
    days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=366),
                          metadata={"description": "expiring: points expiring within this many days"})


def entries_sheet(session: Session, actor: Principal, args: dict, now: datetime) -> Sheet:
    community = reported_community(session, actor, args.get("community_id"))
    rows = community_history(session, community_id=community.id, start=args.get("from_"), end=args.get("to"))
    return Sheet(_named("积分流水", community, now, _span(args, now)), [
        Column("流水号", 10, "number"), Column("时间", 20, "time"), Column("志愿者编号", 10, "number"),
        Column("志愿者", 12), Column("队伍", 14), Column("类型", 10), Column("规则", 14), Column("积分", 8, "number"),
        Column("余额", 8, "number"), Column("备注", 30), Column("转账号", 10, "number"),
        Column("撤销转账号", 10, "number"),
    ], ((row.id, row.at, row.member_id, row.name, row.team, ENTRY_KINDS[row.kind], row.rule_name or row.rule_code,
         row.amount,
         row.balance_after, row.memo, row.transfer_id, row.reverses_id) for row in rows))


def members_sheet(session: Session, actor: Principal, args: dict, now: datetime) -> Sheet:
    community = reported_community(session, actor, args.get("community_id"))
    return roster_sheet(session, community.id, name=_named("志愿者", community, now))


def redemptions_sheet(session: Session, actor: Principal, args: dict, now: datetime) -> Sheet:
    community = reported_community(session, actor, args.get("community_id"))
    rows = community_redemptions(session, community_id=community.id, start=args.get("from_"),
                                 end=args.get("to"))
    return Sheet(_named("兑换记录", community, now, _span(args, now)), [
        Column("兑换单号", 10, "number"), Column("券码", 12), Column("志愿者", 12), Column("奖品", 20),
        Column("类别", 12), Column("数量", 8, "number"), Column("积分", 8, "number"), Column("金额(元)", 10, "yuan"),
        Column("房号", 14), Column("状态", 10), Column("兑换时间", 20, "time"), Column("兑付时间", 20, "time"),
        Column("经办", 16),
    ], ((r.id, r.voucher_code, r.name, r.reward_name, KINDS[r.kind].name, r.quantity, r.points, r.amount_fen,
         r.household, STATUSES[r.status], r.created_at, r.fulfilled_at, said(r.fulfilled_by)) for r in rows))


def leaderboard_sheet(session: Session, actor: Principal, args: dict, now: datetime) -> Sheet:
    board = leaderboard_of(session, actor, args, limit=args["limit"], now=now)
    return Sheet(_named("排行榜", board["community"], now, _period(board["period"], board["start"], now)), [
        Column("名次", 8, "number"), Column("志愿者", 12), Column("队伍", 14), Column("积分", 10, "number"),
        Column("服务时长(小时)", 14, "hours"),
    ], ((row.rank, row.name, row.team, row.points, row.minutes) for row in board["items"]))


def annual_sheet(session: Session, actor: Principal, args: dict, now: datetime) -> Sheet:
    ranking = annual_of(session, actor, args, limit=None, now=now)
    return Sheet(sheet_name(f"{ranking['year']}年度排名", ranking["community"].name), [
        Column("名次", 8, "number"), Column("姓名", 12), Column("队伍", 14), Column("积分", 10, "number"),
        Column("服务时长(小时)", 14, "hours"), Column("参加活动", 10, "number"), Column("有效线索", 10, "number"),
    ], ((row.rank, row.name, row.team, row.points, row.minutes, row.activities, row.tips)
        for row in ranking["items"]))


def notices_sheet(session: Session, actor: Principal, args: dict, now: datetime) -> Sheet:
    community = reported_community(session, actor, args.get("community_id"))
    postings = on_notice(session, community_id=community.id, now=now, limit=100_000)
    return Sheet(_named("积分公示", community, now), [
        Column("姓名", 10), Column("队伍", 14), Column("事项", 20), Column("积分", 8, "number"),
        Column("登记时间", 20, "time"), Column("公示截止", 20, "time"),
    ], ((p.name, p.team, p.rule_name, p.points, p.at, p.final_at) for p in reversed(postings)))


def expiring_sheet(session: Session, actor: Principal, args: dict, now: datetime) -> Sheet:
    community = reported_community(session, actor, args.get("community_id"))
    rows = expiring_members(session, community_id=community.id, now=now, until=now + timedelta(days=args["days"]))
    return Sheet(_named("即将过期积分", community, now), [
        Column("编号", 8, "number"), Column("姓名", 12), Column("手机", 14), Column("队伍", 14),
        Column("即将过期积分", 12, "number"), Column("最早过期时间", 20, "time"),
    ], ((e.member_id, e.name, e.phone, e.team, e.points, e.first_on) for e in rows))


def summary_sheet(summary: dict) -> Sheet:
    """A summary (`reports.summary_of`) as one sheet: a section column, then the item and its figures."""
    months = f"{summary['from_']:%Y-%m}~{summary['to'] - timedelta(days=1):%Y-%m}"
    rows = [("合计", "发放积分", summary["issued"], None, None, None),
            ("合计", "兑换积分", summary["spent"], None, None, None),
            ("合计", "签到人次", None, summary["checkins"], None, None),
            ("合计", "服务时长", None, None, None, summary["minutes_served"])]
    rows += [("按规则发放", item["name"], item["points"], item["count"], None, None)
             for item in summary["issued_by_rule"]]
    rows += [("按类别兑换", KINDS[item["kind"]].name, item["points"], item["count"],
              item["amount_fen"], None) for item in summary["spent_by_kind"]]
    rows += [("活跃志愿者", item["month"], None, item["count"], None, None) for item in summary["active_by_month"]]
    rows += [("新志愿者", item["month"], None, item["count"], None, None) for item in summary["new_by_month"]]
    rows += [("活动签到", item["title"], None, item["count"], None, None) for item in summary["checkins_by_activity"]]
    rows += [("合作商家", item["name"], item["points"], item["count"], item["amount_fen"], None)
             for item in summary["partners"]]
    return Sheet(sheet_name("汇总", summary["community"].name, months), [
        Column("类别", 12), Column("项目", 24), Column("积分", 10, "number"), Column("次数/人数", 10, "number"),
        Column("金额(元)", 10, "yuan"), Column("服务时长(小时)", 14, "hours"),
    ], rows)


def hours_sheet(session: Session, actor: Principal, args: dict, now: datetime) -> Sheet:
    """Hours served, one row per volunteer per activity, for the national volunteer system's bulk import."""
    community = reported_community(session, actor, args.get("community_id"))
    rows = hours_by_activity(session, community_id=community.id, start=args.get("from_"), end=args.get("to"))
    return Sheet(_named("志愿服务时长", community, now), [
        Column("姓名", 12), Column("手机号", 14), Column("活动名称", 24), Column("服务日期", 12),
        Column("服务时长(小时)", 14, "hours"),
    ], ((row.name, row.phone, row.title, f"{row.starts_at.astimezone(now.tzinfo):%Y-%m-%d}", row.minutes)
        for row in rows))


def _named(what: str, community, now: datetime, when: str | None = None) -> str:
    """排行榜 振宇社区 2026年11月: what, whose, and when (today, for a list as it stands now)."""
    return sheet_name(what, community.name, when or f"{now:%Y-%m-%d}")


def _span(args, now: datetime) -> str | None:
    """The dates an export was cut to, if it was."""
    start, end = (f"{args[key].astimezone(now.tzinfo):%Y-%m-%d}" if args.get(key) else "" for key in ("from_", "to"))
    if not (start or end):
        return None
    return f"{start}至{end}" if end else f"{start}起"


def _period(span: str, start, now: datetime) -> str:
    if span == "all" or start is None:
        return "累计"
    start = start.astimezone(now.tzinfo)
    return {"week": f"{start:%Y-%m-%d}起一周", "month": f"{start.year}年{start.month}月"}.get(span, f"{start.year}年")


SHEETS = {"entries": entries_sheet, "members": members_sheet, "redemptions": redemptions_sheet,
          "leaderboard": leaderboard_sheet, "annual": annual_sheet, "notices": notices_sheet, "expiring": expiring_sheet,
          "hours": hours_sheet}
