"""Rate limits answer 429 rate_limited with Retry-After; body size is capped at 413."""
import multiprocessing
import time

import pytest

from api import create_app

from .test_errors import assert_error


def limited_app(database_url, clock, instance, **config):
    return create_app({"DATABASE_URL": database_url, "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": True,
                       "LOGIN_RATE_LIMIT": "3 per minute", "LOGIN_ADDRESS_RATE_LIMIT": "3 per minute",
                       "CHECKIN_RATE_LIMIT": "2 per minute", **config},
                      clock=clock, instance_path=instance)


@pytest.fixture
def limited(database_url, clock, tmp_path):
    return limited_app(database_url, clock, tmp_path / "limited")


def login(app, phone, address="10.0.0.1"):
    return app.test_client().post("/api/v1/auth/login", json={"phone": phone, "password": "guess"},
                                  environ_base={"REMOTE_ADDR": address})


def test_failed_logins_are_limited_per_client(limited):
    for number in range(3):
        assert login(limited, f"1380000000{number}").status_code == 401
    response = login(limited, "13800000009")
    assert_error(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) > 0


def test_login_attempts_are_limited_per_phone_from_any_address(limited):
    for number in range(3):
        assert login(limited, "13800000000", address=f"10.0.0.{number}").status_code == 401
    assert_error(login(limited, "13800000000", address="10.9.9.9"), 429, "rate_limited")
    assert login(limited, "13800000001", address="10.9.9.9").status_code == 401


def test_padded_or_respelled_phones_share_one_failure_count(limited):
    spellings = [" 13800000001", "13800000001\t", "138-0000-0001"]
    for address, phone in enumerate(spellings):
        assert login(limited, phone, address=f"10.0.1.{address}").status_code == 401
    for phone in ("+86 138 0000 0001", "8613800000001", "13800000001"):
        assert_error(login(limited, phone, address="10.0.2.1"), 429, "rate_limited")
    assert login(limited, "13800000002", address="10.0.2.1").status_code == 401  # another phone is not held up


def test_a_phone_that_is_not_valid_text_is_refused_not_a_500(limited):
    response = limited.test_client().post("/api/v1/auth/login", data='{"phone": "\\ud800", "password": "x"}',
                                          content_type="application/json")
    assert_error(response, 400, "bad_request")


def test_a_whole_community_signs_in_from_one_address_within_a_minute(database_url, clock, tmp_path, session):
    """Launch evening: 300 volunteers in the community hall, on one Wi-Fi. Successful sign-ins
    never count, so none is turned away; the default limits are the ones in force."""
    from argon2 import PasswordHasher

    from points.members import enrol_member

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": True},
                     clock=clock, instance_path=tmp_path / "hall")
    admin_session = app.extensions["benniu"].sessionmaker()
    from points.communities import found_community
    community = found_community(admin_session, name="振宇社区", code="zhenyu", now=clock.now())
    # One hash for all, made with light argon2 parameters (verifying reads them from the hash): 300
    # full-cost verifications are minutes of CPU on a busy 2-core machine, and not what is tested.
    shared = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("launch-evening")
    phones = [f"139{number:08d}" for number in range(300)]
    for phone in phones:
        enrol_member(admin_session, community_id=community.id, name="志愿者", phone=phone, now=clock.now()
                     ).password_hash = shared
    admin_session.commit()
    admin_session.close()
    client = app.test_client()
    statuses = [client.post("/api/v1/auth/login", json={"phone": phone, "password": "launch-evening"},
                            environ_base={"REMOTE_ADDR": "192.0.2.10"}).status_code for phone in phones]
    app.extensions["benniu"].engine.dispose()
    assert statuses == [200] * 300


