"""The demo (`benniu init --demo`, `make run`): 振宇社区 with its rules, volunteers, partners and rewards
(points.demo, rewards.demo), and its staff: an organiser and a clerk of its barber, to sign in with."""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from points.audit import Party
from points.communities import Community
from points.demo import DEMO_PASSWORD, seed_demo
from rewards.demo import seed_catalogue
from rewards.partners import Partner

from ..identity.accounts import StaffAccount, create_staff
from ..identity.principal import Principal
from .events import announce

# role, name, phone, partner name (clerks)
STAFF = [
    ("organiser", "罗塘派出所 民警", "13900000001", None),
    ("partner", "老街理发店 店员", "13900000002", "老街理发店"),
]


def plant_demo(session: Session, actor: Principal | None, *, now: datetime) -> Community:
    """Create or complete the demo community; running it again changes nothing but the audit row."""
    community = seed_demo(session, now=now)
    seed_catalogue(session, community=community, now=now)
    seed_staff(session, community=community, now=now)
    announce(session, actor, "demo_planted", at=now, community_id=community.id,
             subject=Party("community", community.id, community.name))
    return community


def seed_staff(session: Session, *, community: Community, now: datetime) -> None:
    """Add the demo staff; running it again changes nothing."""
    for role, name, phone, partner_name in STAFF:
        if session.scalar(select(StaffAccount.id).where(StaffAccount.phone == phone)) is not None:
            continue
        partner_id = session.scalar(select(Partner.id).where(Partner.name == partner_name)) if partner_name else None
        account = create_staff(session, role=role, name=name, phone=phone, password=DEMO_PASSWORD, now=now,
                               community_id=community.id if role == "organiser" else None, partner_id=partner_id)
        account.sees_tips = role == "organiser"  # the demo's organiser is the police: it reads the tips
