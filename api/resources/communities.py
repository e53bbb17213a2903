"""Communities (社区)."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from points.communities import found_community, get_community, list_communities, set_name_masking
from rewards.partners import get_partner

from .. import db
from ..access import community_in_scope, found
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
    mask_names = fields.Boolean(load_default=True, metadata={"description": "volunteers see 陈*龙 on boards"})


class CommunityChangeSchema(Schema):
    mask_names = fields.Boolean(required=True, metadata={"description": "false: volunteers see full names"})


class CommunitySchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    code = fields.String(required=True)
    mask_names = fields.Boolean(required=True)
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


def community_of_mine(session, community_id: int):
    """A community the caller runs: any for admins, their own for organisers (another: 403)."""
    return get_community(session, community_in_scope(community_id))


@blp.route("/<id:community_id>", methods=["PATCH"])
@authorize("admin", "organiser")
@found("community_id", "community", community_of_mine)
@blp.arguments(CommunityChangeSchema())
@blp.response(200, CommunitySchema)
def change_community(args, community):
    """Turn masking of names on boards on or off (volunteers see 陈*龙, or full names)."""
    return set_name_masking(db.writer(), community=community, mask_names=args["mask_names"])
