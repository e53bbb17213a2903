"""Corrections raced with real threads on a real database (SQLite file or PostgreSQL): each ends in one effect."""
from datetime import timedelta

from sqlalchemy import func, select

from points.db import serializes_writers
from points.ledger import Transfer
from points.verify import ledger_problems
from rewards import partners
from rewards.partners import Partner

from ..helpers import at_once, meet_at


def checked_out_shift(organiser, community, clock, phone):
    """A per-hour patrol the volunteer checked into and, two hours later, out of (40 points)."""
    start = clock.now()
    shift = organiser.post("/api/v1/activities", {
        "rule_code": "patrol_hours", "title": "夜间巡逻", "community_id": community["id"],
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=4)).isoformat()}, expect=201).json
    checkin = phone.post("/api/v1/checkins", {"code": shift["checkin_url"]}, expect=201).json
    clock.advance(hours=2)
    phone.post(f"/api/v1/checkins/{checkin['id']}/checkout", {}, expect=200)
    return checkin


def reversals(session) -> int:
    return session.scalar(select(func.count()).select_from(Transfer).where(Transfer.kind == "reversal"))


def test_ten_undos_of_one_check_out_at_once_reverse_it_once(organiser, community, rules, clock, volunteer, session):
    # Guarded by the conditional UPDATE checkins SET status = 'open' WHERE status = 'awarded'
    # AND checked_out_at = <the one read>: the second waits for the first and finds it open.
    member, phone = volunteer
    checkin = checked_out_shift(organiser, community, clock, phone)
    undo = f"/api/v1/checkins/{checkin['id']}/undo-checkout"
    responses = at_once([lambda i=i: (phone if i % 2 else organiser).post(undo, {}, key=f"undo-{i}")
                         for i in range(10)])
    assert sorted(r.status_code for r in responses) == [200] + [409] * 9
    assert {r.json["code"] for r in responses if r.status_code == 409} == {"conflict"}
    assert reversals(session) == 1
    assert phone.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 0
    assert ledger_problems(session) == []


def test_an_undo_racing_a_check_out_again_leaves_one_award(organiser, community, rules, clock, volunteer, session):
    member, phone = volunteer
    checkin = checked_out_shift(organiser, community, clock, phone)
    phone.post(f"/api/v1/checkins/{checkin['id']}/undo-checkout", {}, expect=200)
    responses = at_once([lambda i=i: phone.post(f"/api/v1/checkins/{checkin['id']}/checkout", {}, key=f"out-{i}")
                         for i in range(6)])
    assert sorted(r.status_code for r in responses) == [200] + [409] * 5
    earned = session.scalar(select(func.count()).select_from(Transfer).where(Transfer.kind == "earn"))
    assert (earned, reversals(session)) == (2, 1)
    assert phone.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 40
    assert ledger_problems(session) == []


def test_two_cancellations_at_once_reverse_each_earning_once(organiser, community, rules, clock, enrol, session):
    start = clock.now()
    patrol = organiser.post("/api/v1/activities", {
        "rule_code": "patrol", "title": "治安巡逻", "community_id": community["id"], "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat()}, expect=201).json
    for i in range(5):
        enrol(name=f"志愿者{i}")[1].post("/api/v1/checkins", {"code": patrol["checkin_url"]}, expect=201)
    responses = at_once([lambda i=i: organiser.post(f"/api/v1/activities/{patrol['id']}/cancel",
                                                    {"reason": f"取消 {i}"}, key=f"cancel-{i}") for i in range(4)])
    assert sorted(r.status_code for r in responses) == [200] + [409] * 3
    [done] = [r.json for r in responses if r.status_code == 200]
    assert len(done["reversed"]) == 5 and reversals(session) == 5
    assert ledger_problems(session) == []


def test_two_partners_of_one_name_signed_at_once_make_one(organiser, community, session, monkeypatch):
    # Guarded by UNIQUE(partner_communities.community_id, name_key), not only by the look-up before it.
    # On PostgreSQL all six have looked the name up before any of them writes it (on SQLite the look-up
    # and the insert are under the one write lock, where the look-up is the guard).
    if not serializes_writers(session):
        meet_at(monkeypatch, partners, "name_taken", 6, after=True)
    responses = at_once([lambda i=i: organiser.post("/api/v1/partners", {
        "name": "老街理发店", "kind": "shop", "community_ids": [community["id"]]}) for i in range(6)])
    assert sorted(r.status_code for r in responses) == [201] + [409] * 5
    assert {r.json["code"] for r in responses if r.status_code == 409} == {"conflict"}
    assert session.scalar(select(func.count()).select_from(Partner).where(Partner.name == "老街理发店")) == 1
