"""The partner's counter as the API and the pages share it: a voucher looked up under the access
policy, with failed look-ups logged (codes are short; a run of misses is someone guessing)."""
import logging

from flask import request
from sqlalchemy.orm import Session

from points.errors import Forbidden, NotFound
from rewards.counter import VoucherAtCounter, counter_view

from ..identity.access import fulfillable_voucher
from ..identity.principal import Principal

log = logging.getLogger("benniu.counter")


def look_up(session: Session, principal: Principal, code: str, *, now) -> VoucherAtCounter:
    """The voucher as the counter shows it, if this clerk may fulfil it (else NotFound/Forbidden)."""
    try:
        redemption = fulfillable_voucher(session, principal, code)
    except (NotFound, Forbidden) as refusal:
        log.warning("voucher look-up refused: %s by %s from %s (%s)", code[:40], principal.actor,
                    request.remote_addr, refusal.code)
        raise
    return counter_view(session, redemption, now=now)
