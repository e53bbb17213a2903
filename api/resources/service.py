"""Service hours (志愿服务时长): a volunteer's certificate, and the hours of a community's volunteers for
the national volunteer system."""
from marshmallow import Schema, fields

from ..acts.certificates import certificate_download
from ..codes import public_url
from ..http import db
from ..http.clock import now, zone
from ..http.paper import pdf_response
from ..http.smorest import BINARY, Blueprint
from ..identity.authentication import current_principal

blp = Blueprint("service", __name__, url_prefix="/api/v1", description="Service hours")


class PeriodArgsSchema(Schema):
    from_ = fields.Date(data_key="from", metadata={"description": "the first day (default: 1 January this year)"})
    to = fields.Date(metadata={"description": "the last day, included (default: today)"})


@blp.route("/members/<id:member_id>/certificate.pdf", methods=["GET"])
@blp.allow("admin", "organiser", "volunteer")
@blp.arguments(PeriodArgsSchema(), location="query")
@blp.doc(responses={"200": {"description": "an A4 PDF", "content": {"application/pdf": BINARY}}})
def certificate(args, member_id):
    """A 志愿服务时长证明 for the period (volunteers their own): hours, activities, points, a serial and a QR
    to /verify/<serial>."""
    data, name = certificate_download(db.writer(), current_principal(), member_id=member_id, start=args.get("from_"),
                                      end=args.get("to"), now=now(), zone=zone(),
                                      verify_url=lambda serial: public_url(f"/verify/{serial}"))
    return pdf_response(data, name)

