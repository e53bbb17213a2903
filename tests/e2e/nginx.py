"""Debian's nginx running deploy/nginx/benniu.conf in a folder of its own, with a self-signed
certificate and the ports given in place of the example's (tests/e2e/test_nginx.py, and
bench.throughput's `--server nginx`)."""
import os
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

SITE = Path(__file__).parents[2] / "deploy" / "nginx" / "benniu.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


def self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


def site_for_test(upstream: int, https: int, http: int, cert: Path, key: Path) -> str:
    """The shipped site, with this test's ports and certificate in place of the example's."""
    site = SITE.read_text()
    for example, ours in (("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;"),
                          ("listen [::]:443 ssl http2;", ""), ("listen 80;", f"listen 127.0.0.1:{http};"),
                          ("listen [::]:80;", ""), ("127.0.0.1:8000", f"127.0.0.1:{upstream}"),
                          ("/etc/letsencrypt/live/benniu.example.org/fullchain.pem", str(cert)),
                          ("/etc/letsencrypt/live/benniu.example.org/privkey.pem", str(key)),
                          ("benniu.example.org", "localhost")):
        assert example in site, f"deploy/nginx/benniu.conf no longer has {example!r}"
        site = site.replace(example, ours)
    return site


class Nginx:
    def __init__(self, folder: Path, site: str):
        # Workers run as nobody when the test runs as root, and write large bodies here: a
        # folder of its own under /tmp, since pytest's folders let no one else in.
        temp = self.temp = Path(tempfile.mkdtemp(prefix="benniu-nginx-"))
        temp.chmod(0o777)
        (folder / "nginx.conf").write_text(f"""
            worker_processes 1;
            error_log {folder}/error.log;
            pid {folder}/nginx.pid;
            events {{ worker_connections 64; }}
            http {{
                access_log off;
                client_body_temp_path {temp}/body;
                proxy_temp_path {temp}/proxy;
                fastcgi_temp_path {temp}/fastcgi;
                uwsgi_temp_path {temp}/uwsgi;
                scgi_temp_path {temp}/scgi;
                {site}
            }}""")
        self.folder = folder
        self.process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"),
                                         "-g", "daemon off;"], stderr=subprocess.PIPE)

    def wait_until_serving(self, https: int, cert: Path, timeout: float = 10) -> None:
        """Return once nginx answers /healthz on `https` with 200 (its certificate checked against
        `cert`); RuntimeError if it exits first or does not answer in time."""
        trusted = ssl.create_default_context(cafile=str(cert))  # made for localhost
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx did not start: {self.process.stderr.read().decode()}")
            try:
                with urllib.request.urlopen(f"https://localhost:{https}/healthz", timeout=1, context=trusted) as answer:
                    if answer.status == 200:
                        return
            except OSError:  # not listening yet, or the service behind it not yet up (502)
                time.sleep(0.1)
        raise RuntimeError(f"nginx did not answer /healthz on port {https} within {timeout:g} s")

    def stop(self):
        self.process.send_signal(signal.SIGQUIT)
        self.process.wait(timeout=10)
        shutil.rmtree(self.temp, ignore_errors=True)
