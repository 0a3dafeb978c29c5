"""Through nginx configured as docs/deploy.md says: a client cannot choose the address that
django-axes locks out, and nginx's second of page cache keeps to the public pages.

nginx overwrites X-Real-IP (and X-Forwarded-For) with the address the connection came from, and
the application, behind a proxy, locks out by X-Real-IP. A client who forged either header would
otherwise lock out someone else's address (or spread its attempts over invented ones and never be
locked out). Started here: a production process (gunicorn, collected static files, SQLite) and
Debian's nginx with the documented server block (tests/nginx.py). Skipped where nginx is not
installed, unless REQUIRE_NGINX=1 (CI).
"""

import os
import re
import socket
import sqlite3
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from . import nginx
from .test_settings import ROOT, production, run

FORGED = "203.0.113.66"
FAILURE_LIMIT = 5  # the settings' default, AXES_FAILURE_LIMIT


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port, process, what):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped at start")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not answer within 30 seconds")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """(nginx's https address, gunicorn's own address, the database file)."""
    missing = nginx.missing()
    if missing:
        if os.environ.get("REQUIRE_NGINX") == "1":
            pytest.fail(missing)
        pytest.skip(missing)
    tmp_path = tmp_path_factory.mktemp("deployment")
    upstream_port, port = free_port(), free_port()
    env = production(
        tmp_path,
        ALLOWED_HOSTS="127.0.0.1",
        GUNICORN_BIND=f"127.0.0.1:{upstream_port}",
        GUNICORN_WORKERS="1",
        DJANGO_LOG_LEVEL="ERROR",
    )
    for command in (["collectstatic", "--noinput"], ["migrate"], ["load_demo"]):
        result = run(["manage.py", *command, "-v0"], env, timeout=300)
        assert result.returncode == 0, result.stderr
    (tmp_path / "media").mkdir()
    gunicorn = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "config/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    proxy = None
    try:
        wait_for(upstream_port, gunicorn, "gunicorn")
        (tmp_path / "nginx").mkdir()
        proxy = nginx.start(
            tmp_path / "nginx", port, upstream_port, tmp_path / "static", tmp_path / "media"
        )
        yield f"https://127.0.0.1:{port}", f"http://127.0.0.1:{upstream_port}", tmp_path
    finally:
        for process in (proxy, gunicorn):
            if process is not None:
                process.terminate()
                process.wait(timeout=10)


class Browser:
    """A client sending whatever headers it likes, keeping the CSRF cookie itself (it is Secure,
    and the direct request to gunicorn is plain HTTP)."""

    def __init__(self, base, host):
        self.base = base
        self.host = host  # the host the application sees; its referrer check compares it
        # The test's nginx has a self-signed certificate.
        self.context = ssl._create_unverified_context()  # nosec B323

    def open(self, request):
        try:
            return urllib.request.urlopen(request, context=self.context)
        except urllib.error.HTTPError as error:
            return error

    def failed_login(self, headers):
        """One login with a wrong password; the response's status."""
        login = f"{self.base}/admin/login/"
        with self.open(urllib.request.Request(login, headers=headers)) as form:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.read().decode())
            cookie = form.headers["Set-Cookie"].split(";", 1)[0]
        data = {
            "csrfmiddlewaretoken": token[1],
            "username": "chef",
            "password": "wrong",
            "next": "/admin/",
        }
        headers = {**headers, "Cookie": cookie, "Referer": f"https://{self.host}/admin/login/"}
        request = urllib.request.Request(
            login, data=urllib.parse.urlencode(data).encode(), headers=headers
        )
        with self.open(request) as response:
            return response.status


def through_nginx(base):
    # nginx passes the host without the port (Host $host), as it is on 443.
    return Browser(base, "127.0.0.1")


def attempts(tmp_path):
    """{address: failures} as django-axes recorded them."""
    with sqlite3.connect(tmp_path / "db.sqlite3") as database:
        rows = database.execute("SELECT ip_address, failures_since_start FROM axes_accessattempt")
        return dict(rows.fetchall())


def test_forged_address_headers_do_not_move_the_lockout(deployment):
    base, _gunicorn, tmp_path = deployment
    forged = {"X-Real-IP": FORGED, "X-Forwarded-For": FORGED}
    attacker = through_nginx(base)
    statuses = [attacker.failed_login(forged) for _attempt in range(FAILURE_LIMIT)]
    assert statuses == [200] * (FAILURE_LIMIT - 1) + [429]

    # The address the requests came from is locked out, whatever a client claims...
    assert through_nginx(base).failed_login({}) == 429
    assert through_nginx(base).failed_login({"X-Real-IP": "198.51.100.1"}) == 429
    # ...and nothing was recorded for the address it claimed.
    assert attempts(tmp_path) == {"127.0.0.1": FAILURE_LIMIT + 2}


def test_without_nginx_in_front_the_header_would_decide(deployment):
    """Why nginx must overwrite the header: the application trusts it (DJANGO_BEHIND_PROXY)."""
    _base, gunicorn, tmp_path = deployment
    direct = {"X-Real-IP": "198.51.100.200", "X-Forwarded-Proto": "https"}
    assert Browser(gunicorn, gunicorn.removeprefix("http://")).failed_login(direct) == 200
    assert attempts(tmp_path)["198.51.100.200"] == 1


def nginx_cache_log(tmp_path):
    """nginx's own cache status of each request so far ("HIT", "MISS", "BYPASS", "-")."""
    time.sleep(1.2)  # the log's buffer is written out every second
    lines = (tmp_path / "nginx" / "access.log").read_text().splitlines()
    return [line.split()[2] for line in lines]


def test_nginx_keeps_public_pages_but_never_an_editors_a_querys_or_the_admins(deployment):
    base, _gunicorn, tmp_path = deployment
    browser = through_nginx(base)
    before = len(nginx_cache_log(tmp_path))

    def get(path, headers=None):
        with browser.open(urllib.request.Request(f"{base}{path}", headers=headers or {})) as page:
            return page.status

    assert [get("/de/partners/warsaw/") for _request in range(2)] == [200, 200]
    assert get("/de/partners/warsaw/", {"Cookie": "sessionid=an-editors-session"}) == 200
    # A query goes to the application's cache, which knows which parameters change the page:
    # nginx would keep one copy per raw address (`?u=1`, `?u=2`...).
    assert [get("/de/partners/warsaw/?u=1") for _request in range(2)] == [200, 200]
    assert [get("/admin/login/") for _request in range(2)] == [200, 200]
    first, second, editor, *queried, admin_first, admin_second = nginx_cache_log(tmp_path)[before:]
    assert first == "MISS"
    # From nginx's copy (which is "UPDATING" only if a slow machine took more than its second).
    assert second in {"HIT", "UPDATING"}
    assert editor == "BYPASS"
    assert queried == ["BYPASS", "BYPASS"]
    assert [admin_first, admin_second] == ["MISS", "MISS"]  # fetched each time, never stored
