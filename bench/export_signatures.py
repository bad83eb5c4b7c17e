"""Streaming a petition's signatures as CSV: rows per second and peak memory growth, on
SQLite, against a bare sqlite3-and-csv loop over the same table as the baseline."""

from __future__ import annotations

import argparse
import csv
import io
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fill(database: Path, rows: int) -> None:
    """Create the schema through the application, then bulk-insert confirmed signatures."""
    from campaign import create_app
    from campaign.extensions import db
    from tests import factories

    app = create_app({"TESTING": True, "SECRET_KEY": "bench",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    with app.app_context():
        db.create_all()
        petition = factories.create_open_petition(factories.create_organisation())
        petition_id = petition.id
        db.engine.dispose()
    connection = sqlite3.connect(database)
    now = "2026-11-29 10:00:00.000000"
    batch = 50_000
    for start in range(0, rows, batch):
        connection.executemany(
            "INSERT INTO signatures (petition_id, full_name, email, email_normalised, country, "
            "postal_code, city, comment, show_name, name_withheld, contact_ok, source, locale, "
            "state, created_at, confirmed_at, modified_at) VALUES "
            "(?, ?, ?, ?, 'FR', '75001', 'Paris', NULL, 0, 0, ?, NULL, 'en', 'confirmed', ?, ?, ?)",
            ((petition_id, f"Signer Number {n}", f"s{n}@example.org", f"s{n}@example.org",
              n % 3 == 0, now, now, now) for n in range(start, min(start + batch, rows))))
        connection.commit()
    connection.close()


def measure(database: Path, mode: str) -> dict:
    before_rss, before_peak = rss_mb(), peak_mb()
    started = time.perf_counter()
    cpu_started = time.process_time()
    rows = size = 0
    if mode == "app":
        from campaign import create_app
        from campaign.exports.streams import SIGNATURE_COLUMNS, csv_stream, signature_batches

        app = create_app({"TESTING": True, "SECRET_KEY": "bench",
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
        with app.app_context():
            before_rss, before_peak = rss_mb(), peak_mb()
            started, cpu_started = time.perf_counter(), time.process_time()
            batches = signature_batches(1, with_emails=True)

            def counted():
                nonlocal rows
                for batch in batches:
                    rows += len(batch)
                    yield batch

            for chunk in csv_stream(SIGNATURE_COLUMNS, counted()):
                size += len(chunk)
    else:
        connection = sqlite3.connect(database)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        cursor = connection.execute(
            "SELECT id, full_name, email, country, postal_code, city, comment, state, source, "
            "created_at, confirmed_at, contact_ok FROM signatures WHERE petition_id = 1 "
            "ORDER BY id")
        while batch := cursor.fetchmany(5000):
            writer.writerows(batch)
            size += len(buffer.getvalue())
            rows += len(batch)
            buffer.seek(0)
            buffer.truncate()
    elapsed = time.perf_counter() - started
    return {"mode": mode, "rows": rows, "seconds": round(elapsed, 3),
            "cpu_seconds": round(time.process_time() - cpu_started, 3),
            "rows_per_s": round(rows / elapsed), "bytes": size,
            "peak_growth_mb": round(max(peak_mb() - before_peak, rss_mb() - before_rss, 0), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--measure", choices=("app", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--database", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.database, args.measure)))
        return
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.sqlite3"
        started = time.perf_counter()
        fill(database, args.rows)
        print(f"filled {args.rows} signatures in {time.perf_counter() - started:.1f}s",
              file=sys.stderr)
        results = {}
        for mode in ("baseline", "app"):
            # Each run in a fresh process, so that its peak memory is its own.
            output = subprocess.run(
                [sys.executable, "-m", "bench.export_signatures", "--measure", mode,
                 "--database", str(database)], check=True, capture_output=True, text=True)
            results[mode] = json.loads(output.stdout.strip().splitlines()[-1])
        app, base = results["app"], results["baseline"]
        assert app["rows"] == args.rows, app
        print(f"export_signatures rows={app['rows']} rows_per_s={app['rows_per_s']} "
              f"peak_growth_mb={app['peak_growth_mb']} seconds={app['seconds']} "
              f"baseline_rows_per_s={base['rows_per_s']} "
              f"ratio_vs_bare_sqlite_csv={app['rows_per_s'] / base['rows_per_s']:.2f}")


if __name__ == "__main__":
    main()
