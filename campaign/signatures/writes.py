"""The writes of a new signature and of a confirmation, in as few round trips as each database
allows. The rules that decide them live in services.py; this module only writes.

SQLite runs inside the process, where a statement costs about what a function call costs, so
each write is a statement of its own. PostgreSQL is a round trip away, and round trips are most
of what a signature costs there: the writes of each transaction go as one statement, chained by
data-modifying WITH clauses, and every later write happens only if the first one did.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from campaign.extensions import db
from campaign.mail.services import OUTBOX_INSERT
from campaign.signatures.counters import upsert_counts
from campaign.signatures.models import Signature, SignatureState, SignatureToken, TokenPurpose

_signatures, _tokens = Signature.__table__, SignatureToken.__table__


@dataclass(frozen=True)
class NewTokens:
    """The hashes of a new signature's two links; the raw values only ever go in its mail."""

    confirm_hash: str
    confirm_expires: datetime
    withdraw_hash: str


def insert_signature(connection: sa.Connection, signature: dict, tokens: NewTokens,
                     counts: list[dict], mail: dict) -> int | None:
    """Write a pending signature (the columns in `signature`), its two tokens, its counter
    changes and its mail (the columns of an outbox row); return its id. When the address has
    signed this petition before, write nothing and return None: the unique constraint decides,
    through ON CONFLICT DO NOTHING, even when two arrive at once."""
    if connection.dialect.name == "postgresql":
        params = {**_plain(signature), **_token_params(tokens, signature["created_at"]),
                  **_count_params(counts), **{f"mail_{k}": v for k, v in mail.items()
                                                   if k != "signature_id"}}
        statement = _pg_insert_signature(tuple(signature), tuple(mail))
        return connection.execute(statement, params).scalar()
    signature_id = connection.execute(_insert_new_signature(connection.dialect.name),
                                      signature).scalar()
    if signature_id is None:
        return None
    now = signature["created_at"]
    connection.execute(sa.insert(_tokens), [
        {"signature_id": signature_id, "purpose": TokenPurpose.CONFIRM,
         "token_hash": tokens.confirm_hash, "created_at": now,
         "expires_at": tokens.confirm_expires},
        {"signature_id": signature_id, "purpose": TokenPurpose.WITHDRAW,
         "token_hash": tokens.withdraw_hash, "created_at": now, "expires_at": None}])
    upsert_counts(connection, counts)
    connection.execute(OUTBOX_INSERT, {**mail, "signature_id": signature_id})
    return signature_id


def record_confirmation(connection: sa.Connection, *, signature_id: int, token_id: int,
                        now: datetime, counts: list[dict]) -> bool:
    """Confirm a pending signature, use up its link and apply the counter changes; return
    True. When the signature is no longer pending (another request confirmed or withdrew it
    since it was read), write nothing and return False: of two confirmations at once, exactly
    one counts."""
    params = {"signature_id": signature_id, "token_id": token_id, "now": now}
    if connection.dialect.name == "postgresql":
        return bool(connection.execute(_PG_CONFIRM, {
            **params, **_count_params(counts), "confirmed": SignatureState.CONFIRMED.value,
            "pending": SignatureState.PENDING.value}).scalar())
    if not connection.execute(_CONFIRM, params).rowcount:
        return False
    connection.execute(_USE_TOKEN, params)
    upsert_counts(connection, counts)
    return True


