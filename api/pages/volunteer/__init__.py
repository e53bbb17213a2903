"""The volunteer's pages (mobile first): one blueprint, a module per task."""
# Each module's views join the blueprint.
from . import checkin, claims, home, messages, shop  # noqa: E402,F401
from .base import blp  # noqa: F401  (the app registers it from here)
