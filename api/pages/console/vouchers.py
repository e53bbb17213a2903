"""`/console/vouchers`: the community's vouchers, outstanding (points held) and fulfilled, by status
and partner; goods waiting at the police workstation link to the counter, where an organiser
fulfils them (`/counter`, the same look-up and fulfilment as a clerk's)."""
from flask import abort, render_template, request

from points.members import get_member
from rewards.partners import find_partners, get_partner
from rewards.redemptions import STATUSES, fulfilment_refusal
from rewards.voucher_lists import vouchers_with_holders

from ...http import db
from ...http.clock import now
from ...identity.access import settlement_view, visible_redemption
from ...identity.authentication import current_principal
from ..blueprint import path_id
from .base import blp, communities_to_pick, viewed_community_id

PAGE = 100


@blp.get("/console/vouchers")
def rewards_vouchers():
    """Vouchers newest first, filtered by `status` and `partner_id`, a page at a time (`cursor`)."""
    session, principal = db.session(), current_principal()
    community_id = viewed_community_id()
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        abort(404)
    partner_id = path_id(request.args.get("partner_id", type=int))
    if partner_id is not None:
        settlement_view(session, principal, partner_id)  # another community's partner: the 404 page
    rows = vouchers_with_holders(session, community_id=community_id, partner_id=partner_id, status=status,
                                 cursor=path_id(request.args.get("cursor", type=int)), limit=PAGE)
    partners = find_partners(session, community_id=community_id)
    at_station, moment = _station_ids(partners), now()
    # Goods at the workstation, still good: handed over at the counter (`去核销`).
    to_counter = {voucher.id for voucher, _name, _phone in rows
                  if voucher.partner_id in at_station and fulfilment_refusal(voucher, now=moment) is None}
    return render_template("console/vouchers.html", rows=rows, partners=partners, status=status,
                           partner_id=partner_id, to_counter=to_counter, now=moment, communities=communities_to_pick(),
                           next_cursor=rows[-1][0].id if len(rows) == PAGE else None)


@blp.get("/console/vouchers/<int:redemption_id>")
def rewards_voucher(redemption_id: int):
    """One voucher: whose, what for, where and when it was (or can be) handed over."""
    session = db.session()
    subject = visible_redemption(session, current_principal(), path_id(redemption_id))
    provider = get_partner(session, subject.partner_id) if subject.partner_id is not None else None
    return render_template("console/voucher.html", voucher=subject, provider=provider,
                           member=get_member(session, subject.member_id),
                           refusal=fulfilment_refusal(subject, now=now()),
                           at_station=provider is not None and provider.kind == "station")


def _station_ids(partners) -> set[int]:
    """The workstations among the partners: their goods are handed over at the organiser's own counter."""
    return {partner.id for partner in partners if partner.kind == "station"}
