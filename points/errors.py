"""Domain errors: each carries a stable code and a message, never an HTTP status."""


class DomainError(Exception):
    """A refusal the caller can act on; `code` is one of the contract's error codes."""

    code = "conflict"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class Conflict(DomainError):
    code = "conflict"


class Invalid(DomainError):
    """A business-rule violation of the input itself (answered as a validation error)."""

    code = "validation_error"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message, code=code)
        self.field = field


class InsufficientPoints(DomainError):
    code = "insufficient_points"


class LimitReached(DomainError):
    code = "limit_reached"


class AlreadyDone(DomainError):
    """A second attempt at a one-time state change (`already_reversed`, `already_reviewed`...)."""
