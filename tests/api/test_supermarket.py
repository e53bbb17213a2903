"""The points supermarket (积分超市) through HTTP, starting with the scheme's own story."""
import csv
import io
from datetime import timedelta

from ..conftest import _token
from ..helpers import Client, statements_run
from .test_errors import assert_error


def test_the_milkman_earns_1200_points_and_spends_them_three_ways(organiser, community, volunteer, shop, clock,
                                                                 ledger_is_sound):
    member, phone = volunteer
    organiser.post("/api/v1/rules", {"code": "safety_promo", "name": "开展安全防范宣传", "points": 50,
                                     "basis": "per_event", "daily_cap": 50}, expect=201)
    for day in range(24):  # 24 anti-fraud leafleting rounds, one a day
        clock.advance(days=1)
        round_ = organiser.post("/api/v1/activities", {
            "rule_code": "safety_promo", "title": f"反诈宣传 第{day + 1}轮", "community_id": community["id"],
            "starts_at": clock.now().isoformat(), "ends_at": (clock.now() + timedelta(hours=2)).isoformat()},
            expect=201).json
        phone.post("/api/v1/checkins", {"code": round_["checkin_url"]}, expect=201)
    balance = f"/api/v1/members/{member['id']}/balance"
    assert phone.get(balance).json["available"] == 1200

    haircut = phone.post("/api/v1/redemptions", {"reward_id": shop["haircut"]["id"]}, expect=201).json
    assert (haircut["status"], haircut["points"]) == ("reserved", 200)
    assert phone.get(balance).json == {"member_id": member["id"], "available": 1000, "held": 200,
                                       "lifetime_earned": 1200, "lifetime_spent": 0, "pending": 0, "expiring": [],
                                       "minutes_served": 0}
    typed = haircut["voucher_display"].lower()  # the clerk types it as read aloud
    done = shop["barber_clerk"].post("/api/v1/redemptions/fulfil", {"voucher_code": typed}, expect=200).json
    assert done["status"] == "fulfilled" and done["receipt_no"]

    fee = phone.post("/api/v1/redemptions", {"reward_id": shop["fee"]["id"], "points": 300,
                                             "household": "3栋2单元502"}, expect=201).json
    assert (fee["points"], fee["amount_fen"], fee["household"]) == (300, 30000, "3栋2单元502")
    shop["estate_clerk"].post("/api/v1/redemptions/fulfil", {"voucher_code": fee["voucher_code"]}, expect=200)

    rice = phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]}, expect=201).json
    assert organiser.get(f"/api/v1/rewards/{shop['rice']['id']}").json["stock"] == 19
    cancelled = phone.post(f"/api/v1/redemptions/{rice['id']}/cancel", {}, expect=200).json
    assert cancelled["status"] == "cancelled"
    assert organiser.get(f"/api/v1/rewards/{shop['rice']['id']}").json["stock"] == 20

    assert phone.get(balance).json == {"member_id": member["id"], "available": 700, "held": 0,
                                       "lifetime_earned": 1200, "lifetime_spent": 500, "pending": 0, "expiring": [],
                                       "minutes_served": 0}
    barber = shop["barber_clerk"].get(f"/api/v1/partners/{shop['barber']['id']}/settlement").json
    assert (barber["count"], barber["points"], barber["amount_fen"]) == (1, 200, 0)
    estate = shop["estate_clerk"].get(f"/api/v1/partners/{shop['estate']['id']}/settlement").json
    assert (estate["count"], estate["points"], estate["amount_fen"]) == (1, 300, 30000)
    assert estate["items"][0]["household"] == "3栋2单元502"
    assert estate["items"][0]["member_name"] == "陈元龙"
    kinds = [item["kind"] for item in phone.get(f"/api/v1/members/{member['id']}/entries", limit=5).json["items"]]
    assert kinds == ["release", "hold", "hold", "hold", "earn"]


