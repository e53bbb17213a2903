"""The organiser's console (a desktop browser): run the scheme without a terminal.

One blueprint, a module per task. Organisers see their own community; admins see every
community and pick the one they work in (`?community_id=`, remembered in the session). Every
page asks the same access policy (`api.identity.access`) and calls the same services as the JSON API,
so an id of another community answers the 403/404 page, never its data.
"""
# Each module's views join the blueprint.
from . import (  # noqa: E402,F401
    activations,
    activities,
    activity_changes,
    applications,
    attendance,
    audit,
    claims,
    imports,
    levels,
    member_sheets,
    members,
    offline,
    partner_changes,
    partners,
    reports,
    rewards,
    rules,
    staff,
    today,
    tokens,
    vouchers,
)
from .base import blp  # noqa: F401  (the app registers it from here)
