"""The volunteer pages' blueprint and what they share: who the signed-in volunteer is."""

from points.members import Member, get_member

from ...http import db
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