def test_the_settlement_csv_opens_in_excel_with_chinese(organiser, volunteer, shop):
    member, phone = volunteer
    _earn(organiser, member, 500)
    fee = phone.post("/api/v1/redemptions", {"reward_id": shop["fee"]["id"], "points": 200,
                                             "household": "5栋101"}, expect=201).json
    shop["estate_clerk"].post("/api/v1/redemptions/fulfil", {"voucher_code": fee["voucher_code"]}, expect=200)
    response = shop["estate_clerk"].get(f"/api/v1/partners/{shop['estate']['id']}/settlement", format="csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["兑换单号", "券码", "志愿者"]
    assert rows[1][2] == "陈元龙" and rows[1][5] == "物业费抵扣" and rows[1][8] == "200.00" and rows[1][9] == "5栋101"
    assert rows[1][3].count("*") == 4
    assert rows[-1][0] == "合计" and rows[-1][7] == "200"


def test_settlement_covers_from_inclusive_to_exclusive(organiser, volunteer, shop, clock):
    member, phone = volunteer
    _earn(organiser, member, 1000)
    start = clock.now()
    for _ in range(2):
        fee = phone.post("/api/v1/redemptions", {"reward_id": shop["fee"]["id"], "points": 100,
                                                 "household": "5栋101"}).json
        shop["estate_clerk"].post("/api/v1/redemptions/fulfil", {"voucher_code": fee["voucher_code"]}, expect=200)
        clock.advance(days=1)
    path = f"/api/v1/partners/{shop['estate']['id']}/settlement"
    first_day = shop["estate_clerk"].get(path, **{"from": start.isoformat(),
                                                  "to": (start + timedelta(days=1)).isoformat()}).json
    assert first_day["count"] == 1
    assert shop["estate_clerk"].get(path).json["count"] == 2


def test_refusals_use_the_contracts_codes(organiser, enrol, shop):
    (rich, rich_phone), (_, poor_phone) = enrol(), enrol(name="王秀英")
    _earn(organiser, rich, 1000)
    assert_error(poor_phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]}), 409,
                 "insufficient_points")
    rich_phone.post("/api/v1/redemptions", {"reward_id": shop["umbrella"]["id"]}, expect=201)
    assert_error(rich_phone.post("/api/v1/redemptions", {"reward_id": shop["umbrella"]["id"]}), 409, "out_of_stock")
    rich_phone.post("/api/v1/redemptions", {"reward_id": shop["haircut"]["id"]}, expect=201)
    assert_error(rich_phone.post("/api/v1/redemptions", {"reward_id": shop["haircut"]["id"]}), 409, "limit_reached")
    assert_error(rich_phone.post("/api/v1/redemptions", {"reward_id": shop["fee"]["id"], "points": 150,
                                                         "household": "1栋"}), 422, "validation_error")
    assert_error(rich_phone.post("/api/v1/redemptions", {"reward_id": shop["fee"]["id"], "points": 100}),
                 422, "validation_error")


def test_out_of_stock_comes_before_insufficient_points(enrol, shop, organiser):
    (_, broke), (member, rich) = enrol(name="没积分"), enrol(name="有积分")
    _earn(organiser, member, 100)
    rich.post("/api/v1/redemptions", {"reward_id": shop["umbrella"]["id"]}, expect=201)
    assert_error(broke.post("/api/v1/redemptions", {"reward_id": shop["umbrella"]["id"]}), 409, "out_of_stock")


def test_a_voucher_is_fulfilled_once_and_not_after_cancel(organiser, volunteer, shop):
    member, phone = volunteer
    _earn(organiser, member, 1000)
    first = phone.post("/api/v1/redemptions", {"reward_id": shop["haircut"]["id"]}).json
    clerk = shop["barber_clerk"]
    clerk.post("/api/v1/redemptions/fulfil", {"voucher_code": first["voucher_code"]}, expect=200)
    assert_error(clerk.post("/api/v1/redemptions/fulfil", {"voucher_code": first["voucher_code"]}),
                 409, "already_fulfilled")
    assert_error(phone.post(f"/api/v1/redemptions/{first['id']}/cancel", {}), 409, "already_fulfilled")
    rice = phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]}).json
    phone.post(f"/api/v1/redemptions/{rice['id']}/cancel", {}, expect=200)
    assert_error(phone.post(f"/api/v1/redemptions/{rice['id']}/cancel", {}), 409, "already_cancelled")
    assert_error(organiser.post("/api/v1/redemptions/fulfil", {"voucher_code": rice["voucher_code"]}),
                 409, "already_cancelled")


