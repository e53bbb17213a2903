"""What the volunteer hears back (消息), and their service-hours certificate (志愿服务时长证明)."""
from datetime import date

from flask import render_template, request

from ...acts import messages
from ...acts.certificates import certificate_download
from ...codes import public_url
from ...http import db
from ...http.clock import now, zone
from ...http.paper import pdf_response
from ...identity.authentication import current_principal
from ..blueprint import path_id
from .base import blp

PAGE = 20


@blp.get("/me/messages")
def my_messages():
    """The volunteer's messages, newest first, unread ones marked; a page at a time."""
    rows = messages.my_messages(db.session(), current_principal(), cursor=path_id(request.args.get("before", type=int)),
                                limit=PAGE + 1)
    more = rows[PAGE - 1].id if len(rows) > PAGE else None
    return render_template("volunteer/messages.html", rows=rows[:PAGE], more=more)


@blp.get("/me/messages/<id:message_id>")
def message(message_id: int):
    """One message, opened: it is read from now on."""
    opened = messages.read_message(db.writer(), current_principal(), message_id=message_id, now=now())
    return render_template("volunteer/message.html", message=opened)


@blp.get("/me/certificate")
def certificate():
    """The service-hours certificate: pick a period, download the PDF (下载时长证明)."""
    today = now().astimezone(zone()).date()
    return render_template("volunteer/certificate.html", start=today.replace(month=1, day=1), end=today)


@blp.get("/me/certificate.pdf")
def certificate_pdf():
    """The certificate for the chosen period, as an A4 PDF."""
    principal = current_principal()
    data, name = certificate_download(db.writer(), principal, member_id=principal.member_id,
                                      start=_date(request.args.get("from")), end=_date(request.args.get("to")),
                                      now=now(), zone=zone(), verify_url=lambda serial: public_url(f"/verify/{serial}"))
    return pdf_response(data, name)


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
