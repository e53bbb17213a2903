"""The partner's counter (核销台): look a voucher up (typed, or scanned on a phone), see it before
anything happens, fulfil it once, print a receipt; the day's fulfilments, a search over past
ones, and the month's settlement with its downloads.

Every look-up goes through `api.acts.counter.look_up` (the access policy, misses logged) and every
fulfilment through `api.acts.redemptions.fulfil_voucher`, under `voucher_limits`, as the API's do.
"""
from datetime import datetime, timedelta

from flask import flash, get_flashed_messages, redirect, render_template, request, url_for
from flask_babel import gettext as _

from points.errors import AlreadyCancelled, AlreadyFulfilled, Forbidden, NotFound
from points.periods import period_end, period_start
from rewards.counter import VoucherAtCounter
from rewards.partners import Partner, get_partner
from rewards.redemptions import VoucherExpired, by_voucher
from rewards.settlement import Settlement, by_household, settlement_for
from rewards.vouchers import display, normalise

from ..acts.counter import look_up, settlement_sheet
from ..acts.redemptions import fulfil_voucher
from ..http import db
from ..http.clock import month_start, now, zone
from ..http.downloads import sheet_response
from ..http.limits import voucher_limits
from ..http.sheets import sheet_name
from ..identity.access import counter_of, visible_redemption, visits_counters
from ..identity.authentication import current_principal
from .blueprint import page_blueprint
from .guard import act_once, new_action_key, signed_in
from .words import short_when

blp = page_blueprint("counter", __name__)
CLERKS = ("partner", "organiser", "admin")


@blp.get("/counter")
@signed_in(*CLERKS)
def counter():
    """The field for a code, today's fulfilments here, and a search over past ones."""
    return _counter_page(None)


@blp.get("/counter/voucher")
@signed_in(*CLERKS)
@voucher_limits
def look():
    """`查询`: the voucher as it is, before anything happens (nothing changes)."""
    return _counter_page(request.args.get("code", "")[:300])


@blp.get("/v/<code>")
@signed_in(*CLERKS)
@voucher_limits
def voucher(code: str):
    """Where a clerk's scan of a voucher QR lands: the counter, with this code looked up."""
    return _counter_page(code[:300])


@blp.post("/counter/fulfil")
@signed_in(*CLERKS)
@voucher_limits
def fulfil_post():
    """`确认核销`, once per rendered form: a second press gets the first answer, never a second fulfilment."""
    typed = request.form.get("code", "")[:300]

    def fulfilled():
        principal, at = current_principal(), now()
        session = db.writer()  # act_once's: its key is claimed under the write lock already
        subject = fulfil_voucher(session, principal, voucher=look_up(session, principal, typed, now=at), now=at)
        flash(f"fulfilled:{subject.id}")
        # Staff at the counter land on the counter of the partner it was fulfilled for: it is in that one's lists.
        whose = {"partner_id": subject.partner_id} if visits_counters(principal) else {}
        return redirect(url_for(".look", code=subject.voucher_code, **whose), code=303)

    def refused(_said: str, _status: int):
        return redirect(url_for(".look", code=normalise(typed)), code=303)  # the page says why, with the facts

    return act_once(fulfilled, refused)


@blp.get("/counter/receipts/<int:redemption_id>")
@signed_in(*CLERKS)
def receipt(redemption_id: int):
    """A fulfilled voucher's receipt, laid out for a 58 mm receipt printer."""
    subject = visible_redemption(db.session(), current_principal(), redemption_id)
    if subject.status != "fulfilled":
        raise NotFound(f"redemption {redemption_id} has no receipt")
    provider = get_partner(db.session(), subject.partner_id)
    return render_template("counter/receipt.html", voucher=subject, provider=provider,
                           display=display(subject.voucher_code))


@blp.get("/counter/settlement")
@signed_in(*CLERKS)
def settlement():
    """One month's statement: every voucher fulfilled, totals, and per household for the property company."""
    partner, month, result = _month_statement()
    households = by_household(result) if partner.kind == "property" else None
    previous = (result.start - timedelta(days=1)).strftime("%Y-%m")
    following = result.end.strftime("%Y-%m") if result.end <= now().astimezone(zone()) else None
    partner_arg = request.args.get("partner_id", type=int)
    return render_template("counter/settlement.html", partner=partner, settlement=result, households=households,
                           month=month, previous=previous, following=following, partner_id=partner_arg)


@blp.get("/counter/settlement.<any(csv, xlsx):kind>")
@signed_in(*CLERKS)
def settlement_download(kind: str):
    """The month's statement as CSV or Excel, with a totals row."""
    partner, month, result = _month_statement()
    return sheet_response(settlement_sheet(result, name=sheet_name("结算单", partner.name, month)), format=kind,
                          zone=zone())


