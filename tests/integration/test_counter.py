"""The counter shows a voucher as `fulfil` would treat it, and the property company's households add up."""
from datetime import timedelta

import pytest

from points.errors import DomainError, NotFound
from rewards.counter import counter_view
from rewards.redemptions import Redemption, by_voucher, fulfil
from rewards.settlement import by_household, settlement_for

from .test_supermarket_races import give


def redeem(phone, reward, **body):
    return phone.post("/api/v1/redemptions", {"reward_id": reward["id"], **body}, expect=201).json


def voucher_at_counter(session, *, code, now):
    """A typed or scanned code as the counter shows it."""
    return counter_view(session, by_voucher(session, code), now=now)


def refusal_of_fulfil(session, code, now):
    try:
        fulfil(session, redemption=session.query(Redemption).filter_by(voucher_code=code).one(), now=now, by="t")
    except DomainError as error:
        return error.code
    return None


def test_a_fresh_voucher_shows_what_it_is_for_and_whose_it_is_masked(organiser, volunteer, shop, session, clock):
    member, phone = volunteer
    give(organiser, member, 500)
    voucher = redeem(phone, shop["fee"], points=300, household="3栋2单元502")
    seen = voucher_at_counter(session, code=voucher["voucher_display"].lower(), now=clock.now())
    assert seen.refusal is None and seen.receipt_no is None
    assert (seen.member_name, seen.member_phone) == ("陈*龙", member["phone"][:3] + "****" + member["phone"][-4:])
    assert (seen.provider.name, seen.redemption.amount_fen, seen.redemption.household) == (
        "振宇物业服务中心", 30000, "3栋2单元502")


@pytest.mark.parametrize("fate", ["fulfilled", "cancelled", "expired_by_time", "expired_by_cron"])
def test_the_counter_refuses_with_the_same_code_as_fulfil(fate, organiser, volunteer, shop, session, clock):
    member, phone = volunteer
    give(organiser, member, 500)
    voucher = redeem(phone, shop["haircut"])
    if fate == "fulfilled":
        shop["barber_clerk"].post("/api/v1/redemptions/fulfil", {"voucher_code": voucher["voucher_code"]}, expect=200)
    elif fate == "cancelled":
        phone.post(f"/api/v1/redemptions/{voucher['id']}/cancel", expect=200)
    else:
        clock.advance(days=31)
        if fate == "expired_by_cron":
            from rewards.redemptions import expire_vouchers
            with session.begin():
                assert len(expire_vouchers(session, now=clock.now())) == 1
    session.expire_all()
    seen = voucher_at_counter(session, code=voucher["voucher_code"], now=clock.now())
    expected = {"fulfilled": "already_fulfilled", "cancelled": "already_cancelled"}.get(fate, "voucher_expired")
    assert seen.refusal is not None and seen.refusal.code == expected
    assert refusal_of_fulfil(session, voucher["voucher_code"], clock.now()) == expected
    session.rollback()


def test_a_used_voucher_shows_when_and_by_whom_and_its_receipt(organiser, volunteer, shop, session, clock):
    member, phone = volunteer
    give(organiser, member, 500)
    voucher = redeem(phone, shop["haircut"])
    clock.advance(hours=2)
    done = shop["barber_clerk"].post("/api/v1/redemptions/fulfil", {"voucher_code": voucher["voucher_code"]}).json
    seen = voucher_at_counter(session, code=voucher["voucher_code"], now=clock.now() + timedelta(days=1))
    assert seen.redemption.fulfilled_at == clock.now() and seen.redemption.fulfilled_by == "partner:老街理发店"
    assert seen.receipt_no == done["receipt_no"] and seen.receipt_no is not None
    assert counter_view(session, seen.redemption, now=clock.now()).refusal.code == "already_fulfilled"


def test_no_such_code_is_not_found(session, clock):
    with pytest.raises(NotFound):
        voucher_at_counter(session, code="ABCD-EFGH", now=clock.now())


def test_the_property_company_sees_each_household_once_with_its_totals(organiser, enrol, shop, session, clock):
    for name, household, points in (("陈元龙", "3栋502", 300), ("陈小龙", "3栋502", 100), ("王芳", "1栋101", 200)):
        member, phone = enrol(name=name)
        give(organiser, member, 500)
        voucher = redeem(phone, shop["fee"], points=points, household=household)
        shop["estate_clerk"].post("/api/v1/redemptions/fulfil", {"voucher_code": voucher["voucher_code"]},
                                  expect=200)
    totals = by_household(settlement_for(session, partner_id=shop["estate"]["id"], start=None, end=None))
    assert [(t.household, t.count, t.points, t.amount_fen) for t in totals] == [
        ("1栋101", 1, 200, 20000), ("3栋502", 2, 400, 40000)]
