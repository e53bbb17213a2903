"""短信验证码登录 on `/login`: ask for a code (`获取验证码`), then sign in with it (`登录`). Shown only when
BENNIU_SMS_PROVIDER is set; otherwise these addresses are the 404 page.

The same acts as `POST /api/v1/auth/sms` and `/auth/sms/login` (api.acts.sms_sign_in): the same answer
whether or not the phone is anyone's, the same limits per phone and per address.
"""
from flask import abort, current_app, redirect, render_template, request
from flask_limiter.errors import RateLimitExceeded

from points.errors import TooOften

from .. import sms
from ..acts.sms_sign_in import ask_for_code, sign_in_with_code
from ..http import db
from ..http.clock import now
from ..http.limits import login_limits, sms_limits
from .blueprint import page_blueprint
from .refusals import sentence
from .site import _next_page, sign_in_browser

blp = page_blueprint("sms_login", __name__)


@blp.before_request
def _only_when_configured():
    if not sms.enabled():
        abort(404)


@blp.errorhandler(RateLimitExceeded)
def _too_many(_error):
    return _login_page(sms_message=sentence("sms_too_often"), status=429)


@blp.post("/login/sms/code")
@sms_limits
def ask():
    """Text a code to the phone typed, whoever's it is, and say it was sent."""
    phone = request.form.get("sms_phone", "").strip()[:32]
    if not phone:
        return _login_page(sms_message=sentence("sms_phone"), status=422)
    try:
        ask_for_code(db.writer(), phone=phone, secret=current_app.config["SECRET_KEY"], now=now(),
                     send=sms.send_code)
    except TooOften:
        return _login_page(sms_message=sentence("sms_too_often"), status=429)
    return _login_page(sms_sent=True)


@blp.post("/login/sms")
@login_limits
def sign_in():
    """Sign in with the phone and the code texted to it, and go where the person was going."""
    phone, code = request.form.get("sms_phone", "").strip()[:32], request.form.get("sms_code", "").strip()[:16]
    person = (sign_in_with_code(db.writer(), phone=phone, code=code, secret=current_app.config["SECRET_KEY"],
                                now=now()) if phone and code else None)
    if person is None:  # answered, not raised: the try the code used must be kept
        return _login_page(sms_message=sentence("sms_code_wrong"), status=401, sms_sent=bool(phone))
    sign_in_browser(person)
    return redirect(_next_page(), code=303)


def _login_page(*, sms_message: str | None = None, sms_sent: bool = False, status: int = 200):
    return render_template("site/login.html", message=None, next=_next_page(), phone="", sms_message=sms_message,
                           sms_sent=sms_sent, sms_phone=request.form.get("sms_phone", "")[:32]), status
