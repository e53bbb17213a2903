"""Aliyun SMS (阿里云短信服务): the dysmsapi `SendSms` action (API version 2017-05-25) over HTTPS, signed
as Aliyun's RPC-style APIs are (signature version 1.0, HMAC-SHA1).

The request is a form POST of the common parameters (AccessKeyId, Action, Format, SignatureMethod,
SignatureNonce, SignatureVersion, Timestamp, Version, RegionId) and SendSms's own (PhoneNumbers,
SignName, TemplateCode, TemplateParam as JSON). The signature: every parameter but Signature,
percent-encoded by RFC 3986 (only A-Z a-z 0-9 - _ . ~ left as they are, space as %20), sorted by name,
joined as `name=value&...`; the string to sign is `POST&%2F&` + that string percent-encoded again;
Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", string to sign)). The answer is JSON whose `Code`
is `OK` on success, else the refusal's code (`isv.BUSINESS_LIMIT_CONTROL`, `SignatureDoesNotMatch`...).
Standard library only (the request and its answer: api.sms.exchange).
"""
import base64
import hashlib
import hmac
import json
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timezone

from .exchange import json_answer
from .provider import SmsError

ENDPOINT = "https://dysmsapi.aliyuncs.com/"
VERSION = "2017-05-25"
REGION = "cn-hangzhou"


def percent_encode(text: str) -> str:
    return urllib.parse.quote(text, safe="-_.~")


def signature(parameters: dict[str, str], *, secret: str, method: str = "POST") -> str:
    """The `Signature` of these parameters (Signature itself left out), as Aliyun computes it."""
    canonical = "&".join(f"{percent_encode(name)}={percent_encode(value)}"
                         for name, value in sorted(parameters.items()) if name != "Signature")
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSms:
    def __init__(self, *, endpoint: str, access_key_id: str, access_key_secret: str, sign_name: str,
                 templates: dict[str, str], timeout: float):
        self.endpoint, self.timeout = endpoint, timeout
        self.access_key_id, self.access_key_secret = access_key_id, access_key_secret
        self.sign_name, self.templates = sign_name, templates

    def send(self, phone: str, template: str, params: dict[str, str]) -> None:
        if template not in self.templates:
            raise SmsError("no_template", f"BENNIU_SMS_TEMPLATES names no Aliyun template for {template!r}")
        parameters = self.parameters(phone, self.templates[template], params)
        body = urllib.parse.urlencode(parameters, quote_via=urllib.parse.quote).encode()
        request = urllib.request.Request(self.endpoint, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
        answer = json_answer(request, timeout=self.timeout, provider="Aliyun SMS")
        if answer.get("Code") != "OK":
            raise SmsError.said(answer)

    def parameters(self, phone: str, template_code: str, params: dict[str, str], *,
                   now: datetime | None = None, nonce: str | None = None) -> dict[str, str]:
        """SendSms's parameters for one message, signed."""
        parameters = {
            "AccessKeyId": self.access_key_id, "Action": "SendSms", "Format": "JSON", "RegionId": REGION,
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": nonce or uuid.uuid4().hex, "SignatureVersion": "1.0",
            "Timestamp": (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ"), "Version": VERSION,
            "PhoneNumbers": phone, "SignName": self.sign_name, "TemplateCode": template_code,
            "TemplateParam": json.dumps(params, ensure_ascii=False, separators=(",", ":")),
        }
        parameters["Signature"] = signature(parameters, secret=self.access_key_secret)
        return parameters
