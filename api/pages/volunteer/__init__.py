"""The volunteer's pages (mobile first): one blueprint, a module per task."""
from flask import abort

from points.members import Member, get_member

from ...http import db
from ...http.smorest import MAX_ID
from ...identity.authentication import current_principal
from ..blueprint import page_blueprint
from ..guard import signed_in

blp = page_blueprint("volunteer", __name__)
_volunteer_only = signed_in("volunteer")


@blp.before_request
def _volunteers_only():
    """Signed-out visits go to /login; another role's session gets the 403 page."""
    return _volunteer_only(lambda: None)()


def me() -> Member:
    return get_member(db.session(), current_principal().member_id)


def path_id(value: int | None) -> int | None:
    """An id from a page's address or query: one that cannot exist is 404 (never an overflow)."""
    if value is not None and not 1 <= value <= MAX_ID:
        abort(404)
    return value


from . import checkin, claims, home, shop  # noqa: E402,F401  (their views join the blueprint)
