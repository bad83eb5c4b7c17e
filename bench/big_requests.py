"""Oversized requests against the real application under gunicorn on loopback: a 30 MB form
body and a form of a million fields, each POSTed to the signing address with a valid CSRF
token. Prints, per request, the status, the seconds until the answer and the worker's memory
(resident before, and its peak after). A fresh single-worker server serves each request, so
that each peak is the request's own.

Bounded: two requests, loopback only, one worker; about ten seconds in all.
"""

from __future__ import annotations

import argparse
import re
import socket
import tempfile
import threading
import time
from pathlib import Path

from bench.load import Server

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
SLUG = "big-requests"


def _prepare_database(path: Path) -> str:
    from campaign import create_app
    from campaign.extensions import db
    from campaign.petitions.services import create_petition, open_petition

    uri = f"sqlite:///{path}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        from campaign.accounts.services import create_organisation

        db.create_all()
        petition = create_petition(create_organisation("bench", "Bench"), slug=SLUG,
                                   title="Oversized requests", summary="", body_markdown="")
        open_petition(petition)
        db.session.commit()
    return uri


def _memory_kb(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


def _form_page(port: int) -> tuple[str, str]:
    """The session cookie and CSRF token a browser would hold after opening the page."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(f"GET /p/{SLUG} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                     .encode())
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    cookie = re.search(rb"Set-Cookie: (session=[^;]+)", head).group(1).decode()
    return cookie, CSRF.search(body.decode()).group(1)


def _post(port: int, body: bytes, cookie: str) -> tuple[str, float]:
    """POST `body` as a form; the status line and the seconds until it arrived. The body is
    sent from a thread, since a server may answer (and close) before it has all of it."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=120)
    head = (f"POST /p/{SLUG}/sign HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()

    def send() -> None:
        try:
            sock.sendall(head + body)
        except OSError:
            pass  # answered and closed before the end of the body

    started = time.perf_counter()
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    answer = b""
    try:
        while b"\r\n" not in answer and (chunk := sock.recv(4096)):
            answer += chunk
    except OSError as error:
        answer = f"connection error {type(error).__name__}".encode()
    elapsed = time.perf_counter() - started
    sock.close()
    sender.join(timeout=10)
    return answer.split(b"\r\n")[0].decode(errors="replace"), elapsed


def measure(name: str, make_body, env: dict) -> None:
    server = Server("wsgi:app", env, workers=1, threads=1)
    try:
        cookie, token = _form_page(server.port)
        [worker] = server.worker_pids()
        before = _memory_kb(worker)
        status, seconds = _post(server.port, make_body(token), cookie)
        time.sleep(0.2)
        after = _memory_kb(worker)
        print(f"big_requests case={name} status={status!r} seconds={seconds:.2f} "
              f"worker_rss_before_mb={before['VmRSS'] / 1024:.1f} "
              f"worker_peak_after_mb={after['VmHWM'] / 1024:.1f} "
              f"peak_growth_mb={(after['VmHWM'] - before['VmHWM']) / 1024:.1f}")
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--megabytes", type=int, default=30)
    parser.add_argument("--fields", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        uri = _prepare_database(Path(folder) / "big.sqlite3")
        env = {"CAMPAIGN_SQLALCHEMY_DATABASE_URI": uri, "CAMPAIGN_SECRET_KEY": "bench",
               "CAMPAIGN_BASE_URL": "http://127.0.0.1", "CAMPAIGN_RATELIMIT_ENABLED": "false",
               "CAMPAIGN_MAIL_BACKEND": "memory"}

        def big_body(token: str) -> bytes:
            fields = f"csrf_token={token}&full_name=Anna&email=anna%40example.org&country=FR"
            padding = args.megabytes * 1024 * 1024 - len(fields) - len("&comment=")
            return f"{fields}&comment=".encode() + b"x" * padding

        def many_fields(token: str) -> bytes:
            fields = f"csrf_token={token}&full_name=Anna&email=anna%40example.org&country=FR"
            return fields.encode() + b"&f=1" * args.fields

        measure(f"{args.megabytes}mb_body", big_body, env)
        measure(f"{args.fields}_fields", many_fields, env)


if __name__ == "__main__":
    main()
