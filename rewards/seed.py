"""The points supermarket's part of `benniu seed`: a shelf per community, and redemption rows."""
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from points.communities import Community
from points.seed import Shelf
from points.seed.history import Offer, Person
from points.seed.rows import Bulk

from .catalogue import stock_reward
from .partners import get_partner, sign_partner
from .vouchers import ALPHABET, LENGTH

# name, kind, cost; goods are the workstation's, a service is the community's barber's.
SHELF = (("洗衣液", "goods", 100), ("免费理发", "service", 200), ("大米 5kg", "goods", 300))
VALID_FOR = timedelta(days=30)
# Voucher codes from the redemption's id, one to one (31**8 codes; the step is coprime with it),
# so a million of them need no lookups to be unique.
STEP = 2_147_483_647


def stock_shelves(session: Session, community: Community, now: datetime) -> list[Offer]:
    """A community's shelf: workstation goods, and a barber's service, without limits."""
    barber = sign_partner(session, name=f"{community.name} 老街理发店", kind="shop", community_ids=[community.id],
                          now=now)
    offers = []
    for name, kind, cost in SHELF:
        reward = stock_reward(session, community_id=community.id, name=name, kind=kind, cost=cost, now=now,
                              partner_id=barber.id if kind == "service" else None)
        offers.append(Offer(reward.id, name, kind, cost, reward.partner_id,
                            get_partner(session, reward.partner_id).account_id))
    return offers


def redemption_row(bulk: Bulk, *, person: Person, offer: Offer, at: datetime, fulfilled_at: datetime | None) -> dict:
    """A redemption of `offer` made at `at`: fulfilled at `fulfilled_at`, or still reserved."""
    row = bulk.add("redemptions", voucher_code="", member_id=person.id, reward_id=offer.reward_id,
                   community_id=person.community_id, partner_id=offer.partner_id, reward_name=offer.name,
                   kind=offer.kind, quantity=1, points=offer.cost, fen_per_point=None, amount_fen=None,
                   household=None, status="fulfilled" if fulfilled_at else "reserved", hold_transfer_id=None,
                   settle_transfer_id=None, household_usage_id=None, created_at=at, expires_at=at + VALID_FOR,
                   fulfilled_at=fulfilled_at, fulfilled_by="店员" if fulfilled_at else None,
                   closed_at=fulfilled_at)
    row["voucher_code"] = voucher_code(row["id"])
    return row


def voucher_code(number: int) -> str:
    value, symbols = number * STEP % len(ALPHABET) ** LENGTH, []
    for _ in range(LENGTH):
        value, digit = divmod(value, len(ALPHABET))
        symbols.append(ALPHABET[digit])
    return "".join(symbols)


SUPERMARKET = Shelf(stock=stock_shelves, redemption_row=redemption_row)
