"""Liveness: the service answers and its database does."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import text

from .. import db
from ..metrics import exposition

blp = Blueprint("health", __name__, description="Operations")


class HealthSchema(Schema):
    status = fields.String(required=True)


@blp.route("/healthz", methods=["GET"])
@blp.doc(security=[])
@blp.response(200, HealthSchema)
def healthz():
    """Whether the service and its database answer."""
    db.session().execute(text("SELECT 1"))
    return {"status": "ok"}


@blp.route("/metrics", methods=["GET"])
@blp.doc(security=[{"bearerAuth": []}], description="Prometheus text format. Off (404) unless "
         "`BENNIU_METRICS_TOKEN` is set; then only that token, as a bearer token, may read it.")
@blp.response(200, content_type="text/plain; version=0.0.4")
def metrics():
    """Counters and latencies for Prometheus (request latency, check-ins, awards, refusals...)."""
    return exposition()
