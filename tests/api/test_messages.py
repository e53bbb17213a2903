"""Messages (消息): each cause tells the volunteer once, in plain Chinese with the numbers, also when
the act is retried with the same Idempotency-Key; a volunteer sees and reads only their own."""
from points.notices import finalise_notices

from .test_errors import assert_error


def told(phone) -> list[dict]:
    return phone.get("/api/v1/me/messages").json["items"]


def test_an_approved_and_a_rejected_tip_each_tell_the_volunteer_once(organiser, volunteer, rules):
    _, phone = volunteer
    first = phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "出租房 3 楼"}, expect=201).json
    second = phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "出租房 5 楼"}, expect=201).json
    for _ in range(2):  # the same request again: the stored answer, not a second approval
        organiser.post(f"/api/v1/claims/{first['id']}/approve", {"points": 60}, key="approve-1", expect=200)
        organiser.post(f"/api/v1/claims/{second['id']}/reject", {"reason": "地址不全"}, key="reject-1", expect=200)
    rejected, approved = told(phone)
    assert (approved["kind"], approved["title"], approved["read"]) == ("claim_approved", "线索审核通过", False)
    assert approved["body"] == "您提交的「提供有效出租房线索」已审核通过，获得 60 积分。"
    assert rejected["kind"] == "claim_rejected" and "地址不全" in rejected["body"]
    assert phone.get("/api/v1/me/messages/unread").json == {"count": 2}


def test_an_award_tells_the_points_once_and_a_notice_tells_again_when_final(app, clock, organiser, volunteer, rules):
    member, phone = volunteer
    organiser.post("/api/v1/rules", {"code": "deed", "name": "见义勇为", "points": 100, "basis": "per_event",
                                     "notice_days": 7}, expect=201)
    for _ in range(2):
        organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, key="a-1", expect=201)
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "deed"}, expect=201)
    deed, patrol = told(phone)
    assert patrol["body"] == "您因「参与治安巡逻」获得 50 积分。"
    assert deed["kind"] == "points_received" and "100 积分" in deed["body"] and "2026年11月30日" in deed["body"]
    clock.advance(days=8)
    for _ in range(2):  # cron on two machines, one after the other: the notice is final once, told once
        with app.extensions["benniu"].sessionmaker() as session, session.begin():
            finalise_notices(session, now=clock.now())
    final, *_ = told(phone)
    assert [item["kind"] for item in told(phone)].count("notice_final") == 1
    assert final["body"] == "您因「见义勇为」获得的 100 积分公示期满，现在可以使用了。"


def test_a_fulfilled_voucher_tells_once(organiser, volunteer, rules, shop):
    member, phone = volunteer
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol", "points": 100},
                   expect=201)
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol_hours", "points": 200},
                   expect=201)
    voucher = phone.post("/api/v1/redemptions", {"reward_id": shop["haircut"]["id"]}, expect=201).json
    for _ in range(2):
        shop["barber_clerk"].post("/api/v1/redemptions/fulfil", {"voucher_code": voucher["voucher_code"]},
                                  key="f-1", expect=200)
    fulfilled = [item for item in told(phone) if item["kind"] == "voucher_fulfilled"]
    assert [item["body"] for item in fulfilled] == ["您兑换的「免费理发」已领取，使用 200 积分。"]


def test_a_volunteer_sees_and_reads_only_their_own(organiser, enrol, rules):
    (me, my_phone), (other, other_phone) = enrol(), enrol(name="李四")
    organiser.post("/api/v1/awards", {"member_id": me["id"], "rule_code": "patrol"}, expect=201)
    organiser.post("/api/v1/awards", {"member_id": other["id"], "rule_code": "patrol"}, expect=201)
    [mine], [theirs] = told(my_phone), told(other_phone)
    assert_error(my_phone.post(f"/api/v1/me/messages/{theirs['id']}/read"), 404, "not_found")
    assert other_phone.get("/api/v1/me/messages/unread").json == {"count": 1}
    for _ in range(2):
        assert my_phone.post(f"/api/v1/me/messages/{mine['id']}/read").status_code == 204
    assert told(my_phone)[0]["read"] is True
    assert my_phone.get("/api/v1/me/messages/unread").json == {"count": 0}
    assert_error(organiser.get("/api/v1/me/messages"), 403, "forbidden")
