"""Messages (消息): what the signed-in volunteer hears back, and marking one read."""
from flask import Response
from marshmallow import Schema, fields

from ..acts import messages
from ..http import db
from ..http.clock import now
from ..http.fields import LocalDateTime
from ..http.pagination import PageArgsSchema, keyset_page, page_schema
from ..http.smorest import Blueprint
from ..identity.authentication import current_principal

blp = Blueprint("messages", __name__, url_prefix="/api/v1/me/messages", description="Messages")


class MessageSchema(Schema):
    id = fields.Integer(required=True)
    at = LocalDateTime(required=True)
    kind = fields.String(required=True, metadata={"description": "claim_approved, claim_rejected, points_received, "
                                                                "notice_final, points_expiring, voucher_expiring, "
                                                                "voucher_fulfilled or activity_cancelled"})
    title = fields.String(required=True)
    body = fields.String(required=True, metadata={"description": "what happened, in plain Chinese with the numbers"})
    read = fields.Boolean(required=True)


class UnreadSchema(Schema):
    count = fields.Integer(required=True)


@blp.route("", methods=["GET"])
@blp.allow("volunteer")
@blp.arguments(PageArgsSchema(), location="query")
@blp.response(200, page_schema(MessageSchema))
def my_messages(args):
    """The signed-in volunteer's messages, newest first."""
    principal = current_principal()
    return keyset_page(lambda session, **page: messages.my_messages(session, principal, **page), db.session(), args)


@blp.route("/unread", methods=["GET"])
@blp.allow("volunteer")
@blp.response(200, UnreadSchema)
def unread():
    """How many of the volunteer's messages are unread."""
    return {"count": messages.my_unread(db.session(), current_principal())}


@blp.route("/<id:message_id>/read", methods=["POST"])
@blp.allow("volunteer")
@blp.response(204)
def read(message_id):
    """Mark one of the volunteer's own messages read (another's: 404)."""
    messages.read_message(db.writer(), current_principal(), message_id=message_id, now=now())
    return Response(status=204)
