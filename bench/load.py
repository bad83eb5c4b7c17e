"""Load on the real application under gunicorn on loopback: the whole sign-and-confirm flow,
petition page reads, and a hot petition, each against a bare endpoint in the same run.

Bounded: every phase runs for --seconds with --concurrency threads, against 127.0.0.1 only.
The generator reports the CPU it used itself, to show it is not the bottleneck.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
CONFIRM = re.compile(r"/confirm/([A-Za-z0-9_-]+)")
# The PostgreSQL database the benchmarks empty and fill; CAMPAIGN_BENCH_DATABASE_URI names another.
POSTGRES = os.environ.get("CAMPAIGN_BENCH_DATABASE_URI",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with the project's settings, on a loopback port."""

    def __init__(self, target: str, env: dict, workers: int, threads: int) -> None:
        self.port = free_port()
        # The server's log goes to a file: a pipe nobody reads would stall it once full.
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (kept open while it runs)
            prefix=f"bench-{target.split(':')[0]}-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--bind",
             f"127.0.0.1:{self.port}", "--workers", str(workers), "--threads", str(threads),
             target], cwd=ROOT, env={**os.environ, **env},
            stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not start; its log: {self.log.name}")

    def worker_pids(self) -> list[int]:
        output = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True,
                                text=True).stdout
        return [int(pid) for pid in output.split()]

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        self.log.close()
        os.unlink(self.log.name)


