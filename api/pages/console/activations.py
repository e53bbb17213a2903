"""`/console/members/activation`: `打印激活码` — slips for the members who have no password yet
(imported from a roster), one per member (name, QR, code), a team per printed sheet. The codes
are shown on the answer to the form only: kept nowhere but as hashes."""
from base64 import b64encode
from datetime import timedelta
from itertools import groupby

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from points import qr
from points.members import teams_of

from ...acts.activations import issue_activations
from ...codes import public_url
from ...http import db
from ...http.clock import now
from ...identity.authentication import current_principal
from ..guard import act_once_showing, new_action_key
from .base import acting_community, blp, communities_to_pick, viewed_community_id
from .entered import optional_text


@blp.get("/console/members/activation")
def activation_slips():
    """Choose whose slips to print: every member without a password, or one team's."""
    return _choice()


def _choice(*, message: str | None = None, status: int = 200):
    return render_template("console/activation.html", teams=teams_of(db.session(), viewed_community_id()),
                           team=request.args.get("team", "")[:100], message=message, action_key=new_action_key(),
                           days=current_app.config["ACTIVATION_DAYS"], communities=communities_to_pick()), status


@blp.post("/console/members/activation")
def activation_slips_print():
    """New codes (each member's earlier unused one stops working), shown once as printable slips."""
    team = optional_text(request.form.get("team"), 100)
    community = acting_community()
    slips = []

    def issued():
        slips.extend(issue_activations(db.writer(), current_principal(), community_id=community.id, team=team,
                                       now=now(), expires_at=now() + timedelta(days=current_app.config["ACTIVATION_DAYS"])))
        flash(_("已为 %(count)s 位志愿者打印激活码。", count=len(slips)), "done")
        return redirect(url_for(".members"), code=303)

    return act_once_showing(issued, lambda said, status: _choice(message=said, status=status),
                            lambda: _sheets(slips))


def _sheets(slips):
    """A sheet per team; each slip its member's name, the QR to /activate/<code>, and the code."""
    urls = [public_url(f"/activate/{slip.code}") for slip in slips]
    printed = [(slip, url, _qr_data_uri(url)) for slip, url in zip(slips, urls, strict=True)]
    sheets = [(team, list(members)) for team, members in groupby(printed, key=lambda pair: pair[0].member.team)]
    return render_template("console/activation_slips.html", sheets=sheets, communities=communities_to_pick())


def _qr_data_uri(url: str) -> str:
    return "data:image/svg+xml;base64," + b64encode(qr.svg(url, []).encode()).decode()
