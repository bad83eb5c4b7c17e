"""Sharded counters of confirmed signatures: kept in the confirming transaction, read by sum,
and recomputed from the signatures by `reconcile_counts`."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from flask import current_app
from sqlalchemy import String, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from campaign.extensions import db
from campaign.signatures.models import CountDimension, Signature, SignatureCount, SignatureState

NO_SOURCE = ""


class utc_day(FunctionElement):
    """The UTC calendar day of a timestamp column as 'YYYY-MM-DD', in either database."""

    type = String()
    name = "utc_day"
    inherit_cache = True


@compiles(utc_day, "sqlite")
def _utc_day_sqlite(element, compiler, **kw):
    # Timestamps are stored as naive UTC text on SQLite.
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_day, "postgresql")
def _utc_day_postgresql(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)} AT TIME ZONE 'UTC', 'YYYY-MM-DD')"


@cache
def _upsert_statement(dialect_name: str):
    """INSERT ... ON CONFLICT adding to the count, built once: building it on every
    confirmation cost more than running it."""
    insert = pg_insert if dialect_name == "postgresql" else sqlite_insert
    statement = insert(SignatureCount.__table__)
    return statement.on_conflict_do_update(
        index_elements=["petition_id", "dimension", "key", "shard"],
        set_={"count": SignatureCount.__table__.c["count"] + statement.excluded["count"]},
    )


def _upsert_counts(rows: list[dict]) -> None:
    """Add each row's count to its counter, creating the counter where it does not exist."""
    if rows:
        upsert_counts(db.session.connection(), rows)


def upsert_counts(connection, rows: list[dict]) -> None:
    connection.execute(_upsert_statement(connection.dialect.name), rows)


def count_keys(country: str, day: date, source: str | None) -> list[tuple[str, str]]:
    return [
        (CountDimension.TOTAL.value, ""),
        (CountDimension.COUNTRY.value, country),
        (CountDimension.DAY.value, day.isoformat()),
        (CountDimension.SOURCE.value, source or NO_SOURCE),
    ]


def _figure_rows(petition_id: int, shard: int, country: str, day: date, source: str | None,
                 delta: int) -> list[dict]:
    return [{"petition_id": petition_id, "dimension": dimension, "key": key, "shard": shard,
             "count": delta} for dimension, key in count_keys(country, day, source)]


def _shard() -> int:
    return random.randrange(current_app.config["COUNTER_SHARDS"])


def add_to_counts(petition_id: int, *, country: str, day: date, source: str | None,
                  delta: int) -> None:
    """Count one signature in (delta=1) or out (delta=-1) of every figure it belongs to."""
    _upsert_counts(_figure_rows(petition_id, _shard(), country, day, source, delta))


def confirmation_rows(petition_id: int, *, country: str, day: date,
                      source: str | None) -> list[dict]:
    """The counter changes of a confirmation: out of the pending figure and into every
    confirmed one, on one shard, always in the same order (so that two confirmations never
    wait on each other's rows crosswise)."""
    shard = _shard()
    rows = _figure_rows(petition_id, shard, country, day, source, 1)
    rows.append(_pending_row(petition_id, shard, -1))
    return rows


def move_pending_to_confirmed(petition_id: int, *, country: str, day: date,
                              source: str | None) -> None:
    """Count a confirmation, in one batch of statements."""
    _upsert_counts(confirmation_rows(petition_id, country=country, day=day, source=source))


def _pending_row(petition_id: int, shard: int, delta: int) -> dict:
    return {"petition_id": petition_id, "dimension": CountDimension.PENDING.value, "key": "",
            "shard": shard, "count": delta}


def pending_rows(petition_id: int, delta: int) -> list[dict]:
    """The counter change of a signature counted into (1) or out of (-1) the pending figure."""
    return [_pending_row(petition_id, _shard(), delta)]


def add_pending(petition_id: int, delta: int) -> None:
    """Count a signature into (1) or out of (-1) the petition's pending figure."""
    _upsert_counts(pending_rows(petition_id, delta))


def pending_count(petition_id: int) -> int:
    return int(db.session.scalar(
        db.select(func.coalesce(func.sum(SignatureCount.count), 0)).where(
            SignatureCount.petition_id == petition_id,
            SignatureCount.dimension == CountDimension.PENDING.value)
    ))


def signature_count(petition_id: int) -> int:
    return signature_counts([petition_id]).get(petition_id, 0)


