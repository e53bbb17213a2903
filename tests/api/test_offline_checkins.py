"""Offline card check-in: the scans a phone kept with no signal, uploaded later, each counted once."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from points.audit import AuditEntry
from points.checkins import Checkin
from points.ledger import Transfer
from points.verify import ledger_problems

from ..helpers import Client, decode_qr


@pytest.fixture
def patrol(organiser, community, rules, clock):
    starts = clock.now()
    return organiser.post("/api/v1/activities", {
        "rule_code": "patrol", "title": "夜间治安巡逻", "community_id": community["id"], "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat()}, expect=201).json


@pytest.fixture
def card_of(app, clock):
    """The text a phone's camera reads off a member's card."""
    def card(client, member):
        return decode_qr(client.get(f"/api/v1/members/{member['id']}/card.png").data)
    return card


@pytest.fixture
def elsewhere_card(app, clock, admin, card_of):
    """A card of a member of another community (保利社区)."""
    from ..conftest import _token
    other = admin.post("/api/v1/communities", {"name": "保利社区", "code": "baoli"}, expect=201).json
    their_organiser = Client(app, _token(app, clock, role="organiser", name="保利 民警", community_id=other["id"]))
    member = their_organiser.post("/api/v1/members", {"name": "张三", "phone": "13912345678",
                                                      "community_id": other["id"]}, expect=201).json
    return card_of(their_organiser, member)


def scan(card, at, nonce):
    return {"card": card, "at": at.isoformat(), "nonce": nonce}


def upload(organiser, patrol, scans, expect=200):
    return organiser.post(f"/api/v1/activities/{patrol['id']}/checkins/offline", {"device": "手机1", "scans": scans},
                          expect=expect).json


def counts(session):
    return (session.scalar(select(func.count()).select_from(Checkin)),
            session.scalar(select(func.count()).select_from(Transfer)))


def test_a_batch_counts_each_member_once_refuses_strangers_and_a_repeat_changes_nothing(
        organiser, patrol, enrol, card_of, elsewhere_card, clock, session):
    (chen, _), (li, _) = enrol(name="陈元龙"), enrol(name="李梅")
    chen_card, li_card = card_of(organiser, chen), card_of(organiser, li)
    moment = clock.now() + timedelta(minutes=10)
    batch = [scan(chen_card, moment, "nonce-chen-1"), scan(li_card, moment + timedelta(minutes=1), "nonce-li-01"),
             scan(chen_card, moment + timedelta(minutes=2), "nonce-chen-2"),
             scan(elsewhere_card, moment + timedelta(minutes=3), "nonce-baoli1"),
             scan("not a card at all", moment + timedelta(minutes=4), "nonce-junk01")]
    clock.advance(hours=5)  # back in signal long after the patrol
    first = upload(organiser, patrol, batch)["results"]
    assert first == [{"nonce": "nonce-chen-1", "status": "accepted"}, {"nonce": "nonce-li-01", "status": "accepted"},
                     {"nonce": "nonce-chen-2", "status": "duplicate", "code": "already_checked_in"},
                     {"nonce": "nonce-baoli1", "status": "refused", "code": "not_found"},
                     {"nonce": "nonce-junk01", "status": "refused", "code": "invalid_code"}]
    assert counts(session) == (2, 2)
    checked_in = organiser.get(f"/api/v1/activities/{patrol['id']}/checkins").json["items"]
    assert {(item["member_id"], item["method"], item["checked_in_at"][:16]) for item in checked_in} == {
        (chen["id"], "card", moment.isoformat()[:16]),
        (li["id"], "card", (moment + timedelta(minutes=1)).isoformat()[:16])}
    assert upload(organiser, patrol, batch)["results"] == first
    assert upload(organiser, patrol, list(reversed(batch)))["results"] == list(reversed(first))
    assert counts(session) == (2, 2)
    assert ledger_problems(session) == []


def test_each_accepted_scan_and_each_upload_leave_their_audit_rows(organiser, patrol, volunteer, card_of, clock,
                                                                   session):
    member, _ = volunteer
    upload(organiser, patrol, [scan(card_of(organiser, member), clock.now(), "nonce-audit1")])
    actions = session.execute(select(AuditEntry.action, AuditEntry.member_id).order_by(AuditEntry.id)).all()
    assert ("checkin", member["id"]) in actions
    [row] = session.scalars(select(AuditEntry).where(AuditEntry.action == "offline_checkins")).all()
    assert (row.facts["device"], row.facts["accepted"], row.facts["refused"], row.facts["scans"]) == ("手机1", 1, 0, 1)


def test_a_scan_outside_the_window_plus_grace_is_refused(organiser, patrol, volunteer, card_of, clock, session):
    member, _ = volunteer
    card, start = card_of(organiser, member), clock.now()
    clock.advance(hours=3)
    results = upload(organiser, patrol, [scan(card, start - timedelta(minutes=16), "nonce-early1"),
                                         scan(card, start + timedelta(hours=2, minutes=16), "nonce-late01")])
    assert [(r["status"], r.get("code")) for r in results["results"]] == [("refused", "activity_not_open")] * 2
    assert counts(session) == (0, 0)


def test_scans_are_taken_until_seventy_two_hours_after_the_end(organiser, patrol, enrol, card_of, clock, session):
    (early, _), (late, _) = enrol(name="早"), enrol(name="晚")
    scanned = clock.now() + timedelta(minutes=30)
    clock.advance(hours=2 + 71, minutes=59)
    assert upload(organiser, patrol, [scan(card_of(organiser, early), scanned, "nonce-in-time")])["results"] == [
        {"nonce": "nonce-in-time", "status": "accepted"}]
    clock.advance(minutes=2)
    assert upload(organiser, patrol, [scan(card_of(organiser, late), scanned, "nonce-too-late")])["results"] == [
        {"nonce": "nonce-too-late", "status": "refused", "code": "activity_not_open"}]
    assert counts(session) == (1, 1)


def test_a_scan_dated_ahead_of_the_server_clock_is_refused(organiser, patrol, volunteer, card_of, clock):
    member, _ = volunteer
    results = upload(organiser, patrol, [scan(card_of(organiser, member), clock.now() + timedelta(minutes=30),
                                              "nonce-future")])["results"]
    assert results == [{"nonce": "nonce-future", "status": "refused", "code": "validation_error"}]


def test_a_malformed_batch_is_refused_whole_and_writes_nothing(organiser, patrol, volunteer, card_of, clock, session):
    member, _ = volunteer
    good = scan(card_of(organiser, member), clock.now(), "nonce-good01")
    for scans in ([], [good, {**good, "nonce": "short"}], [good, {**good, "at": "yesterday"}], [{"card": "x"}]):
        body = upload(organiser, patrol, scans, expect=422)
        assert body["code"] == "validation_error"
    assert counts(session) == (0, 0)


def test_another_communitys_activity_is_not_found(organiser, patrol, admin, app, clock, volunteer, card_of):
    from ..conftest import _token
    other = admin.post("/api/v1/communities", {"name": "保利社区", "code": "baoli"}, expect=201).json
    stranger = Client(app, _token(app, clock, role="organiser", name="保利 民警", community_id=other["id"]))
    member, _ = volunteer
    body = upload(stranger, patrol, [scan(card_of(organiser, member), clock.now(), "nonce-foreign")], expect=404)
    assert body["code"] == "not_found"
