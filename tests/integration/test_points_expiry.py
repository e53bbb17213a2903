"""Expiry, oldest points first: lots are spent soonest-to-expire first and expire into the community's account."""
from datetime import date, datetime, timedelta

from sqlalchemy import select

from points.communities import Community
from points.lots import Lot, expire_points, expiry_of, last_day_of
from points.verify import ledger_problems

from ..conftest import ZONE
from ..helpers import at_once


def award(organiser, member, points):
    organiser.post("/api/v1/rules", {"code": "bonus", "name": "表彰奖励", "points": 1, "basis": "per_event"})
    return organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "bonus", "points": points},
                          expect=201).json


def balance(client, member):
    return client.get(f"/api/v1/members/{member['id']}/balance").json


def run_expiry(app, clock):
    with app.extensions["benniu"].sessionmaker() as session, session.begin():
        from points.db import begin_write
        begin_write(session)
        return expire_points(session, now=clock.now())


def test_a_validity_in_months_or_to_the_end_of_a_year():
    months = Community(points_valid_months=12, points_expire_at_year_end=False)
    three_years = Community(points_valid_months=36, points_expire_at_year_end=True)
    earned = datetime(2024, 3, 31, 21, 0, tzinfo=ZONE)
    assert expiry_of(months, earned) == datetime(2025, 4, 1, tzinfo=ZONE)  # at the end of 2025-03-31
    assert expiry_of(Community(points_valid_months=11, points_expire_at_year_end=False), earned) == datetime(
        2025, 3, 1, tzinfo=ZONE)  # no 31 February: the end of the 28th
    assert expiry_of(three_years, earned) == datetime(2028, 1, 1, tzinfo=ZONE)  # 黄山: three years, to year end
    assert last_day_of(expiry_of(months, earned), ZONE) == date(2025, 3, 31)


def test_awards_of_one_day_expire_as_one_line_of_that_day_soonest_first(organiser, community, volunteer, clock):
    member, phone = volunteer
    organiser.patch(f"/api/v1/communities/{community['id']}", {"points_valid_months": 12})
    first_day = clock.now().date()
    for points in (50, 50, 50, 50):         # four awards in one day: one line of 200, none missing
        award(organiser, member, points)
        clock.advance(minutes=30)
    clock.advance(days=1)
    award(organiser, member, 30)
    lines = balance(phone, member)["expiring"]
    assert [line["points"] for line in lines] == [200, 30]
    assert lines[0]["on"] == first_day.replace(year=first_day.year + 1).isoformat()
    assert lines[1]["on"] > lines[0]["on"]


def test_points_can_be_spent_until_the_end_of_their_last_day(organiser, community, volunteer, clock):
    member, phone = volunteer
    organiser.patch(f"/api/v1/communities/{community['id']}", {"points_valid_months": 1})
    award(organiser, member, 100)
    last_day = balance(phone, member)["expiring"][0]["on"]
    while clock.now().date().isoformat() < last_day:
        clock.advance(hours=6)
    clock.advance(hours=23 - clock.now().hour)   # that evening: still spendable
    assert clock.now().date().isoformat() == last_day
    assert balance(phone, member)["available"] == 100
    clock.advance(hours=1)                       # the next day: gone
    assert balance(phone, member)["available"] == 0


def test_spending_takes_the_oldest_points_and_what_is_left_of_them_expires(organiser, community, volunteer, shop,
                                                                           clock, app, session):
    member, phone = volunteer
    organiser.patch(f"/api/v1/communities/{community['id']}", {"points_valid_months": 12})
    award(organiser, member, 300)                       # November 2026
    clock.advance(days=60)
    award(organiser, member, 200)                       # January 2027
    phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]}, expect=201)  # 300: all of November's
    clock.advance(days=310)                             # late November 2027: November's lot is due, and spent
    assert balance(phone, member)["available"] == 200
    assert [(e["points"], e["on"][:10]) for e in balance(phone, member)["expiring"]] == [(200, "2028-01-22")]
    assert run_expiry(app, clock) == []
    clock.advance(days=60)                              # January 2028: what is left of January's expires
    assert balance(phone, member)["available"] == 0     # already, before the cron has run
    assert run_expiry(app, clock) == [(member["id"], 200)]
    assert run_expiry(app, clock) == []                 # idempotent
    assert ledger_problems(session) == []


def test_a_cancelled_redemption_puts_its_points_back_with_their_age(organiser, community, volunteer, shop, clock,
                                                                    app, session):
    member, phone = volunteer
    organiser.patch(f"/api/v1/communities/{community['id']}", {"points_valid_months": 1})
    award(organiser, member, 300)
    voucher = phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]}, expect=201).json
    clock.advance(days=40)  # the points' month is over while they are held
    phone.post(f"/api/v1/redemptions/{voucher['id']}/cancel", expect=200)
    assert balance(phone, member)["available"] == 0
    assert run_expiry(app, clock) == [(member["id"], 300)]
    assert ledger_problems(session) == []


def test_reversing_an_award_whose_points_expired_still_balances(organiser, community, volunteer, clock, app,
                                                                session):
    member, phone = volunteer
    organiser.patch(f"/api/v1/communities/{community['id']}", {"points_valid_months": 1})
    earned = award(organiser, member, 100)
    clock.advance(days=40)
    run_expiry(app, clock)
    organiser.post(f"/api/v1/transfers/{earned['transfer_id']}/reverse", {"reason": "误登"}, expect=201)
    assert balance(phone, member)["available"] == 0 and balance(phone, member)["lifetime_earned"] == 0
    assert session.scalar(select(Lot.expired)) == 0
    assert ledger_problems(session) == []


def test_a_spend_and_an_expiry_run_at_once_expire_the_old_points_once(organiser, community, volunteer, shop, clock,
                                                                      app, session):
    # Guarded by the lock on the member's account, which both take before touching their lots.
    member, phone = volunteer
    organiser.patch(f"/api/v1/communities/{community['id']}", {"points_valid_months": 1})
    award(organiser, member, 100)
    clock.advance(days=40)
    award(organiser, member, 300)
    outcomes = at_once([lambda: run_expiry(app, clock),
                        lambda: phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]}).status_code])
    assert outcomes[1] == 201
    assert balance(phone, member)["available"] == 0
    assert ledger_problems(session) == []


def test_points_earned_before_a_validity_was_set_keep_theirs(organiser, community, volunteer, clock):
    member, phone = volunteer
    award(organiser, member, 100)
    organiser.patch(f"/api/v1/communities/{community['id']}", {"points_valid_months": 1})
    clock.advance(days=400)
    assert balance(phone, member)["available"] == 100 and balance(phone, member)["expiring"] == []


def test_organisers_see_whom_to_remind_of_points_expiring_within_30_days(organiser, community, enrol, clock, session):
    from points.lots import expiring_members

    organiser.patch(f"/api/v1/communities/{community['id']}", {"points_valid_months": 1})
    soon, _ = enrol(name="陈元龙")
    later, _ = enrol(name="王芳")
    award(organiser, soon, 100)
    clock.advance(days=20)
    award(organiser, later, 50)
    clock.advance(days=5)
    reminded = expiring_members(session, community_id=community["id"], now=clock.now(),
                                until=clock.now() + timedelta(days=30))
    assert [(e.name, e.points) for e in reminded] == [("陈元龙", 100), ("王芳", 50)]
    assert expiring_members(session, community_id=community["id"] + 1, now=clock.now(),
                            until=clock.now() + timedelta(days=30)) == []
