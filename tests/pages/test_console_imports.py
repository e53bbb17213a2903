"""Imports from Excel in the console: a paper points book (批量发放) and a roster (导入), each
previewed row by row, applied once, and refused whole when the file is not a sheet we read."""
import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from points.audit import AuditEntry
from points.ledger import Transfer
from points.members import Member
from points.paper_book import ImportedAward
from tests.helpers import at_once
from tests.helpers import xlsx as sheet_of

from .conftest import PageClient

AWARDS = "/console/awards/batch"
ROSTER = "/console/members/import"
AWARD_HEADER = ("手机号", "规则", "日期", "积分", "备注")
ROSTER_HEADER = ("姓名", "手机号", "队伍")


def xlsx(rows, header=AWARD_HEADER) -> bytes:
    return sheet_of(header, rows)


def upload(browser: PageClient, path: str, data: bytes, name: str = "积分簿.xlsx"):
    fields = browser.hidden(path)
    return browser.client.post(path, data={**fields, "sheet": (io.BytesIO(data), name)},
                               content_type="multipart/form-data")


def previewed(browser: PageClient, path: str, data: bytes) -> str:
    """Upload `data`; the preview's address."""
    answer = upload(browser, path, data)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return answer.location


def counts(html: str) -> tuple[int, int]:
    good = re.search(r'data-testid="good-rows">(\d+)<', html).group(1)
    bad = re.search(r'data-testid="bad-rows">(\d+)<', html).group(1)
    return int(good), int(bad)


def earned(organiser, member) -> int:
    return organiser.get(f"/api/v1/members/{member['id']}/balance").json["lifetime_earned"]


def imported_count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(ImportedAward))


@pytest.fixture
def members(enrol):
    return [enrol(name=name)[0] for name in ("陈元龙", "李秀英", "王建国")]


def test_a_good_sheet_is_previewed_then_paid_on_its_deed_days(console_pages, organiser, rules, members, session,
                                                             ledger_is_sound):
    a, b, c = members
    sheet = xlsx([(a["phone"], "patrol", "2026-11-03", None, "夜间巡逻"),
                  (int(b["phone"]), "参与治安巡逻", "2026/11/4", 30, ""),
                  (c["phone"], "patrol_hours", "2026年11月5日", 40, "两小时")])
    path = previewed(console_pages, AWARDS, sheet)
    html = console_pages.get(path).get_data(as_text=True)
    assert counts(html) == (3, 0) and "确认发放" in html and "夜间巡逻" in html
    assert earned(organiser, a) == 0  # a preview pays nothing

    done = console_pages.submit(path)
    assert done.status_code == 303
    page = console_pages.get(done.location).get_data(as_text=True)
    assert "已发放 3 行" in page and "确认发放" not in page
    assert (earned(organiser, a), earned(organiser, b), earned(organiser, c)) == (50, 30, 40)
    dated = session.scalars(select(Transfer.at).where(Transfer.kind == "earn").order_by(Transfer.id)).all()
    assert [at.date().isoformat() for at in dated] == ["2026-11-03", "2026-11-04", "2026-11-05"]
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.action.in_(("award", "import")))
                              .order_by(AuditEntry.id)).all()
    assert actions == ["award", "award", "award", "import"]


def test_bad_rows_are_shown_with_their_reason_and_never_paid(console_pages, organiser, rules, members,
                                                            other_community, ledger_is_sound):
    a, b, _ = members
    _, b_organiser = other_community
    b_community = other_community[0]
    outsider = b_organiser.post("/api/v1/members", {"name": "外社区", "phone": "13600000001",
                                                    "community_id": b_community["id"]}, expect=201).json
    sheet = xlsx([(a["phone"], "patrol", "2026-11-03", None, "好的一行"),
                  ("13999999999", "patrol", "2026-11-03", None, ""),            # unknown phone
                  (outsider["phone"], "patrol", "2026-11-03", None, ""),        # another community's
                  (a["phone"], "no_such_rule", "2026-11-03", None, ""),
                  (a["phone"], "patrol", "11月3号", None, ""),                    # bad date
                  (a["phone"], "patrol", "2099-01-01", None, ""),               # future
                  (a["phone"], "patrol", "2026-11-04", -5, ""),                 # bad points
                  (a["phone"], "patrol", "2026-11-04", "十", ""),
                  (a["phone"], "patrol", "2026-11-03", None, "好的一行"),        # duplicate of row 2
                  (b["phone"], "patrol", "2026-11-06", 60, "上午"),
                  (b["phone"], "patrol", "2026-11-06", 60, "下午")])             # over the cap of 100
    path = previewed(console_pages, AWARDS, sheet)
    html = console_pages.get(path).get_data(as_text=True)
    assert counts(html) == (2, 9)
    for reason in ("本社区没有这个手机号的志愿者", "没有这条积分规则", "日期看不懂", "日期晚于今天",
                   "积分应为 1 到 100000 的整数", "与第 2 行重复", "超过这条规则当天的上限（100 分）"):
        assert reason in html, reason
    assert html.count("本社区没有这个手机号的志愿者") == 2  # B's member is unknown here, not named

    console_pages.submit(path)
    assert (earned(organiser, a), earned(organiser, b)) == (50, 60)
    assert b_organiser.get(f"/api/v1/members/{outsider['id']}/balance").json["lifetime_earned"] == 0


