"""Tencent Cloud SMS, sent for real to a local fake of its HTTP API: the request's fields and the
signature it checks, and that Tencent's own Python SDK passes the same fake (what every provider
does alike: test_sms_providers.py)."""
import pytest

from api.sms.tencent import TencentSms

from ..fakes.tencent_sms import FakeTencentSms


@pytest.fixture
def fake():
    with FakeTencentSms() as running:
        yield running


def provider(fake, **changed) -> TencentSms:
    terms = {"endpoint": fake.url, "secret_id": fake.secret_id, "secret_key": fake.secret_key, "app_id": fake.app_id,
             "sign_name": "犇牛志愿", "templates": {"login_code": "1234567"}, "region": "ap-guangzhou", "timeout": 2,
             **changed}
    return TencentSms(**terms)


def test_a_code_is_sent_with_a_signature_tencent_accepts(fake):
    provider(fake).send("13800000001", "login_code", {"code": "048213"})
    [sent] = fake.received
    assert sent == {"PhoneNumberSet": ["+8613800000001"], "SmsSdkAppId": "1400006666", "SignName": "犇牛志愿",
                    "TemplateId": "1234567", "TemplateParamSet": ["048213"]}


def test_the_fake_accepts_what_tencents_own_sdk_sends():
    # The referee for the fake's reading of the signature rules: the official SDK, sending for real.
    from tencentcloud.common.credential import Credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.sms.v20210111 import models, sms_client

    with FakeTencentSms() as fake:
        profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=fake.url.split("//")[1].rstrip("/"),
                                                        reqTimeout=5))
        client = sms_client.SmsClient(Credential(fake.secret_id, fake.secret_key), "ap-guangzhou", profile)
        request = models.SendSmsRequest()
        request.PhoneNumberSet, request.SmsSdkAppId, request.SignName = ["+8613800000002"], fake.app_id, "犇牛志愿"
        request.TemplateId, request.TemplateParamSet = "1234567", ["555555"]
        answer = client.SendSms(request)
        assert answer.SendStatusSet[0].Code == "Ok"
        assert [sent["PhoneNumberSet"] for sent in fake.received] == [["+8613800000002"]]


def test_the_signature_is_tencents_for_a_fixed_request():
    # The same request signed at a fixed moment, recomputed by the fake's own reading of the rules.
    from ..fakes.tencent_sms import expected_signature

    sms = TencentSms(endpoint="https://sms.tencentcloudapi.com/", secret_id="AKIDEXAMPLE", secret_key="SECRETEXAMPLE",
                     app_id="1400006666", sign_name="犇牛志愿", templates={}, region="ap-guangzhou", timeout=5)
    request = sms.request("13800000001", "1234567", {"code": "048213"}, timestamp=1765000000)
    authorization = request.get_header("Authorization")
    assert authorization.startswith("TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2025-12-06/sms/tc3_request, "
                                    "SignedHeaders=content-type;host, Signature=")
    headers = {"content-type": request.get_header("Content-type"), "host": request.get_header("Host"),
               "X-TC-Timestamp": "1765000000"}
    assert authorization.rsplit("=", 1)[1] == expected_signature(
        headers=headers, body=request.data, signed_headers="content-type;host", day="2025-12-06",
        secret_key="SECRETEXAMPLE")
