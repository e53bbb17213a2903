"""The partner's counter (核销台): what a clerk sees of a voucher before handing anything over."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from points.errors import DomainError
from points.masking import masked_name, masked_phone
from points.members import Member

from .partners import Partner
from .redemptions import Redemption, fulfilment_refusal


@dataclass(frozen=True)
class VoucherAtCounter:
    """A voucher as the clerk sees it: what it is for, whose it is (masked), and whether it can be
    fulfilled now (`refusal` is the refusal `fulfil` would raise, or None)."""

    redemption: Redemption
    provider: Partner | None
    member_name: str
    member_phone: str
    refusal: DomainError | None
    member: Member  # kept with the view: fulfilling it next reads the member no more

    @property
    def receipt_no(self) -> int | None:
        """The ledger transfer of the spend: the number the clerk writes on the paper slip."""
        return self.redemption.settle_transfer_id


def counter_view(session: Session, redemption: Redemption, *, now: datetime) -> VoucherAtCounter:
    """How the counter shows a voucher (found by `api.identity.access.fulfillable_voucher`, which holds the
    who-may rule); after a fulfilment, its receipt. Nothing changes."""
    member, provider = session.execute(select(Member, Partner).outerjoin(Partner, Partner.id == redemption.partner_id)
                                       .where(Member.id == redemption.member_id)).one()
    return VoucherAtCounter(redemption=redemption, provider=provider, member_name=masked_name(member.name),
                            member_phone=masked_phone(member.phone),
                            refusal=fulfilment_refusal(redemption, now=now), member=member)
