"""Exports (导出): the sheets of `api.acts.exports` as XLSX or CSV downloads."""
from ..acts.exports import SHEETS, ExportArgsSchema
from ..http.clock import now, zone
from ..http.downloads import streamed_sheet
from ..http.sheets import FORMATS
from ..http.smorest import BINARY, Blueprint
from ..identity.authentication import current_principal

blp = Blueprint("exports", __name__, url_prefix="/api/v1/exports", description="Reports and exports")

FILE_DOC = {"responses": {"200": {"description": "the file: XLSX (a title row, then a header row in Chinese) or "
                                                 "CSV (UTF-8 with BOM, the header row first)",
                                  "content": {FORMATS["xlsx"]: BINARY, "text/csv": BINARY}}}}


@blp.route(f"/<any({', '.join(SHEETS)}):what>", methods=["GET"])  # another name matches no route: 404
@blp.allow("admin", "organiser")
@blp.arguments(ExportArgsSchema(), location="query")
@blp.doc(**FILE_DOC)
def export(args, what):
    """A community's entries, members, redemptions, leaderboard, annual ranking, public notice,
    members with points expiring soon or service hours, as XLSX or CSV.

    `what` is `entries`, `members`, `redemptions`, `leaderboard` (with the leaderboard's
    parameters), `annual` (with `year` and `team`), `notices` (the public notice, names masked, to
    post on the community's board), `expiring` (whom to remind, with `days`, default 30) or `hours`
    (one row per volunteer per activity, `姓名 | 手机号 | 活动名称 | 服务日期 | 服务时长(小时)`, for the
    national volunteer system's bulk import, with `from` and `to`); text that would start a formula
    is neutralised.
    """
    principal, made = current_principal(), now()
    return streamed_sheet(lambda session: SHEETS[what](session, principal, args, made), format=args["format"],
                          zone=zone())
