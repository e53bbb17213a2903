"""Schemathesis against the service's own /openapi.json, as an admin and as a volunteer:
no 5xx, and every answer matches what the document says of that operation."""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

EXAMPLES = int(os.environ.get("BENNIU_FUZZ_EXAMPLES", 25))
# A schema-valid body can still break a business rule (an unknown rule code, a partner token
# without partner_id): 4xx is right there, so "valid data must be accepted" does not apply.
EXCLUDED = [positive_data_acceptance]


def fuzz_every_operation(app, token: str) -> dict[str, str]:
    """Run each operation's generated cases; returns {operation: first failure} for those that failed."""
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    failures, operations = {}, 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, excluded_checks=EXCLUDED)

        try:
            check()
        except BaseException as failure:  # schemathesis reports through exception groups
            if isinstance(failure, KeyboardInterrupt):
                raise
            failures[operation.label] = str(failure)[:2000]
    assert operations >= 40, f"only {operations} operations in the document"
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
