"""Offline uploads racing each other, with real threads on a real database (SQLite file or PostgreSQL)."""
from datetime import timedelta

from sqlalchemy import func, select

from points.checkins import Checkin
from points.ledger import Transfer
from points.offline import OfflineScan
from points.verify import ledger_problems

from ..helpers import at_once, decode_qr
from .test_checkin_races import open_patrol


def cards(organiser, enrol, how_many):
    members = [enrol(name=f"志愿者{i}", password=None)[0] for i in range(how_many)]
    return [decode_qr(organiser.get(f"/api/v1/members/{member['id']}/card.png").data) for member in members]


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_the_same_batch_uploaded_by_two_threads_at_once_has_one_effect(organiser, community, rules, clock, enrol,
                                                                       session):
    patrol = open_patrol(organiser, community, clock)
    scanned = clock.now() + timedelta(minutes=5)
    batch = {"device": "手机1", "scans": [{"card": card, "at": (scanned + timedelta(seconds=i)).isoformat(),
                                          "nonce": f"race-nonce-{i:03d}"}
                                         for i, card in enumerate(cards(organiser, enrol, 6))]}
    clock.advance(hours=1)
    url = f"/api/v1/activities/{patrol['id']}/checkins/offline"
    responses = at_once([lambda: organiser.post(url, batch) for _ in range(2)])
    assert [r.status_code for r in responses] == [200, 200]
    assert responses[0].json == responses[1].json
    assert {item["status"] for item in responses[0].json["results"]} == {"accepted"}
    assert (count(session, Checkin), count(session, Transfer), count(session, OfflineScan)) == (6, 6, 6)
    assert ledger_problems(session) == []


def test_one_card_scanned_by_two_phones_uploading_at_once_checks_in_once(organiser, community, rules, clock, enrol,
                                                                         session):
    patrol = open_patrol(organiser, community, clock)
    [card] = cards(organiser, enrol, 1)
    url = f"/api/v1/activities/{patrol['id']}/checkins/offline"
    uploads = [{"device": f"手机{i}", "scans": [{"card": card, "at": clock.now().isoformat(),
                                                "nonce": f"phone-{i}-nonce"}]} for i in range(2)]
    responses = at_once([lambda body=body: organiser.post(url, body) for body in uploads])
    statuses = sorted(r.json["results"][0]["status"] for r in responses)
    assert statuses == ["accepted", "duplicate"]
    assert (count(session, Checkin), count(session, Transfer), count(session, OfflineScan)) == (1, 1, 2)
    assert ledger_problems(session) == []