def test_an_expired_voucher_is_refused_and_expiry_releases_it_once(app, organiser, volunteer, shop, clock,
                                                                   ledger_is_sound):
    from points.db import begin_write
    from rewards.redemptions import expire_vouchers
    member, phone = volunteer
    _earn(organiser, member, 300)
    rice = phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]}).json
    clock.advance(days=31)
    assert_error(organiser.post("/api/v1/redemptions/fulfil", {"voucher_code": rice["voucher_code"]}),
                 409, "voucher_expired")
    with app.extensions["benniu"].sessionmaker() as session:
        begin_write(session)
        assert [r.id for r in expire_vouchers(session, now=clock.now())] == [rice["id"]]
        assert expire_vouchers(session, now=clock.now()) == []
        session.commit()
    assert phone.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 300
    assert organiser.get(f"/api/v1/rewards/{shop['rice']['id']}").json["stock"] == 20
    assert_error(organiser.post("/api/v1/redemptions/fulfil", {"voucher_code": rice["voucher_code"]}),
                 409, "voucher_expired")


def test_a_partner_sees_fulfils_and_settles_only_its_own(organiser, volunteer, shop):
    member, phone = volunteer
    _earn(organiser, member, 1000)
    fee = phone.post("/api/v1/redemptions", {"reward_id": shop["fee"]["id"], "points": 100,
                                             "household": "1栋"}).json
    barber = shop["barber_clerk"]
    assert_error(barber.post("/api/v1/redemptions/fulfil", {"voucher_code": fee["voucher_code"]}), 403, "forbidden")
    assert_error(barber.get(f"/api/v1/redemptions/{fee['id']}"), 404, "not_found")
    assert barber.get("/api/v1/redemptions").json["items"] == []
    assert_error(barber.get(f"/api/v1/partners/{shop['estate']['id']}/settlement"), 403, "forbidden")
    assert_error(barber.get(f"/api/v1/redemptions/{fee['id']}/voucher.png"), 404, "not_found")
    assert [p["id"] for p in barber.get("/api/v1/partners").json["items"]] == [shop["barber"]["id"]]


def test_a_volunteer_cannot_redeem_on_someone_elses_account(organiser, enrol, shop):
    (_, phone), (other, _) = enrol(), enrol(name="王秀英")
    _earn(organiser, other, 500)
    assert_error(phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"], "member_id": other["id"]}),
                 404, "not_found")


def test_the_voucher_qr_carries_the_code_a_clerk_can_fulfil(organiser, volunteer, shop):
    from ..helpers import decode_qr
    member, phone = volunteer
    _earn(organiser, member, 300)
    haircut = phone.post("/api/v1/redemptions", {"reward_id": shop["haircut"]["id"]}).json
    scanned = decode_qr(phone.get(f"/api/v1/redemptions/{haircut['id']}/voucher.png").data)
    assert scanned.endswith(f"/v/{haircut['voucher_code']}")
    assert shop["barber_clerk"].post("/api/v1/redemptions/fulfil", {"voucher_code": scanned}).status_code == 200


def test_editing_a_reward_does_not_reprice_issued_vouchers(organiser, volunteer, shop):
    member, phone = volunteer
    _earn(organiser, member, 1000)
    rice = phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]}).json
    organiser.patch(f"/api/v1/rewards/{shop['rice']['id']}", {"cost": 999})
    phone.post(f"/api/v1/redemptions/{rice['id']}/cancel", {}, expect=200)
    assert phone.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 1000
    assert organiser.get(f"/api/v1/rewards/{shop['rice']['id']}").json["cost"] == 999


