"""`/console/partners`: the partners serving the community, the communities each serves, their clerks'
accounts, a new partner (as `POST /partners`: an organiser only for their own community), and a
partner's settlement for a month with its Excel download (the counter's statement and sheet)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from points.communities import list_communities
from rewards.partners import KINDS, find_partners

from ...acts.counter import settlement_sheet
from ...acts.partners import sign
from ...http import db
from ...http.clock import now, zone
from ...http.downloads import sheet_response
from ...http.sheets import sheet_name
from ...identity.access import may_change_partner, may_sign_partner, settlement_view
from ...identity.accounts import clerks_of
from ...identity.authentication import current_principal
from ..blueprint import path_id
from ..counter import month_statement
from ..guard import act_once, new_action_key
from ..refusals import sentence
from .base import blp, communities_to_pick, viewed_community_id

PARTNER_KINDS = {"shop": _l("商店"), "clinic": _l("诊所"), "school": _l("学校"), "property": _l("物业公司"),
                 "station": _l("警网融合工作站")}
SIGNED_KINDS = tuple(kind for kind in KINDS if kind != "station")  # the workstation is made, not signed


@blp.get("/console/partners")
def partners():
    """Partners serving the community: kind, communities served, clerks; and the form for a new one."""
    return _partners_page()


@blp.post("/console/partners")
def partners_post():
    """Sign up a partner for the communities ticked (an organiser: their own only), once per press."""
    name = request.form.get("name", "").strip()
    kind = request.form.get("kind", "")
    address = request.form.get("address", "").strip()[:200]
    community_ids = _ticked_communities()
    if not 1 <= len(name) <= 200 or kind not in SIGNED_KINDS or not community_ids:
        return _partners_page(message=sentence("validation_error"), status=422)
    may_sign_partner(current_principal(), community_ids)  # another community: the 403 page

    def signed():
        made = sign(db.writer(), current_principal(), name=name, kind=kind, community_ids=community_ids, now=now(),
                    address=address)
        flash(_("已新增合作商家：%(name)s", name=made.name), "done")
        return redirect(url_for(".partners_one", partner_id=made.id), code=303)

    def refused(said: str, status: int):
        return _partners_page(message=said, status=status)

    return act_once(signed, refused)


@blp.get("/console/partners/<int:partner_id>")
def partners_one(partner_id: int):
    """A partner: the communities it serves, its clerks, and its settlement for a month (`month=YYYY-MM`)."""
    partner, community_id = _statement_of(partner_id)
    month, settlement = month_statement(partner, community_id, request.args.get("month", ""))
    served = find_partners(db.session(), partner_id=partner.id)[0].communities
    return render_template("console/partner.html", partner=partner, served=served, month=month,
                           settlement=settlement, clerks=clerks_of(db.session(), [partner.id])[partner.id],
                           kind_labels=PARTNER_KINDS, new_key=new_action_key,
                           manageable=partner.kind != "station" and may_change_partner(current_principal(), served))


@blp.get("/console/partners/<int:partner_id>/settlement.xlsx")
def partners_settlement_xlsx(partner_id: int):
    """The month's settlement as Excel: the counter's sheet, with a totals row."""
    partner, community_id = _statement_of(partner_id)
    month, settlement = month_statement(partner, community_id, request.args.get("month", ""))
    return sheet_response(settlement_sheet(settlement, name=sheet_name("结算单", partner.name, month)), format="xlsx",
                          zone=zone())


def _statement_of(partner_id: int):
    """The partner (serving the organiser's community, else the 404 page) and the community its
    lines are cut to: the organiser's own; an admin's pick (none picked: every community)."""
    partner, community_id = settlement_view(db.session(), current_principal(), path_id(partner_id))
    return partner, community_id if community_id is not None else viewed_community_id()


def _partners_page(*, message: str | None = None, status: int = 200):
    session = db.session()
    community_id = viewed_community_id()
    listed = find_partners(session, community_id=community_id)
    pickable = communities_to_pick()  # an admin's: any community; an organiser's: their own only
    chosen = request.form.getlist("community_ids") if request.method == "POST" else [str(community_id or "")]
    return render_template("console/partners.html", partners=listed, kind_labels=PARTNER_KINDS,
                           signed_kinds=SIGNED_KINDS, clerks=clerks_of(session, [p.id for p in listed]),
                           communities=pickable,
                           serveable=pickable or list_communities(session, ids=[community_id]),
                           chosen=chosen, own_community=community_id, form=request.form, message=message,
                           action_key=new_action_key()), status


def _ticked_communities() -> list[int]:
    """The communities ticked on the form (an organiser's form names theirs); junk is the 400 page."""
    try:
        ids = sorted({int(value) for value in request.form.getlist("community_ids")})
    except ValueError:
        abort(400)
    for community_id in ids:
        path_id(community_id)
    return ids