def test_confirming_twice_or_uploading_the_same_sheet_again_pays_once(console_pages, organiser, rules, members,
                                                                     session, ledger_is_sound):
    a, b, _ = members
    sheet = xlsx([(a["phone"], "patrol", "2026-11-03", None, ""), (b["phone"], "patrol", "2026-11-03", 20, "")])
    path = previewed(console_pages, AWARDS, sheet)
    first_form, second_form = console_pages.hidden(path), console_pages.hidden(path)  # two tabs
    console_pages.client.post(path, data=first_form)
    again = console_pages.client.post(path, data=second_form)
    assert "已发放 0 行" in console_pages.get(again.location).get_data(as_text=True)

    again_path = previewed(console_pages, AWARDS, sheet)
    html = console_pages.get(again_path).get_data(as_text=True)
    assert counts(html) == (0, 2) and html.count("这一行已经发放过") == 2 and "确认发放" not in html
    assert (earned(organiser, a), earned(organiser, b)) == (50, 20)
    assert imported_count(session) == 2


def test_two_browsers_confirming_at_once_pay_each_row_once(app, console_pages, organiser, rules, members, session,
                                                          ledger_is_sound):
    """Real threads on the real database: the unique key on each row's content decides."""
    a, b, c = members
    sheet = xlsx([(member["phone"], "patrol_hours", f"2026-11-{day:02d}", 10, "")
                  for member in (a, b, c) for day in range(1, 11)])
    path = previewed(console_pages, AWARDS, sheet)
    cookie = console_pages.client.get_cookie("benniu_session").value
    forms = [console_pages.hidden(path) for _ in range(3)]

    def press(form):
        tab = app.test_client()
        tab.set_cookie("benniu_session", cookie)
        return tab.post(path, data=form).status_code

    assert at_once([lambda form=form: press(form) for form in forms]) == [303] * 3
    assert [earned(organiser, member) for member in (a, b, c)] == [100, 100, 100]
    assert imported_count(session) == 30


def test_a_retired_rule_and_a_cap_filled_since_the_preview_are_refused_when_confirming(
        console_pages, organiser, community, rules, members, ledger_is_sound):
    a, b, _ = members
    sheet = xlsx([(a["phone"], "rental_tip", "2026-11-03", None, ""), (b["phone"], "patrol", "2026-11-23", 60, "")])
    path = previewed(console_pages, AWARDS, sheet)
    assert counts(console_pages.get(path).get_data(as_text=True)) == (2, 0)
    form = console_pages.hidden(path)  # the page as it was shown, before...
    assert organiser.delete("/api/v1/rules/rental_tip", community_id=community["id"]).status_code == 200
    organiser.post("/api/v1/awards", {"member_id": b["id"], "rule_code": "patrol"}, expect=201)  # 50 of 100 today
    done = console_pages.client.post(path, data=form)
    assert done.status_code == 303
    page = console_pages.get(done.location).get_data(as_text=True)
    assert "已发放 0 行" in page and "这条规则已停用" in page and "超过这条规则当天的上限" in page
    assert (earned(organiser, a), earned(organiser, b)) == (0, 50)


def test_a_day_cap_counts_the_deeds_own_day_only(console_pages, organiser, rules, members, ledger_is_sound):
    """Today's patrols fill today's cap; a patrol typed up from the 3rd is held to the 3rd's."""
    a, _, _ = members
    for _ in range(2):
        organiser.post("/api/v1/awards", {"member_id": a["id"], "rule_code": "patrol"}, expect=201)
    path = previewed(console_pages, AWARDS, xlsx([(a["phone"], "patrol", "2026-11-03", None, ""),
                                                  (a["phone"], "patrol", "2026-11-23", None, "")]))
    html = console_pages.get(path).get_data(as_text=True)
    assert counts(html) == (1, 1) and "超过这条规则当天的上限（100 分）" in html
    console_pages.submit(path)
    assert earned(organiser, a) == 150


