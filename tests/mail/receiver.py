"""A real HTTP receiver on loopback for webhook tests: it records what it is sent and can be
told to fail, to hang, to drip its answer or to redirect."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self) -> None:
        self.received: list[tuple[dict, str]] = []
        self.attempts = 0
        self.status = 204  # answered to every request
        self.fail_next = 0  # answered 503 to this many requests first
        self.delay = 0.0  # seconds before answering
        self.drip_seconds = 0.0  # answers one byte at a time for this long
        self.location: str | None = None  # sent with a 3xx status
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                receiver.attempts += 1
                time.sleep(receiver.delay)
                if receiver.drip_seconds:
                    self._drip(receiver.drip_seconds)
                    return
                if receiver.fail_next:
                    receiver.fail_next -= 1
                    status = 503
                else:
                    status = receiver.status
                if 200 <= status < 300:
                    receiver.received.append((dict(self.headers), body))
                self.send_response(status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _drip(self, seconds: float) -> None:
                deadline = time.monotonic() + seconds
                try:
                    self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                    while time.monotonic() < deadline:
                        self.wfile.write(b"X")
                        self.wfile.flush()
                        time.sleep(0.2)
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
