"""What every SMS provider does alike, each sent for real to a local fake of its HTTP API: a wrong
secret or an unknown key refused as the provider says it, a refusal for the phone raised with the
provider's code, a provider that does not answer in time or cannot be reached, a message without a
template never sent. What is each one's own (the request's fields, the signature's worked example,
Tencent's SDK as the fake's referee) is in test_sms_aliyun.py and test_sms_tencent.py."""
import time
from dataclasses import dataclass

import pytest

from api.sms.aliyun import AliyunSms
from api.sms.provider import SmsError
from api.sms.tencent import TencentSms

from ..fakes.aliyun_sms import FakeAliyunSms
from ..fakes.tencent_sms import FakeTencentSms


@dataclass(frozen=True)
class Kind:
    fake: type
    make: object  # (fake, **terms changed) -> the provider, pointed at the fake
    secret: str  # the name of the provider's secret term, and of its key id
    key_id: str
    bad_signature: str  # the provider's codes for a wrong signature and for an unknown key
    unknown_key: str


def aliyun(fake, **changed):
    return AliyunSms(**{"endpoint": fake.url, "access_key_id": fake.access_key_id,
                        "access_key_secret": fake.access_key_secret, "sign_name": "犇牛志愿",
                        "templates": {"login_code": "SMS_123456789"}, "timeout": 2, **changed})


def tencent(fake, **changed):
    return TencentSms(**{"endpoint": fake.url, "secret_id": fake.secret_id, "secret_key": fake.secret_key,
                         "app_id": fake.app_id, "sign_name": "犇牛志愿", "templates": {"login_code": "1234567"},
                         "region": "ap-guangzhou", "timeout": 2, **changed})


KINDS = {
    "aliyun": Kind(FakeAliyunSms, aliyun, "access_key_secret", "access_key_id", "SignatureDoesNotMatch",
                   "InvalidAccessKeyId.NotFound"),
    "tencent": Kind(FakeTencentSms, tencent, "secret_key", "secret_id", "AuthFailure.SignatureFailure",
                    "AuthFailure.SecretIdNotFound"),
}


@pytest.fixture(params=sorted(KINDS))
def kind(request):
    return KINDS[request.param]


@pytest.fixture
def fake(kind):
    with kind.fake() as running:
        yield running


def test_a_wrong_secret_is_refused_as_a_bad_signature(kind, fake):
    with pytest.raises(SmsError) as refused:
        kind.make(fake, **{kind.secret: "not-the-secret"}).send("13800000001", "login_code", {"code": "1"})
    assert refused.value.code == kind.bad_signature and fake.received == []


def test_an_unknown_key_is_refused(kind, fake):
    with pytest.raises(SmsError) as refused:
        kind.make(fake, **{kind.key_id: "nobody"}).send("13800000001", "login_code", {"code": "1"})
    assert refused.value.code == kind.unknown_key and fake.received == []


def test_a_refusal_for_the_phone_is_raised_with_the_providers_code(kind, fake):
    fake.refusal = {"Code": "LimitExceeded.PhoneNumberDailyLimit", "Message": "触发号码天级流控"}
    with pytest.raises(SmsError) as refused:
        kind.make(fake).send("13800000001", "login_code", {"code": "1"})
    assert refused.value.code == "LimitExceeded.PhoneNumberDailyLimit" and "流控" in str(refused.value)


def test_a_provider_that_does_not_answer_times_out(kind, fake):
    fake.hold()
    started = time.monotonic()
    with pytest.raises(SmsError) as slow:
        kind.make(fake, timeout=0.5).send("13800000001", "login_code", {"code": "1"})
    assert slow.value.code == "timeout" and time.monotonic() - started < 5


def test_an_address_nobody_listens_on_is_unreachable(kind, fake):
    with pytest.raises(SmsError) as failed:
        kind.make(fake, endpoint="http://127.0.0.1:9/").send("13800000001", "login_code", {"code": "1"})
    assert failed.value.code in ("unreachable", "timeout")


def test_a_message_without_a_template_is_not_sent(kind, fake):
    with pytest.raises(SmsError) as refused:
        kind.make(fake).send("13800000001", "points_expiring", {"text": "您有 50 积分将过期"})
    assert refused.value.code == "no_template" and fake.received == []
