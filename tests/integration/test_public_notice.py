"""Public notice (公示): an award under a rule with notice_days is pending, public, withdrawable, then final."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from points.notices import Notice, finalise, finalise_notices, withdraw
from points.verify import ledger_problems

from ..helpers import at_once


@pytest.fixture
def noticed(organiser, rules):
    """rental_tip (review) and a direct-award rule, both posted for 7 days before they count."""
    organiser.put("/api/v1/rules/rental_tip", {"notice_days": 7})
    return organiser.post("/api/v1/rules", {"code": "good_deed", "name": "见义勇为", "points": 100,
                                            "basis": "per_event", "notice_days": 7}, expect=201).json


def award(organiser, member, rule="good_deed"):
    return organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": rule}, expect=201).json


def balance(client, member):
    return client.get(f"/api/v1/members/{member['id']}/balance").json


def test_an_approved_tip_is_pending_and_public_without_its_text(organiser, community, volunteer, noticed, app):
    member, phone = volunteer
    claim = phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "幸福里3栋502 新租户未登记"},
                       expect=201).json
    organiser.post(f"/api/v1/claims/{claim['id']}/approve", {}, expect=200)
    assert (balance(phone, member)["available"], balance(phone, member)["pending"]) == (0, 50)
    board = app.test_client().get("/api/v1/notices", query_string={"community_id": community["id"]})
    assert board.status_code == 200  # public: no token
    [posted] = board.json["items"]
    assert (posted["name"], posted["team"], posted["rule_code"], posted["points"]) == ("陈*龙", "服管委员会",
                                                                                       "rental_tip", 50)
    assert "幸福里" not in board.get_data(as_text=True)


def test_pending_points_cannot_be_spent_and_count_when_the_window_ends(organiser, volunteer, noticed, shop, clock,
                                                                       session, app):
    member, phone = volunteer
    award(organiser, member)
    refused = phone.post("/api/v1/redemptions", {"reward_id": shop["umbrella"]["id"]})
    assert refused.status_code == 409 and refused.json["code"] == "insufficient_points"
    clock.advance(days=7)
    # Before any cron: the read counts it as final, and the next spend makes it so.
    assert (balance(phone, member)["available"], balance(phone, member)["pending"]) == (100, 0)
    phone.post("/api/v1/redemptions", {"reward_id": shop["umbrella"]["id"]}, expect=201)
    assert session.scalar(select(Notice.status)) == "final"
    assert app.test_client().get("/api/v1/notices", query_string={"community_id": member["community_id"]}
                                 ).json["items"] == []
    assert ledger_problems(session) == []


def test_a_withdrawal_gives_the_points_back_once_and_only_in_the_window(organiser, volunteer, noticed, clock,
                                                                        session, app):
    member, phone = volunteer
    first, second = award(organiser, member), award(organiser, member)
    [notice_2, notice_1] = [n.id for n in session.scalars(select(Notice).order_by(Notice.id.desc()))]
    withdrawn = organiser.post(f"/api/v1/notices/{notice_1}/withdraw", {"reason": "群众异议属实"}, expect=200).json
    assert withdrawn["status"] == "withdrawn" and withdrawn["points"] == 100
    again = organiser.post(f"/api/v1/notices/{notice_1}/withdraw", {"reason": "再次"})
    assert again.status_code == 409 and again.json["code"] == "already_reversed"
    # Pending points count on boards and in lifetime figures only once final.
    assert balance(phone, member)["pending"] == 100 and balance(phone, member)["lifetime_earned"] == 0
    assert organiser.get("/api/v1/leaderboard", period="month").json["items"] == []
    clock.advance(days=7, seconds=1)
    late = organiser.post(f"/api/v1/notices/{notice_2}/withdraw", {"reason": "晚了"})
    assert late.status_code == 409 and late.json["code"] == "conflict"
    # Reversing an award still on notice is its withdrawal; after the window, a reversal.
    assert organiser.post(f"/api/v1/transfers/{first['transfer_id']}/reverse", {"reason": "x"}).json["code"] == \
        "already_reversed"
    with app.extensions["benniu"].sessionmaker() as cron, cron.begin():  # benniu finalise-notices
        assert len(finalise_notices(cron, now=clock.now())) == 1
    earned_month = (clock.now() - timedelta(days=8)).isoformat()
    assert [row["points"] for row in organiser.get("/api/v1/leaderboard", period="month", at=earned_month
                                                   ).json["items"]] == [100]
    organiser.post(f"/api/v1/transfers/{second['transfer_id']}/reverse", {"reason": "核实有误"}, expect=201)
    assert balance(phone, member)["available"] == 0
    assert ledger_problems(session) == []


def test_the_daily_cap_counts_awards_on_notice(organiser, volunteer, rules):
    member, _ = volunteer
    organiser.put("/api/v1/rules/patrol", {"notice_days": 3})  # 50 a patrol, at most 100 a day
    award(organiser, member, "patrol")
    award(organiser, member, "patrol")
    third = organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"})
    assert third.status_code == 409 and third.json["code"] == "limit_reached"


def test_a_withdrawal_and_the_end_of_the_window_at_once_have_one_outcome(app, organiser, volunteer, noticed, clock):
    # Guarded by the conditional UPDATE notices SET status ... WHERE status = 'posted' (and, behind it,
    # the pending account's balance, which may not go below zero).
    member, _ = volunteer
    award(organiser, member)
    sessions = app.extensions["benniu"].sessionmaker
    with sessions() as session:
        notice_id = session.scalar(select(Notice.id))
        final_at = session.get(Notice, notice_id).final_at

    def close(how):
        from points.db import begin_write
        with sessions() as session:
            begin_write(session)
            notice = session.get(Notice, notice_id)
            if how == "withdraw":  # an organiser one second before the end
                from points.errors import DomainError
                try:
                    withdraw(session, notice=notice, reason="异议", now=final_at.replace(microsecond=0) - _second())
                except DomainError as error:
                    return error.code
            elif not finalise(session, notice=notice, now=final_at):  # the cron at the end
                return "not final"
            session.commit()
            return how

    outcomes = at_once([lambda: close("withdraw"), lambda: close("finalise")])
    assert sorted(outcomes) in (["conflict", "finalise"], ["not final", "withdraw"])
    with sessions() as session:
        assert ledger_problems(session) == []


def _second():
    return timedelta(seconds=1)
