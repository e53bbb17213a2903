"""A world to load real servers with: a community, open activities, volunteers with tokens."""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from api.identity.tokens import issue_token
from points.activities import plan_activity
from points.codes import sign
from points.communities import found_community
from points.members import enrol_member
from points.rules import define_rule

VOLUNTEERS, ACTIVITIES = 40, 10


@dataclass
class World:
    env: dict           # the environment `benniu serve` runs with
    codes: list[str]    # check-in codes of the open activities
    tokens: list[str]   # volunteer tokens
    member_ids: list[int]
    organiser: str      # an organiser token of the community
    community_id: int


@pytest.fixture
def world(app, database_url, tmp_path) -> World:
    """Made through the services, on the test's database."""
    now = datetime.now(timezone.utc)
    with app.extensions["benniu"].sessionmaker() as session, session.begin():
        community = found_community(session, name="振宇社区", code="zy", now=now)
        define_rule(session, community_id=community.id, code="patrol", name="巡逻", points=50, basis="per_event",
                    now=now)
        codes = [sign("test-secret", purpose="activity", subject_id=activity.id, expires_at=now + timedelta(hours=3))
                 for activity in (plan_activity(session, community_id=community.id, rule_code="patrol",
                                                title=f"巡逻 {i}", starts_at=now - timedelta(minutes=5),
                                                ends_at=now + timedelta(hours=2), now=now)
                                  for i in range(ACTIVITIES))]
        tokens, member_ids = [], []
        for i in range(VOLUNTEERS):
            member = enrol_member(session, community_id=community.id, name=f"志愿者{i}", phone=f"1380000{i:04d}",
                                  now=now)
            member_ids.append(member.id)
            tokens.append(issue_token(session, role="volunteer", name=f"v{i}", member_id=member.id, now=now)[0])
        organiser = issue_token(session, role="organiser", name="民警", community_id=community.id, now=now)[0]
    env = {"BENNIU_DATABASE_URL": database_url, "BENNIU_SECRET_KEY": "test-secret",
           "BENNIU_RATELIMIT_ENABLED": "false", "BENNIU_INSTANCE_PATH": str(tmp_path / "server")}
    return World(env, codes, tokens, member_ids, organiser, community.id)
