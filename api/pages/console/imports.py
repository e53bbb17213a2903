"""Imports from Excel: `/console/awards/batch` (a paper points book typed up) and
`/console/members/import` (a roster). Upload, see every row checked, then confirm: only the rows
that pass are applied, once, however often the sheet is confirmed or uploaded again.

The rows wait on the server under a random token only the uploading session may use; the
preview runs the checks afresh each time it is shown, and confirming runs them again.
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from points.imports import Line
from points.paper_book import HEADER as AWARD_HEADER
from points.paper_book import MAX_POINTS, check_against_ledger, check_awards, read_awards
from points.roster import HEADER as ROSTER_HEADER
from points.rules import rules_of
from points.workbooks import MAX_CELLS, MAX_ROWS, READ_SECONDS, UPLOAD_BYTES, SheetRefused, read_rows

from ...acts.importing import ImportPreview, import_awards, import_roster, keep_preview, own_preview, roster_checked
from ...http import db
from ...http.clock import now, zone
from ...http.downloads import sheet_response
from ...http.sheets import Column, Sheet, neutralise
from ...identity.access import is_staff
from ...identity.authentication import current_principal, session_principal
from ..guard import act_once, new_action_key
from .base import acting_community, blp, communities_to_pick, viewed_community_id

FORM_BYTES = 64 * 1024  # the form's other fields, beside the file

PROBLEMS = {
    "formula": _l("单元格里是公式，请改成文字或数字"),
    "bad_phone": _l("手机号格式不对"),
    "unknown_phone": _l("本社区没有这个手机号的志愿者"),
    "unknown_rule": _l("没有这条积分规则"),
    "ambiguous_rule": _l("有几条规则同名，请填写规则代码"),
    "retired_rule": _l("这条规则已停用"),
    "bad_date": _l("日期看不懂，请写成 2026-11-03"),
    "future_date": _l("日期晚于今天"),
    "too_old": _l("日期早于一年前，请由组织者逐条奖励并写明原因"),
    "bad_points": _l("积分应为 1 到 %(limit)s 的整数", limit=MAX_POINTS),
    "too_long": _l("内容太长（最多 %(detail)s 个字）"),
    "duplicate": _l("与第 %(detail)s 行重复"),
    "imported": _l("这一行已经发放过"),
    "over_cap": _l("超过这条规则当天的上限（%(detail)s 分）"),
    "no_name": _l("缺少姓名"),
    "registered": _l("这个手机号已经登记过"),
}
SHEET_REFUSALS = {
    "no_file": _l("请选择要上传的 Excel 文件（.xlsx）。"),
    "too_large": _l("文件太大，最大 %(mb)s MB。未导入任何内容。", mb=UPLOAD_BYTES // (1024 * 1024)),
    "not_xlsx": _l("这不是能读取的 Excel 文件（.xlsx）。请在 Excel 或 WPS 中另存为 .xlsx 后再上传。"),
    "bomb": _l("这个文件解压后过大，可能已损坏或不安全，未读取。未导入任何内容。"),
    "strings": _l("这个文件里的文字表过大，未读取。未导入任何内容。"),
    "too_many_rows": _l("行数太多：一次最多 %(rows)s 行，请分成几个文件上传。未导入任何内容。", rows=MAX_ROWS),
    "too_many_cells": _l("这个文件的单元格太多（最多 %(cells)s 个，空白但设了格式的也算）。请只保留模板的几列，"
                         "删除多余的行列或另存为新文件后再上传。未导入任何内容。", cells=MAX_CELLS),
    "too_slow": _l("这个文件 %(seconds)s 秒内没能读完，请删除多余的行列或分成几个文件上传。未导入任何内容。",
                   seconds=READ_SECONDS),
}


@dataclass(frozen=True)
class Kind:
    """One kind of import: its sheet, its pages' words, its checks and what confirming does."""

    name: str
    endpoint: str
    header: tuple[str, ...]
    title: str
    confirm: str
    applied: str
    template: str
    check: Callable[[ImportPreview], list[Line]]
    apply: Callable


def _check_awards(preview: ImportPreview) -> list[Line]:
    session = db.session()
    lines = read_awards(preview.sheet_rows, today=now().date())
    check_awards(session, community_id=preview.community_id, lines=lines)
    check_against_ledger(session, lines, zone=zone())
    return lines


def _check_roster(preview: ImportPreview) -> list[Line]:
    return roster_checked(db.session(), preview)


AWARDS = Kind("awards", "console.batch_awards", AWARD_HEADER, _l("批量发放积分"), _l("确认发放"), _l("已发放"),
              _l("批量发放模板"), _check_awards, import_awards)
ROSTER = Kind("roster", "console.import_members", ROSTER_HEADER, _l("导入志愿者名单"), _l("确认导入"), _l("已导入"),
              _l("志愿者名单模板"), _check_roster, import_roster)
UPLOADS = {f"{kind.endpoint}_upload" for kind in (AWARDS, ROSTER)}


@blp.url_value_preprocessor
def _sheets_may_be_larger(endpoint, values):
    """A staff member's upload may be larger than the app's form limit (64 KB). Set here, the first
    hook of a request, because the CSRF check reads the form before any view runs."""
    if endpoint in UPLOADS and request.method == "POST":
        principal = session_principal()
        if principal is not None and is_staff(principal):
            request.max_content_length = UPLOAD_BYTES + FORM_BYTES


