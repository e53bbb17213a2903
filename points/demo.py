"""The demo community: the 犇牛 earning rules of 振宇社区 and a few volunteers to try them with."""
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .activities import plan_activity
from .claims import submit_claim
from .communities import Community, found_community
from .earning import earn
from .members import Member, enrol_member
from .rules import Rule, current_rule, define_rule

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
    """Create the demo community, its rules and volunteers, and on the first run tonight's patrol, an
    award and a tip waiting for review (so the console has something to show); running it again
    changes nothing."""
    community = session.scalar(select(Community).where(Community.code == DEMO_CODE))
    first_run = community is None
    if first_run:
        community = found_community(session, name="振宇社区", code=DEMO_CODE, now=now)
    for code, name, points, basis, review, cap in RULES:
        if session.scalar(select(Rule.id).where(Rule.community_id == community.id, Rule.code == code)) is None:
            define_rule(session, community_id=community.id, code=code, name=name, points=points, basis=basis,
                        requires_review=review, daily_cap=cap, now=now)
    for name, phone, team in VOLUNTEERS:
        if session.scalar(select(Member.id).where(Member.phone == phone)) is None:
            enrol_member(session, community_id=community.id, name=name, phone=phone, team=team,
                         password=DEMO_PASSWORD, now=now)
    if first_run:
        _a_first_evening(session, community, now=now)
    return community


def _a_first_evening(session: Session, community: Community, *, now: datetime) -> None:
    """Tonight's patrol (open now), last night's patrol paid to 陈元龙, and 王秀英's tip to review."""
    plan_activity(session, community_id=community.id, rule_code="patrol", title="今晚治安巡逻（幸福里片区）",
                  starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(hours=3), now=now)
    members = {member.phone: member for member in session.scalars(
        select(Member).where(Member.community_id == community.id))}
    earn(session, member=members["13800000001"], rule=current_rule(session, community_id=community.id, code="patrol"),
         now=now, memo="昨晚夜巡", actor="organiser:振宇社区 民警")
    submit_claim(session, member=members["13800000002"], rule_code="rental_tip",
                 description="幸福里3栋502 新来的租户没有登记", now=now)
