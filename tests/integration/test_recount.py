"""The recount (`benniu verify`, `benniu seed`, migration 0006) counts what the write path keeps:
the same member tallies and community figures, row for row, after a varied history, in a zone
of whole hours and in one of half hours."""
import random
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from points.daybook import Daybook, Place
from points.notices import finalise_notices
from points.periods import SPANS, starts_on
from points.recount import expected_tallies, stored_tallies, tally_problems
from points.tallies import attended

from ..conftest import FakeClock


@pytest.fixture(params=["Asia/Shanghai", "Asia/Kolkata"])
def clock(request):
    return FakeClock(datetime(2025, 12, 1, 20, 0, tzinfo=ZoneInfo(request.param)))


def award(organiser, member, points, rule="patrol_hours"):
    return organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": rule, "points": points},
                          expect=201).json


def test_the_recount_equals_the_tallies_the_write_path_kept(app, session, clock, organiser, community, enrol,
                                                            rules, shop):
    zone = clock.zone
    chen, chen_phone = enrol(name="陈元龙")
    # Either side of local midnight at the turn of the year (16:00 UTC in Shanghai): one week, two years.
    clock.set(datetime(2025, 12, 31, 23, 59, tzinfo=zone))
    award(organiser, chen, 30)
    clock.set(datetime(2026, 1, 1, 0, 0, tzinfo=zone))
    award(organiser, chen, 40)
    li, li_phone = enrol(name="李四海")  # joined in January, Chen in December
    award(organiser, li, 600)
    # An hourly patrol checked in before midnight and out after it: the activity on one day, the minutes on the next.
    clock.set(datetime(2026, 1, 31, 23, 0, tzinfo=zone))
    night = organiser.post("/api/v1/activities", {
        "rule_code": "patrol_hours", "title": "月末夜巡", "community_id": community["id"],
        "starts_at": clock.now().isoformat(), "ends_at": (clock.now() + timedelta(hours=4)).isoformat()},
        expect=201).json
    checkin = chen_phone.post("/api/v1/checkins", {"code": night["checkin_url"]}, expect=201).json
    clock.set(datetime(2026, 2, 1, 1, 30, tzinfo=zone))
    chen_phone.post(f"/api/v1/checkins/{checkin['id']}/checkout", {}, expect=200)
    # A February earning reversed in March: taken back from February.
    clock.set(datetime(2026, 2, 27, 22, 0, tzinfo=zone))
    wrong = award(organiser, li, 80)
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=zone))
    organiser.post(f"/api/v1/transfers/{wrong['transfer_id']}/reverse", {"reason": "误登"}, expect=201)
    # A tip approved; then awards under public notice: one made final, one still posted.
    claim = li_phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "幸福里3栋502 新租户未登记"},
                          expect=201).json
    organiser.post(f"/api/v1/claims/{claim['id']}/approve", {}, expect=200)
    organiser.post("/api/v1/rules", {"code": "good_deed", "name": "见义勇为", "points": 100, "basis": "per_event",
                                     "notice_days": 7}, expect=201)
    clock.set(datetime(2026, 3, 31, 23, 30, tzinfo=zone))
    award(organiser, chen, 100, rule="good_deed")
    clock.set(datetime(2026, 4, 8, 10, 0, tzinfo=zone))
    with session.begin():
        assert len(finalise_notices(session, now=clock.now())) == 1
    award(organiser, li, 100, rule="good_deed")
    award(organiser, chen, 200)
    # Spends: at a partner (with an amount in fen and without), and a reward of no partner; one voucher left open.
    for client, reward, body in ((li_phone, "haircut", {}), (li_phone, "fee", {"points": 100, "household": "5栋101"}),
                                 (chen_phone, "rice", {})):
        voucher = client.post("/api/v1/redemptions", {"reward_id": shop[reward]["id"], **body}, expect=201).json
        clerk = shop["barber_clerk"] if reward == "haircut" else shop["estate_clerk"] if reward == "fee" else organiser
        clerk.post("/api/v1/redemptions/fulfil", {"voucher_code": voucher["voucher_code"]}, expect=200)
    li_phone.post("/api/v1/redemptions", {"reward_id": shop["umbrella"]["id"]}, expect=201)
    session.rollback()

    kept = stored_tallies(session)
    assert expected_tallies(session, zone=zone) == kept
    assert tally_problems(session, zone=zone) == []
    members, figures = kept
    december, january, february, april = (datetime(2025, 12, 1).date(), datetime(2026, 1, 1).date(),
                                           datetime(2026, 2, 1).date(), datetime(2026, 4, 1).date())
    # What the history says, read off the kept rows (earned, spent, minutes, activities, tips):
    assert members[(chen["id"], "week", datetime(2025, 12, 29).date())][0] == 70
    assert members[(chen["id"], "month", december)] == (30, 0, 0, 0, 0)
    assert members[(chen["id"], "month", january)] == (40, 0, 0, 1, 0)  # paid for the patrol at check-out
    assert members[(chen["id"], "month", february)][1:] == (0, 150, 0, 0)
    assert (li["id"], "month", february) not in members  # earned 80 there, all of it reversed
    assert members[(chen["id"], "month", datetime(2026, 3, 1).date())][0] == 100  # final, in the month earned
    assert members[(li["id"], "all", datetime(1, 1, 1).date())] == (600 + 50, 300, 0, 0, 1)
    by_measure = {}
    for (_, month, measure, subject, _), values in figures.items():
        by_measure[(month, measure, subject)] = tuple(map(sum, zip(by_measure.get((month, measure, subject),
                                                                                   (0, 0, 0)), values)))
    assert by_measure[(april, "partner", str(shop["estate"]["id"]))] == (100, 1, 10000)
    assert by_measure[(april, "spent", "goods")] == (300, 1, 0)
    assert by_measure[(december, "joined", "")][1] == 1 and by_measure[(january, "active", "")][1] == 2


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe",
                                  "America/New_York", "Europe/London"])
def test_a_day_book_puts_each_moment_in_the_periods_of_its_local_day(zone):
    zone, rng = ZoneInfo(zone), random.Random(25)
    book, counted = Daybook(zone, {1: Place(1, 1)}), {}
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    moments = [start + timedelta(seconds=rng.randrange(3 * 366 * 86400)) for _ in range(5000)]
    # And the minutes either side of each of the zone's changes of offset and of each local midnight.
    moments += [start + timedelta(minutes=15 * quarter + side) for quarter in range(0, 3 * 366 * 96, 7)
                for side in (-1, 0, 1)]
    for at in moments:
        book.enter(1, at, attended, 7)
        local = at.astimezone(zone)
        for span in SPANS:
            key = (1, span, starts_on(local, span))
            counted[key] = counted.get(key, 0) + 1
    members, figures = book.tallies()
    assert {key: values[3] for key, values in members.items()} == counted
    assert sum(values[1] for key, values in figures.items() if key[2] == "checkins") == len(moments)