def signature_counts(petition_ids: Iterable[int]) -> dict[int, int]:
    """Confirmed totals for several petitions in one query over their counter shards."""
    ids = list(petition_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        db.select(SignatureCount.petition_id, func.sum(SignatureCount.count))
        .where(SignatureCount.petition_id.in_(ids),
               SignatureCount.dimension == CountDimension.TOTAL.value)
        .group_by(SignatureCount.petition_id)
    )
    return {petition_id: int(total or 0) for petition_id, total in rows}


def counts_by(petition_id: int, dimension: CountDimension) -> dict[str, int]:
    """One petition's confirmed signatures by country, day or source, largest first."""
    total = func.sum(SignatureCount.count)
    rows = db.session.execute(
        db.select(SignatureCount.key, total)
        .where(SignatureCount.petition_id == petition_id,
               SignatureCount.dimension == dimension.value)
        .group_by(SignatureCount.key)
        .having(total != 0)
        .order_by(total.desc(), SignatureCount.key)
    )
    return {key: int(count) for key, count in rows}


@dataclass(frozen=True)
class Drift:
    petition_id: int
    dimension: str
    key: str
    recorded: int
    actual: int


def _actual_counts(connection, petition_id: int) -> dict[tuple[str, str], int]:
    confirmed = (Signature.petition_id == petition_id,
                 Signature.state == SignatureState.CONFIRMED)
    actual: dict[tuple[str, str], int] = {}
    groupings = {
        CountDimension.TOTAL.value: None,
        CountDimension.COUNTRY.value: Signature.country,
        CountDimension.DAY.value: utc_day(Signature.confirmed_at),
        CountDimension.SOURCE.value: func.coalesce(Signature.source, NO_SOURCE),
    }
    pending = db.select(func.count(Signature.id)).where(
        Signature.petition_id == petition_id, Signature.state == SignatureState.PENDING)
    actual[(CountDimension.PENDING.value, "")] = connection.execute(pending).scalar_one()
    for dimension, column in groupings.items():
        if column is None:
            query = db.select(func.count(Signature.id)).where(*confirmed)
            actual[(dimension, "")] = connection.execute(query).scalar_one()
            continue
        query = db.select(column, func.count(Signature.id)).where(*confirmed).group_by(column)
        for key, count in connection.execute(query):
            actual[(dimension, key)] = count
    return actual


def _recorded_counts(connection, petition_id: int) -> dict[tuple[str, str], int]:
    rows = connection.execute(
        db.select(SignatureCount.dimension, SignatureCount.key, func.sum(SignatureCount.count))
        .where(SignatureCount.petition_id == petition_id)
        .group_by(SignatureCount.dimension, SignatureCount.key)
    )
    return {(dimension, key): int(count) for dimension, key, count in rows}


def find_drift(petition_ids: Iterable[int], *, in_session: bool = False) -> list[Drift]:
    """Compare counters with the signatures, reading both from one consistent snapshot.

    `in_session` reads through the session's own transaction, for petitions whose signatures
    this transaction wrote and has not committed yet.
    """
    if in_session or db.engine.dialect.name != "postgresql":
        # SQLite transactions here hold the write lock: the session's own view is consistent.
        return _compare(db.session.connection(), petition_ids)
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        with connection.begin():
            return _compare(connection, petition_ids)


def _compare(connection, petition_ids: Iterable[int]) -> list[Drift]:
    drift: list[Drift] = []
    for petition_id in petition_ids:
        actual = _actual_counts(connection, petition_id)
        recorded = _recorded_counts(connection, petition_id)
        for key in sorted(set(actual) | set(recorded)):
            if actual.get(key, 0) != recorded.get(key, 0):
                drift.append(Drift(petition_id, key[0], key[1], recorded.get(key, 0),
                                   actual.get(key, 0)))
    return drift


def reconcile_counts(petition_ids: Iterable[int], *, in_session: bool = False) -> list[Drift]:
    """Correct every counter that disagrees with the signatures; return what was wrong.

    Corrections are added as deltas rather than overwriting totals, so confirmations that
    commit while this runs are neither lost nor counted twice.
    """
    drift = find_drift(petition_ids, in_session=in_session)
    _upsert_counts([
        {"petition_id": item.petition_id, "dimension": item.dimension, "key": item.key,
         "shard": 0, "count": item.actual - item.recorded}
        for item in drift
    ])
    db.session.flush()
    return drift
