"""The points supermarket's vouchers: a volunteer (or staff for them) redeems points for a reward,
cancels an unused voucher, and a clerk fulfils it at the counter. Each is audited."""
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.orm import Session

from points.audit import Party
from rewards import redemptions
from rewards.counter import VoucherAtCounter
from rewards.redemptions import Order, Redemption

from ..identity.access import member_acted_for, visible_redemption, visible_reward
from ..identity.principal import Principal
from .events import announce
from .messages import tell


def redeem_points(session: Session, actor: Principal, *, reward_id: int, order: Order, now: datetime,
           member_id: int | None = None) -> Redemption:
    """Redeem points for a reward, for the member the actor acts for: the points are held, the
    stock taken and a voucher issued, valid for the service's VOUCHER_DAYS."""
    member = member_acted_for(session, actor, member_id)
    reward = visible_reward(session, actor, reward_id)
    redemption = redemptions.redeem(session, member=member, reward=reward, order=order, now=now,
                                    valid_for=timedelta(days=current_app.config["VOUCHER_DAYS"]))
    return _announced(session, actor, "redemption", redemption, now=now)


def cancel_voucher(session: Session, actor: Principal, *, redemption_id: int, now: datetime) -> Redemption:
    """Cancel an unfulfilled voucher the actor may see: the points are released and the stock returned."""
    redemption = redemptions.cancel(session, redemption=visible_redemption(session, actor, redemption_id), now=now)
    return _announced(session, actor, "cancellation", redemption, now=now)


def fulfil_voucher(session: Session, actor: Principal, *, voucher: VoucherAtCounter, now: datetime) -> Redemption:
    """Fulfil a voucher this clerk or organiser may fulfil, as `api.acts.counter.look_up` found it: the held
    points are spent, once.

    The look-up may run before the write transaction (a door reads it with `db.session()`, then
    calls this with `db.writer()`): on SQLite the write lock is then held only for the writing.
    That is safe because what a voucher holds was fixed when it was reserved, and its status is
    written only by a conditional UPDATE (`rewards.redemptions.fulfil`), which refuses a voucher
    fulfilled or cancelled meanwhile. The view keeps its member and provider in the session:
    fulfil reads neither again.
    """
    redemption = redemptions.fulfil(session, redemption=voucher.redemption, now=now, by=actor.signature)
    tell(session, redemption.member_id, "voucher_fulfilled", subject_id=redemption.id, now=now,
         reward_name=redemption.reward_name, points=redemption.points)
    return _announced(session, actor, "fulfilment", redemption, now=now)


def cancel_retired_voucher(session: Session, actor: Principal, *, redemption: Redemption,
                           now: datetime) -> Redemption:
    """Cancel an unused voucher of a partner being retired (api.acts.partners.retire): the points
    are released, as any cancellation."""
    redemption = redemptions.cancel(session, redemption=redemption, now=now)
    return _announced(session, actor, "cancellation", redemption, now=now)


def _announced(session: Session, actor: Principal, action: str, redemption: Redemption, *, now: datetime):
    announce(session, actor, action, at=now, community_id=redemption.community_id,
             subject=Party("voucher", redemption.id, redemption.reward_name), member_id=redemption.member_id,
             redemption_id=redemption.id, reward_id=redemption.reward_id, reward_kind=redemption.kind,
             partner_id=redemption.partner_id, points=redemption.points, amount_fen=redemption.amount_fen,
             status=redemption.status)
    return redemption
