"""Exports (导出): ledger entries, members, redemptions, the leaderboard and the annual ranking as XLSX or CSV."""
from datetime import timedelta

from marshmallow import fields, validate

from points.ledger import community_history
from points.lots import expiring_members
from points.notices import on_notice
from rewards.kinds import KINDS
from rewards.voucher_lists import community_redemptions

from ..acts.statements import ENTRY_KINDS, roster_sheet
from ..http import db
from ..http.clock import now, zone
from ..http.fields import LocalDateTime
from ..http.sheets import FORMATS, Column, Sheet, sheet_name, sheet_response
from ..http.smorest import BINARY, Blueprint
from ..identity.principal import said
from .reports import LeaderboardArgsSchema, annual_of, leaderboard_of, reported_community

blp = Blueprint("exports", __name__, url_prefix="/api/v1/exports", description="Reports and exports")

STATUSES = {"reserved": "待兑付", "fulfilled": "已兑付", "cancelled": "已取消", "expired": "已过期"}
EXPORTS = ("entries", "members", "redemptions", "leaderboard", "annual", "notices", "expiring")
FILE_DOC = {"responses": {"200": {"description": "the file: XLSX (a title row, then a header row in Chinese) or "
                                                 "CSV (UTF-8 with BOM, the header row first)",
                                  "content": {FORMATS["xlsx"]: BINARY, "text/csv": BINARY}}}}


class ExportArgsSchema(LeaderboardArgsSchema):
    format = fields.String(load_default="xlsx", validate=validate.OneOf(("xlsx", "csv")))
    from_ = LocalDateTime(data_key="from", metadata={"description": "entries and redemptions: from (inclusive)"})
    to = LocalDateTime(metadata={"description": "entries and redemptions: to (exclusive)"})
    year = fields.Integer(validate=validate.Range(min=2000, max=2200), metadata={"description": "annual: the year"})
    days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=366),
                          metadata={"description": "expiring: points expiring within this many days"})


@blp.route(f"/<any({', '.join(EXPORTS)}):what>", methods=["GET"])  # another name matches no route: 404
@blp.allow("admin", "organiser")
@blp.arguments(ExportArgsSchema(), location="query")
@blp.doc(**FILE_DOC)
def export(args, what):
    """A community's entries, members, redemptions, leaderboard, annual ranking, public notice or
    members with points expiring soon, as XLSX or CSV.

    `what` is `entries`, `members`, `redemptions`, `leaderboard` (with the leaderboard's
    parameters), `annual` (with `year` and `team`), `notices` (the public notice, names masked, to
    post on the community's board) or `expiring` (whom to remind, with `days`, default 30); text
    that would start a formula is neutralised.
    """
    sheet = SHEETS[what](args)
    return sheet_response(sheet, format=args["format"], zone=zone())


def entries_sheet(args) -> Sheet:
    community = reported_community(args.get("community_id"))
    rows = community_history(db.session(), community_id=community.id, start=args.get("from_"), end=args.get("to"))
    return Sheet(_named("积分流水", community, _span(args)), [
        Column("流水号", 10, "number"), Column("时间", 20, "time"), Column("志愿者编号", 10, "number"),
        Column("志愿者", 12), Column("队伍", 14), Column("类型", 10), Column("规则", 14), Column("积分", 8, "number"),
        Column("余额", 8, "number"), Column("备注", 30), Column("转账号", 10, "number"),
        Column("撤销转账号", 10, "number"),
    ], ((row.id, row.at, row.member_id, row.name, row.team, ENTRY_KINDS[row.kind], row.rule_name or row.rule_code, row.amount,
         row.balance_after, row.memo, row.transfer_id, row.reverses_id) for row in rows))


def members_sheet(args) -> Sheet:
    community = reported_community(args.get("community_id"))
    return roster_sheet(db.session(), community.id, name=_named("志愿者", community))


