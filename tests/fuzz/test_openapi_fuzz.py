"""Schemathesis against the service's own /openapi.json, as an admin and as a volunteer:
no 5xx, and every answer matches what the document says of that operation. Lists also get
crafted cursors; bodies also come deeply nested and with absurd numbers."""
import base64
import os
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

EXAMPLES = int(os.environ.get("BENNIU_FUZZ_EXAMPLES", 25))
# A schema-valid body can still break a business rule (an unknown rule code, a partner token
# without partner_id): 4xx is right there, so "valid data must be accepted" does not apply.
EXCLUDED = [positive_data_acceptance]


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


# What an attacker makes of an opaque cursor: our own format around any number, or anything.
CURSORS = st.one_of(st.none(), st.integers(min_value=-2**80, max_value=2**80).map(lambda n: _cursor(f"k{n}")),
                    st.text(max_size=80).map(_cursor), st.text(max_size=80))
# Raw bodies no client library would send: deep nesting, numbers past what int() takes.
HOSTILE_BODIES = st.one_of(
    st.integers(min_value=33, max_value=30_000).map(lambda depth: "[" * depth + "]" * depth),
    st.integers(min_value=33, max_value=5_000).map(lambda depth: '{"a":' * depth + "1" + "}" * depth),
    st.integers(min_value=300, max_value=6_000).map(lambda digits: '{"member_id": ' + "9" * digits + "}"),
)


def fuzz_every_operation(app, token: str) -> dict[str, str]:
    """Run each operation's generated cases; returns {operation: first failure} for those that failed."""
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    failures, operations = {}, 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        takes_cursor = any(parameter.name == "cursor" for parameter in operation.query)

        @given(case=operation.as_strategy(), cursor=CURSORS)
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case, cursor):
            if takes_cursor and cursor is not None:
                case.query = {**(case.query or {}), "cursor": cursor}
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, excluded_checks=EXCLUDED)

        try:
            check()
        except BaseException as failure:  # schemathesis reports through exception groups
            if isinstance(failure, KeyboardInterrupt):
                raise
            failures[operation.label] = str(failure)[:2000]
    assert operations >= 40, f"only {operations} operations in the document"
    return failures


def hostile_body_failures(app, token: str) -> dict[str, str]:
    """Send every operation that takes a body the hostile ones: each must be a 4xx JSON error."""
    spec = app.test_client().get("/openapi.json").json
    failures = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if "requestBody" not in operation:
                continue
            url = re.sub(r"{(\w+)}", lambda m: "patrol" if m.group(1) == "code" else "1", path)

            @given(body=HOSTILE_BODIES)
            @settings(max_examples=max(3, EXAMPLES // 5), deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            def check(body):
                response = app.test_client().open(url, method=method.upper(), data=body,
                                                  headers={"Authorization": f"Bearer {token}",
                                                           "Content-Type": "application/json"})
                error = response.get_json(silent=True) or {}
                assert 400 <= response.status_code < 500, response.status_code
                assert error.get("status") == response.status_code and error.get("code"), error

            try:
                check()
            except BaseException as failure:
                if isinstance(failure, KeyboardInterrupt):
                    raise
                failures[f"{method.upper()} {path}"] = str(failure)[:2000]
    return failures


def report(failures: dict[str, str]) -> str:
    return "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())


@pytest.mark.slow
def test_every_operation_answers_an_admin_as_documented(app, admin, community, rules, shop):
    failures = fuzz_every_operation(app, admin.token)
    assert not failures, report(failures)


@pytest.mark.slow
def test_every_operation_answers_a_volunteer_as_documented(app, volunteer, community, rules, shop):
    failures = fuzz_every_operation(app, volunteer[1].token)
    assert not failures, report(failures)


@pytest.mark.slow
def test_hostile_bodies_get_a_4xx_from_every_operation_that_takes_a_body(app, admin, volunteer, community, rules,
                                                                          shop):
    failures = {**hostile_body_failures(app, admin.token), **hostile_body_failures(app, volunteer[1].token)}
    assert not failures, report(failures)
