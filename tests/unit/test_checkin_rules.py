"""Check-in rules with no database: what a check-in is on arrival, minutes served, window, place."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from points.activities import Activity, ActivityNotOpen, OutsideArea, distance_m, ensure_inside, ensure_open
from points.checkins import arrival_status, minutes_served
from points.rules import Rule

ZONE = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 23, 20, 0, tzinfo=ZONE)


def patrol(**place) -> Activity:
    return Activity(title="夜巡", starts_at=START, ends_at=START + timedelta(hours=2), **place)


@pytest.mark.parametrize(("basis", "review", "status"), [
    ("per_event", False, "awarded"), ("per_hour", False, "open"),
    ("per_event", True, "pending_review"), ("per_hour", True, "pending_review")])
def test_a_checkin_is_paid_held_open_or_reviewed_by_its_rule(basis, review, status):
    assert arrival_status(Rule(basis=basis, requires_review=review)) == status


@pytest.mark.parametrize(("arrived", "left", "minutes"), [
    (START, START + timedelta(hours=2), 120),                                      # the whole window
    (START - timedelta(minutes=10), START + timedelta(minutes=59, seconds=59), 59),  # early counts from the start
    (START + timedelta(minutes=30), START + timedelta(hours=5), 90),               # late leaving counts to the end
    (START + timedelta(hours=3), START + timedelta(hours=4), 0),                   # after the end: nothing, not < 0
])
def test_minutes_served_count_only_inside_the_window(arrived, left, minutes):
    assert minutes_served(patrol(), checked_in_at=arrived, checked_out_at=left) == minutes


def test_the_window_is_open_within_its_grace_and_shut_beyond_it():
    grace = timedelta(minutes=15)
    ensure_open(patrol(), now=START - grace, grace=grace)
    ensure_open(patrol(), now=START + timedelta(hours=2) + grace, grace=grace)
    with pytest.raises(ActivityNotOpen):
        ensure_open(patrol(), now=START - grace - timedelta(seconds=1), grace=grace)
    with pytest.raises(ActivityNotOpen):
        ensure_open(patrol(), now=START + timedelta(hours=2) + grace + timedelta(seconds=1), grace=grace)


def test_one_degree_of_latitude_is_about_111_km_and_a_point_is_0_m_from_itself():
    assert distance_m(32.5, 120.1, 33.5, 120.1) == pytest.approx(111_195, rel=1e-3)
    assert distance_m(32.5089, 120.1459, 32.5089, 120.1459) == 0
    assert distance_m(0, 179.9, 0, -179.9) == pytest.approx(22_239, rel=1e-3)  # across the date line


def test_a_geofence_takes_its_radius_and_wants_a_location():
    fenced = patrol(lat=32.5089, lng=120.1459, radius_m=200)
    ensure_inside(fenced, lat=32.5089 + 0.0017, lng=120.1459)  # about 189 m north
    with pytest.raises(OutsideArea):
        ensure_inside(fenced, lat=32.5089 + 0.0019, lng=120.1459)  # about 211 m
    with pytest.raises(OutsideArea):
        ensure_inside(fenced, lat=None, lng=None)
    ensure_inside(patrol(), lat=None, lng=None)  # no place, no fence


def test_an_activity_accepts_the_methods_it_lists_in_their_order():
    assert Activity(checkin_methods="card,printed").methods == ["printed", "card"]
