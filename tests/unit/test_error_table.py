"""Every domain refusal answers with the contract's status for its code: by class, with no
table entry to forget."""
import importlib
import pkgutil

import pytest

import api
import points
import rewards
from api.http.errors import status_for
from points.errors import DomainError

# The HTTP contract's error table: the codes a domain refusal may carry, and their statuses.
CONTRACT = {
    "forbidden": 403, "not_found": 404, "conflict": 409, "insufficient_points": 409, "out_of_stock": 409,
    "limit_reached": 409, "already_checked_in": 409, "activity_not_open": 409, "already_reversed": 409,
    "already_fulfilled": 409, "already_cancelled": 409, "already_reviewed": 409, "voucher_expired": 409,
    "code_expired": 410, "invalid_code": 422, "validation_error": 422, "outside_area": 422,
    "idempotency_conflict": 422, "rate_limited": 429,
}


def every_domain_error() -> list[type[DomainError]]:
    for package in (points, rewards, api):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if ".migrations" not in module.name and not module.name.endswith((".wsgi", ".cli")):
                importlib.import_module(module.name)
    found, pending = [], [DomainError]
    while pending:
        error_class = pending.pop()
        found.append(error_class)
        pending.extend(error_class.__subclasses__())
    return found


@pytest.mark.parametrize("error_class", every_domain_error(), ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_each_domain_error_maps_to_the_contracts_status_for_its_code(error_class):
    assert error_class.code in CONTRACT, f"{error_class.__name__} carries a code the contract lacks"
    assert status_for(error_class) == CONTRACT[error_class.code]


def test_the_walk_finds_the_refusals_of_every_layer():
    names = {error_class.__name__ for error_class in every_domain_error()}
    assert {"AlreadyCheckedIn", "OutOfStock", "VoucherExpired", "InvalidCode", "OutsideArea"} <= names


def test_a_voucher_closed_twice_is_refused_by_what_became_of_it():
    from rewards.redemptions import _NO_LONGER_RESERVED, STATUSES
    assert set(_NO_LONGER_RESERVED) == set(STATUSES) - {"reserved"}
    assert {refusal.code for refusal in _NO_LONGER_RESERVED.values()} == {
        "already_fulfilled", "already_cancelled", "voucher_expired"}
