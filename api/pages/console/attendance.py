"""Checking in a volunteer who has neither a smartphone nor their card: an organiser finds them on the
activity's page by name or phone (`姓名或手机号`, `签到`) and checks them in.

One match is checked in at once; several are listed, each with its own `签到` button (by member id),
so two people of the same name are never mixed up. Both go through `api.acts.checkins.check_in_by_card`
once per rendered form, audited like a card check-in.
"""
import re

from flask import flash, redirect, request, url_for

from points.members import find_members
from points.phones import normalise_phone

from ...acts.checkins import check_in_by_card
from ...http import db
from ...http.clock import now
from ...identity.authentication import current_principal
from ..guard import act_once
from ..refusals import sentence
from .activities import _activity, _activity_page, _member_name, arrived
from .base import blp

SHOWN_AT_MOST = 10  # matches listed to choose from; more: type more of the name or phone
_PHONE_TYPED = re.compile(r"[\d\s+\-]+")


@blp.post("/console/activities/<int:activity_id>/checkins/search")
def activities_search_checkin(activity_id: int):
    """Find a member of the activity's community by name or phone: check one match in, list several."""
    activity = _activity(activity_id)
    typed = request.form.get("q", "").strip()[:100]
    if not typed:
        return _activity_page(activity, search_message=sentence("member_search"), q=typed, status=422)
    looked_for = normalise_phone(typed) if _PHONE_TYPED.fullmatch(typed) else typed
    found = find_members(db.session(), community_id=activity.community_id, q=looked_for, limit=SHOWN_AT_MOST + 1)
    if not found:
        return _activity_page(activity, search_message=sentence("member_search_none"), q=typed, status=404)
    if len(found) > 1:
        return _activity_page(activity, candidates=found[:SHOWN_AT_MOST], more=len(found) > SHOWN_AT_MOST, q=typed)
    return _check_in(activity, found[0].id, typed)


@blp.post("/console/activities/<int:activity_id>/checkins/member")
def activities_member_checkin(activity_id: int):
    """Check in the member chosen from the list of matches."""
    activity = _activity(activity_id)
    member_id = request.form.get("member_id", type=int)
    if not member_id:
        return _activity_page(activity, search_message=sentence("member_search"), status=422)
    return _check_in(activity, member_id, request.form.get("q", "")[:100])


def _check_in(activity, member_id: int, typed: str):
    def checked_in():
        checkin = check_in_by_card(db.writer(), current_principal(), activity_id=activity.id, member_id=member_id,
                                   now=now())
        flash(arrived(checkin, _member_name(member_id)), "done")
        return redirect(url_for(".activities_detail", activity_id=activity.id), code=303)

    def refused(said: str, status: int):
        return _activity_page(activity, search_message=said, q=typed, status=status)

    return act_once(checked_in, refused, said_to="organiser")
