"""deploy/nginx/benniu.conf, run by Debian's nginx with a self-signed certificate in front of
`benniu serve` on loopback, served as deploy/systemd/benniu.service serves it (--behind-proxy):
a check-in and a page go through it, and the app sees https and the client's own address (not
nginx's), and logs nginx's request id."""
import http.client
import io
import json
import ssl
import urllib.parse
import zipfile
from pathlib import Path

import openpyxl
import pytest

from .nginx import NGINX, Nginx, self_signed, site_for_test
from .server import free_port, serving

pytestmark = pytest.mark.slow

UNIT = Path(__file__).parents[2] / "deploy" / "systemd" / "benniu.service"
CLIENT = "127.0.0.2"  # the phone: another loopback address than nginx's own 127.0.0.1


def shipped_options() -> tuple[str, ...]:
    """The flags of `benniu serve` in the shipped unit that say how it serves (its address and
    workers are the test's own)."""
    (command,) = [line for line in UNIT.read_text().splitlines() if line.startswith("ExecStart=")]
    return tuple(word for word in command.split() if word == "--behind-proxy")


@pytest.fixture
def behind_nginx(world, tmp_path):
    """(https port, the certificate, the server) with nginx in front of `benniu serve`."""
    if NGINX is None:
        pytest.skip("nginx is not installed (Debian package nginx; `make system-packages`)")
    env = {**world.env, "BENNIU_TRUSTED_PROXIES": "1"}
    with serving(env, log=tmp_path / "server.log", options=shipped_options()) as server:
        cert, key = self_signed(tmp_path)
        https = free_port()
        nginx = Nginx(tmp_path, site_for_test(server.port, https, free_port(), cert, key))
        try:
            nginx.wait_until_serving(https, cert)
            yield https, cert, server
        finally:
            nginx.stop()


def request(port: int, cert: Path, method: str, path: str, body: dict | None = None, token: str | None = None,
            header: str = "X-Request-Id"):
    """Over HTTPS, checking nginx's certificate, from the client's address: (status, body, `header`)."""
    context = ssl.create_default_context(cafile=str(cert))
    connection = http.client.HTTPSConnection("localhost", port, context=context, timeout=10,
                                             source_address=(CLIENT, 0))
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = connection.getresponse()
    answer = response.status, response.read(), response.getheader(header)
    connection.close()
    return answer


def test_a_check_in_and_a_page_through_nginx_see_https_and_the_client(world, behind_nginx):
    https, cert, server = behind_nginx
    status, body, _ = request(https, cert, "POST", "/api/v1/activities", token=world.organiser, body={
        "rule_code": "patrol", "title": "经 nginx 的夜巡", "community_id": world.community_id,
        "starts_at": "2026-01-01T00:00:00+08:00", "ends_at": "2099-01-01T00:00:00+08:00"})
    assert status == 201, body
    checkin_url = json.loads(body)["checkin_url"]
    # The app saw https (and the Host nginx passes on, $host: no port, as on 443 in production).
    assert checkin_url.startswith("https://localhost/c/"), checkin_url

    status, body, request_id = request(https, cert, "POST", "/api/v1/checkins", token=world.tokens[0],
                                       body={"code": checkin_url})
    assert status == 201 and json.loads(body)["status"] == "awarded", body
    # A phone that is not signed in opens the printed link: it is sent to sign in, then back.
    status, _, location = request(https, cert, "GET", urllib.parse.urlsplit(checkin_url).path, header="Location")
    assert status in (302, 303) and location.startswith("/login"), (status, location)
    status, page, _ = request(https, cert, "GET", location)
    assert status == 200 and b"<form" in page and "登录".encode() in page

    lines = [line for line in server.log_lines() if line.get("route") == "/api/v1/checkins"]
    assert [line["client"] for line in lines] == [CLIENT]  # not nginx's 127.0.0.1
    assert lines[0]["request_id"] == request_id and len(request_id) == 32  # nginx's $request_id, echoed


def test_nginx_redirects_plain_http_to_https(behind_nginx, tmp_path):
    conf = (tmp_path / "nginx.conf").read_text()
    http_port = int(conf.split("listen 127.0.0.1:")[1].split(";")[0])
    connection = http.client.HTTPConnection("127.0.0.1", http_port, timeout=5)
    connection.request("GET", "/c/anything", headers={"Host": "localhost"})
    response = connection.getresponse()
    assert response.status == 301 and response.getheader("Location") == "https://localhost/c/anything"


def test_without_trusted_proxies_forwarded_headers_change_nothing(world, tmp_path):
    with serving(world.env, log=tmp_path / "server.log") as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        connection.request("POST", "/api/v1/activities", body=json.dumps({
            "rule_code": "patrol", "title": "伪造的代理头", "community_id": world.community_id,
            "starts_at": "2026-01-01T00:00:00+08:00", "ends_at": "2099-01-01T00:00:00+08:00"}),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {world.organiser}",
                     "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"})
        response = connection.getresponse()
        assert response.status == 201
        assert json.loads(response.read())["checkin_url"].startswith("http://")
        (line,) = [line for line in server.log_lines() if line.get("route") == "/api/v1/activities"]
        assert line["client"] == "127.0.0.1"


def test_nginx_lets_the_console_s_sheets_through_and_nothing_else_that_large(behind_nginx):
    """A typed-up points book is larger than the API's 64 KB: nginx passes it on to the app, which
    decides (10 MB for staff); the same size anywhere else is refused at nginx."""
    https, cert, server = behind_nginx
    body = b"x" * 300_000
    answers = {}
    for path in ("/console/awards/batch", "/console/members/import", "/api/v1/checkins", "/console/members"):
        connection = http.client.HTTPSConnection("localhost", https, context=ssl.create_default_context(
            cafile=str(cert)), timeout=10, source_address=(CLIENT, 0))
        connection.request("POST", path, body=body, headers={"Content-Type": "application/octet-stream"})
        response = connection.getresponse()
        answers[path] = response.status, response.read()
        connection.close()
    routes = {line.get("route") for line in server.log_lines()}
    assert {"/console/awards/batch", "/console/members/import"} <= routes, answers  # reached the app
    for path in ("/api/v1/checkins", "/console/members"):
        status, page = answers[path]
        assert status == 413 and b"nginx" in page and path not in routes


def test_the_shipped_unit_serves_behind_nginx_with_sync_workers_and_a_long_export_comes_whole(world, behind_nginx):
    """Behind nginx the unit runs gunicorn's sync workers (`benniu serve --behind-proxy`); a
    streamed export (chunked from the worker, buffered by nginx) reaches the phone whole."""
    https, cert, server = behind_nginx
    assert shipped_options() == ("--behind-proxy",)
    upstream = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    upstream.request("GET", "/healthz")  # HTTP/1.1: a threaded worker would keep the connection
    answer = upstream.getresponse()
    assert answer.status == 200 and answer.getheader("Connection") == "close"  # a sync worker's way
    upstream.close()
    status, body, kind = request(https, cert, "GET", "/api/v1/exports/members", token=world.organiser,
                                 header="Content-Type")
    assert status == 200 and kind.startswith("application/vnd.openxmlformats"), body[:200]
    with zipfile.ZipFile(io.BytesIO(body)) as book:
        assert book.testzip() is None
    rows = list(openpyxl.load_workbook(io.BytesIO(body), read_only=True).active.values)[2:]  # under title, header
    names = [row[1] for row in rows]
    assert sorted(names) == sorted(f"志愿者{i}" for i in range(len(world.tokens)))