def _worker_logins(database_url, instance, storage_uri, attempts, results):
    """A fresh process, as a gunicorn worker is: its own app, its own limiter."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from ..conftest import FakeClock
    clock = FakeClock(datetime(2026, 11, 23, 20, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    app = limited_app(database_url, clock, instance, **({"RATELIMIT_STORAGE_URI": storage_uri} if storage_uri else {}))
    results.extend([login(app, "13800000000").status_code for _ in range(attempts)])


def logins_in_two_workers(database_url, instance, storage_uri=None) -> list[int]:
    context = multiprocessing.get_context("fork")
    statuses = []
    with context.Manager() as manager:
        for _ in range(2):
            results = manager.list()
            worker = context.Process(target=_worker_logins, args=(database_url, instance, storage_uri, 2, results))
            worker.start()
            worker.join(120)
            assert worker.exitcode == 0
            statuses.extend(results)
    return statuses


def test_login_limits_are_counted_across_the_workers_of_one_machine(database_url, tmp_path):
    assert logins_in_two_workers(database_url, tmp_path / "shared") == [401, 401, 401, 429]


def test_counting_in_each_workers_memory_would_multiply_the_limit(database_url, tmp_path):
    # What the default file store prevents: with memory:// each worker counts on its own.
    assert logins_in_two_workers(database_url, tmp_path / "memory", "memory://") == [401] * 4


def _count(uri, times):
    from api.http.limit_store import FileStorage
    storage = FileStorage(uri)
    for _ in range(times):
        storage.incr("login:x", 60)


def test_the_file_store_counts_every_increment_of_processes_racing(tmp_path):
    from api.http.limit_store import FileStorage, file_storage_uri
    uri = file_storage_uri(tmp_path / "counters.sqlite")
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_count, args=(uri, 100)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [worker.exitcode for worker in workers] == [0] * 4
    storage = FileStorage(uri)
    assert storage.get("login:x") == 400
    assert 0 < storage.get_expiry("login:x") - time.time() <= 60


def test_checkins_are_limited_per_principal_however_bearer_is_spelt(database_url, clock, tmp_path, volunteer):
    from ..conftest import _token
    app = limited_app(database_url, clock, tmp_path / "checkins")
    member, phone = volunteer
    second_phone = _token(app, clock, role="volunteer", name="second phone", member_id=member["id"])
    client = app.test_client()
    spellings = [f"Bearer {phone.token}", f"bearer {second_phone}"]
    for header in spellings:
        assert client.post("/api/v1/checkins", json={"code": "x"}, headers={"Authorization": header}
                           ).status_code == 422
    response = client.post("/api/v1/checkins", json={"code": "x"}, headers={"Authorization": f"BEARER {phone.token}"})
    assert_error(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) > 0
    assert client.post("/api/v1/checkins", json={"code": "x"},
                       headers={"Authorization": "Bearer bn_unknown"}).status_code == 401


def test_limits_are_off_when_disabled(app):
    client = app.test_client()
    statuses = {client.post("/api/v1/auth/login", json={"phone": "1", "password": "x"}).status_code
                for _ in range(15)}
    assert statuses == {401}


def test_guessing_voucher_codes_is_limited_per_clerk_and_logged(database_url, clock, tmp_path, shop, caplog):
    app = limited_app(database_url, clock, tmp_path / "vouchers", VOUCHER_RATE_LIMIT="3 per minute")
    clerk = {"Authorization": f"Bearer {shop['barber_clerk'].token}"}
    client = app.test_client()
    with caplog.at_level("WARNING", logger="benniu.counter"):
        for guess in ("AAAA-AAAA", "AAAA-AAAB", "AAAA-AAAC"):
            assert client.get(f"/api/v1/vouchers/{guess}", headers=clerk).status_code == 404
    assert_error(client.get("/api/v1/vouchers/AAAA-AAAD", headers=clerk), 429, "rate_limited")
    fulfil = client.post("/api/v1/redemptions/fulfil", json={"voucher_code": "AAAA-AAAE"}, headers=clerk)
    assert_error(fulfil, 429, "rate_limited")  # fulfilling counts against the same allowance
    assert len([r for r in caplog.records if r.fields["code"].startswith("AAAA-AAA")]) == 3