def test_formula_cells_are_read_as_text_shown_neutralised_and_not_applied(console_pages, organiser, rules, members,
                                                                         session):
    a, _, _ = members
    sheet = xlsx([(a["phone"], "patrol", "2026-11-03", None, '=HYPERLINK("http://evil.example","点我")'),
                  (a["phone"], "patrol", "2026-11-04", None, "@SUM(1)")])
    path = previewed(console_pages, AWARDS, sheet)
    html = console_pages.get(path).get_data(as_text=True)
    assert counts(html) == (1, 1) and "单元格里是公式" in html
    assert "&#39;=HYPERLINK(" in html and "&#39;@SUM(1)" in html  # shown as text, never a live formula
    console_pages.submit(path)
    assert earned(organiser, a) == 50


@pytest.mark.parametrize("data, message", [
    (b"phone,rule\n13900000001,patrol\n", "这不是能读取的 Excel 文件"),
    (b"PK\x03\x04 not really a zip", "这不是能读取的 Excel 文件"),
])
def test_a_file_that_is_not_xlsx_is_refused_whole(console_pages, rules, data, message, session):
    answer = upload(console_pages, AWARDS, data, name="book.csv")
    assert answer.status_code == 422 and message in answer.get_data(as_text=True)
    assert imported_count(session) == 0


def zip_with(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


def sheet_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_a_zip_that_inflates_past_the_limit_is_refused_unread(console_pages, rules, members):
    parts = sheet_parts(xlsx([(members[0]["phone"], "patrol", "2026-11-03", None, "")]))
    parts["xl/media/padding.bin"] = b"\0" * (300 * 1024 * 1024)  # 300 MB of zeros: about 300 KB zipped
    answer = upload(console_pages, AWARDS, zip_with(parts))
    assert answer.status_code == 422 and "解压后过大" in answer.get_data(as_text=True)


def test_a_huge_shared_strings_table_is_refused_unread(console_pages, rules, members):
    parts = sheet_parts(xlsx([(members[0]["phone"], "patrol", "2026-11-03", None, "")]))
    strings = b"".join(b"<si><t>%d</t></si>" % number for number in range(800_000))  # ~15 MB, all different
    parts["xl/sharedStrings.xml"] = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                     + strings + b"</sst>")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument'
        b'.spreadsheetml.sharedStrings+xml"/></Types>'))
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>", (
        b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
    answer = upload(console_pages, AWARDS, zip_with(parts))
    assert answer.status_code == 422 and "文字表过大" in answer.get_data(as_text=True)


def test_a_sheet_of_100000_rows_is_refused_whole(console_pages, organiser, rules, members, session):
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(AWARD_HEADER)
    for number in range(100_000):
        sheet.append((members[0]["phone"], "patrol_hours", "2026-11-03", 1, number))
    out = io.BytesIO()
    book.save(out)
    answer = upload(console_pages, AWARDS, out.getvalue())
    assert answer.status_code == 422 and "一次最多 5000 行" in answer.get_data(as_text=True)
    assert earned(organiser, members[0]) == 0 and imported_count(session) == 0


def test_a_wrong_header_names_the_right_one(console_pages, rules):
    answer = upload(console_pages, AWARDS, xlsx([("13900000001", "patrol")], header=("phone", "rule")))
    assert answer.status_code == 422 and "手机号 | 规则 | 日期 | 积分 | 备注" in answer.get_data(as_text=True)


def test_the_templates_are_sheets_with_the_header_row(console_pages):
    for path, header in ((AWARDS, AWARD_HEADER), (ROSTER, ROSTER_HEADER)):
        page = console_pages.get(path).get_data(as_text=True)
        assert "下载模板" in page and "上传" in page
        answer = console_pages.get(f"{path}/template.xlsx")
        assert answer.status_code == 200
        rows = list(load_workbook(io.BytesIO(answer.data), read_only=True).active.values)
        assert rows == [header]


def test_a_roster_adds_new_members_once_and_shows_registered_phones(console_pages, organiser, members, community,
                                                                    session):
    roster = xlsx([("赵敏", "13800000001", "一网格"), ("钱多", members[0]["phone"], "二网格"),
                   ("孙悟", "13800000001", ""), ("", "13800000002", ""), ("周芷若", "138-0000-0003", None)],
                  header=ROSTER_HEADER)
    path = previewed(console_pages, ROSTER, roster)
    html = console_pages.get(path).get_data(as_text=True)
    assert counts(html) == (2, 3) and "这个手机号已经登记过" in html and "与第 2 行重复" in html
    assert "缺少姓名" in html and "确认导入" in html
    first_form, second_form = console_pages.hidden(path), console_pages.hidden(path)
    console_pages.client.post(path, data=first_form)
    console_pages.client.post(path, data=second_form)  # confirmed twice
    found = organiser.get("/api/v1/members", community_id=community["id"]).json["items"]
    assert sorted(member["phone"] for member in found if member["phone"].startswith("1380")) == [
        "13800000001", "13800000003"]
    added = session.scalars(select(AuditEntry.member_id).where(AuditEntry.action == "member_added",
                                                               AuditEntry.why.startswith("名单导入"))).all()
    assert len(added) == 2  # by the import (the fixture's members, added through the API, have their own rows)
    assert session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import")) == 2