def test_a_shelved_reward_cannot_be_redeemed(organiser, volunteer, shop):
    member, phone = volunteer
    _earn(organiser, member, 1000)
    organiser.patch(f"/api/v1/rewards/{shop['rice']['id']}", {"active": False})
    assert_error(phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]}), 404, "not_found")
    assert shop["rice"]["id"] not in [r["id"] for r in phone.get("/api/v1/rewards").json["items"]]


def _earn(organiser, member, points):
    """Give a member points by organiser award (a rule without a daily cap)."""
    organiser.post("/api/v1/rules", {"code": "bonus", "name": "表彰奖励", "points": 1, "basis": "per_event"})
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "bonus", "points": points},
                   expect=201)


def test_partners_list_their_communities_in_one_query_for_all(app, admin, organiser, community, shop):
    other = admin.post("/api/v1/communities", {"name": "保利社区", "code": "baoli"}, expect=201).json
    both = admin.post("/api/v1/partners", {"name": "仁心诊所", "kind": "clinic",
                                           "community_ids": [other["id"], community["id"]]}, expect=201).json
    assert both["community_ids"] == sorted([community["id"], other["id"]])
    with statements_run(app) as listing:
        listed = admin.get("/api/v1/partners").json["items"]
    assert [(p["id"], p["community_ids"]) for p in listed] == [
        (shop["barber"]["id"], [community["id"]]), (shop["estate"]["id"], [community["id"]]),
        (shop["rice"]["partner_id"], [community["id"]]), (both["id"], sorted([community["id"], other["id"]]))]
    assert len([statement for statement in listing if "partner_communities" in statement]) == 1
    clinic = Client(app, _token(app, app.extensions["benniu"].clock, role="partner", name="诊所",
                                partner_id=both["id"]))
    assert [c["id"] for c in clinic.get("/api/v1/communities").json["items"]] == sorted([community["id"], other["id"]])


def test_the_counter_sees_a_voucher_before_fulfilling_it_and_its_receipt_after(organiser, volunteer, shop, clock):
    member, phone = volunteer
    _earn(organiser, member, 500)
    voucher = phone.post("/api/v1/redemptions", {"reward_id": shop["fee"]["id"], "points": 300,
                                                 "household": "3栋2单元502"}, expect=201).json
    clerk = shop["estate_clerk"]
    seen = clerk.get(f"/api/v1/vouchers/{voucher['voucher_display'].lower()}").json
    assert (seen["can_fulfil"], seen["refusal"], seen["member_name"], seen["provider"]) == (
        True, None, "陈*龙", "振宇物业服务中心")
    assert (seen["redemption"]["amount_fen"], seen["redemption"]["household"]) == (30000, "3栋2单元502")
    assert seen["member_phone"].count("*") == 4 and member["phone"] not in str(seen)
    done = clerk.post("/api/v1/redemptions/fulfil", {"voucher_code": voucher["voucher_code"]}, expect=200).json
    again = clerk.get(f"/api/v1/vouchers/{voucher['voucher_code']}").json
    assert (again["can_fulfil"], again["refusal"]["code"], again["receipt_no"]) == (
        False, "already_fulfilled", done["receipt_no"])
    assert again["fulfilled_at"] == clock.now().isoformat()


def test_the_counter_refuses_another_partners_voucher_and_a_made_up_code(organiser, volunteer, shop):
    member, phone = volunteer
    _earn(organiser, member, 500)
    haircut = phone.post("/api/v1/redemptions", {"reward_id": shop["haircut"]["id"]}, expect=201).json
    assert_error(shop["estate_clerk"].get(f"/api/v1/vouchers/{haircut['voucher_code']}"), 403, "forbidden")
    assert_error(shop["estate_clerk"].get("/api/v1/vouchers/ABCD-EFGH"), 404, "not_found")
    assert_error(phone.get(f"/api/v1/vouchers/{haircut['voucher_code']}"), 403, "forbidden")
