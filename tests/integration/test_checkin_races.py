"""Check-in races with real threads on a real database (SQLite file or PostgreSQL)."""
from datetime import timedelta

from sqlalchemy import func, select

from points.checkins import Checkin
from points.ledger import Transfer
from points.verify import ledger_problems

from ..helpers import at_once


def open_patrol(organiser, community, clock, **extra):
    body = {"rule_code": "patrol", "title": "夜间巡逻", "community_id": community["id"],
            "starts_at": clock.now().isoformat(), "ends_at": (clock.now() + timedelta(hours=2)).isoformat(), **extra}
    return organiser.post("/api/v1/activities", body, expect=201).json


def test_one_volunteer_scanning_twenty_times_at_once_checks_in_once(organiser, community, rules, clock,
                                                                     volunteer, session):
    # Guarded by UNIQUE(activity_id, member_id), inserted before any points move.
    patrol = open_patrol(organiser, community, clock)
    _, phone = volunteer
    responses = at_once([lambda i=i: phone.post("/api/v1/checkins", {"code": patrol["checkin_url"]}, key=f"tap-{i}")
                         for i in range(20)])
    assert sorted(r.status_code for r in responses) == [201] + [409] * 19
    assert {r.json["code"] for r in responses if r.status_code == 409} == {"already_checked_in"}
    assert session.scalar(select(func.count()).select_from(Checkin)) == 1
    assert session.scalar(select(func.count()).select_from(Transfer)) == 1
    assert ledger_problems(session) == []


def test_fifty_volunteers_racing_for_forty_places_make_forty_checkins(organiser, community, rules, clock,
                                                                       enrol, session):
    # Guarded by the conditional UPDATE activities SET places_taken = places_taken + 1
    # WHERE places_taken < capacity.
    patrol = open_patrol(organiser, community, clock, capacity=40)
    phones = [enrol(name=f"志愿者{i}", password=None)[1] for i in range(50)]
    responses = at_once([lambda p=p: p.post("/api/v1/checkins", {"code": patrol["checkin_url"]}) for p in phones],
                        workers=50)
    assert sorted(r.status_code for r in responses) == [201] * 40 + [409] * 10
    assert {r.json["code"] for r in responses if r.status_code == 409} == {"limit_reached"}
    assert session.scalar(select(func.count()).select_from(Checkin)) == 40
    assert session.scalar(select(func.count()).select_from(Transfer)) == 40
    assert organiser.get(f"/api/v1/activities/{patrol['id']}").json["checkin_count"] == 40
    assert ledger_problems(session) == []
