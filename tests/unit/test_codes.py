"""Signed codes: genuine ones read back; forged, tampered, foreign or expired ones do not."""
from datetime import datetime, timedelta, timezone

import pytest

from points.codes import CodeExpired, InvalidCode, read, sign

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def code(purpose="activity", secret="s3cret", expires_at=NOW + timedelta(hours=2)):
    return sign(secret, purpose=purpose, subject_id=4711, expires_at=expires_at)


def test_a_genuine_code_names_its_subject():
    read_back = read("s3cret", code(), now=NOW, purposes=("activity",))
    assert (read_back.purpose, read_back.subject_id) == ("activity", 4711)


def test_the_whole_scanned_url_is_accepted():
    url = f"https://benniu.example/c/{code()}?from=wechat"
    assert read("s3cret", url, now=NOW, purposes=("activity",)).subject_id == 4711


def test_changing_any_one_character_makes_it_invalid():
    genuine = code()
    for index, char in enumerate(genuine):
        for replacement in {"0", "z", "A", "_"} - {char}:
            tampered = genuine[:index] + replacement + genuine[index + 1:]
            with pytest.raises(InvalidCode):
                read("s3cret", tampered, now=NOW, purposes=("activity",))


def test_a_code_signed_with_another_secret_is_invalid():
    with pytest.raises(InvalidCode):
        read("s3cret", code(secret="someone-else"), now=NOW, purposes=("activity",))


def test_a_member_card_is_not_an_activity_code():
    with pytest.raises(InvalidCode):
        read("s3cret", code(purpose="member", expires_at=None), now=NOW, purposes=("activity", "live"))


def test_a_code_past_its_time_has_expired():
    with pytest.raises(CodeExpired):
        read("s3cret", code(expires_at=NOW), now=NOW, purposes=("activity",))


@pytest.mark.parametrize("garbage", ["", "hello", "a.b", "..", "a1.2.", "https://x/c/", "a" * 500])
def test_garbage_is_invalid(garbage):
    with pytest.raises(InvalidCode):
        read("s3cret", garbage, now=NOW, purposes=("activity",))
