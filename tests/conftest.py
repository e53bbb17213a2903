"""Fixtures: a real database per test (a SQLite file, or PostgreSQL when
`BENNIU_TEST_DATABASE_URL` names one), the app on it, a controllable clock, tokens."""
import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

import api.models  # noqa: F401
from api import create_app
from api.identity.accounts import create_staff
from api.identity.tokens import issue_token
from api.operations.schema import upgrade
from points.db import Base
from points.engines import make_engine
from points.verify import ledger_problems

from .helpers import Client

POSTGRES_URL = os.environ.get("BENNIU_TEST_DATABASE_URL")
ZONE = ZoneInfo("Asia/Shanghai")


class FakeClock:
    """Time that moves only when a test says so."""

    def __init__(self, now: datetime):
        self.zone = now.tzinfo
        self.current = now

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta) -> datetime:
        self.current += timedelta(**delta)
        return self.current

    def set(self, moment: datetime) -> None:
        self.current = moment


@pytest.fixture(scope="session")
def _postgres_schema():
    """Migrate the PostgreSQL test database once; tests then empty it between them."""
    if not POSTGRES_URL:
        return None
    engine = make_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(engine)
    engine.dispose()
    return POSTGRES_URL


@pytest.fixture
def database_url(tmp_path, _postgres_schema):
    if _postgres_schema:
        engine = make_engine(_postgres_schema)
        tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return _postgres_schema
    url = f"sqlite:///{tmp_path / 'benniu.db'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    return url


@pytest.fixture
def fresh_database_url(tmp_path, _postgres_schema):
    """A second, empty database beside the test's (restores, upgrades): a SQLite file, or a
    PostgreSQL database created on the test server and dropped afterwards."""
    if not _postgres_schema:
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    name = f"benniu_fresh_{os.getpid()}"
    server = make_engine(_postgres_schema, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    yield _postgres_schema.rsplit("/", 1)[0] + f"/{name}"
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    server.dispose()


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 11, 23, 20, 0, tzinfo=ZONE))


@pytest.fixture
def app(database_url, clock, tmp_path):
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": False,
                      "PUBLIC_URL": "https://benniu.test"},
                     clock=clock, instance_path=tmp_path / "instance")
    yield app
    app.extensions["benniu"].engine.dispose()


@pytest.fixture
def session(app):
    """A session on the app's database, for arranging and inspecting state directly."""
    with app.extensions["benniu"].sessionmaker() as session:
        yield session


@pytest.fixture
def ledger_is_sound(app):
    """Checks `benniu verify`'s invariants after the test."""
    yield
    with app.extensions["benniu"].sessionmaker() as session:
        assert ledger_problems(session, zone=ZONE) == []


def _token(app, clock, **kwargs) -> str:
    with app.extensions["benniu"].sessionmaker() as session, session.begin():
        plain, _ = issue_token(session, now=clock.now(), **kwargs)
    return plain


@pytest.fixture
def admin(app, clock) -> Client:
    return Client(app, _token(app, clock, role="admin", name="市局 管理员"))


@pytest.fixture
def community(admin) -> dict:
    return admin.post("/api/v1/communities", {"name": "振宇社区", "code": "zhenyu"}).json


@pytest.fixture
def organiser(app, clock, community) -> Client:
    return Client(app, _token(app, clock, role="organiser", name="罗塘派出所 民警", community_id=community["id"]))


@pytest.fixture
def rules(organiser, community) -> dict:
    """patrol (50, cap 100/day), rental_tip (50, review), patrol_hours (20/h)."""
    made = {}
    for body in ({"code": "patrol", "name": "参与治安巡逻", "points": 50, "basis": "per_event", "daily_cap": 100},
                 {"code": "rental_tip", "name": "提供有效出租房线索", "points": 50, "basis": "per_event",
                  "requires_review": True},
                 {"code": "patrol_hours", "name": "巡逻服务时间", "points": 20, "basis": "per_hour"}):
        made[body["code"]] = organiser.post("/api/v1/rules", body).json
    return made


@pytest.fixture
def enrol(app, organiser, community, clock):
    """Register a member; returns (member, volunteer client)."""
    counter = iter(range(1, 10_000))

    def enrol(name="陈元龙", team="服管委员会", password="secret123"):
        phone = f"1390000{next(counter):04d}"
        body = {"name": name, "phone": phone, "community_id": community["id"], "team": team}
        member = organiser.post("/api/v1/members", {**body, "password": password} if password else body).json
        return member, Client(app, _token(app, clock, role="volunteer", name=name, member_id=member["id"]))
    return enrol


@pytest.fixture
def volunteer(enrol):
    return enrol()



@pytest.fixture
def shop(app, clock, admin, organiser, community):
    """Barber and property company (with partner tokens), and rewards of all three kinds."""
    def partner(name, kind):
        made = organiser.post("/api/v1/partners", {"name": name, "kind": kind, "community_ids": [community["id"]]},
                              expect=201).json
        return made, Client(app, _token(app, clock, role="partner", name=name, partner_id=made["id"]))

    barber, barber_clerk = partner("老街理发店", "shop")
    estate, estate_clerk = partner("振宇物业服务中心", "property")

    def reward(**body):
        return organiser.post("/api/v1/rewards", {"community_id": community["id"], **body}, expect=201).json

    return {
        "barber": barber, "barber_clerk": barber_clerk, "estate": estate, "estate_clerk": estate_clerk,
        "haircut": reward(name="免费理发", kind="service", cost=200, partner_id=barber["id"],
                          per_member_limit=1, period="month"),
        "fee": reward(name="减免物业费", kind="fee_deduction", cost=100, fen_per_point=100,
                      partner_id=estate["id"]),
        "rice": reward(name="大米 5kg", kind="goods", cost=300, stock=20),
        "umbrella": reward(name="雨伞", kind="goods", cost=100, stock=1),
    }


@pytest.fixture
def staff(app, clock, community):
    """Create a staff account; returns its phone (password 'password1')."""
    counter = iter(range(1, 1000))

    def make(role="organiser", **kwargs):
        phone = f"1370000{next(counter):04d}"
        with app.extensions["benniu"].sessionmaker() as session, session.begin():
            if role == "organiser":
                kwargs.setdefault("community_id", community["id"])
            sees_tips = kwargs.pop("sees_tips", False)  # police: reads tips' text and photos
            create_staff(session, role=role, name=kwargs.pop("name", f"{role} staff"), phone=phone,
                         password="password1", now=clock.now(), **kwargs).sees_tips = sees_tips
        return phone
    return make