@blp.get("/console/awards/batch")
def batch_awards():
    """Upload a paper points book typed up (手机号 | 规则 | 日期 | 积分 | 备注); the template to fill."""
    return _upload_page(AWARDS)


@blp.post("/console/awards/batch")
def batch_awards_upload():
    """`上传`: read and keep the sheet's rows (nothing is paid yet), then show them checked."""
    return _upload(AWARDS)


@blp.get("/console/awards/batch/template.xlsx")
def batch_awards_template():
    return _template(AWARDS)


@blp.get("/console/awards/batch/<token>")
def batch_awards_preview(token: str):
    """Every row with its check; after `确认发放`, what was paid."""
    return _preview(AWARDS, token)


@blp.post("/console/awards/batch/<token>")
def batch_awards_confirm(token: str):
    """`确认发放`: pay the rows that pass their checks now, each at most once."""
    return _confirm(AWARDS, token)


@blp.get("/console/members/import")
def import_members():
    """Upload a roster (姓名 | 手机号 | 队伍); the template to fill."""
    return _upload_page(ROSTER)


@blp.post("/console/members/import")
def import_members_upload():
    """`上传`: read and keep the roster's rows (no one is added yet), then show them checked."""
    return _upload(ROSTER)


@blp.get("/console/members/import/template.xlsx")
def import_members_template():
    return _template(ROSTER)


@blp.get("/console/members/import/<token>")
def import_members_preview(token: str):
    """Every row with its check; after `确认导入`, who was added."""
    return _preview(ROSTER, token)


@blp.post("/console/members/import/<token>")
def import_members_confirm(token: str):
    """`确认导入`: add the members whose rows pass their checks now; a registered phone is skipped."""
    return _confirm(ROSTER, token)


def _upload_page(kind: Kind, *, refusal: str | None = None, status: int = 200):
    community_id = viewed_community_id()
    rules = rules_of(db.session(), community_id) if kind is AWARDS and community_id is not None else []
    return render_template("console/imports.html", kind=kind, preview=None, refusal=refusal, rules=rules,
                           communities=communities_to_pick(), pick_first=community_id is None), status


def _upload(kind: Kind):
    if viewed_community_id() is None:  # an admin looking at every community: which one is this for?
        return _upload_page(kind, status=400)
    community = acting_community()
    upload = request.files.get("sheet")
    if upload is None or not upload.filename:
        return _upload_page(kind, refusal=str(SHEET_REFUSALS["no_file"]), status=400)
    try:
        rows = read_rows(upload.stream.read(UPLOAD_BYTES + 1), header=kind.header)
    except SheetRefused as refused:
        message = (_("表头不对：第一行应为 %(header)s。请下载模板填写。", header=" | ".join(kind.header))
                   if refused.reason == "header" else SHEET_REFUSALS[refused.reason])
        return _upload_page(kind, refusal=str(message), status=413 if refused.reason == "too_large" else 422)
    preview = keep_preview(db.writer(), current_principal(), community_id=community.id, kind=kind.name,
                           file_name=upload.filename, rows=rows, now=now())
    return redirect(url_for(f"{kind.endpoint}_preview", token=preview.token), code=303)


def _template(kind: Kind):
    """The sheet to fill: the header row only (no example row that could be imported by mistake)."""
    columns = [Column(header, width=14 if header != "备注" else 30) for header in kind.header]
    return sheet_response(Sheet(name=str(kind.template), columns=columns, rows=[], titled=False), format="xlsx", zone=zone())


def _preview(kind: Kind, token: str):
    preview = own_preview(db.session(), current_principal(), token, kind.name)
    results = preview.results
    if results is not None:  # confirmed: what confirming did to each row
        outcome = {row: (problem, detail) for row, problem, detail in results["lines"]}
        rows = [(row, outcome.get(row.number, ("missing", None))) for row in preview.sheet_rows]
        shown = [_shown(row.number, row.cells, problem, detail, kind.applied) for row, (problem, detail) in rows]
    else:
        shown = [_shown(line.row, line.cells, line.problem, line.detail, _("通过"))
                 for line in kind.check(preview)]
    good = sum(row["ok"] for row in shown)
    return render_template("console/imports.html", kind=kind, preview=preview, rows=shown, good=good,
                           bad=len(shown) - good, confirmed=results is not None, action_key=new_action_key())


def _shown(number: int, cells, problem: str | None, detail, passed: str) -> dict:
    """A row as the page shows it: its cells neutralised (a formula's text stays text), and its check."""
    check = passed if problem is None else str(PROBLEMS.get(problem, problem)) % {"detail": detail}
    return {"number": number, "cells": [neutralise(cell) for cell in cells], "ok": problem is None, "check": check}


def _confirm(kind: Kind, token: str):
    def confirmed():
        session, principal = db.writer(), current_principal()
        preview = own_preview(session, principal, token, kind.name)
        outcome = kind.apply(session, principal, preview=preview, now=now())
        flash(_("%(done)s %(count)s 行，未通过检查 %(refused)s 行。", done=kind.applied, count=outcome.applied,
                refused=len(outcome.lines) - outcome.applied), "done")
        return redirect(url_for(f"{kind.endpoint}_preview", token=token), code=303)

    return act_once(confirmed, _refused)


def _refused(said: str, status: int):
    """A confirmation refused as a whole (the preview gone, an organiser moved): the refusal page."""
    return render_template("site/error.html", message=said, status=status), status
