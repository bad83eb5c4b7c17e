"""Streaming exports: rows come from a server-side cursor in batches and leave as text in
chunks, so memory stays flat however many signatures a petition has."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func

from campaign.csvsafe import safe_cell
from campaign.extensions import db
from campaign.petitions.models import Petition
from campaign.signatures.counters import NO_SOURCE, utc_day
from campaign.signatures.models import Signature, SignatureState

BATCH = 5000
SIGNATURE_COLUMNS = ("id", "full_name", "email", "country", "postal_code", "city", "comment",
                     "state", "source", "created_at", "confirmed_at", "contact_ok")
DIMENSIONS = ("total", "country", "day", "source")


def day_bounds(since: date | None, until: date | None):
    conditions = []
    if since:
        conditions.append(Signature.confirmed_at >= datetime.combine(since, time(), tzinfo=UTC))
    if until:
        conditions.append(Signature.confirmed_at < datetime.combine(
            until + timedelta(days=1), time(), tzinfo=UTC))
    return conditions


def count_rows(petition_ids: list[int], dimension: str, since: date | None,
               until: date | None) -> list[tuple[str, str, int]]:
    """(petition slug, key, confirmed count) for a dimension over a date range."""
    keys = {"total": None, "country": Signature.country,
            "day": utc_day(Signature.confirmed_at),
            "source": func.coalesce(Signature.source, NO_SOURCE)}
    key = keys[dimension]
    columns = [Petition.slug] + ([key] if key is not None else []) + [func.count(Signature.id)]
    query = (db.select(*columns).join(Petition, Petition.id == Signature.petition_id)
             .where(Signature.petition_id.in_(petition_ids),
                    Signature.state == SignatureState.CONFIRMED, *day_bounds(since, until))
             .group_by(Petition.slug, *([key] if key is not None else []))
             .order_by(Petition.slug, *([key] if key is not None else [])))
    rows = db.session.execute(query).all()
    if key is None:
        return [(slug, "", count) for slug, count in rows]
    return [(slug, value, count) for slug, value, count in rows]


def signature_rows(petition_id: int, *, with_emails: bool, state: str | None = None):
    """Tuples in SIGNATURE_COLUMNS order, read in batches from a server-side cursor."""
    query = (db.select(Signature.id, Signature.full_name, Signature.email, Signature.country,
                       Signature.postal_code, Signature.city, Signature.comment,
                       Signature.state, Signature.source, Signature.created_at,
                       Signature.confirmed_at, Signature.contact_ok)
             .where(Signature.petition_id == petition_id)
             .order_by(Signature.id)
             .execution_options(yield_per=BATCH, stream_results=True))
    if state:
        query = query.where(Signature.state == SignatureState(state))
    for (sid, name, email, country, postal, city, comment, sstate, source, created,
         confirmed, contact_ok) in db.session.execute(query):
        yield (sid, name, email if with_emails and contact_ok else "", country, postal or "",
               city or "", comment or "", sstate.value, source or "",
               created.isoformat(), confirmed.isoformat() if confirmed else "",
               "yes" if contact_ok else "no")


def csv_stream(header, rows, bom: bool = False) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write("\ufeff")
    writer.writerow(header)
    for number, row in enumerate(rows, start=1):
        writer.writerow([safe_cell(value) if isinstance(value, str) else value for value in row])
        if number % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def jsonl_stream(header, rows) -> Iterator[str]:
    chunk: list[str] = []
    for row in rows:
        chunk.append(json.dumps(dict(zip(header, row, strict=True)), ensure_ascii=False))
        if len(chunk) == 1000:
            yield "\n".join(chunk) + "\n"
            chunk = []
    if chunk:
        yield "\n".join(chunk) + "\n"
