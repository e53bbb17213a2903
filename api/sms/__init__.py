"""Text messages (短信) to volunteers' phones: one interface, whichever provider sends them.

Other code calls two functions, inside a request or an app context:

    sms.send_code(phone, code)             # a sign-in code (template `login_code`, params {"code": ...})
    sms.send(phone, template, params)      # any message: `template` names one of BENNIU_SMS_TEMPLATES

`phone` is an 11-digit mainland number as stored; `params` are the template's variables (strings).
Both raise `SmsError` when the provider refuses, fails or does not answer within
BENNIU_SMS_TIMEOUT_SECONDS; callers decide what that means for the person (the sign-in code answers
202 all the same and logs `sms_failed`). `enabled()` says whether a provider is configured at all
(BENNIU_SMS_PROVIDER unset: no SMS, and SMS sign-in is off).

Providers (BENNIU_SMS_PROVIDER): `log` writes the message to the server log as one JSON event
(`sms_code` for codes, `sms` otherwise) for development and tests; `aliyun` sends through Aliyun SMS
(dysmsapi SendSms, api.sms.aliyun), `tencent` through Tencent Cloud SMS (SendSms, api.sms.tencent).
"""
from flask import current_app

from .provider import Provider, SmsError
from .providers import provider_for

__all__ = ["Provider", "SmsError", "enabled", "send", "send_code"]
LOGIN_CODE = "login_code"


def enabled() -> bool:
    return bool(current_app.config.get("SMS_PROVIDER"))


def send(phone: str, template: str, params: dict[str, str]) -> None:
    """Send the message `template` with `params` to `phone` through the configured provider."""
    provider_for(current_app.config).send(phone, template, params)


def send_code(phone: str, code: str) -> None:
    """Send a one-time sign-in code."""
    send(phone, LOGIN_CODE, {"code": code})
