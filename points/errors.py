"""Domain errors: each class carries a stable code and a message, never an HTTP status
(api/http/errors.py maps classes to statuses, in one table)."""


class DomainError(Exception):
    """A refusal the caller can act on; the class's `code` is one of the contract's error codes.

    `facts` are what a person needs to understand it (which limit, how many are left...): the API
    answers them beside the code, and a page puts them into its sentence.
    """

    code = "conflict"

    def __init__(self, message: str, **facts):
        super().__init__(message)
        self.message = message
        self.facts = facts


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class Conflict(DomainError):
    code = "conflict"


class PhoneTaken(Conflict):
    """A phone signs in as one person only: a member or a staff account already has it."""


class RuleCodeTaken(Conflict):
    """A community has a rule by this code already: change that one (its next version) instead."""


class Invalid(DomainError):
    """A business-rule violation of the input itself (answered as a validation error)."""

    code = "validation_error"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class InsufficientPoints(DomainError):
    code = "insufficient_points"


class AlreadySpent(InsufficientPoints):
    """The points an earning brought were spent since: it cannot be taken back."""


class LimitReached(DomainError):
    """A cap would be exceeded; `kind` names which (the contract's `limit.kind`)."""

    code = "limit_reached"
    KINDS = ("daily_cap", "member_period_limit", "capacity", "household_cap")

    def __init__(self, message: str, *, kind: str, limit: int | None = None, period: str | None = None,
                 left: int | None = None):
        assert kind in self.KINDS, kind
        super().__init__(message, kind=kind, limit=limit, period=period, left=left)


class AlreadyDone(DomainError):
    """A second attempt at a one-time state change; raise the subclass that names which."""


class AlreadyReversed(AlreadyDone):
    code = "already_reversed"


class AlreadyReviewed(AlreadyDone):
    code = "already_reviewed"


class AlreadyFulfilled(AlreadyDone):
    code = "already_fulfilled"


class AlreadyCancelled(AlreadyDone):
    code = "already_cancelled"


class TooOften(DomainError):
    """Asked again too soon (a code sent to this phone within the minute, or too many today)."""

    code = "rate_limited"
