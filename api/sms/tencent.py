"""Tencent Cloud SMS (腾讯云短信): the `SendSms` action (API version 2021-01-11) over HTTPS, signed
with TencentCloud API's signature v3 (TC3-HMAC-SHA256).

The request is a JSON POST to `/` with the headers X-TC-Action, X-TC-Version, X-TC-Timestamp (Unix
seconds), X-TC-Region and Authorization; its body names the application (SmsSdkAppId), the
approved signature (SignName), the template (TemplateId), the phone in E.164 (`+86...`) and the
template's variables in their order ({1}, {2}...: TemplateParamSet).

The signature: the canonical request is `POST`, `/`, an empty query, the signed headers
(`content-type:...` and `host:...`, each line ending in a newline), their names
(`content-type;host`) and the hex SHA-256 of the body, joined by newlines. The string to sign is
`TC3-HMAC-SHA256`, the timestamp, the credential scope (`<UTC date>/sms/tc3_request`) and the hex
SHA-256 of the canonical request, joined by newlines. The key is HMAC-SHA256 chained from
"TC3" + SecretKey over the date, the service and "tc3_request"; Signature is the hex
HMAC-SHA256 of the string to sign with it.

The answer is JSON: `Response.SendStatusSet[0].Code` is `Ok` when the message was taken, else the
refusal for that phone (`LimitExceeded.PhoneNumberDailyLimit`...); a refused request has
`Response.Error.Code` (`AuthFailure.SignatureFailure`...) instead.
"""
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request
from datetime import datetime, timezone

from .exchange import json_answer
from .provider import SmsError

ENDPOINT = "https://sms.tencentcloudapi.com/"
SERVICE = "sms"
VERSION = "2021-01-11"
CONTENT_TYPE = "application/json; charset=utf-8"


def authorization(*, secret_id: str, secret_key: str, host: str, body: bytes, timestamp: int) -> str:
    """The Authorization header of a POST of `body` (JSON) to `host`, at `timestamp`, as Tencent computes it."""
    day = datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d")
    signed_headers = "content-type;host"
    canonical = "\n".join(["POST", "/", "", f"content-type:{CONTENT_TYPE}\nhost:{host}\n", signed_headers,
                           hashlib.sha256(body).hexdigest()])
    scope = f"{day}/{SERVICE}/tc3_request"
    to_sign = "\n".join(["TC3-HMAC-SHA256", str(timestamp), scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = f"TC3{secret_key}".encode()
    for part in (day, SERVICE, "tc3_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, SignedHeaders={signed_headers}, Signature={signature}"


class TencentSms:
    def __init__(self, *, endpoint: str, secret_id: str, secret_key: str, app_id: str, sign_name: str,
                 templates: dict[str, str], region: str, timeout: float):
        self.endpoint, self.region, self.timeout = endpoint, region, timeout
        self.secret_id, self.secret_key = secret_id, secret_key
        self.app_id, self.sign_name, self.templates = app_id, sign_name, templates

    def send(self, phone: str, template: str, params: dict[str, str]) -> None:
        if template not in self.templates:
            raise SmsError("no_template", f"BENNIU_SMS_TEMPLATES names no Tencent template for {template!r}")
        answer = json_answer(self.request(phone, self.templates[template], params), timeout=self.timeout,
                             provider="Tencent Cloud SMS").get("Response")
        if not isinstance(answer, dict):
            raise SmsError("bad_answer", "Tencent Cloud SMS answered without a Response")
        if isinstance(answer.get("Error"), dict):
            raise SmsError.said(answer["Error"])
        statuses = answer.get("SendStatusSet")
        if not (isinstance(statuses, list) and statuses and isinstance(statuses[0], dict)):
            raise SmsError("bad_answer", "Tencent Cloud SMS answered without a SendStatusSet")
        if statuses[0].get("Code") != "Ok":
            raise SmsError.said(statuses[0])

    def request(self, phone: str, template_id: str, params: dict[str, str], *,
                timestamp: int | None = None) -> urllib.request.Request:
        """SendSms for one message to a mainland number, signed."""
        body = json.dumps({
            "PhoneNumberSet": [f"+86{phone}"], "SmsSdkAppId": self.app_id, "SignName": self.sign_name,
            "TemplateId": template_id, "TemplateParamSet": list(params.values()),
        }, ensure_ascii=False, separators=(",", ":")).encode()
        host = urllib.parse.urlsplit(self.endpoint).netloc.lower()  # signed as sent, lowercase as the rules say
        timestamp = int(time.time()) if timestamp is None else timestamp
        return urllib.request.Request(self.endpoint, data=body, method="POST", headers={
            "Content-Type": CONTENT_TYPE, "Host": host, "X-TC-Action": "SendSms", "X-TC-Version": VERSION,
            "X-TC-Timestamp": str(timestamp), "X-TC-Region": self.region,
            "Authorization": authorization(secret_id=self.secret_id, secret_key=self.secret_key, host=host,
                                           body=body, timestamp=timestamp)})
