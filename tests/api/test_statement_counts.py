"""The SQL a check-in, a redemption and a fulfilment cost, held to the figures in statement_counts.json.

Like Django's assertNumQueries: the next change that adds a statement (or saves one) to these
writes fails here until it says so in statement_counts.json, in its own diff. Counts, not timings,
so the guard does not flap with a busy machine. Each operation is measured on its second run,
after one of the same kind warmed whatever is loaded once.
"""
import json
import re
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event

from ..conftest import _token
from ..helpers import Client

COUNTS = Path(__file__).with_name("statement_counts.json")
# A write wherever it stands: alone, or in a CTE (`WITH ... INSERT`), not a `SELECT ... FOR UPDATE`.
WRITE = re.compile(r"\b(insert into|update \w+ set|delete from)\b", re.IGNORECASE)


class Traffic:
    """What one engine sent to its database: statements, writes among them, transactions and round trips."""

    def __init__(self, dialect: str):
        self.dialect = dialect
        self.statements: list[str] = []
        self.transactions = 0
        self.ends = 0

    def figures(self) -> dict:
        # psycopg sends the BEGIN of each transaction on its own; on SQLite the engine's own
        # `BEGIN [IMMEDIATE]` is one of the statements already.
        begins = self.transactions if self.dialect == "postgresql" else 0
        return {"statements": len(self.statements),
                "writes": sum(bool(WRITE.search(statement)) for statement in self.statements),
                "transactions": self.transactions,
                "round_trips": len(self.statements) + begins + self.ends}


@contextmanager
def traffic(app):
    """Count what the app's engine sends while the block runs."""
    engine = app.extensions["benniu"].engine
    seen = Traffic(engine.dialect.name)

    def statement(_connection, _cursor, sql, *_):
        seen.statements.append(sql)

    def begin(_connection):
        seen.transactions += 1

    def end(_connection):
        seen.ends += 1

    listeners = [("before_cursor_execute", statement), ("begin", begin), ("commit", end), ("rollback", end)]
    for name, listener in listeners:
        event.listen(engine, name, listener)
    try:
        yield seen
    finally:
        for name, listener in listeners:
            event.remove(engine, name, listener)


def assert_costs(operation: str, seen: Traffic) -> None:
    expected = json.loads(COUNTS.read_text())[operation][seen.dialect]
    assert seen.figures() == expected, (
        f"a {operation} now sends {seen.figures()} on {seen.dialect}, statement_counts.json says {expected}; "
        f"if the change is meant, update the file. Statements:\n" + "\n".join(seen.statements))


@pytest.fixture
def points(organiser):
    def give(member, points):
        organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "bonus", "points": points},
                       expect=201)
    organiser.post("/api/v1/rules", {"code": "bonus", "name": "表彰奖励", "points": 1, "basis": "per_event"},
                   expect=201)
    return give


def test_a_checkin_costs_what_the_file_says(app, organiser, community, rules, enrol, clock):
    starts = clock.now()
    patrol = organiser.post("/api/v1/activities", {
        "rule_code": "patrol", "title": "夜间治安巡逻", "community_id": community["id"],
        "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat()}, expect=201).json
    enrol()[1].post("/api/v1/checkins", {"code": patrol["checkin_url"]}, expect=201)
    _, phone = enrol(name="第二位")
    with traffic(app) as seen:
        phone.post("/api/v1/checkins", {"code": patrol["checkin_url"]}, expect=201)
    assert_costs("checkin", seen)


def test_a_redemption_costs_what_the_file_says(app, volunteer, shop, points):
    member, phone = volunteer
    points(member, 1000)
    phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]}, expect=201)
    with traffic(app) as seen:
        phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]}, expect=201)
    assert_costs("redemption", seen)


def test_a_fulfilment_costs_what_the_file_says(app, clock, volunteer, shop, points):
    member, phone = volunteer
    points(member, 1000)
    vouchers = [phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]}, expect=201).json["voucher_code"]
                for _ in range(2)]
    clerk = Client(app, _token(app, clock, role="partner", name="工作站", partner_id=shop["rice"]["partner_id"]))
    clerk.post("/api/v1/redemptions/fulfil", {"voucher_code": vouchers[0]}, expect=200)
    with traffic(app) as seen:
        clerk.post("/api/v1/redemptions/fulfil", {"voucher_code": vouchers[1]}, expect=200)
    assert_costs("fulfilment", seen)