@cache
def _insert_new_signature(dialect_name: str):
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id, built once: no row back means the same
    address has signed."""
    insert = pg_insert if dialect_name == "postgresql" else sqlite_insert
    return (insert(_signatures)
            .on_conflict_do_nothing(index_elements=["petition_id", "email_normalised"])
            .returning(_signatures.c.id))


_CONFIRM = (db.update(_signatures)
            .where(_signatures.c.id == db.bindparam("signature_id"),
                   _signatures.c.state == SignatureState.PENDING)
            .values(state=SignatureState.CONFIRMED, confirmed_at=db.bindparam("now"),
                    modified_at=db.bindparam("now")))
_USE_TOKEN = (db.update(_tokens).where(_tokens.c.id == db.bindparam("token_id"))
              .values(used_at=db.bindparam("now")))


def _plain(values: dict) -> dict:
    # psycopg would send an enum member by its name; the columns hold the values.
    return {k: v.value if isinstance(v, enum.Enum) else v for k, v in values.items()}


def _token_params(tokens: NewTokens, now: datetime) -> dict:
    return {"confirm_purpose": TokenPurpose.CONFIRM.value, "confirm_hash": tokens.confirm_hash,
            "confirm_expires": tokens.confirm_expires, "tokens_created_at": now,
            "withdraw_purpose": TokenPurpose.WITHDRAW.value,
            "withdraw_hash": tokens.withdraw_hash}


def _count_params(rows: list[dict]) -> dict:
    """Counter rows as parallel arrays, for unnest()."""
    return {f"count_{column}s": [row[column] for row in rows]
            for column in ("petition_id", "dimension", "key", "shard", "count")}


# Adds the counter rows passed as arrays, once for each row of the WITH clause it names.
_PG_COUNT = """
    INSERT INTO signature_counts (petition_id, dimension, key, shard, count)
    SELECT c.petition_id, c.dimension, c.key, c.shard, c.count
    FROM {after}, unnest(CAST(:count_petition_ids AS integer[]),
                         CAST(:count_dimensions AS varchar[]), CAST(:count_keys AS varchar[]),
                         CAST(:count_shards AS smallint[]), CAST(:count_counts AS bigint[]))
                  AS c(petition_id, dimension, key, shard, count)
    ON CONFLICT (petition_id, dimension, key, shard)
    DO UPDATE SET count = signature_counts.count + excluded.count"""

def _outbox_value(column: str) -> str:
    if column == "signature_id":
        return "id"  # the mail belongs to the signature just inserted
    return "CAST(:mail_headers AS json)" if column == "headers" else f":mail_{column}"


@cache
def _pg_insert_signature(signature_columns: tuple[str, ...], outbox_columns: tuple[str, ...]):
    """The statement for these columns (the keys of the rows given), built once."""
    return sa.text(f"""
WITH new_signature AS (
    INSERT INTO signatures ({", ".join(signature_columns)})
    VALUES ({", ".join(f":{c}" for c in signature_columns)})
    ON CONFLICT (petition_id, email_normalised) DO NOTHING
    RETURNING id
), new_tokens AS (
    INSERT INTO signature_tokens (signature_id, purpose, token_hash, created_at, expires_at)
    SELECT id, :confirm_purpose, :confirm_hash, :tokens_created_at, :confirm_expires
    FROM new_signature
    UNION ALL
    SELECT id, :withdraw_purpose, :withdraw_hash, :tokens_created_at, NULL FROM new_signature
), counted AS ({_PG_COUNT.format(after="new_signature")}
), mailed AS (
    INSERT INTO outbox_messages ({", ".join(outbox_columns)})
    SELECT {", ".join(_outbox_value(c) for c in outbox_columns)} FROM new_signature
)
SELECT id FROM new_signature
""").bindparams(sa.bindparam("mail_headers", type_=sa.JSON))  # noqa: S608 (column names only)


_PG_CONFIRM = sa.text(f"""
WITH confirmed AS (
    UPDATE signatures SET state = :confirmed, confirmed_at = :now, modified_at = :now
    WHERE id = :signature_id AND state = :pending
    RETURNING id
), used AS (
    UPDATE signature_tokens SET used_at = :now FROM confirmed
    WHERE signature_tokens.id = :token_id
), counted AS ({_PG_COUNT.format(after="confirmed")}
)
SELECT count(*) FROM confirmed
""")  # noqa: S608 (a fixed table name only)