def _counter_page(typed: str | None):
    session, principal = db.session(), current_principal()
    seen, refusal, done = None, None, None
    if typed:
        try:
            seen = look_up(session, principal, typed, now=now())
        except Forbidden:
            refusal = _("这张兑换券属于 %(partner)s，不是本店的，请让志愿者到 %(partner)s 使用。",
                        partner=_provider_name(typed))
        except NotFound:
            refusal = _("没有这个兑换码：%(code)s。请核对后重新输入。", code=display(normalise(typed)))
        else:
            refusal = _refusal_with_facts(seen)
            done = seen.redemption.id if f"fulfilled:{seen.redemption.id}" in get_flashed_messages() else None
    partner, community_id = _counter_of()
    listing, searched = None, None
    if partner is not None:
        searched = _searched(partner.id, community_id)
        start = period_start(now().astimezone(zone()), "day")
        listing = settlement_for(session, partner_id=partner.id, community_id=community_id, start=start,
                                 end=period_end(start, "day"))
    elsewhere = seen.provider if seen and seen.provider and (partner is None or partner.id != seen.provider.id) \
        and visits_counters(principal) else None
    return render_template("counter/counter.html", seen=seen, refusal=None if done else refusal, done=done,
                           elsewhere=elsewhere,
                           typed=typed or "", action_key=new_action_key() if seen and not seen.refusal else None,
                           partner=partner, today=listing, searched=searched, q=request.args.get("q", "")[:40],
                           day=request.args.get("day", "")[:10])


def _refusal_with_facts(seen: VoucherAtCounter) -> str | None:
    """Why this voucher cannot be handed over, with when and where: the refusal `fulfil` would raise."""
    voucher, refusal = seen.redemption, seen.refusal
    if isinstance(refusal, AlreadyFulfilled):
        return _("这张兑换券已于 %(when)s 在 %(where)s 核销过，不能再次使用。", when=short_when(voucher.fulfilled_at),
                 where=seen.provider.name if seen.provider else "")
    if isinstance(refusal, VoucherExpired):
        return _("这张兑换券已于 %(when)s 过期，不能再使用。", when=short_when(voucher.expires_at))
    if isinstance(refusal, AlreadyCancelled):
        return _("这张兑换券已于 %(when)s 取消，不能再使用。", when=short_when(voucher.closed_at))
    return None if refusal is None else refusal.message


def _provider_name(typed: str) -> str:
    """The name of the partner another partner's voucher is for (only the name: the clerk may say where to go)."""
    partner_id = by_voucher(db.session(), typed).partner_id
    return get_partner(db.session(), partner_id).name if partner_id is not None else ""


def _counter_of() -> tuple[Partner | None, int | None]:
    return counter_of(db.session(), current_principal(), request.args.get("partner_id", type=int))


def _searched(partner_id: int, community_id: int | None):
    """Past fulfilments here by voucher code (`q`) or by day (`day`, YYYY-MM-DD), or None."""
    code, day = request.args.get("q", "").strip()[:40], request.args.get("day", "").strip()[:10]
    if code:
        return settlement_for(db.session(), partner_id=partner_id, community_id=community_id, start=None, end=None,
                              voucher_code=normalise(code))
    if day:
        try:
            start = datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=zone())
        except ValueError:
            return None
        return settlement_for(db.session(), partner_id=partner_id, community_id=community_id, start=start,
                              end=period_end(start, "day"))
    return None


def _month_statement() -> tuple[Partner, str, Settlement]:
    """The counter's partner, the month asked for and its settlement (see `month_statement`)."""
    partner, community_id = _counter_of()
    if partner is None:
        raise NotFound("name a partner: ?partner_id=")
    month, result = month_statement(partner, community_id, request.args.get("month", ""))
    return partner, month, result


def month_statement(partner: Partner, community_id: int | None, month: str) -> tuple[str, Settlement]:
    """The month asked for (`YYYY-MM`, default this one; malformed: a 404 page) and the partner's
    settlement for it, [first of the month, first of the next) in the service's zone, cut to
    `community_id` (None: all). The counter's and the console's statements."""
    month = month[:7] or now().astimezone(zone()).strftime("%Y-%m")
    try:
        start = month_start(month)
    except ValueError:
        raise NotFound(f"no month {month!r}") from None
    return month, settlement_for(db.session(), partner_id=partner.id, community_id=community_id,
                                 start=start, end=period_end(start, "month"))
