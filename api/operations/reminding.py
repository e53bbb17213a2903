"""`benniu remind-expiring` and `benniu remind-vouchers`: the messages, then their texts."""
import logging
from functools import partial

from ..acts.reminders import Texter, claim_texts, in_quiet_hours, remind_expiring_points, remind_expiring_vouchers
from ..sms import Provider
from ..sms.providers import provider_for
from .transactions import in_batches, now, write

LOG = logging.getLogger("benniu.reminders")
JOBS = {"points_expiring": remind_expiring_points, "voucher_expiring": remind_expiring_vouchers}


def texter_of(app, kind: str) -> Texter | None:
    """What sends one reminder text, (phone, text): the SMS provider BENNIU_SMS_PROVIDER names (api.sms),
    with the message template named after the reminder's kind (`points_expiring`, `voucher_expiring` in
    BENNIU_SMS_TEMPLATES, one variable `${text}`); a test may set `app.extensions["benniu_texter"]`;
    None (no texts) when no provider is configured."""
    texter = app.extensions.get("benniu_texter")
    if texter is None and app.config.get("SMS_PROVIDER"):
        provider = provider_for(app.config)
        texter = partial(_text, provider, kind)
    return texter


def _text(provider: Provider, kind: str, phone: str, text: str) -> None:
    provider.send(phone, kind, {"text": text})


def remind(app, *, kind: str, days: int) -> str:
    """Write the reminders of `kind` due within `days`, then text what this run may: one line saying what it did."""
    told = in_batches(app, partial(JOBS[kind], days=days))
    texter = texter_of(app, kind)
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
