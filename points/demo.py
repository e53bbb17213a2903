"""The demo community: the 犇牛 earning rules of 振宇社区 and a few volunteers to try them with."""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .communities import Community, found_community
from .members import Member, enrol_member
from .rules import Rule, define_rule

DEMO_CODE = "zhenyu"
DEMO_PASSWORD = "benniu2024"

# code, name, points, basis, requires_review, daily_cap
RULES = [
    ("patrol", "参与治安巡逻", 50, "per_event", False, 100),
    ("rental_tip", "提供有效出租房线索", 50, "per_event", True, None),
    ("migrant_tip", "提供流动人口线索", 50, "per_event", True, None),
    ("case_tip", "提供案事件线索", 100, "per_event", True, None),
    ("safety_promo", "开展安全防范宣传", 50, "per_event", False, 100),
    ("mediation", "帮助化解矛盾纠纷", 50, "per_event", True, None),
    ("patrol_hours", "巡逻积分评定: 服务时间", 20, "per_hour", False, 160),
]

# name, phone, team
VOLUNTEERS = [
    ("陈元龙", "13800000001", "服管委员会"),
    ("王秀英", "13800000002", "巡处委员会"),
    ("李建国", "13800000003", "联调委员会"),
]


def seed_demo(session: Session, *, now: datetime) -> Community:
    """Create the demo community, its rules and volunteers; running it again changes nothing."""
    community = session.scalar(select(Community).where(Community.code == DEMO_CODE))
    if community is None:
        community = found_community(session, name="振宇社区", code=DEMO_CODE, now=now)
    for code, name, points, basis, review, cap in RULES:
        if session.scalar(select(Rule.id).where(Rule.community_id == community.id, Rule.code == code)) is None:
            define_rule(session, community_id=community.id, code=code, name=name, points=points, basis=basis,
                        requires_review=review, daily_cap=cap, now=now)
    for name, phone, team in VOLUNTEERS:
        if session.scalar(select(Member.id).where(Member.phone == phone)) is None:
            enrol_member(session, community_id=community.id, name=name, phone=phone, team=team,
                         password=DEMO_PASSWORD, now=now)
    return community
