"""A local stand-in for Aliyun SMS's HTTP API (dysmsapi SendSms), to send real requests to.

It checks each request as Aliyun documents it, with its own reading of the rules (not the code under
test): a form POST to `/`, the common parameters present, Signature = Base64(HMAC-SHA1(secret + "&",
"POST&%2F&" + encode(sorted, encoded `name=value` pairs joined by "&"))), encoding by RFC 3986. It
answers as Aliyun does: `{"Code": "OK", ...}`; HTTP 400 `SignatureDoesNotMatch` or 404
`InvalidAccessKeyId.NotFound`; or the refusal the test asks for. `hold()` makes it keep the next
requests waiting (until the test ends) so the client's timeout is what ends them.
"""
import base64
import hashlib
import hmac
import urllib.parse

from .provider import FakeProvider

REQUIRED = ("AccessKeyId", "Action", "Format", "PhoneNumbers", "RegionId", "SignName", "Signature",
            "SignatureMethod", "SignatureNonce", "SignatureVersion", "TemplateCode", "Timestamp", "Version")


def rfc3986(text: str) -> str:
    return "".join(character if character.isascii() and (character.isalnum() or character in "-_.~")
                   else "".join(f"%{byte:02X}" for byte in character.encode()) for character in text)


def expected_signature(parameters: dict[str, str], secret: str) -> str:
    pairs = sorted((name, value) for name, value in parameters.items() if name != "Signature")
    canonical = "&".join(f"{rfc3986(name)}={rfc3986(value)}" for name, value in pairs)
    to_sign = "POST&" + rfc3986("/") + "&" + rfc3986(canonical)
    return base64.b64encode(hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


class FakeAliyunSms(FakeProvider):
    def __init__(self, *, access_key_id="LTAI-test-key", access_key_secret="test-secret/with+odd=chars"):
        super().__init__()
        self.access_key_id, self.access_key_secret = access_key_id, access_key_secret
        self.refusal: dict | None = None  # the next answers' body, e.g. {"Code": "isv.BUSINESS_LIMIT_CONTROL"}

    def answer(self, path: str, headers, body: bytes) -> tuple[int, dict]:
        content_type = headers.get("Content-Type", "")
        form = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
        request_id = f"fake-{len(self.received) + 1}"
        if path != "/" or not content_type.startswith("application/x-www-form-urlencoded"):
            return 400, {"Code": "InvalidParameter", "Message": "expected a form POST to /", "RequestId": request_id}
        missing = [name for name in REQUIRED if name not in form]
        if missing:
            return 400, {"Code": "MissingParameter", "Message": f"missing {missing}", "RequestId": request_id}
        if form["AccessKeyId"] != self.access_key_id:
            return 404, {"Code": "InvalidAccessKeyId.NotFound", "Message": "Specified access key is not found.",
                         "RequestId": request_id}
        if (form["Action"], form["Version"], form["SignatureMethod"], form["SignatureVersion"]) != (
                "SendSms", "2017-05-25", "HMAC-SHA1", "1.0"):
            return 400, {"Code": "InvalidParameter", "Message": "unexpected action or version", "RequestId": request_id}
        if not hmac.compare_digest(form["Signature"], expected_signature(form, self.access_key_secret)):
            return 400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched with our "
                         "calculation.", "RequestId": request_id}
        self.received.append(form)
        if self.refusal is not None:
            return 200, {**self.refusal, "RequestId": request_id}
        return 200, {"Code": "OK", "Message": "OK", "BizId": f"biz-{len(self.received)}", "RequestId": request_id}
