"""Every table of the service, for Alembic and for tests that build a schema."""
import points  # noqa: F401
import rewards  # noqa: F401

from .acts import importing  # noqa: F401
from .http import idempotency  # noqa: F401
from .identity import accounts, activation, sms_codes, tokens  # noqa: F401
