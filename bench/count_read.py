"""How long reading a petition's count takes as signatures grow: sharded counters against
COUNT(*) over the signatures, measured in the same process on the same database."""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from campaign import create_app
from campaign.extensions import db
from campaign.signatures.counters import add_to_counts, signature_count
from campaign.signatures.models import Signature, SignatureState
from campaign.types import utcnow
from tests import factories

CHUNK = 50_000


def fill(petition_id: int, rows: int, start: int) -> None:
    now = utcnow()
    for first in range(start, start + rows, CHUNK):
        batch = [
            {"petition_id": petition_id, "full_name": f"Signer {n}", "email": f"s{n}@x.example",
             "email_normalised": f"s{n}@x.example", "country": "FR",
             "state": SignatureState.CONFIRMED, "confirmed_at": now, "created_at": now,
             "modified_at": now, "show_name": False, "contact_ok": False, "locale": "en"}
            for n in range(first, min(first + CHUNK, start + rows))
        ]
        db.session.execute(db.insert(Signature), batch)
    # Counters as confirmations would have left them, spread over the shards.
    for _ in range(64):
        add_to_counts(petition_id, country="FR", day=now.date(), source=None, delta=0)
    add_to_counts(petition_id, country="FR", day=now.date(), source=None, delta=rows)
    db.session.commit()


def time_ms(function, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,1000000",
                        help="comma-separated signature counts (default: 10000,1000000)")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench",
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'bench.db'}"})
        with app.app_context():
            db.create_all()
            petition = factories.create_open_petition(factories.create_organisation())
            loaded = 0
            results = []
            for size in sizes:
                fill(petition.id, size - loaded, loaded)
                loaded = size
                assert signature_count(petition.id) == size

                def count_star():
                    db.session.scalar(db.select(db.func.count(Signature.id)).where(
                        Signature.petition_id == petition.id,
                        Signature.state == SignatureState.CONFIRMED))

                counter = time_ms(lambda: signature_count(petition.id), args.repeat)
                star = time_ms(count_star, max(3, args.repeat // 10))
                results.append((size, counter, star))
                print(f"count_read rows={size} counter_ms={counter:.3f} count_star_ms={star:.3f}",
                      flush=True)
            first, last = results[0], results[-1]
            print(f"count_read_growth counter={last[1] / first[1]:.2f}x "
                  f"count_star={last[2] / first[2]:.2f}x "
                  f"(from {first[0]} to {last[0]} signatures; 1.00x means flat)")


if __name__ == "__main__":
    main()
