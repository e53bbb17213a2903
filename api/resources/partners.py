"""Partners (合作商户) and their settlement."""
from dataclasses import replace

from marshmallow import Schema, fields, validate

from rewards.partners import KINDS
from rewards.settlement import settlement_for

from ..acts.counter import settlement_sheet
from ..acts.partners import change_partner, retire, sign
from ..http import db
from ..http.clock import now, zone
from ..http.downloads import sheet_response
from ..http.fields import FlatList, Id, LocalDateTime, Name
from ..http.idempotency import idempotent
from ..http.sheets import FORMATS, sheet_name
from ..http.smorest import Blueprint, found
from ..identity.access import managed_partner, settlement_view, visible_partners
from ..identity.authentication import current_principal

blp = Blueprint("partners", __name__, url_prefix="/api/v1/partners", description="Points supermarket")


class PartnerArgsSchema(Schema):
    name = Name(200, required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    community_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=100))
    address = fields.String(validate=validate.Length(max=200),
                            metadata={"description": "where its rewards are redeemed, shown on each reward"})


class PartnerChangeArgsSchema(Schema):
    name = Name(200)
    kind = fields.String(validate=validate.OneOf(KINDS))
    community_ids = fields.List(Id(), validate=validate.Length(min=1, max=100))
    address = fields.String(validate=validate.Length(max=200), metadata={"description": "\"\" clears it"})


class RetireArgsSchema(Schema):
    reason = fields.String(validate=validate.Length(min=1, max=500))


class PartnerSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    address = fields.String(allow_none=True)
    community_ids = fields.Function(lambda partner: [community.id for community in partner.communities],
                                    required=True)
    created_at = LocalDateTime()
    retired_at = LocalDateTime(allow_none=True, metadata={"description": "set once the partner is retired"})


class PartnerListSchema(Schema):
    items = fields.List(fields.Nested(PartnerSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class SettlementArgsSchema(Schema):
    from_ = LocalDateTime(data_key="from")
    to = LocalDateTime()
    format = fields.String(load_default="json", validate=validate.OneOf(("json", *FORMATS)))


class SettlementLineSchema(Schema):
    redemption_id = fields.Integer()
    voucher_code = fields.String()
    member_id = fields.Integer()
    member_name = fields.String()
    member_phone = fields.String(metadata={"description": "masked: 138****0001"})
    reward_id = fields.Integer()
    reward_name = fields.String()
    kind = fields.String()
    quantity = fields.Integer()
    points = fields.Integer()
    amount_fen = fields.Integer()
    household = fields.String(allow_none=True)
    fulfilled_at = LocalDateTime()
    fulfilled_by = fields.String(allow_none=True)


class SettlementSchema(Schema):
    partner_id = fields.Integer(required=True)
    from_ = LocalDateTime(data_key="from", attribute="start", allow_none=True)
    to = LocalDateTime(attribute="end", required=True)
    count = fields.Integer(required=True)
    points = fields.Integer(required=True)
    amount_fen = fields.Integer(required=True)
    items = FlatList(SettlementLineSchema, attribute="lines", required=True)


@blp.route("", methods=["POST"])
@blp.allow("admin", "organiser")
@blp.arguments(PartnerArgsSchema(), example={"name": "老街理发店", "kind": "shop", "community_ids": [1], "address": "老街 12 号"})
@blp.response(201, PartnerSchema)
def create_partner(args):
    """Sign up a partner (shop, clinic, school, property company, workstation) for one or more communities."""
    return sign(db.writer(), current_principal(), now=now(), **args)


@blp.route("", methods=["GET"])
@blp.allow("admin", "organiser", "partner", "volunteer")
@blp.response(200, PartnerListSchema)
def partners():
    """Partners serving this token's community (admins: all; a partner: itself)."""
    return {"items": visible_partners(db.session(), current_principal()), "next_cursor": None}


@blp.route("/<id:partner_id>", methods=["PATCH"])
@blp.allow("admin", "organiser")
@found("partner_id", "partner", managed_partner)
@blp.arguments(PartnerChangeArgsSchema(), example={"name": "老街理发店（东门）"})
@blp.response(200, PartnerSchema)
def change(args, partner):
    """Change a partner's name, kind or communities; a name another partner has in one of them:
    409 conflict."""
    return change_partner(db.writer(), current_principal(), partner_id=partner.id, now=now(), **args)


@blp.route("/<id:partner_id>/retire", methods=["POST"])
@blp.allow("admin", "organiser")
@idempotent
@found("partner_id", "partner", managed_partner)
@blp.arguments(RetireArgsSchema(), example={"reason": "店铺已关门"})
@blp.response(200, PartnerSchema)
def retire_partner(args, partner):
    """Retire a partner: its clerks can no longer sign in, its rewards leave the shelf, and its
    unused vouchers are cancelled (the points go back to the volunteers)."""
    return retire(db.writer(), current_principal(), partner_id=partner.id, now=now(), reason=args.get("reason"))


@blp.route("/<id:partner_id>/settlement", methods=["GET"])
@blp.allow("admin", "organiser", "partner")
@blp.arguments(SettlementArgsSchema(), location="query")
@blp.response(200, SettlementSchema)
@blp.doc(responses={"200": {"description": "the settlement, as JSON or CSV", "content": {
    "application/json": {"schema": {"$ref": "#/components/schemas/Settlement"}},
    "text/csv": {"schema": {"type": "string", "format": "binary",
                            "description": "?format=csv: the same for Excel (UTF-8 with BOM)"}},
    FORMATS["xlsx"]: {"schema": {"type": "string", "format": "binary", "description": "?format=xlsx"}},
}}})
def settlement(args, partner_id):
    """What a partner fulfilled in [from, to): count, points, fen, and every voucher
    (an organiser: only their own community's vouchers)."""
    session = db.session()
    partner, community_id = settlement_view(session, current_principal(), partner_id)
    result = settlement_for(session, partner_id=partner.id, community_id=community_id, start=args.get("from_"),
                            end=args.get("to"))
    if result.end is None:  # "up to now", everything fulfilled so far
        result = replace(result, end=now())
    if args["format"] != "json":
        name = sheet_name("结算单", partner.name, f"{result.end.astimezone(zone()):%Y-%m-%d}")
        return sheet_response(settlement_sheet(result, name=name), format=args["format"], zone=zone())
    return result

