"""Signing in with a code sent by SMS (短信验证码登录); off (404) unless BENNIU_SMS_PROVIDER is set."""
from dataclasses import asdict
from datetime import timedelta

from flask import abort, current_app
from marshmallow import Schema, fields, validate

from .. import sms
from ..acts.sms_sign_in import ask_for_code, token_for_code
from ..http import db
from ..http.clock import now
from ..http.errors import error_response
from ..http.limits import login_limits, sms_limits
from ..http.smorest import Blueprint
from .tokens import LoginSchema

blp = Blueprint("sms", __name__, url_prefix="/api/v1/auth/sms", description="Login and tokens")


class SmsCodeArgsSchema(Schema):
    phone = fields.String(required=True, validate=validate.Length(min=1, max=32))


class SmsLoginArgsSchema(Schema):
    phone = fields.String(required=True, validate=validate.Length(min=1, max=32))
    code = fields.String(required=True, validate=validate.Length(min=1, max=16))


@blp.route("", methods=["POST"])
@blp.public
@sms_limits
@blp.arguments(SmsCodeArgsSchema(), example={"phone": "13800000001"})
@blp.response(202)
def ask_for_sms_code(args):
    """Text a one-time sign-in code to a phone: 202 whether or not anyone signs in with it; at most
    one code a minute and 10 a day per phone (429); the code lives 5 minutes and allows 5 tries."""
    _sms_on()
    ask_for_code(db.writer(), phone=args["phone"], secret=current_app.config["SECRET_KEY"], now=now(),
                 send=sms.send_code)


@blp.route("/login", methods=["POST"])
@login_limits
@blp.public
@blp.arguments(SmsLoginArgsSchema(), example={"phone": "13800000001", "code": "482913"})
@blp.response(200, LoginSchema)
def sms_login(args):
    """Sign in with the phone and the code texted to it: a token, as `POST /auth/login` gives."""
    _sms_on()
    expires_at = now() + timedelta(hours=current_app.config["LOGIN_TOKEN_HOURS"])
    signed_in = token_for_code(db.writer(), phone=args["phone"], code=args["code"],
                               secret=current_app.config["SECRET_KEY"], now=now(), expires_at=expires_at)
    if signed_in is None:  # answered, not raised: the try the code used must be kept
        return error_response("unauthorized", "wrong phone or code, or the code has expired", status=401)
    token, person = signed_in
    return {**asdict(person), "token": token, "expires_at": expires_at}  # LoginSchema picks its fields


def _sms_on() -> None:
    if not sms.enabled():
        abort(404)