def test_another_session_or_community_cannot_open_a_preview(app, console_pages, pages, staff, organiser, rules,
                                                           members, other_community):
    path = previewed(console_pages, AWARDS, xlsx([(members[0]["phone"], "patrol", "2026-11-03", None, "")]))
    b, _ = other_community
    b_organiser = pages().sign_in(staff("organiser", community_id=b["id"]), "password1")
    for browser in (b_organiser, pages().sign_in(staff("organiser"), "password1")):
        refused = browser.get(path)
        assert refused.status_code == 404 and members[0]["phone"] not in refused.get_data(as_text=True)
        form = {**browser.hidden(AWARDS), "action_key": "k" * 24}  # their own session's form token
        assert browser.client.post(path, data=form).status_code == 404
    assert earned(organiser, members[0]) == 0


def test_uploads_over_the_limit_and_volunteers_are_refused(console_pages, volunteer_pages):
    too_big = upload(console_pages, AWARDS, b"PK" + b"\0" * (11 * 1024 * 1024))
    assert too_big.status_code == 413 and "太" in too_big.get_data(as_text=True)
    assert volunteer_pages.get(AWARDS).status_code == 403


def test_members_added_by_roster_are_in_the_community(session, console_pages, community, members):
    path = previewed(console_pages, ROSTER, xlsx([("吴用", "13800000009", "三网格")], header=ROSTER_HEADER))
    console_pages.submit(path)
    added = session.scalar(select(Member).where(Member.phone == "13800000009"))
    assert added.community_id == community["id"] and added.team == "三网格"


def test_a_member_added_by_roster_is_told_apart_until_given_a_password(session, console_pages, community, members):
    assert "还没有登录密码" in console_pages.get(ROSTER).get_data(as_text=True)
    console_pages.submit(previewed(console_pages, ROSTER, xlsx([("吴用", "13800000009", "三网格")],
                                                               header=ROSTER_HEADER)))
    path = f"/console/members/{session.scalar(select(Member.id).where(Member.phone == '13800000009'))}"
    assert 'data-testid="no-password"' in console_pages.get(path).get_data(as_text=True)
    assert console_pages.submit(path, f"{path}/password", password="typed-by-me").status_code == 303
    assert 'data-testid="no-password"' not in console_pages.get(path).get_data(as_text=True)


def test_an_admin_picks_the_community_before_uploading(pages, staff, community, rules, members, organiser):
    admin = pages().sign_in(staff("admin"), "password1")
    sheet = xlsx([(members[0]["phone"], "patrol", "2026-11-03", None, "")])
    assert "请先在左侧选择一个社区" in admin.get(AWARDS).get_data(as_text=True)
    assert upload(admin, AWARDS, sheet).status_code == 400
    admin.get(f"/console?community_id={community['id']}")
    path = previewed(admin, AWARDS, sheet)
    admin.submit(path)
    assert earned(organiser, members[0]) == 50


def test_a_roster_row_with_a_staff_members_phone_is_refused(console_pages, staff, session):
    clerk_phone = staff("organiser", name="网格员")
    path = previewed(console_pages, ROSTER, xlsx([("网格员的家属", clerk_phone, "一网格")], header=ROSTER_HEADER))
    html = console_pages.get(path).get_data(as_text=True)
    assert counts(html) == (0, 1) and "这个手机号已经登记过" in html  # they could never sign in as a volunteer


def test_the_upload_page_lists_the_rules_a_row_may_name(console_pages, rules):
    html = console_pages.get(AWARDS).get_data(as_text=True)
    listed = html[html.index('data-testid="rules-to-use"'):]
    assert "参与治安巡逻" in listed and "<code>patrol</code>" in listed


def test_a_sheet_of_few_rows_and_very_many_cells_is_refused_with_a_sentence_saying_so(console_pages, organiser, rules,
                                                                                       members, session):
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(AWARD_HEADER)
    for _ in range(20):  # 20 rows of 16,384 cells: the columns past the header's are padding
        sheet.append((members[0]["phone"], "patrol_hours", "2026-11-03", 1, "夜巡") + (0,) * (16_384 - 5))
    out = io.BytesIO()
    book.save(out)
    answer = upload(console_pages, AWARDS, out.getvalue())
    assert answer.status_code == 422 and "单元格太多（最多 300000 个" in answer.get_data(as_text=True)
    assert earned(organiser, members[0]) == 0 and imported_count(session) == 0
