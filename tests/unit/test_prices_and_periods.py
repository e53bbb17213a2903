"""Prices, fee amounts and calendar periods with no database."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from points.errors import Invalid
from points.periods import period_start
from rewards.catalogue import Reward
from rewards.redemptions import Order, fee_amount, price

ZONE = ZoneInfo("Asia/Shanghai")


def test_goods_cost_their_price_per_unit_and_a_stated_total_must_agree():
    rice = Reward(name="大米", kind="goods", cost=300)
    assert price(rice, Order(quantity=2)) == (2, 600)
    assert price(rice, Order(quantity=2, points=600)) == (2, 600)
    with pytest.raises(Invalid):
        price(rice, Order(quantity=2, points=300))
    assert fee_amount(rice, 600) is None


def test_a_fee_deduction_converts_points_in_steps_of_its_cost_into_fen():
    fee = Reward(name="物业费", kind="fee_deduction", cost=100, fen_per_point=100)
    assert price(fee, Order(points=300, household="3栋2单元502")) == (3, 300)
    assert fee_amount(fee, 300) == 30_000  # 300 yuan
    for wrong in (Order(points=250, household="3栋"), Order(points=50, household="3栋"), Order(points=300)):
        with pytest.raises(Invalid):
            price(fee, wrong)


@pytest.mark.parametrize(("period", "start"), [
    ("day", datetime(2026, 11, 25, tzinfo=ZONE)),
    ("week", datetime(2026, 11, 23, tzinfo=ZONE)),   # weeks start on Monday
    ("month", datetime(2026, 11, 1, tzinfo=ZONE)),
    ("year", datetime(2026, 1, 1, tzinfo=ZONE)),
    ("all", None),
])
def test_periods_start_at_local_midnight(period, start):
    assert period_start(datetime(2026, 11, 25, 23, 59, 59, tzinfo=ZONE), period) == start


def test_the_first_second_of_a_period_belongs_to_it():
    assert period_start(datetime(2026, 12, 1, 0, 0, tzinfo=ZONE), "month") == datetime(2026, 12, 1, tzinfo=ZONE)
    assert period_start(datetime(2026, 11, 30, 23, 59, 59, tzinfo=ZONE), "month") == datetime(2026, 11, 1,
                                                                                             tzinfo=ZONE)


def test_an_unknown_period_is_a_programming_error():
    with pytest.raises(ValueError):
        period_start(datetime(2026, 11, 25, tzinfo=ZONE), "fortnight")
