"""Connection rules for SQLite: WAL, a busy timeout, foreign keys, and write locks taken early."""

from __future__ import annotations

import sqlite3

from flask import current_app, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

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
    cursor.close()


def _on_begin(connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    # A deferred transaction that reads and then writes fails at once with SQLITE_BUSY when
    # another writer committed in between; the busy timeout cannot help it. Requests that may
    # write (and commands) take the write lock up front and wait their turn instead. Readers
    # never block in WAL mode.
    if has_request_context():
        immediate = request.method not in SAFE_METHODS
    else:
        immediate = not has_app_context() or current_app.config.get(
            "SQLITE_IMMEDIATE_OUTSIDE_REQUESTS", True
        )
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
