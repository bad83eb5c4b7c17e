"""Streaming exports: rows come from a server-side cursor in batches and leave as text in
chunks, so memory stays flat however many signatures a petition has."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator
from datetime import date

from sqlalchemy import String, and_, case, func, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from campaign.csvsafe import FORMULA_STARTS
from campaign.extensions import db
from campaign.petitions.models import Petition
from campaign.signatures.counters import NO_SOURCE, utc_day
from campaign.signatures.management import day_bounds
from campaign.signatures.models import Signature, SignatureState

BATCH = 5000
SIGNATURE_COLUMNS = ("id", "full_name", "email", "country", "postal_code", "city", "comment",
                     "state", "source", "created_at", "confirmed_at", "contact_ok")
DIMENSIONS = ("total", "country", "day", "source")


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
                    Signature.state == SignatureState.CONFIRMED,
                    *day_bounds(Signature.confirmed_at, since, until))
             .group_by(Petition.slug, *([key] if key is not None else []))
             .order_by(Petition.slug, *([key] if key is not None else [])))
    rows = db.session.execute(query).all()
    if key is None:
        return [(slug, "", count) for slug, count in rows]
    return [(slug, value, count) for slug, value, count in rows]


class utc_iso(FunctionElement):
    """A timestamp column as ISO 8601 text in UTC, formatted by the database."""

    type = String()
    name = "utc_iso"
    inherit_cache = True


@compiles(utc_iso, "sqlite")
def _utc_iso_sqlite(element, compiler, **kw):
    # Stored as naive UTC text "YYYY-MM-DD HH:MM:SS.ffffff": reshaping the text is cheaper
    # than strftime for a million rows.
    return f"(replace({compiler.process(element.clauses, **kw)}, ' ', 'T') || 'Z')"


@compiles(utc_iso, "postgresql")
def _utc_iso_postgresql(element, compiler, **kw):
    column = compiler.process(element.clauses, **kw)
    return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"


def _formula_safe(column):
    """The cell as text, with a leading apostrophe where a spreadsheet would see a formula."""
    text = func.coalesce(column, "")
    return case((func.substr(text, 1, 1).in_(FORMULA_STARTS), literal("'") + text), else_=text)


def signature_query(petition_id: int, *, with_emails: bool, state: str | None = None):
    """One SELECT that shapes every cell, so that streaming is only writing."""
    # As Signature.contact_email: a confirmed signer's, if they agreed to be contacted.
    email = case((and_(Signature.contact_ok.is_(True),
                       Signature.state == SignatureState.CONFIRMED), Signature.email),
                 else_="") if with_emails else literal("")
    query = (db.select(
        Signature.id, _formula_safe(Signature.full_name), _formula_safe(email),
        Signature.country, _formula_safe(Signature.postal_code), _formula_safe(Signature.city),
        _formula_safe(Signature.comment), Signature.state, _formula_safe(Signature.source),
        utc_iso(Signature.created_at), func.coalesce(utc_iso(Signature.confirmed_at), ""),
        case((Signature.contact_ok.is_(True), "yes"), else_="no"))
        .where(Signature.petition_id == petition_id)
        .order_by(Signature.id))
    if state:
        query = query.where(Signature.state == SignatureState(state))
    return query


def signature_batches(petition_id: int, *, with_emails: bool, state: str | None = None):
    """Lists of ready rows in SIGNATURE_COLUMNS order, straight from the driver's cursor: a
    named server-side cursor on PostgreSQL, fetchmany batches on SQLite."""
    connection = db.session.connection()
    sql = str(signature_query(petition_id, with_emails=with_emails, state=state).compile(
        dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    driver = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        cursor = driver.cursor(name=f"export_{uuid.uuid4().hex}")
    else:
        cursor = driver.cursor()
    try:
        cursor.execute(sql)
        while batch := cursor.fetchmany(BATCH):
            yield batch
    finally:
        cursor.close()


def csv_stream(header, batches, bom: bool = False) -> Iterator[str]:
    """CSV text, one chunk per batch of rows whose cells are already safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write("\ufeff")
    writer.writerow(header)
    yield buffer.getvalue()
    for batch in batches:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(batch)
        yield buffer.getvalue()


def jsonl_stream(header, batches) -> Iterator[str]:
    for batch in batches:
        yield "".join(json.dumps(dict(zip(header, row, strict=True)), ensure_ascii=False) + "\n"
                      for row in batch)
