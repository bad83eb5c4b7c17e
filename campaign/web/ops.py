"""Serving in production: the proxy setting, a log line per request, 503s while the database
is unreachable, and the check that several workers share their rate limits."""

from __future__ import annotations

import logging
import time

from flask import Flask, current_app, g, request
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix

from campaign.errors import error_response
from campaign.extensions import db
from campaign.logs import JsonFormatter

log = logging.getLogger("campaign.requests")

def install(app: Flask) -> None:
    register_unavailable_handler(app)
    register_session_teardown(app)
    configure_logging(app)
    configure_proxy(app)


def configure_logging(app: Flask) -> None:
    """With LOG_JSON, one scrubbed JSON line per request and event."""
    if not app.config.get("LOG_JSON"):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))

    @app.before_request
    def _start_timer():
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response):
        started = g.get("request_started")
        log.info("request", extra={
            "method": request.method, "path": request.path, "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None})
        return response


def configure_proxy(app: Flask) -> None:
    """Trust X-Forwarded-* only from as many proxies as configured (none by default), so that
    a client cannot choose the address the rate limits see."""
    hops = int(app.config.get("PROXY_COUNT", 0))
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def check_serving(app: Flask, workers: int) -> None:
    """Refuse to serve several worker processes whose rate limits each count alone: with
    memory:// every process keeps its own counts, and the limits multiply by the number of
    workers. Development may; production must share them (Redis)."""
    from campaign import in_development

    if not app.extensions.get("limiter") or not app.config.get("RATELIMIT_ENABLED", True):
        return  # an application without rate limits (such as the benchmarks' bare ones)
    storage = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if workers > 1 and storage.startswith("memory://") and not in_development(app):
        raise RuntimeError(
            f"{workers} workers would each keep their own rate limits (RATELIMIT_STORAGE_URI is "
            f"{storage}). Set CAMPAIGN_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 (any "
            f"Redis all workers reach), or run one worker.")


def register_session_teardown(app: Flask) -> None:
    """End each request's database session before Flask-SQLAlchemy would, tolerating a
    connection the database has dropped (a restart): by then the view has answered and nothing
    was committed, so the answer must still go out rather than become a 500. The pool discards
    the broken connection and the next request connects afresh."""

    @app.teardown_appcontext  # runs before the teardowns registered earlier
    def close_session(_error):
        try:
            db.session.remove()
        except DBAPIError as error:
            db.session.registry.clear()
            current_app.logger.warning("database connection lost while closing a session: %s",
                                       type(error.orig).__name__)


def register_unavailable_handler(app: Flask) -> None:
    @app.errorhandler(DataError)
    def data_refused(error):
        # The database refused a value (too long, out of range, malformed): the input's fault,
        # not an outage, and nothing was saved.
        db.session.rollback()
        current_app.logger.warning("database refused a value: %s", type(error.orig).__name__)
        return error_response(400, "Please check what you sent",
                              "Some of it cannot be stored as it is: a number too large, a text "
                              "too long, or a character that cannot be stored. Nothing was "
                              "saved.")

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def database_unavailable(error):
        db.session.rollback()
        current_app.logger.error("database unavailable: %s", type(error.orig).__name__)
        response = error_response(503, "Temporarily unavailable",
                                  "The service is busy or restarting. Nothing was lost: please "
                                  "try again in a moment.")
        response = current_app.make_response(response)
        response.headers["Retry-After"] = "5"
        return response
