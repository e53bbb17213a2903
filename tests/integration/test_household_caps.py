"""Household caps on fee deductions: every member of a room together, per month or year, race-safe."""
import pytest

from points.verify import ledger_problems

from ..helpers import at_once
from .test_supermarket_races import give


@pytest.fixture
def capped(organiser, community, shop):
    """A fee deduction of at most 300 yuan per household per month."""
    return organiser.post("/api/v1/rewards", {
        "name": "减免物业费 (每户每月 300 元)", "kind": "fee_deduction", "cost": 100, "fen_per_point": 100,
        "partner_id": shop["estate"]["id"], "community_id": community["id"],
        "household_cap_fen": 30000, "household_cap_period": "month"}, expect=201).json


def deduct(phone, reward, points, household="3栋2单元502"):
    return phone.post("/api/v1/redemptions", {"reward_id": reward["id"], "points": points, "household": household})


def test_family_members_share_their_household_cap_and_a_cancellation_gives_it_back(organiser, enrol, capped, clock):
    mother, her_phone = enrol(name="王芳")
    son, his_phone = enrol(name="陈小龙")
    give(organiser, mother, 500)
    give(organiser, son, 500)
    first = deduct(her_phone, capped, 200)
    assert first.status_code == 201 and first.json["amount_fen"] == 20000
    over = deduct(his_phone, capped, 200, household="3栋 2单元 502")  # the same room, typed with spaces
    assert over.status_code == 409 and over.json["code"] == "limit_reached"
    assert "300.00" in over.json["message"] and "200.00" in over.json["message"]
    assert deduct(his_phone, capped, 100).status_code == 201  # up to the cap exactly
    assert deduct(his_phone, capped, 100, household="5栋101").status_code == 201  # another room has its own
    her_phone.post(f"/api/v1/redemptions/{first.json['id']}/cancel", expect=200)
    assert deduct(his_phone, capped, 200).status_code == 201
    clock.advance(days=31)  # a new month, a new allowance
    assert deduct(her_phone, capped, 300).status_code == 201


def test_only_a_fee_deduction_takes_a_household_cap(organiser, community):
    refused = organiser.post("/api/v1/rewards", {"name": "雨伞", "kind": "goods", "cost": 100,
                                                 "community_id": community["id"], "household_cap_fen": 100,
                                                 "household_cap_period": "month"})
    assert refused.status_code == 422 and "household_cap_fen" in refused.json["errors"]


def test_two_family_members_redeeming_at_once_cannot_pass_the_cap_together(organiser, enrol, capped, session):
    phones = []
    for name in ("王芳", "陈小龙", "陈元龙", "陈小红"):
        member, phone = enrol(name=name)
        give(organiser, member, 500)
        phones.append(phone)
    answers = at_once([lambda phone=phone: deduct(phone, capped, 200) for phone in phones])
    assert sorted(answer.status_code for answer in answers) == [201, 409, 409, 409]
    assert ledger_problems(session) == []


def test_the_cap_row_alone_keeps_concurrent_takers_within_the_cap(app, capped, clock):
    """The guard itself, without the reward row that `redeem` also locks: eight sessions take
    100 yuan each from one room's 300 at the same moment; three succeed."""
    from points.db import begin_write
    from points.errors import LimitReached
    from rewards.catalogue import Reward
    from rewards.households import HouseholdUsage, take_allowance

    def take():
        with app.extensions["benniu"].sessionmaker() as session:
            begin_write(session)
            try:
                take_allowance(session, reward=session.get(Reward, capped["id"]), household="3栋502",
                               amount_fen=10000, now=clock.now())
            except LimitReached:
                session.rollback()
                return "refused"
            session.commit()
            return "taken"

    assert sorted(at_once([take] * 8)) == ["refused"] * 5 + ["taken"] * 3
    with app.extensions["benniu"].sessionmaker() as session:
        assert session.query(HouseholdUsage.used_fen).scalar() == 30000
