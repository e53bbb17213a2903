"""Domain errors: each class carries a stable code and a message, never an HTTP status
(api/http/errors.py maps classes to statuses, in one table)."""


class DomainError(Exception):
    """A refusal the caller can act on; the class's `code` is one of the contract's error codes."""

    code = "conflict"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class Conflict(DomainError):
    code = "conflict"


class Invalid(DomainError):
    """A business-rule violation of the input itself (answered as a validation error)."""

    code = "validation_error"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class InsufficientPoints(DomainError):
    code = "insufficient_points"


class LimitReached(DomainError):
    code = "limit_reached"


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
