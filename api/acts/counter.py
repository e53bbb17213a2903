"""The partner's counter as the API and the pages share it: a voucher looked up under the access
policy, with failed look-ups logged (codes are short; a run of misses is someone guessing)."""
import logging

from flask import request
from sqlalchemy.orm import Session

from points.errors import Forbidden, NotFound
from rewards.counter import VoucherAtCounter, counter_view

from ..http.logs import json_line
from ..identity.access import fulfillable_voucher
from ..identity.principal import Principal

log = logging.getLogger("benniu.counter")


def look_up(session: Session, principal: Principal, code: str, *, now) -> VoucherAtCounter:
    """The voucher as the counter shows it, if this clerk may fulfil it (else NotFound/Forbidden)."""
    try:
        redemption = fulfillable_voucher(session, principal, code)
    except (NotFound, Forbidden) as refusal:
        json_line(log, logging.WARNING, message="voucher look-up refused", code=code[:40], who=principal.actor,
                  client=request.remote_addr, refusal=refusal.code)
        raise
    return counter_view(session, redemption, now=now)
