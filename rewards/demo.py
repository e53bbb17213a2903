"""The demo catalogue: the 犇牛 scheme's three ways to spend points, in the demo community."""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from points.communities import Community

from .catalogue import Reward, stock_reward
from .partners import Partner, sign_partner

# name, kind
PARTNERS = [("振宇物业服务中心", "property"), ("老街理发店", "shop"), ("社区卫生服务站", "clinic"),
            ("阳光托管班", "school")]


def seed_catalogue(session: Session, *, community: Community, now: datetime) -> None:
    """Partners and rewards for the demo community; running it again changes nothing."""
    partners = {}
    for name, kind in PARTNERS:
        partner = session.scalar(select(Partner).where(Partner.name == name))
        partners[name] = partner or sign_partner(session, name=name, kind=kind, community_ids=[community.id], now=now)
    rewards = [
        dict(name="大米 5kg", kind="goods", cost=300, stock=20),
        dict(name="食用油 5L", kind="goods", cost=400, stock=10),
        dict(name="雨伞", kind="goods", cost=100, stock=30),
        dict(name="减免物业费 (1 积分 = 1 元)", kind="fee_deduction", cost=100, fen_per_point=100,
             partner_id=partners["振宇物业服务中心"].id, per_member_limit=12, period="year"),
        dict(name="免费理发", kind="service", cost=200, partner_id=partners["老街理发店"].id,
             per_member_limit=1, period="month"),
        dict(name="免费健康体检", kind="service", cost=500, partner_id=partners["社区卫生服务站"].id,
             per_member_limit=1, period="year"),
        dict(name="课后托管一周", kind="service", cost=600, partner_id=partners["阳光托管班"].id, stock=10),
    ]
    for reward in rewards:
        exists = session.scalar(select(Reward.id).where(Reward.community_id == community.id,
                                                        Reward.name == reward["name"]))
        if exists is None:
            stock_reward(session, community_id=community.id, now=now, **reward)
