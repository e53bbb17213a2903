"""Communities (社区)."""
from marshmallow import Schema, fields, validate

from points.communities import found_community, set_name_masking

from .. import db
from ..access import managed_community, visible_communities
from ..authentication import current_principal
from ..clock import now
from ..fields import LocalDateTime, Name
from ..pagination import page_schema
from ..smorest import Blueprint, found

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
@blp.allow("admin")
@blp.arguments(CommunityArgsSchema())
@blp.response(201, CommunitySchema)
def create_community(args):
    """Found a community with its points issuance and workstation accounts."""
    return found_community(db.writer(), now=now(), **args)


@blp.route("", methods=["GET"])
@blp.allow("admin", "organiser", "volunteer", "partner")
@blp.response(200, page_schema(CommunitySchema))
def communities():
    """The communities this token may see."""
    return {"items": visible_communities(db.session(), current_principal()), "next_cursor": None}


@blp.route("/<id:community_id>", methods=["PATCH"])
@blp.allow("admin", "organiser")
@found("community_id", "community", managed_community)
@blp.arguments(CommunityChangeSchema())
@blp.response(200, CommunitySchema)
def change_community(args, community):
    """Turn masking of names on boards on or off (volunteers see 陈*龙, or full names)."""
    return set_name_masking(db.writer(), community=community, mask_names=args["mask_names"])
