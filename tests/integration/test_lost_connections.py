"""PostgreSQL connections that die under the service: pooled connections are not pinged
before use, so a dead one must be replaced and the request run again, but only when
that cannot count it twice."""
import pytest
from sqlalchemy import event, func, select, text

from points.engines import make_engine
from points.ledger import Transfer

from ..conftest import POSTGRES_URL

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL (BENNIU_TEST_DATABASE_URL)")


def terminate(*, pid: int | None = None) -> None:
    """Kill one backend, or every other backend of the test database, as a restart would."""
    killer = make_engine(POSTGRES_URL)
    with killer.connect() as connection:
        if pid is not None:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        else:
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    killer.dispose()


def earnings(session) -> int:
    return session.scalar(select(func.count()).select_from(Transfer).where(Transfer.kind == "earn"))


def test_a_pooled_connection_the_database_dropped_is_replaced_and_the_request_done(
        app, organiser, volunteer, rules, session):
    member, _ = volunteer
    body = {"member_id": member["id"], "rule_code": "patrol"}
    organiser.post("/api/v1/awards", body, expect=201)  # the pool now holds a live connection
    session.close()
    terminate()
    organiser.post("/api/v1/awards", body, key="after-restart", expect=201)
    assert earnings(session) == 2


def test_a_connection_lost_while_committing_is_503_and_not_run_again(app, organiser, volunteer, rules, session):
    # Whether a COMMIT that never answered was saved is unknown, so the service must not
    # run the request again by itself (here it was not saved: the backend died first).
    member, _ = volunteer
    engine = app.extensions["benniu"].engine

    def die_before_commit(connection):
        terminate(pid=connection.connection.dbapi_connection.info.backend_pid)

    event.listen(engine, "commit", die_before_commit, once=True)
    response = organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, key="k1")
    assert (response.status_code, response.json["code"]) == (503, "service_unavailable")
    assert earnings(session) == 0
    retried = organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, key="k1")
    assert retried.status_code == 201 and earnings(session) == 1
