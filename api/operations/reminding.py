"""`benniu remind-expiring` and `benniu remind-vouchers`: the messages, then their texts."""
import logging
from functools import partial

from ..acts.reminders import Texter, claim_texts, in_quiet_hours, remind_expiring_points, remind_expiring_vouchers

LOG = logging.getLogger("benniu.reminders")
JOBS = {"points_expiring": remind_expiring_points, "voucher_expiring": remind_expiring_vouchers}


def texter_of(app) -> Texter | None:
    """The SMS seam: `app.extensions["benniu_texter"]`, a callable (phone, text) that sends one text,
    set where an SMS provider is configured; None (no texts) otherwise."""
    return app.extensions.get("benniu_texter")


def remind(app, *, kind: str, days: int, in_batches, write, now) -> str:
    """Write the reminders of `kind` due within `days`, then text what this run may: one line saying what it did."""
    told = in_batches(app, partial(JOBS[kind], days=days))
    texter = texter_of(app)
    if texter is None:
        return f"{told} reminders written; no SMS provider configured"
    moment = now(app)
    if in_quiet_hours(moment, app.config["REMIND_QUIET_HOURS"]):
        return f"{told} reminders written; quiet hours, texts wait for the next run"
    claimed = write(app, lambda session: claim_texts(session, kind=kind, now=moment,
                                                     limit=app.config["REMIND_SMS_PER_RUN"]))
    sent = 0
    for phone, text in claimed:
        try:
            texter(phone, text)
            sent += 1
        except Exception as error:  # one failed text (a bad number, the provider's refusal) stops no other
            LOG.warning("reminder text to %s not sent: %s", phone[-4:], error)
    return f"{told} reminders written; {sent} texts sent"
