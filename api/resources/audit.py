"""The audit trail (操作记录): every act of a community, whoever did it and through whichever door."""
from marshmallow import Schema, fields, validate

from points.audit import audit_trail

from ..acts.events import ACTIONS
from ..http import db
from ..http.fields import LocalDateTime, QueryId
from ..http.pagination import PageArgsSchema, keyset_page, page_schema
from ..http.smorest import Blueprint
from ..identity.access import community_for, visible_member
from ..identity.authentication import current_principal

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit", description="The audit trail")


class AuditArgsSchema(PageArgsSchema):
    community_id = QueryId(metadata={"description": "admins: one community (default all); others: their own"})
    member_id = QueryId()
    action = fields.String(validate=validate.OneOf(sorted(ACTIONS)))
    from_ = LocalDateTime(data_key="from", metadata={"description": "from this moment (inclusive)"})
    to = LocalDateTime(metadata={"description": "until this moment (exclusive)"})


class PartySchema(Schema):
    kind = fields.String(required=True, metadata={"description": "actor: admin, organiser, partner, volunteer, "
                                                                 "system; subject: member, staff, rule, activity..."})
    id = fields.Integer(allow_none=True)
    name = fields.String(allow_none=True)


class AuditEntrySchema(Schema):
    id = fields.Integer(required=True)
    at = LocalDateTime(required=True)
    actor = fields.Nested(PartySchema, required=True)
    action = fields.String(required=True, validate=validate.OneOf(sorted(ACTIONS)))
    subject = fields.Nested(PartySchema, allow_none=True)
    reason = fields.String(attribute="why", allow_none=True)
    details = fields.Dict(attribute="facts", required=True, metadata={"description": "what the act was about"})


@blp.route("", methods=["GET"])
@blp.allow("admin", "organiser")
@blp.arguments(AuditArgsSchema(), location="query")
@blp.response(200, page_schema(AuditEntrySchema))
def audit(args):
    """The community's log of every act, newest first, filtered by member, action and time."""
    session, principal = db.session(), current_principal()
    community_id = community_for(principal, args.get("community_id"))
    if args.get("member_id") is not None:
        visible_member(session, principal, args["member_id"])
    return keyset_page(audit_trail, session, args, community_id=community_id, member_id=args.get("member_id"),
                       action=args.get("action"), since=args.get("from_"), until=args.get("to"))
