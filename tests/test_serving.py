"""Serving with gunicorn (gunicorn.conf.py, as `make serve` does), on loopback and bounded:
forwarded headers are trusted only as PROXY_COUNT says, several workers refuse per-process
rate limits outside development, and with Redis the sign and login limits hold in total."""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests import factories
from tests.mail.smtp_server import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
REDIS = "redis://127.0.0.1:6379/12"  # this suite's own Redis database
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def _environment(app, **settings) -> dict:
    """The process environment for gunicorn: the test's database, production otherwise."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPAIGN_")}
    env.update(CAMPAIGN_SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
               CAMPAIGN_SECRET_KEY="serving-secret", CAMPAIGN_BASE_URL="http://127.0.0.1",
               CAMPAIGN_MAIL_BACKEND="memory", CAMPAIGN_PASSWORD_HASH_METHOD="scrypt:1024:8:1")
    env.update({f"CAMPAIGN_{key}": str(value) for key, value in settings.items()})
    return env


def _command(port: int, workers: int, access_log: Path | None = None) -> list[str]:
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
               "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    if access_log:
        command += ["--access-logfile", str(access_log), "--access-logformat", "%(p)s %(s)s"]
    return [*command, "wsgi:app"]


@contextmanager
def gunicorn(env: dict, workers: int, access_log: Path | None = None):
    port = free_port()
    process = subprocess.Popen(_command(port, workers, access_log), cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.stderr.read()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)
        yield port
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        process.communicate(timeout=30)


class Browser:
    """One visitor: its own cookies, a new connection for each request."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None,
                headers: dict | None = None) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";")[0]
        connection.close()
        return response

    def form_token(self, path: str) -> str:
        return CSRF.search(self.request("GET", path).text).group(1)


def test_gunicorn_trusts_forwarded_headers_only_as_proxy_count_says(app, petition):
    forged = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example",
              "X-Forwarded-For": "203.0.113.9"}
    with gunicorn(_environment(app, PROXY_COUNT=0), workers=1) as port:
        response = Browser(port).request("GET", f"/p/{petition.slug}", headers=forged)
        assert response.status == 200
        assert response.getheader("Strict-Transport-Security") is None
        assert "Secure" not in (response.getheader("Set-Cookie") or "")
        assert "evil.example" not in response.text
    with gunicorn(_environment(app, PROXY_COUNT=1), workers=1) as port:
        response = Browser(port).request("GET", f"/p/{petition.slug}", headers=forged)
        assert response.getheader("Strict-Transport-Security"), "one proxy is trusted"


def test_several_workers_refuse_per_process_rate_limits_outside_development(app):
    port = free_port()
    env = _environment(app, RATELIMIT_STORAGE_URI="memory://")
    refused = subprocess.run(_command(port, workers=2), cwd=ROOT, env=env, timeout=60,
                             capture_output=True, text=True)
    assert refused.returncode != 0
    assert "would each keep their own rate limits" in refused.stderr
    with gunicorn(_environment(app, RATELIMIT_STORAGE_URI="memory://"), workers=1):
        pass  # one worker may count alone
    with gunicorn({**env, "CAMPAIGN_DEVELOPMENT": "1"}, workers=2):
        pass  # and so may development


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in Redis database 12, removed afterwards."""
    import redis

    prefix = f"campaign-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)
    client.close()


def _in_parallel(count: int, attempt) -> list[int]:
    statuses: list[int] = []
    lock = threading.Lock()

    def run():
        try:
            status = attempt()
        except Exception as error:  # noqa: BLE001 (reported as the test's failure)
            status = repr(error)
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def test_sign_and_login_limits_hold_in_total_across_two_workers(app, petition, redis_prefix,
                                                              tmp_path):
    email, slug = factories.create_user().email, petition.slug  # read before the threads
    env = _environment(app, RATELIMIT_STORAGE_URI=REDIS, RATELIMIT_KEY_PREFIX=redis_prefix,
                       SIGN_RATE_LIMIT="4 per minute", LOGIN_RATE_LIMIT="3 per minute")
    access_log = tmp_path / "access.log"
    with gunicorn(env, workers=2, access_log=access_log) as port:
        def sign_once() -> int:
            visitor = Browser(port)
            token = visitor.form_token(f"/p/{slug}")
            body = (f"csrf_token={token}&full_name=Anna&country=FR"
                    f"&email=signer-{uuid.uuid4().hex[:8]}%40example.org")
            return visitor.request("POST", f"/p/{slug}/sign", body).status

        def log_in_once() -> int:
            visitor = Browser(port)
            token = visitor.form_token("/login")
            body = f"csrf_token={token}&email={email}&password=wrong+password"
            return visitor.request("POST", "/login", body).status

        signing = _in_parallel(12, sign_once)
        logins = _in_parallel(10, log_in_once)
    assert sorted(signing).count(429) == 8 and signing.count(303) == 4, signing
    assert logins.count(429) == 7 and logins.count(422) == 3, logins
    workers = {line.split()[0] for line in access_log.read_text().splitlines()}
    assert len(workers) == 2, "both workers answered: the limits are shared, not per worker"
