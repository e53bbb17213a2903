"""The access policy asked directly, with explicit principals: no request, no database."""
import pytest

from api.identity.access import Scope, allows, community_for, listed_member, may_see_member, scope, sees_checkin_codes
from api.identity.principal import Principal
from points.errors import Forbidden
from points.members import Member

ADMIN = Principal(1, "admin", "管理员")
ORGANISER = Principal(2, "organiser", "民警", community_id=7)
PARTNER = Principal(3, "partner", "理发店", partner_id=5)
VOLUNTEER = Principal(4, "volunteer", "陈元龙", community_id=7, member_id=11)


def test_each_role_lists_within_its_own_scope():
    assert scope(ADMIN) == Scope()
    assert scope(ORGANISER) == Scope(community_id=7)
    assert scope(PARTNER) == Scope(partner_id=5)
    assert scope(VOLUNTEER) == Scope(community_id=7, member_id=11)


def test_naming_another_community_is_forbidden_and_a_partner_has_none():
    assert community_for(ADMIN, 9) == 9 and community_for(ADMIN, None) is None
    assert community_for(ORGANISER, None) == 7 and community_for(ORGANISER, 7) == 7
    for principal in (ORGANISER, VOLUNTEER):
        with pytest.raises(Forbidden):
            community_for(principal, 9)
    with pytest.raises(Forbidden):
        community_for(PARTNER, None)  # else "no filter": every community's rows


def test_a_volunteer_lists_only_their_own_whatever_they_ask_for():
    assert listed_member(VOLUNTEER, 99) == 11
    assert listed_member(ORGANISER, 99) == 99 and listed_member(ORGANISER, None) is None


def test_who_sees_a_member():
    own, stranger = Member(id=11, community_id=7), Member(id=12, community_id=8)
    assert may_see_member(ADMIN, stranger)
    assert may_see_member(ORGANISER, own) and not may_see_member(ORGANISER, stranger)
    assert may_see_member(VOLUNTEER, own) and not may_see_member(VOLUNTEER, Member(id=13, community_id=7))
    assert not may_see_member(PARTNER, own)


def test_only_staff_are_handed_checkin_codes_and_roles_gate_operations():
    assert [sees_checkin_codes(p) for p in (ADMIN, ORGANISER, PARTNER, VOLUNTEER)] == [True, True, False, False]
    assert allows(VOLUNTEER, ("volunteer",)) and not allows(PARTNER, ("admin", "organiser"))
