"""Card check-in with no signal, in a real browser: the page kept by its service worker, scans kept in
IndexedDB, uploaded when the signal returns, each answered once."""
from datetime import datetime

from click.testing import CliRunner
from sqlalchemy import func, select

from api.cli import main
from points.offline import OfflineScan

from ..helpers import Client, decode_qr
from .conftest import PHONE
from .test_pages import WAIT, patrol_for, sign_in, wait_until

AGAIN = """async () => {
  const db = await new Promise((ok, no) => {
    const opening = indexedDB.open("benniu-offline", 1);
    opening.onsuccess = () => ok(opening.result);
    opening.onerror = () => no(opening.error);
  });
  const kept = await new Promise((ok) => {
    const reading = db.transaction("scans").objectStore("scans").getAll();
    reading.onsuccess = () => ok(reading.result);
  });
  const root = document.getElementById("offline");
  const response = await fetch(root.dataset.upload, {
    method: "POST", credentials: "same-origin",
    headers: {"Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf},
    body: JSON.stringify({device: "again", scans: kept.map((s) => ({card: s.card, at: s.at, nonce: s.nonce}))}),
  });
  return {status: response.status, answers: (await response.json()).results,
          kept: kept.map((s) => ({nonce: s.nonce, status: s.status}))};
}"""


def card_of(client, member) -> str:
    return decode_qr(client.get(f"/api/v1/members/{member['id']}/card.png").data)


def test_an_organiser_scans_cards_with_no_signal_and_uploads_them_once_back_online(
        live_server, browser, app, admin, staff, organiser, community, rules, clock, enrol, database_url,
        monkeypatch, session, shot):
    from ..conftest import _token
    clock.set(datetime.now(clock.zone).replace(microsecond=0))  # the phone's scans carry its own clock
    patrol = patrol_for(organiser, community, clock)
    (chen, _), (li, _) = enrol(name="陈元龙"), enrol(name="李梅")
    other = admin.post("/api/v1/communities", {"name": "保利社区", "code": "baoli"}, expect=201).json
    their_organiser = Client(app, _token(app, clock, role="organiser", name="保利 民警", community_id=other["id"]))
    stranger = their_organiser.post("/api/v1/members", {"name": "张三", "phone": "13912345678",
                                                        "community_id": other["id"]}, expect=201).json
    cards = [card_of(organiser, chen), card_of(organiser, li), card_of(organiser, chen),
             card_of(their_organiser, stranger)]

    context = browser.new_context(**PHONE)
    page = context.new_page()
    path = f"/console/activities/{patrol['id']}/offline"
    sign_in(page, live_server, staff("organiser", name="罗塘派出所 民警"), "password1", path)
    page.get_by_role("heading", name="离线签到").wait_for(timeout=WAIT)
    wait_until(page, "document.getElementById('offline').dataset.ready === '1'", "the page kept for no signal")
    shot(page, "1-opened-with-signal")

    context.set_offline(True)
    page.reload()  # no network: the service worker answers from its cache
    page.get_by_role("heading", name="离线签到").wait_for(timeout=WAIT)
    assert page.evaluate("navigator.onLine") is False
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    for scanned, card in enumerate(cards, start=1):
        page.get_by_label("卡号或会员卡码").fill(card)
        page.get_by_role("button", name="记下").click()
        wait_until(page, f"document.querySelectorAll('#scans li').length === {scanned}", "the scan listed")
    assert page.get_by_test_id("pending").inner_text().split() == ["待上传", "4"]
    assert page.get_by_text("这张卡扫过了").count() == 1
    shot(page, "2-four-scans-no-signal")
    assert session.scalar(select(func.count()).select_from(OfflineScan)) == 0  # nothing reached the server
    session.rollback()

    context.set_offline(False)
    page.get_by_role("button", name="上传").click()
    wait_until(page, "document.getElementById('pending-count').textContent === '0'", "the upload")
    scans = page.get_by_test_id("scans")
    assert scans.locator("li[data-state=accepted]").count() == 2
    assert scans.locator("li[data-state=duplicate]").get_by_text("已经签到过").count() == 1
    assert scans.locator("li[data-state=refused]").get_by_text("不是本社区的志愿者").count() == 1
    shot(page, "3-uploaded-back-online")
    checkins = organiser.get(f"/api/v1/activities/{patrol['id']}/checkins").json["items"]
    assert sorted(item["member_id"] for item in checkins) == sorted([chen["id"], li["id"]])

    again = page.evaluate(AGAIN)  # the same batch, every nonce, sent once more
    assert again["status"] == 200 and len(again["answers"]) == 4
    kept = {scan["nonce"]: scan["status"] for scan in again["kept"]}
    assert {answer["nonce"]: answer["status"] for answer in again["answers"]} == kept
    assert len(organiser.get(f"/api/v1/activities/{patrol['id']}/checkins").json["items"]) == 2
    session.rollback()  # a fresh read: the server wrote since
    assert session.scalar(select(func.count()).select_from(OfflineScan)) == 4
    context.close()

    monkeypatch.setenv("BENNIU_DATABASE_URL", database_url)
    verified = CliRunner().invoke(main, ["verify"], catch_exceptions=False)
    assert (verified.exit_code, verified.output.strip().splitlines()[-1]) == (0, "ok"), verified.output
