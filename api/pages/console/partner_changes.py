"""A partner put right from its console page: `编辑` (name, kind; an admin also its communities) and
`停用` (asked first): its clerks can no longer sign in, its rewards leave the shelf and its unused
vouchers are cancelled, the points going back to the volunteers. Both act through
`api.acts.partners`, once per rendered form."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from rewards.partners import Partner, communities_served

from ...acts.partners import change_partner, retire
from ...http import db
from ...http.clock import now
from ...identity.access import managed_partner
from ...identity.authentication import current_principal
from ..blueprint import path_id
from ..errors import said_page
from ..guard import act_once, new_action_key
from ..refusals import sentence
from .base import blp, communities_to_pick
from .entered import optional_text, required_text
from .partners import PARTNER_KINDS, SIGNED_KINDS


@blp.get("/console/partners/<int:partner_id>/edit")
def partners_edit(partner_id: int):
    """`编辑`: the partner's name and kind (an admin: also the communities it serves)."""
    return _edit_form(_managed(partner_id))


@blp.post("/console/partners/<int:partner_id>/edit")
def partners_edit_post(partner_id: int):
    """Save the changes once; a name another partner of the community has is refused in words."""
    partner = _managed(partner_id)
    name, kind = required_text(request.form.get("name"), 200), request.form.get("kind", "")
    kinds = SIGNED_KINDS if partner.kind != "station" else ("station",)
    if name is None or kind not in kinds:
        return _edit_form(partner, message=sentence("validation_error"), status=422)
    community_ids = _ticked() if communities_to_pick() else None
    address = request.form.get("address", "").strip()[:200]

    def changed():
        change_partner(db.writer(), current_principal(), partner_id=partner.id, now=now(), name=name, kind=kind,
                       community_ids=community_ids, address=address)
        flash(_("合作商家已修改。"), "done")
        return redirect(url_for(".partners_one", partner_id=partner.id), code=303)

    def refused(said: str, status: int):
        return _edit_form(partner, message=said, status=status)

    return act_once(changed, refused)


@blp.post("/console/partners/<int:partner_id>/retire")
def partners_retire(partner_id: int):
    """`确认停用`: retire the partner once."""
    partner = _managed(partner_id)
    reason = optional_text(request.form.get("reason"), 500)

    def retired():
        retire(db.writer(), current_principal(), partner_id=partner.id, now=now(), reason=reason)
        flash(_("已停用合作商家：%(name)s。", name=partner.name), "done")
        return redirect(url_for(".partners_one", partner_id=partner.id), code=303)

    return act_once(retired, said_page)


def _managed(partner_id: int) -> Partner:
    return managed_partner(db.session(), current_principal(), path_id(partner_id))


def _ticked() -> list[int]:
    try:
        return [path_id(int(value)) for value in request.form.getlist("community_ids")]
    except ValueError:
        abort(400)


def _edit_form(partner: Partner, *, message: str | None = None, status: int = 200):
    posted = request.method == "POST"
    served = [str(c) for c in (request.form.getlist("community_ids") if posted
                               else communities_served(db.session(), partner.id))]
    return render_template("console/partner_edit.html", partner=partner, kind_labels=PARTNER_KINDS,
                           kinds=SIGNED_KINDS if partner.kind != "station" else ("station",),
                           name=request.form.get("name", partner.name) if posted else partner.name,
                           kind=request.form.get("kind", partner.kind) if posted else partner.kind,
                           address=request.form.get("address", "") if posted else (partner.address or ""),
                           served=served, pickable=communities_to_pick(), message=message,
                           action_key=new_action_key(), communities=communities_to_pick()), status