class Client:
    """One keep-alive connection with its own cookie jar."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, text


@dataclass
class Phase:
    completed: int = 0
    failed: int = 0
    latencies: list[float] = field(default_factory=list)
    signed: list[str] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cpu: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def per_second(self) -> float:
        return self.completed / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(int(q * len(ordered)), len(ordered) - 1)] * 1000


def run_phase(concurrency: int, seconds: float, work, phase: Phase | None = None) -> Phase:
    """Run `work` on `concurrency` threads for `seconds`; add the results to `phase` (a new
    one unless given, so that several rounds add up)."""
    phase = phase or Phase()
    stop_at = time.monotonic() + seconds
    cpu_before = time.process_time()
    started = time.perf_counter()
    errors: list[BaseException] = []

    def guarded(n: int) -> None:
        try:
            work(n, stop_at, phase)
        except Exception as error:  # a generator fault must show, not look like zero load
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.seconds += time.perf_counter() - started
    phase.cpu += time.process_time() - cpu_before
    if errors:
        raise RuntimeError(f"{len(errors)} load threads failed; first: {errors[0]!r}")
    return phase


def sign_confirm_work(port: int, slug: str, engine: sa.Engine, run: str):
    def work(n: int, stop_at: float, phase: Phase) -> None:
        client = Client(port)
        status, page = client.request("GET", f"/p/{slug}")
        token = CSRF.search(page).group(1)
        i = 0
        with _reader(engine) as db:
            while time.monotonic() < stop_at:
                i += 1
                email = f"load-{run}-{n}-{i}@bench.example"
                started = time.perf_counter()
                status, _ = client.request("POST", f"/p/{slug}/sign", {
                    "csrf_token": token, "full_name": f"Load {n} {i}", "email": email,
                    "country": "FR"})
                signed_in = time.perf_counter() - started
                if status != 303:
                    with phase.lock:
                        phase.failed += 1
                    continue
                with phase.lock:
                    phase.signed.append(email)
                # Read the confirmation mail from the outbox, as a mailbox would.
                body = db.execute(sa.text(
                    "SELECT text_body FROM outbox_messages WHERE recipient LIKE :r "
                    "ORDER BY id DESC LIMIT 1"), {"r": f"%<{email}>"}).scalar()
                db.rollback()
                link = CONFIRM.search(body or "")
                if link is None:
                    with phase.lock:
                        phase.failed += 1
                    continue
                started = time.perf_counter()
                status, _ = client.request("POST", f"/confirm/{link.group(1)}",
                                           {"csrf_token": token})
                elapsed = signed_in + time.perf_counter() - started
                with phase.lock:
                    if status == 303:
                        phase.completed += 1
                        phase.confirmed.append(email)
                        phase.latencies.append(elapsed)
                    else:
                        phase.failed += 1
    return work


def _reader(engine: sa.Engine) -> sa.Connection:
    """The generator's connection for reading the outbox. On PostgreSQL it autocommits, one
    round trip per read, so that the generator loads the database as little as it can. (On
    SQLite a transaction costs no round trip, and the application's rules make a connection
    outside a request take the write lock when it begins one.)"""
    connection = engine.connect()
    if engine.dialect.name == "postgresql":
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
    return connection


def insert_work(port: int, run: str):
    return _timed_work(port, 201, lambda client, n, i: client.request(
        "POST", "/insert", {"email": f"bare-{run}-{n}-{i}"}))


def get_work(port: int, path: str):
    return _timed_work(port, 200, lambda client, n, i: client.request("GET", path))


def _timed_work(port: int, ok_status: int, send):
    """Each thread sends `send(client, thread, i)` in a loop on its own connection."""
    def work(n: int, stop_at: float, phase: Phase) -> None:
        client = Client(port)
        i = 0
        while time.monotonic() < stop_at:
            i += 1
            started = time.perf_counter()
            status, _ = send(client, n, i)
            with phase.lock:
                if status == ok_status:
                    phase.completed += 1
                    phase.latencies.append(time.perf_counter() - started)
                else:
                    phase.failed += 1
    return work


def warm_up(app_port: int, bare_port: int, slug: str) -> None:
    """A few requests to every worker before measuring, so that first-request costs
    (templates, locale data) do not count."""
    for port, path in ((app_port, f"/p/{slug}"), (bare_port, "/hello")):
        client = Client(port)
        for _ in range(50):
            client.request("GET", path)


def prepare(uri: str) -> str:
    """A fresh schema with one open petition; returns its slug."""
    from bench.bare_app import metadata
    from campaign import create_app
    from campaign.extensions import db
    from tests import factories

    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": uri})
    with app.app_context():
        db.session.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        db.drop_all()
        metadata.drop_all(db.engine)
        db.create_all()
        metadata.create_all(db.engine)
        petition = factories.create_open_petition(factories.create_organisation(), slug="load")
        slug = petition.slug
        db.engine.dispose()
    return slug


def audit_results(uri: str, phase: Phase) -> tuple[int, int, int]:
    """(lost, duplicated, counter drift) after a sign-and-confirm phase."""
    from campaign import create_app
    from campaign.extensions import db
    from campaign.petitions.models import Petition
    from campaign.signatures.counters import find_drift
    from campaign.signatures.models import Signature, SignatureState

    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": uri})
    with app.app_context():
        rows = db.session.execute(db.select(Signature.email, Signature.state)).all()
        states: dict[str, list] = {}
        for email, state in rows:
            states.setdefault(email, []).append(state)
        lost = sum(1 for e in phase.signed if e not in states)
        lost += sum(1 for e in phase.confirmed if SignatureState.CONFIRMED not in states.get(e, []))
        duplicated = sum(len(v) - 1 for v in states.values())
        petition_ids = db.session.scalars(db.select(Petition.id)).all()
        drift = len(find_drift(petition_ids))
        db.engine.dispose()
    return lost, duplicated, drift


def cores(phase: Phase) -> str:
    return f"{phase.cpu / phase.seconds:.2f}" if phase.seconds else "0"


def bench_database(name: str, uri: str, args) -> None:
    run = str(int(time.time()))
    slug = prepare(uri)
    env = {"CAMPAIGN_SQLALCHEMY_DATABASE_URI": uri, "CAMPAIGN_SECRET_KEY": "bench-secret",
           "CAMPAIGN_RATELIMIT_ENABLED": "false", "CAMPAIGN_MAIL_BACKEND": "memory",
           "CAMPAIGN_BASE_URL": "http://127.0.0.1", "BENCH_DATABASE_URI": uri,
           "CAMPAIGN_COUNTER_SHARDS": str(args.shards)}
    app_server = Server("wsgi:app", env, args.workers, args.threads)
    bare_server = Server("bench.bare_app:app", env, args.workers, args.threads)
    floor_server = Server("bench.floor_app:app", env, args.workers, args.threads)
    engine = sa.create_engine(uri)
    warm_up(app_server.port, bare_server.port, slug)
    flow, floor, bare, page, hello = (Phase() for _ in range(5))
    seconds = args.seconds / args.rounds
    try:
        # Short rounds, each measuring everything in turn: a machine that slows down or
        # speeds up during the run then weighs on every figure alike.
        for round_ in range(args.rounds):
            tag = f"{run}r{round_}"
            run_phase(args.concurrency, seconds,
                      sign_confirm_work(app_server.port, slug, engine, tag), flow)
            run_phase(args.concurrency, seconds,
                      sign_confirm_work(floor_server.port, slug, engine, f"floor{tag}"), floor)
            run_phase(args.concurrency, seconds, insert_work(bare_server.port, tag), bare)
            run_phase(args.concurrency, seconds, get_work(app_server.port, f"/p/{slug}"), page)
            run_phase(args.concurrency, seconds, get_work(bare_server.port, "/hello"), hello)
    finally:
        app_server.stop()
        bare_server.stop()
        floor_server.stop()
        engine.dispose()
    lost, duplicated, drift = audit_results(uri, flow)
    print(f"db={name} sign_confirm_per_s={flow.per_second():.1f} p50_ms={flow.percentile(0.5):.1f} "
          f"p99_ms={flow.percentile(0.99):.1f} "
          f"ratio_vs_bare_insert={flow.per_second() / bare.per_second():.2f} lost={lost} "
          f"duplicated={duplicated} failed={flow.failed} counter_drift={drift} "
          f"bare_insert_per_s={bare.per_second():.1f} generator_cpu_cores={cores(flow)}",
          flush=True)
    print(f"db={name} floor_sign_confirm_per_s={floor.per_second():.1f} "
          f"floor_ratio_vs_bare_insert={floor.per_second() / bare.per_second():.2f} "
          f"app_vs_floor={flow.per_second() / floor.per_second():.2f} floor_failed={floor.failed} "
          f"generator_cpu_cores={cores(floor)}", flush=True)
    print(f"db={name} petition_page_get_per_s={page.per_second():.1f} "
          f"hello_get_per_s={hello.per_second():.1f} "
          f"ratio_vs_hello={page.per_second() / hello.per_second():.2f} "
          f"page_p99_ms={page.percentile(0.99):.1f} generator_cpu_cores={cores(page)}",
          flush=True)


def bench_hot_petition(args) -> None:
    """64 signers at once on one petition on PostgreSQL, with sharded and single counters,
    in alternating rounds (one server at a time, to stay within PostgreSQL's connections)."""
    run = f"hot{int(time.time())}"
    slug = prepare(POSTGRES)
    engine = sa.create_engine(POSTGRES)
    phases = {1: Phase(), 16: Phase()}
    waiting: dict[int, list[int]] = {1: [], 16: []}
    rounds = min(args.rounds, 3)
    try:
        for round_ in range(rounds):
            for shards in (1, 16):
                env = {"CAMPAIGN_SQLALCHEMY_DATABASE_URI": POSTGRES,
                       "CAMPAIGN_SECRET_KEY": "bench", "CAMPAIGN_RATELIMIT_ENABLED": "false",
                       "CAMPAIGN_MAIL_BACKEND": "memory", "CAMPAIGN_BASE_URL": "http://127.0.0.1",
                       "CAMPAIGN_COUNTER_SHARDS": str(shards)}
                server = Server("wsgi:app", env, args.workers, max(args.threads, 16))
                sampler = LockWaitSampler(engine)
                try:
                    sampler.start()
                    run_phase(64, args.seconds / rounds, sign_confirm_work(
                        server.port, slug, engine, f"{run}-{shards}-{round_}"), phases[shards])
                finally:
                    sampler.stop()
                    server.stop()
                waiting[shards].extend(sampler.samples)
    finally:
        engine.dispose()
    both = Phase(signed=phases[1].signed + phases[16].signed,
                 confirmed=phases[1].confirmed + phases[16].confirmed)
    lost, duplicated, drift = audit_results(POSTGRES, both)
    single, sharded = phases[1], phases[16]
    print(f"db=postgresql hot_petition concurrency=64 sharded_per_s={sharded.per_second():.1f} "
          f"single_row_per_s={single.per_second():.1f} "
          f"lock_waiters_sharded={_mean(waiting[16]):.2f} "
          f"lock_waiters_single={_mean(waiting[1]):.2f} "
          f"p99_ms_sharded={sharded.percentile(0.99):.1f} "
          f"p99_ms_single={single.percentile(0.99):.1f} lost={lost} "
          f"duplicated={duplicated} reconcile_drift={drift}", flush=True)


def _mean(samples: list[int]) -> float:
    return statistics.fmean(samples) if samples else 0.0


class LockWaitSampler:
    """Samples how many PostgreSQL backends wait on a lock (a row held by another
    transaction), every 50 ms: direct evidence of serialisation on a hot row, which
    throughput on two busy cores cannot show."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.samples: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        with self.engine.connect() as connection:
            while not self._stop.is_set():
                waiting = connection.execute(sa.text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()")).scalar()
                connection.rollback()
                self.samples.append(int(waiting))
                time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=os.cpu_count() * 2 + 1)
    parser.add_argument("--threads", type=int, default=1)  # gunicorn.conf.py's default
    parser.add_argument("--shards", type=int, default=16)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--no-hot", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for name in args.databases.split(","):
            uri = POSTGRES if name == "postgresql" else f"sqlite:///{folder}/load.sqlite3"
            bench_database(name, uri, args)
    if not args.no_hot and "postgresql" in args.databases:
        bench_hot_petition(args)


if __name__ == "__main__":
    main()
