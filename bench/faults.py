"""Faults under load, each bounded in time, against 127.0.0.1 only:

- kill-worker: SIGKILL one gunicorn worker while signers sign and confirm; afterwards every
  signature that got a success response must be in the database.
- restart-postgres: restart the PostgreSQL server during load; meanwhile requests must get
  clear 503s (never a 500), and afterwards the application must serve again by itself.

The SMTP server being down is covered by the test suite (tests/mail/test_outbox.py).
"""

from __future__ import annotations

import argparse
import collections
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import sqlalchemy as sa

from bench.load import (
    POSTGRES,
    Client,
    Server,
    audit_results,
    prepare,
    run_phase,
    sign_confirm_work,
    warm_up,
)


def _env(uri: str) -> dict:
    return {"CAMPAIGN_SQLALCHEMY_DATABASE_URI": uri, "CAMPAIGN_SECRET_KEY": "bench",
            "CAMPAIGN_RATELIMIT_ENABLED": "false", "CAMPAIGN_MAIL_BACKEND": "memory",
            "CAMPAIGN_BASE_URL": "http://127.0.0.1", "BENCH_DATABASE_URI": uri}


def kill_worker(args) -> None:
    slug = prepare(POSTGRES)
    server = Server("wsgi:app", _env(POSTGRES), args.workers, args.threads)
    bare = Server("bench.bare_app:app", _env(POSTGRES), 1, 1)
    warm_up(server.port, bare.port, slug)
    bare.stop()
    engine = sa.create_engine(POSTGRES)
    killed = []

    def killer() -> None:
        time.sleep(args.seconds / 3)
        pids = server.worker_pids()
        if pids:
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])

    threading.Thread(target=killer, daemon=True).start()
    try:
        phase = run_phase(args.concurrency, args.seconds,
                          sign_confirm_work_tolerant(server.port, slug, engine, "kill"))
    finally:
        server.stop()
        engine.dispose()
    lost, duplicated, drift = audit_results(POSTGRES, phase)
    print(f"fault=kill-worker killed_pid={killed[0] if killed else None} "
          f"completed={phase.completed} failed_requests={phase.failed} lost={lost} "
          f"duplicated={duplicated} counter_drift={drift}", flush=True)


def sign_confirm_work_tolerant(port, slug, engine, run):
    """The load flow, reconnecting when a worker dies under a connection. Each reconnection
    signs with new addresses: reusing the earlier ones would be repeats, which get no new
    confirmation link."""

    def work(n, stop_at, phase):
        attempt = 0
        while time.monotonic() < stop_at:
            attempt += 1
            try:
                sign_confirm_work(port, slug, engine, f"{run}-{attempt}")(n, stop_at, phase)
            except (ConnectionError, OSError, AttributeError):
                with phase.lock:
                    phase.failed += 1
                time.sleep(0.05)

    return work


def restart_postgres(args) -> None:
    slug = prepare(POSTGRES)
    server = Server("wsgi:app", _env(POSTGRES), args.workers, args.threads)
    statuses: collections.Counter = collections.Counter()
    after_restart: collections.Counter = collections.Counter()
    restarted = threading.Event()
    stop_at = time.monotonic() + args.seconds

    def reader(n: int) -> None:
        client = Client(server.port)
        while time.monotonic() < stop_at:
            try:
                status, _ = client.request("GET", f"/p/{slug}.json")
            except OSError:
                client = Client(server.port)
                status = "connection"
            (after_restart if restarted.is_set() else statuses)[status] += 1
            time.sleep(0.02)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(args.concurrency)]
    for thread in threads:
        thread.start()
    time.sleep(args.seconds / 4)
    version = sorted(os.listdir("/etc/postgresql"))[0]
    started = time.monotonic()
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
                   check=True, capture_output=True)
    restart_seconds = time.monotonic() - started
    restarted.set()
    for thread in threads:
        thread.join()
    server.stop()
    ok_after = after_restart.get(200, 0)
    print(f"fault=restart-postgres restart_seconds={restart_seconds:.1f} "
          f"before={dict(statuses)} after={dict(after_restart)} "
          f"server_errors={statuses.get(500, 0) + after_restart.get(500, 0)} "
          f"recovered={'yes' if ok_after else 'no'}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=("kill-worker", "restart-postgres", "all"))
    parser.add_argument("--seconds", type=float, default=12)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if args.mode in ("kill-worker", "all"):
        kill_worker(args)
    if args.mode in ("restart-postgres", "all"):
        if not Path("/etc/postgresql").exists():
            raise SystemExit("restart-postgres needs a local PostgreSQL cluster")
        restart_postgres(args)


if __name__ == "__main__":
    main()
