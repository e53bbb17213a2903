"""Supermarket races with real threads on a real database (SQLite file or PostgreSQL)."""
from sqlalchemy import func, select

from api.resources import redemptions as redemptions_api
from points.verify import ledger_problems
from rewards.redemptions import Redemption

from ..helpers import at_once, meet_at


def give(organiser, member, points):
    organiser.post("/api/v1/rules", {"code": "bonus", "name": "表彰奖励", "points": 1, "basis": "per_event"})
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "bonus", "points": points},
                   expect=201)


def count(session, **where):
    return session.scalar(select(func.count()).select_from(Redemption).filter_by(**where))


def test_fifty_phones_after_the_last_umbrella_make_one_voucher(organiser, enrol, shop, session):
    # Guarded by UPDATE rewards SET stock = stock - 1 WHERE stock >= 1.
    phones = []
    for i in range(50):
        member, phone = enrol(name=f"志愿者{i}", password=None)
        give(organiser, member, 100)
        phones.append(phone)
    responses = at_once([lambda p=p: p.post("/api/v1/redemptions", {"reward_id": shop["umbrella"]["id"]})
                         for p in phones], workers=50)
    assert sorted(r.status_code for r in responses) == [201] + [409] * 49
    assert {r.json["code"] for r in responses if r.status_code == 409} == {"out_of_stock"}
    assert count(session) == 1
    assert organiser.get(f"/api/v1/rewards/{shop['umbrella']['id']}").json["stock"] == 0
    assert ledger_problems(session) == []


def test_points_for_exactly_three_give_three_of_twenty_at_once(organiser, volunteer, shop, session):
    # Guarded by UPDATE accounts SET balance = balance - n WHERE balance - n >= 0.
    member, phone = volunteer
    give(organiser, member, 900)
    responses = at_once([lambda: phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]})] * 20)
    assert sorted(r.status_code for r in responses) == [201] * 3 + [409] * 17
    assert {r.json["code"] for r in responses if r.status_code == 409} == {"insufficient_points"}
    balance = phone.get(f"/api/v1/members/{member['id']}/balance").json
    assert (balance["available"], balance["held"]) == (0, 900)
    assert organiser.get(f"/api/v1/rewards/{shop['rice']['id']}").json["stock"] == 17
    assert ledger_problems(session) == []


def test_fulfil_and_cancel_racing_on_one_voucher_have_one_outcome(organiser, volunteer, shop, session):
    # Guarded by UPDATE redemptions SET status = ... WHERE status = 'reserved'.
    member, phone = volunteer
    give(organiser, member, 200)
    for attempt in range(5):
        voucher = phone.post("/api/v1/redemptions", {"reward_id": shop["haircut"]["id"]}, expect=201).json
        fulfil, cancel = at_once([
            lambda: shop["barber_clerk"].post("/api/v1/redemptions/fulfil", {"voucher_code": voucher["voucher_code"]}),
            lambda: phone.post(f"/api/v1/redemptions/{voucher['id']}/cancel", {}),
        ])
        outcomes = sorted((fulfil.status_code, cancel.status_code))
        assert outcomes == [200, 409], (fulfil.json, cancel.json)
        if fulfil.status_code == 200:
            assert cancel.json["code"] == "already_fulfilled"
            break  # the haircut is used up for the month
        assert fulfil.json["code"] == "already_cancelled"
    balance = phone.get(f"/api/v1/members/{member['id']}/balance").json
    assert balance["held"] == 0 and balance["available"] + balance["lifetime_spent"] == 200
    assert ledger_problems(session) == []


def test_two_clerks_fulfilling_one_voucher_fulfil_it_once(organiser, volunteer, shop, session, monkeypatch):
    # Guarded by _CLOSE's WHERE status = 'reserved': both clerks have looked the voucher up, and
    # seen it reserved, before either writes (the look-up runs before the write lock).
    member, phone = volunteer
    give(organiser, member, 200)
    voucher = phone.post("/api/v1/redemptions", {"reward_id": shop["haircut"]["id"]}, expect=201).json
    body = {"voucher_code": voucher["voucher_code"]}
    meet_at(monkeypatch, redemptions_api, "look_up", 2, after=True)
    responses = at_once([lambda: shop["barber_clerk"].post("/api/v1/redemptions/fulfil", body)] * 2)
    assert sorted((r.status_code, r.json.get("code")) for r in responses) == [
        (200, None), (409, "already_fulfilled")]
    assert phone.get(f"/api/v1/members/{member['id']}/balance").json["lifetime_spent"] == 200
    assert ledger_problems(session) == []


def test_two_expiry_runs_at_once_expire_each_voucher_once(app, organiser, volunteer, shop, clock, session):
    # Two cron machines select the same due vouchers; the second finds them already expired.
    # Guarded by the conditional UPDATE in closing a voucher, and by expire_vouchers passing
    # over a voucher that another run closed meanwhile instead of failing its whole batch.
    from points.db import begin_write
    from rewards.redemptions import expire_vouchers

    member, phone = volunteer
    give(organiser, member, 3000)
    for _ in range(10):
        phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]}, expect=201)
    clock.advance(days=31)
    sessions = app.extensions["benniu"].sessionmaker

    def run():
        with sessions() as run_session, run_session.begin():
            begin_write(run_session)
            return len(expire_vouchers(run_session, now=clock.now()))

    assert sum(at_once([run] * 2)) == 10
    assert count(session, status="expired") == 10
    assert phone.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 3000
    assert organiser.get(f"/api/v1/rewards/{shop['rice']['id']}").json["stock"] == 20
    assert ledger_problems(session) == []
