"""Shared set-up for the benchmarks: a fresh database, seeded through the service's own functions."""
import os
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import text

import api.models  # noqa: F401
from api.identity.tokens import issue_token
from api.operations.schema import upgrade
from points.activities import plan_activity
from points.codes import sign
from points.communities import found_community
from points.engines import make_engine
from points.members import enrol_member
from points.rules import define_rule

SECRET = "bench-secret"


def fresh_database(url: str | None) -> tuple[str, Path]:
    """A migrated, empty database: a new SQLite file, or the PostgreSQL at `url` wiped clean."""
    workdir = Path(tempfile.mkdtemp(prefix="benniu-bench-"))
    url = url or f"sqlite:///{workdir / 'bench.db'}"
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(engine)
    engine.dispose()
    return url, workdir


def server_env(url: str, workdir: Path) -> dict:
    return {"BENNIU_DATABASE_URL": url, "BENNIU_SECRET_KEY": SECRET, "BENNIU_RATELIMIT_ENABLED": "false",
            "BENNIU_INSTANCE_PATH": str(workdir / "instance")}


def seed_checkins(url: str, *, volunteers: int, activities: int) -> list[tuple[str, str]]:
    """Open per-event activities and volunteers with tokens; every (token, code) pair is one check-in."""
    from sqlalchemy.orm import Session

    engine = make_engine(url)
    now = datetime.now(timezone.utc)
    with Session(engine) as session, session.begin():
        community = found_community(session, name="压测社区", code="bench", now=now)
        define_rule(session, community_id=community.id, code="patrol", name="参与治安巡逻", points=50,
                    basis="per_event", now=now)
        codes = []
        for i in range(activities):
            activity = plan_activity(session, community_id=community.id, rule_code="patrol", title=f"巡逻 {i}",
                                     starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=3), now=now)
            codes.append(sign(SECRET, purpose="activity", subject_id=activity.id, expires_at=activity.ends_at))
        tokens = []
        for i in range(volunteers):
            member = enrol_member(session, community_id=community.id, name=f"志愿者{i}",
                                  phone=f"1{i:010d}", now=now)
            tokens.append(issue_token(session, role="volunteer", name=f"v{i}", member_id=member.id, now=now)[0])
    engine.dispose()
    return [(token, code) for code in codes for token in tokens]


def seed_shop(url: str, *, volunteers: int, vouchers: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Volunteers with points and a workstation reward at 10 points (no stock limit), through the
    service's own functions; `vouchers` of them already redeemed. Returns (volunteer token, reward
    id) pairs to redeem with, and (clerk token, voucher code) pairs to fulfil."""
    from sqlalchemy.orm import Session

    from points.earning import earn
    from rewards.catalogue import stock_reward
    from rewards.redemptions import Order, redeem

    engine = make_engine(url)
    now = datetime.now(timezone.utc).astimezone(ZoneInfo("Asia/Shanghai"))
    with Session(engine) as session, session.begin():
        community = found_community(session, name="压测超市社区", code="bench-shop", now=now)
        rule = define_rule(session, community_id=community.id, code="patrol", name="参与治安巡逻", points=1000,
                           basis="per_event", now=now)
        reward = stock_reward(session, community_id=community.id, name="洗衣液", kind="goods", cost=10, now=now)
        clerk = issue_token(session, role="partner", name="工作站", partner_id=reward.partner_id, now=now)[0]
        members, tokens = [], []
        for i in range(volunteers):
            member = enrol_member(session, community_id=community.id, name=f"顾客{i}", phone=f"19{i:09d}", now=now)
            earn(session, member=member, rule=rule, now=now)
            members.append(member)
            tokens.append(issue_token(session, role="volunteer", name=f"c{i}", member_id=member.id, now=now)[0])
        codes = [redeem(session, member=members[i % volunteers], reward=reward, order=Order(), now=now,
                        valid_for=timedelta(days=30)).voucher_code for i in range(vouchers)]
        reward_id = reward.id
    engine.dispose()
    return [(token, str(reward_id)) for token in tokens], [(clerk, code) for code in codes]


def count(url: str, sql: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        found = connection.execute(text(sql)).scalar()
    engine.dispose()
    return found


def count_rows(url: str, table: str) -> int:
    return count(url, f"SELECT count(*) FROM {table}")


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown CPU")
    return f"{os.cpu_count()} cores, {cpu}"


def median_ms(client, path: str, token: str, runs: int) -> float:
    headers = {"Authorization": f"Bearer {token}"}
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(path, headers=headers)
        timings.append(time.perf_counter() - began)
        assert response.status_code == 200, response.get_json()
    return statistics.median(timings) * 1000


def bench_app(url: str, workdir: Path | None = None):
    """The service on `url` as the benches run it: no rate limits, a fixed secret."""
    from api import create_app

    return create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET, "RATELIMIT_ENABLED": False},
                      **({"instance_path": workdir / "instance"} if workdir else {}))


def seeded_line(url: str, what: str, began: float) -> str:
    """The line a bench prints first: the machine, the database and how long seeding took."""
    return f"machine: {machine()}; database: {url.split(':', 1)[0]}; seeded {what} in {time.perf_counter() - began:.0f} s"
