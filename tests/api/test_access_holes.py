"""The holes found by probing the service as an attacker would, each closed."""
import pytest

from ..helpers import Client
from .test_checkins import HERE, make_activity, patrol  # noqa: F401  (fixtures)
from .test_errors import assert_error


@pytest.fixture
def shared_partner(app, clock, admin, community, organiser, volunteer, rules, shop):
    """A property company serving 振宇 (A) and 保利 (B), with a fulfilled voucher in each community."""
    from ..conftest import _token
    b = admin.post("/api/v1/communities", {"name": "保利社区", "code": "baoli"}, expect=201).json
    b_organiser = Client(app, _token(app, clock, role="organiser", name="保利 民警", community_id=b["id"]))
    b_organiser.post("/api/v1/rules", {"code": "patrol", "name": "巡逻", "points": 50, "basis": "per_event"})
    partner = admin.post("/api/v1/partners", {"name": "联合物业", "kind": "property",
                                              "community_ids": [community["id"], b["id"]]}, expect=201).json
    clerk = Client(app, _token(app, clock, role="partner", name="联合物业 前台", partner_id=partner["id"]))
    vouchers = {}
    for label, boss, community_id, (member, _) in (
            ("a", organiser, community["id"], volunteer),
            ("b", b_organiser, b["id"], (b_organiser.post("/api/v1/members", {
                "name": "李四", "phone": "13912345678", "community_id": b["id"]}, expect=201).json, None))):
        reward = boss.post("/api/v1/rewards", {"name": "物业费", "kind": "service", "cost": 50,
                                               "community_id": community_id, "partner_id": partner["id"]},
                           expect=201).json
        boss.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, expect=201)
        vouchers[label] = boss.post("/api/v1/redemptions", {"reward_id": reward["id"], "member_id": member["id"]},
                                    expect=201).json
    clerk.post("/api/v1/redemptions/fulfil", {"voucher_code": vouchers["a"]["voucher_code"]}, expect=200)
    clerk.post("/api/v1/redemptions/fulfil", {"voucher_code": vouchers["b"]["voucher_code"]}, expect=200)
    return partner, vouchers


def test_an_organiser_cannot_credential_a_partner_that_also_serves_another_community(organiser, admin,
                                                                                      shared_partner, shop):
    partner, _ = shared_partner
    response = organiser.post("/api/v1/tokens", {"role": "partner", "name": "x", "partner_id": partner["id"]})
    assert_error(response, 403, "forbidden")
    admin.post("/api/v1/tokens", {"role": "partner", "name": "x", "partner_id": partner["id"]}, expect=201)
    organiser.post("/api/v1/tokens", {"role": "partner", "name": "x", "partner_id": shop["barber"]["id"]},
                   expect=201)


def test_an_organiser_sees_only_their_own_communitys_lines_of_a_shared_settlement(organiser, admin,
                                                                                   shared_partner):
    partner, vouchers = shared_partner
    mine = organiser.get(f"/api/v1/partners/{partner['id']}/settlement").json
    assert [line["redemption_id"] for line in mine["items"]] == [vouchers["a"]["id"]]
    assert (mine["count"], mine["points"]) == (1, 50)
    csv = organiser.get(f"/api/v1/partners/{partner['id']}/settlement", format="csv").get_data(as_text=True)
    assert vouchers["a"]["voucher_code"] in csv and vouchers["b"]["voucher_code"] not in csv
    everything = admin.get(f"/api/v1/partners/{partner['id']}/settlement").json
    assert everything["count"] == 2


def test_volunteers_listing_or_reading_activities_never_receive_codes(organiser, patrol, volunteer):  # noqa: F811
    _, phone = volunteer
    for activity in (phone.get(f"/api/v1/activities/{patrol['id']}").json,
                     phone.get("/api/v1/activities").json["items"][0]):
        assert "checkin_url" not in activity and "qr_png" not in activity
        assert activity["id"] == patrol["id"]
    assert organiser.get(f"/api/v1/activities/{patrol['id']}").json["checkin_url"] == patrol["checkin_url"]


def test_an_activity_takes_only_the_checkin_methods_it_accepts(organiser, make_activity, volunteer):  # noqa: F811
    member, phone = volunteer
    live_only = make_activity(checkin_methods=["live"])
    assert live_only["checkin_methods"] == ["live"]
    assert_error(phone.post("/api/v1/checkins", {"code": live_only["checkin_url"]}), 422, "invalid_code")
    live = organiser.get(f"/api/v1/activities/{live_only['id']}/live").json
    assert phone.post("/api/v1/checkins", {"code": live["url"]}).status_code == 201
    card = organiser.get(f"/api/v1/members/{member['id']}/card.png")
    from ..helpers import decode_qr
    response = organiser.post(f"/api/v1/activities/{live_only['id']}/checkins", {"member_code": decode_qr(card.data)})
    assert_error(response, 422, "invalid_code")


def test_checkin_methods_default_to_all_and_refuse_unknown_ones(organiser, make_activity, community, clock):  # noqa: F811
    assert make_activity()["checkin_methods"] == ["printed", "live", "card"]
    body = {"rule_code": "patrol", "title": "x", "community_id": community["id"], "checkin_methods": ["sms"],
            "starts_at": clock.now().isoformat(), "ends_at": clock.now().replace(hour=23).isoformat()}
    assert_error(organiser.post("/api/v1/activities", body), 422, "validation_error")
    assert_error(organiser.post("/api/v1/activities", {**body, "checkin_methods": []}), 422, "validation_error")


def test_an_organisers_card_checkin_at_a_place_needs_no_phone_location(organiser, make_activity, volunteer):  # noqa: F811
    member, phone = volunteer
    fenced = make_activity(location={**HERE, "radius_m": 200})
    from ..helpers import decode_qr
    member_code = decode_qr(organiser.get(f"/api/v1/members/{member['id']}/card.png").data)
    checkin = organiser.post(f"/api/v1/activities/{fenced['id']}/checkins", {"member_code": member_code},
                             expect=201).json
    assert (checkin["method"], checkin["status"]) == ("card", "awarded")
    # a phone's own check-in is still fenced
    assert_error(phone.post("/api/v1/checkins", {"code": fenced["checkin_url"]}), 422, "outside_area")
