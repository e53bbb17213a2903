"""The demo's staff: an organiser of the demo community and a clerk of its barber, to sign in with."""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from points.communities import Community
from points.demo import DEMO_PASSWORD
from rewards.partners import Partner

from .identity.accounts import StaffAccount, create_staff

# role, name, phone, partner name (clerks)
STAFF = [
    ("organiser", "罗塘派出所 民警", "13900000001", None),
    ("partner", "老街理发店 店员", "13900000002", "老街理发店"),
]


def seed_staff(session: Session, *, community: Community, now: datetime) -> None:
    """Add the demo staff; running it again changes nothing."""
    for role, name, phone, partner_name in STAFF:
        if session.scalar(select(StaffAccount.id).where(StaffAccount.phone == phone)) is not None:
            continue
        partner_id = session.scalar(select(Partner.id).where(Partner.name == partner_name)) if partner_name else None
        create_staff(session, role=role, name=name, phone=phone, password=DEMO_PASSWORD, now=now,
                     community_id=community.id if role == "organiser" else None, partner_id=partner_id)
