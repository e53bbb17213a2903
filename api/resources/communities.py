"""Communities (社区)."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from points.communities import found_community, list_communities
from rewards.partners import get_partner

from .. import db
from ..authentication import authorize, current_principal
from ..clock import now
from ..fields import LocalDateTime, Name
from ..pagination import page_schema

blp = Blueprint("communities", __name__, url_prefix="/api/v1/communities", description="Communities")


class CommunityArgsSchema(Schema):
    name = Name(200, required=True)
    code = fields.String(required=True, validate=[validate.Length(min=1, max=64),
                                                  validate.Regexp(r"^[a-z0-9][a-z0-9_-]*$",
                                                                  error="lower-case letters, digits, - and _")])


class CommunitySchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    code = fields.String(required=True)
    created_at = LocalDateTime()


@blp.route("", methods=["POST"])
@authorize("admin")
@blp.arguments(CommunityArgsSchema())
@blp.response(201, CommunitySchema)
def create_community(args):
    """Found a community with its points issuance and workstation accounts."""
    return found_community(db.writer(), now=now(), **args)


@blp.route("", methods=["GET"])
@authorize("admin", "organiser", "volunteer", "partner")
@blp.response(200, page_schema(CommunitySchema))
def communities():
    """The communities this token may see."""
    principal = current_principal()
    session = db.session()
    if principal.role == "admin":
        items = list_communities(session)
    elif principal.role == "partner":
        items = get_partner(session, principal.partner_id).communities
    else:
        items = list_communities(session, ids=[principal.community_id])
    return {"items": items, "next_cursor": None}
