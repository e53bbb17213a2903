"""Liveness: the service answers and its database does."""
from marshmallow import Schema, fields
from sqlalchemy import text

from ..http import db
from ..http.metrics import exposition
from ..http.smorest import Blueprint

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


@blp.route("/metrics", methods=["GET"])
@blp.public  # to Benniu's roles: its reader is Prometheus, with a token of its own
@blp.doc(description="Prometheus text format. Off (404) unless `BENNIU_METRICS_TOKEN` is set; then only "
         "that token, sent as `Authorization: Bearer <token>`, may read it (else 401).")
@blp.response(200, content_type="text/plain; version=0.0.4")
def metrics():
    """Counters and latencies for Prometheus (request latency, check-ins, awards, refusals...)."""
    return exposition()
