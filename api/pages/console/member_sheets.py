"""The console's downloads of people: `导出Excel` of the roster with balances on /console/members, and
`导出积分明细` of one member's points statement on their page (the sheets the API's exports share)."""
from points.communities import get_community

from ...acts.statements import roster_sheet, statement_sheet
from ...http import db
from ...http.clock import now, zone
from ...http.downloads import sheet_response
from ...http.sheets import sheet_name
from ...identity.access import named_community, visible_member
from ...identity.authentication import current_principal
from ..blueprint import path_id
from .base import blp, viewed_community_id


@blp.get("/console/members.xlsx")
def members_xlsx():
    """The community's roster with each member's balances (志愿者 振宇社区 2026-11-23.xlsx)."""
    session = db.session()
    community = get_community(session, named_community(current_principal(), viewed_community_id()))
    return sheet_response(roster_sheet(session, community.id, name=sheet_name("志愿者", community.name, _today())),
                          format="xlsx", zone=zone())


@blp.get("/console/members/<int:member_id>/entries.xlsx")
def member_entries_xlsx(member_id: int):
    """A member's points statement (积分明细 陈元龙 2026-11-23.xlsx)."""
    session = db.session()
    member = visible_member(session, current_principal(), path_id(member_id))
    return sheet_response(statement_sheet(session, member, name=sheet_name("积分明细", member.name, _today())),
                          format="xlsx", zone=zone())


def _today() -> str:
    return f"{now():%Y-%m-%d}"