def redemptions_sheet(args) -> Sheet:
    community = reported_community(args.get("community_id"))
    rows = community_redemptions(db.session(), community_id=community.id, start=args.get("from_"),
                                 end=args.get("to"))
    return Sheet(_named("兑换记录", community, _span(args)), [
        Column("兑换单号", 10, "number"), Column("券码", 12), Column("志愿者", 12), Column("奖品", 20),
        Column("类别", 12), Column("数量", 8, "number"), Column("积分", 8, "number"), Column("金额(元)", 10, "yuan"),
        Column("房号", 14), Column("状态", 10), Column("兑换时间", 20, "time"), Column("兑付时间", 20, "time"),
        Column("经办", 16),
    ], ((r.id, r.voucher_code, name, r.reward_name, KINDS[r.kind].name, r.quantity, r.points, r.amount_fen,
         r.household, STATUSES[r.status], r.created_at, r.fulfilled_at, said(r.fulfilled_by)) for r, name in rows))


def leaderboard_sheet(args) -> Sheet:
    board = leaderboard_of(args, limit=args["limit"])
    return Sheet(_named("排行榜", board["community"], _period(board["period"], board["start"])), [
        Column("名次", 8, "number"), Column("志愿者", 12), Column("队伍", 14), Column("积分", 10, "number"),
        Column("服务时长(小时)", 14, "hours"),
    ], ((row.rank, row.name, row.team, row.points, row.minutes) for row in board["items"]))


def annual_sheet(args) -> Sheet:
    ranking = annual_of(args, limit=None)
    return Sheet(sheet_name(f"{ranking['year']}年度排名", ranking["community"].name), [
        Column("名次", 8, "number"), Column("姓名", 12), Column("队伍", 14), Column("积分", 10, "number"),
        Column("服务时长(小时)", 14, "hours"), Column("参加活动", 10, "number"), Column("有效线索", 10, "number"),
    ], ((row.rank, row.name, row.team, row.points, row.minutes, row.activities, row.tips)
        for row in ranking["items"]))


def notices_sheet(args) -> Sheet:
    community = reported_community(args.get("community_id"))
    postings = on_notice(db.session(), community_id=community.id, now=now(), limit=100_000)
    return Sheet(_named("积分公示", community), [
        Column("姓名", 10), Column("队伍", 14), Column("事项", 20), Column("积分", 8, "number"),
        Column("登记时间", 20, "time"), Column("公示截止", 20, "time"),
    ], ((p.name, p.team, p.rule_name, p.points, p.at, p.final_at) for p in reversed(postings)))


def expiring_sheet(args) -> Sheet:
    community = reported_community(args.get("community_id"))
    start = now()
    rows = expiring_members(db.session(), community_id=community.id, now=start,
                            until=start + timedelta(days=args["days"]))
    return Sheet(_named("即将过期积分", community), [
        Column("编号", 8, "number"), Column("姓名", 12), Column("手机", 14), Column("队伍", 14),
        Column("即将过期积分", 12, "number"), Column("最早过期时间", 20, "time"),
    ], ((e.member_id, e.name, e.phone, e.team, e.points, e.first_on) for e in rows))


def _named(what: str, community, when: str | None = None) -> str:
    """排行榜 振宇社区 2026年11月: what, whose, and when (today, for a list as it stands now)."""
    return sheet_name(what, community.name, when or f"{now().astimezone(zone()):%Y-%m-%d}")


def _span(args) -> str | None:
    """The dates an export was cut to, if it was."""
    start, end = (f"{args[key].astimezone(zone()):%Y-%m-%d}" if args.get(key) else "" for key in ("from_", "to"))
    if not (start or end):
        return None
    return f"{start}至{end}" if end else f"{start}起"


def _period(span: str, start) -> str:
    if span == "all" or start is None:
        return "累计"
    start = start.astimezone(zone())
    return {"week": f"{start:%Y-%m-%d}起一周", "month": f"{start.year}年{start.month}月"}.get(span, f"{start.year}年")


SHEETS = {"notices": notices_sheet, "expiring": expiring_sheet, "entries": entries_sheet, "members": members_sheet, "redemptions": redemptions_sheet,
          "leaderboard": leaderboard_sheet, "annual": annual_sheet}
