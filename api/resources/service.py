"""Service hours (志愿服务时长): a volunteer's certificate, and the hours of a community's volunteers for
the national volunteer system."""
from marshmallow import Schema, fields, validate

from points.service_hours import hours_by_activity

from ..acts.certificates import certificate_download
from ..codes import public_url
from ..http import db
from ..http.clock import now, zone
from ..http.fields import Id, LocalDateTime
from ..http.paper import pdf_response
from ..http.sheets import Column, Sheet, sheet_name, sheet_response
from ..http.smorest import BINARY, Blueprint
from ..identity.authentication import current_principal
from .reports import reported_community

blp = Blueprint("service", __name__, url_prefix="/api/v1", description="Service hours")


class PeriodArgsSchema(Schema):
    from_ = fields.Date(data_key="from", metadata={"description": "the first day (default: 1 January this year)"})
    to = fields.Date(metadata={"description": "the last day, included (default: today)"})


class HoursArgsSchema(Schema):
    community_id = Id(strict=False)
    from_ = LocalDateTime(data_key="from", metadata={"description": "activities starting from (inclusive)"})
    to = LocalDateTime(metadata={"description": "activities starting before (exclusive)"})
    format = fields.String(load_default="xlsx", validate=validate.OneOf(("xlsx", "csv")))


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


@blp.route("/exports/hours", methods=["GET"])
@blp.allow("admin", "organiser")
@blp.arguments(HoursArgsSchema(), location="query")
@blp.doc(responses={"200": {"description": "the file", "content": {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": BINARY, "text/csv": BINARY}}})
def hours_xlsx(args):
    """Hours served, one row per volunteer per activity, for the national volunteer system's bulk import."""
    community = reported_community(args.get("community_id"))
    rows = hours_by_activity(db.session(), community_id=community.id, start=args.get("from_"), end=args.get("to"))
    sheet = Sheet(sheet_name("志愿服务时长", community.name, f"{now().astimezone(zone()):%Y-%m-%d}"), [
        Column("姓名", 12), Column("手机号", 14), Column("活动名称", 24), Column("服务日期", 12),
        Column("服务时长(小时)", 14, "hours"),
    ], ((row.name, row.phone, row.title, f"{row.starts_at.astimezone(zone()):%Y-%m-%d}", row.minutes) for row in rows))
    return sheet_response(sheet, format=args["format"], zone=zone())
