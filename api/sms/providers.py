"""The provider BENNIU_SMS_PROVIDER names, made from the BENNIU_SMS_* settings."""
import logging

from ..http.logs import json_line
from .aliyun import ENDPOINT as ALIYUN
from .aliyun import AliyunSms
from .provider import Provider, SmsError
from .tencent import ENDPOINT as TENCENT
from .tencent import TencentSms

MESSAGES = logging.getLogger("benniu.sms")


class LogSms:
    """Development: the message goes to the server log as one JSON line, nothing leaves the machine.
    A sign-in code is the event `sms_code` with `phone` and `code`."""

    def send(self, phone: str, template: str, params: dict[str, str]) -> None:
        event = "sms_code" if template == "login_code" else "sms"
        json_line(MESSAGES, event=event, phone=phone, template=template, **params)


def templates(spelled: str | None) -> dict[str, str]:
    """BENNIU_SMS_TEMPLATES, `login_code=SMS_123,points_expiring=SMS_456`, as {name: provider's id}."""
    pairs = (item.split("=", 1) for item in (spelled or "").split(",") if "=" in item)
    return {name.strip(): value.strip() for name, value in pairs}


def provider_for(config) -> Provider:
    kind = config.get("SMS_PROVIDER")
    if kind == "log":
        return LogSms()
    if kind == "aliyun":
        return AliyunSms(endpoint=config["SMS_ENDPOINT"] or ALIYUN, access_key_id=config["SMS_ACCESS_KEY_ID"] or "",
                         access_key_secret=config["SMS_ACCESS_KEY_SECRET"] or "", sign_name=config["SMS_SIGN_NAME"] or "",
                         templates=templates(config["SMS_TEMPLATES"]), timeout=config["SMS_TIMEOUT_SECONDS"])
    if kind == "tencent":
        return TencentSms(endpoint=config["SMS_ENDPOINT"] or TENCENT, secret_id=config["SMS_ACCESS_KEY_ID"] or "",
                          secret_key=config["SMS_ACCESS_KEY_SECRET"] or "", app_id=config["SMS_APP_ID"] or "",
                          sign_name=config["SMS_SIGN_NAME"] or "", templates=templates(config["SMS_TEMPLATES"]),
                          region=config["SMS_REGION"], timeout=config["SMS_TIMEOUT_SECONDS"])
    raise SmsError("no_provider", "BENNIU_SMS_PROVIDER is not set")
