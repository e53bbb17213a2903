"""Getting in at a phone's size: an imported volunteer activates from a printed slip, a resident
applies and is approved, and a temporary password is changed before anything else."""
from .test_counter import DESKTOP
from .test_pages import WAIT, sign_in


def organiser_console(browser, live_server, staff, path):
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    sign_in(page, live_server, staff("organiser"), "password1", path)
    return context, page


def test_an_imported_volunteer_activates_from_a_printed_slips_url(app, live_server, browser, phone, staff, enrol,
                                                                 shot):
    app.config["PUBLIC_URL"] = live_server  # the slips' QR and URL lead to this server
    member, _ = enrol(name="王秀英", team="巡逻一队", password=None)
    for name in ("张桂兰", "刘福生", "陈淑珍"):
        enrol(name=name, team="巡逻一队", password=None)
    enrol(name="李建国", team="巡逻二队", password=None)
    context, console = organiser_console(browser, live_server, staff, "/console/members")
    console.get_by_role("link", name="打印激活码").click()
    console.get_by_role("button", name="打印激活码").click()
    console.get_by_test_id("sheet").first.wait_for(timeout=WAIT)
    assert console.get_by_test_id("sheet").count() == 2  # a team per sheet
    shot(console, "slips")
    console.emulate_media(media="print")
    shot(console, "slips-printed")
    slip = console.get_by_test_id("slip").filter(has_text="王秀英")
    url = slip.get_by_test_id("activation-url").inner_text()
    context.close()

    phone.goto(url)
    phone.get_by_label("新密码").fill("wang-xiuying-1")
    phone.get_by_label("再次输入").fill("wang-xiuying-1")
    shot(phone, "activate")
    phone.get_by_role("button", name="设置密码").click()
    phone.wait_for_url(f"{live_server}/me", timeout=WAIT)
    phone.get_by_text("王秀英").first.wait_for(timeout=WAIT)
    shot(phone, "home")
    assert app.test_client().post("/api/v1/auth/login", json={"phone": member["phone"],
                                                              "password": "wang-xiuying-1"}).status_code == 200


def test_a_resident_applies_is_approved_and_signs_in(live_server, browser, phone, staff, community, shot):
    phone.goto(f"{live_server}/join/zhenyu")
    phone.get_by_label("姓名").fill("孙小美")
    phone.get_by_label("手机号").fill("13512345678")
    phone.get_by_label("队伍").fill("巡逻一队")
    phone.get_by_label("密码").fill("sun-xiaomei-1")
    shot(phone, "form")
    phone.get_by_role("button", name="提交申请").click()
    phone.get_by_text("申请已提交").wait_for(timeout=WAIT)
    shot(phone, "sent")

    context, console = organiser_console(browser, live_server, staff, "/console/applications")
    row = console.locator("tr", has_text="孙小美")
    row.wait_for(timeout=WAIT)
    shot(console, "review")
    row.get_by_role("button", name="通过").click()
    console.get_by_text("已通过 孙小美 的申请").wait_for(timeout=WAIT)
    context.close()

    sign_in(phone, live_server, "13512345678", "sun-xiaomei-1", "/me")
    phone.wait_for_url(f"{live_server}/me", timeout=WAIT)
    phone.get_by_text("孙小美").first.wait_for(timeout=WAIT)
    shot(phone, "home")


def test_a_temporary_password_forces_the_password_page_first(live_server, browser, phone, staff, volunteer, shot):
    member, _ = volunteer
    context, console = organiser_console(browser, live_server, staff, f"/console/members/{member['id']}")
    console.get_by_label("新密码").fill("temp-pass-88")
    console.get_by_role("button", name="重置密码").click()
    console.get_by_text("已重置").wait_for(timeout=WAIT)
    context.close()

    sign_in(phone, live_server, member["phone"], "temp-pass-88", "/me/claims")
    phone.wait_for_url(f"{live_server}/password", timeout=WAIT)
    phone.get_by_test_id("temporary").wait_for(timeout=WAIT)
    shot(phone, "password")
    phone.goto(f"{live_server}/me")
    phone.wait_for_url(f"{live_server}/password", timeout=WAIT)  # no other page before the change
    phone.get_by_label("原密码").fill("temp-pass-88")
    phone.get_by_label("新密码").fill("my-own-pass-1")
    phone.get_by_role("button", name="修改密码").click()
    phone.wait_for_url(f"{live_server}/me", timeout=WAIT)
    phone.get_by_text("密码已修改").wait_for(timeout=WAIT)
    shot(phone, "changed")
