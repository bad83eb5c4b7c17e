"""Connection rules for SQLite: WAL, a busy timeout, foreign keys, and write locks taken early
(or, for the busiest views, only for the writes themselves)."""

from __future__ import annotations

import functools
import sqlite3

from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from campaign.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_installed = False


def install_sqlite_rules() -> None:
    """Listen on every engine once; only SQLite connections are touched."""
    global _installed
    if _installed:
        return
    event.listen(Engine, "connect", _on_connect)
    event.listen(Engine, "begin", _on_begin)
    _installed = True


def _on_connect(dbapi_connection, connection_record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" event issue BEGIN itself, so that the lock mode can be chosen.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted rows (an erased person of concern, an anonymised signer) are overwritten in the
    # file, whatever the default of the SQLite library in use.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _on_begin(connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    # A deferred transaction that reads and then writes fails at once with SQLITE_BUSY when
    # another writer committed in between; the busy timeout cannot help it. Requests that may
    # write (and commands) take the write lock up front and wait their turn instead. Readers
    # never block in WAL mode.
    if has_request_context():
        immediate = request.method not in SAFE_METHODS and (
            not g.get("sqlite_reads_first") or g.get("sqlite_writing", False))
    else:
        immediate = not has_app_context() or current_app.config.get(
            "SQLITE_IMMEDIATE_OUTSIDE_REQUESTS", True
        )
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def reads_first(view):
    """Let a writing view read without SQLite's write lock until it calls `begin_writes()`
    between its service's reads and writes: the lock is then held for the writes alone, not
    for the form validation, the queries and the rendering before them. Every write after
    `begin_writes()` must be safe against what changed since the reads (a conditional UPDATE,
    ON CONFLICT)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        g.sqlite_reads_first = True
        try:
            return view(*args, **kwargs)
        finally:
            g.pop("sqlite_reads_first", None)
            g.pop("sqlite_writing", None)

    return wrapper


def begin_writes() -> None:
    """Mark the end of a `reads_first` view's reads; the view calls it, never a service. On
    SQLite the read transaction ends here (it wrote nothing, so ending it commits nothing) and
    the next statement begins a write transaction with the lock; the request's one commit
    then ends that. Elsewhere, and outside such views, this changes nothing."""
    if not has_request_context() or not g.get("sqlite_reads_first") or g.get("sqlite_writing"):
        return
    g.sqlite_writing = True
    session = db.session()
    if session.get_bind().dialect.name != "sqlite" or not session.in_transaction():
        return
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("begin_writes() after writes: they would be committed early")
    session.commit()
