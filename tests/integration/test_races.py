"""Races with real threads on a real database (a SQLite file, or PostgreSQL in CI's second run).

Each test ends with exactly one effect, and each fails if the lock or constraint that
guards it is taken away (the locking is noted beside each).
"""
from sqlalchemy import func, select

from points.db import begin_write
from points.errors import InsufficientPoints
from points.ledger import Transfer, transfer
from points.lots import take_from_lots
from points.members import get_member
from points.verify import ledger_problems

from ..helpers import at_once


def test_twenty_awards_with_one_key_make_one_transfer_and_one_answer(app, organiser, volunteer, rules, session):
    # Guarded by the UNIQUE(scope, key) insert that claims the key inside the transaction.
    member, _ = volunteer
    body = {"member_id": member["id"], "rule_code": "patrol", "memo": "夜巡"}
    responses = at_once([lambda: organiser.post("/api/v1/awards", body, key="award-once")] * 20)
    assert {r.status_code for r in responses} == {201}
    assert len({r.get_data() for r in responses}) == 1
    assert session.scalar(select(func.count()).select_from(Transfer).where(Transfer.kind == "earn")) == 1
    assert ledger_problems(session) == []


def test_six_reversals_at_once_give_one(app, organiser, volunteer, rules, session):
    # Guarded by locking the member's account before looking for an earlier reversal. Six, not
    # two: with that lock taken away, two requests overlapped in the window between the look-up
    # and the reversal in only 7 of 10 PostgreSQL runs.
    member, _ = volunteer
    earned = organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, expect=201).json
    path = f"/api/v1/transfers/{earned['transfer_id']}/reverse"
    responses = at_once([lambda: organiser.post(path, {"reason": "误登"})] * 6)
    assert sorted((r.status_code, r.json.get("code")) for r in responses) == [
        (201, None)] + [(409, "already_reversed")] * 5
    assert session.scalar(select(func.count()).select_from(Transfer).where(Transfer.kind == "reversal")) == 1
    assert ledger_problems(session) == []


def test_two_approvals_of_one_claim_award_once(app, organiser, volunteer, rules, session):
    # Guarded by the conditional UPDATE claims SET status ... WHERE status = 'pending'.
    member, phone = volunteer
    claim = phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "幸福里3栋502 新租户未登记"},
                       expect=201).json
    responses = at_once([lambda: organiser.post(f"/api/v1/claims/{claim['id']}/approve", {})] * 2)
    assert sorted((r.status_code, r.json.get("code")) for r in responses) == [
        (200, None), (409, "already_reviewed")]
    assert phone.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 50


def test_concurrent_debits_never_take_a_member_below_zero(app, organiser, volunteer, rules, community):
    # Guarded by UPDATE accounts SET balance = balance - n WHERE balance - n >= 0.
    member, _ = volunteer
    for _ in range(2):
        organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, expect=201)
    sessions = app.extensions["benniu"].sessionmaker

    def spend_30():
        with sessions() as session:
            begin_write(session)
            payer = get_member(session, member["id"])
            try:
                spent = transfer(session, debit_account_id=payer.account_id, amount=30, kind="spend",
                                 credit_account_id=community_station(session), at=app.extensions["benniu"].clock.now())
            except InsufficientPoints:
                return "refused"
            take_from_lots(session, member_id=payer.id, amount=30, transfer_id=spent.id)  # as every spend does
            session.commit()
            return "spent"

    outcomes = at_once([spend_30] * 12)
    assert outcomes.count("spent") == 3 and outcomes.count("refused") == 9
    with sessions() as session:
        assert ledger_problems(session) == []


def community_station(session):
    from points.communities import Community
    return session.scalar(select(Community.station_account_id))
