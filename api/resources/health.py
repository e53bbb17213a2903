"""Liveness: the service answers and its database does."""
from marshmallow import Schema, fields
from sqlalchemy import text

from .. import db
from ..smorest import Blueprint

blp = Blueprint("health", __name__, description="Operations")


class HealthSchema(Schema):
    status = fields.String(required=True)


@blp.route("/healthz", methods=["GET"])
@blp.public
@blp.response(200, HealthSchema)
def healthz():
    """Whether the service and its database answer."""
    db.session().execute(text("SELECT 1"))
    return {"status": "ok"}
