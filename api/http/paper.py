"""The service-hours certificate (志愿服务时长证明) as an A4 PDF, drawn with ReportLab.

Chinese text needs a CJK font: the Debian font the QR captions use (points.qr, embedded as a
subset, so any viewer shows it), or else ReportLab's built-in STSong-Light (no file needed, but
left to the viewer to supply). The QR code is a PNG image on the page, linking to /verify/<serial>.
"""
import io
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from points import qr

FONT = "BenniuCJK"


@dataclass(frozen=True)
class Paper:
    """What the certificate says."""

    community: str
    name: str
    start: datetime  # local dates, as people read them
    end: datetime    # the last day served (inclusive)
    hours: str
    activities: int
    points: int
    serial: str
    issued: datetime
    verify_url: str


def _font() -> str:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return FONT
    path = qr.cjk_font_path()
    try:
        if path is None:
            raise OSError("no CJK font file")
        pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=0))
        return FONT
    except Exception:  # a CFF-outlined font (Noto CJK) ReportLab cannot embed, or none: the CID font
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        return "STSong-Light"


def _day(moment: datetime) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日"


def certificate_pdf(paper: Paper) -> bytes:
    """One A4 page: the title, the sentence certifying the service, the figures, the serial and its QR."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    page.setTitle(f"志愿服务时长证明 {paper.serial}")
    page.setAuthor(paper.community)
    font, (width, height) = _font(), A4
    page.setFont(font, 26)
    page.drawCentredString(width / 2, height - 45 * mm, "志愿服务时长证明")
    page.setFont(font, 12)
    page.drawRightString(width - 25 * mm, height - 58 * mm, f"编号：{paper.serial}")
    lines = [
        f"兹证明 {paper.name} 同志于 {_day(paper.start)} 至 {_day(paper.end)} 期间，",
        f"在{paper.community}参加志愿服务，情况如下：",
    ]
    y = height - 80 * mm
    page.setFont(font, 14)
    for line in lines:
        page.drawString(25 * mm, y, line)
        y -= 10 * mm
    y -= 4 * mm
    for label, value in (("服务时长", f"{paper.hours} 小时"), ("参加活动", f"{paper.activities} 次"),
                         ("获得积分", f"{paper.points} 分")):
        page.drawString(35 * mm, y, f"{label}：")
        page.drawString(75 * mm, y, value)
        y -= 10 * mm
    y -= 6 * mm
    page.drawString(25 * mm, y, "特此证明。")
    page.drawRightString(width - 25 * mm, 95 * mm, paper.community)
    page.drawRightString(width - 25 * mm, 85 * mm, _day(paper.issued))
    code = qr.png(paper.verify_url, [])
    page.drawImage(ImageReader(io.BytesIO(code)), 25 * mm, 40 * mm, width=45 * mm, height=45 * mm)
    page.setFont(font, 10)
    page.drawString(25 * mm, 35 * mm, "扫码或访问下列网址核验本证明：")
    page.drawString(25 * mm, 29 * mm, paper.verify_url)
    page.showPage()
    page.save()
    return out.getvalue()


def pdf_response(data: bytes, name: str):
    """A PDF download named `name`.pdf."""
    from flask import send_file

    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=f"{name}.pdf")
